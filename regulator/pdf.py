"""The assessment report as a PDF (reportlab platypus): what the company is sent with its final assessment.

Labels, units and descriptions come from the metric registry (regulator/metrics.py), the
figures from the stored assessment, so the PDF says exactly what the page and the API say.
"""

from __future__ import annotations

from decimal import Decimal
from io import BytesIO
from xml.sax.saxutils import escape  # Paragraph text is reportlab markup: names and reasons are escaped

from django.conf import settings
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Table, TableStyle

from core.templatetags.numbers import plain
from regulator import engine
from regulator.charts import BRAND, INK, PDF_FONT_SIZE, bar_chart
from regulator.formatting import (
    metric_label,
    metric_unit,
    metric_value_text,
    moment_text,
    score_text,
    threshold_text,
)
from regulator.metrics import DELAY_BUCKETS, METRICS
from regulator.models import Assessment, MetricResult

GRID = colors.HexColor("#b1b4b6")


def _value(result: MetricResult, value: Decimal | None) -> str:
    if value is None and not result.applicable:
        return "not applicable"
    return metric_value_text(value, metric_unit(result.metric), result.threshold)


class AssessmentReport:
    """One renderer per document: ``AssessmentReport(assessment).render()`` gives the PDF's bytes."""

    def __init__(self, assessment: Assessment, results: list[MetricResult]) -> None:
        self.assessment = assessment
        order = {metric.key: index for index, metric in enumerate(METRICS)}
        self.results = sorted(results, key=lambda result: order.get(result.metric, len(order)))  # registry order
        styles = getSampleStyleSheet()
        self.body = ParagraphStyle("body", parent=styles["BodyText"], fontName="Helvetica", fontSize=9.5,
                                   leading=13, textColor=INK)
        self.small = ParagraphStyle("small", parent=self.body, fontSize=8.5, leading=11)
        self.h1 = ParagraphStyle("h1", parent=styles["Heading1"], fontName="Helvetica-Bold", fontSize=16,
                                 textColor=BRAND)
        self.h2 = ParagraphStyle("h2", parent=styles["Heading2"], fontName="Helvetica-Bold", fontSize=11.5,
                                 textColor=INK, spaceBefore=10)

    def render(self) -> bytes:
        buffer = BytesIO()
        a = self.assessment
        doc = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=18 * mm, rightMargin=18 * mm, topMargin=16 * mm,
                                bottomMargin=16 * mm, title=f"Compliance assessment: {a.company} {a.period}",
                                author=settings.PORTAL_REGULATOR_NAME, subject="Compliance assessment")
        doc.build(self._story(), onFirstPage=self._footer, onLaterPages=self._footer)
        return buffer.getvalue()

    def _footer(self, canvas, doc) -> None:
        canvas.saveState()
        canvas.setFont("Helvetica", 8)
        canvas.setFillColor(INK)
        canvas.drawString(18 * mm, 9 * mm, f"{settings.PORTAL_REGULATOR_NAME} · {settings.PORTAL_NAME} · "
                                           f"assessment {self.assessment.pk} version {self.assessment.version}")
        canvas.drawRightString(A4[0] - 18 * mm, 9 * mm, f"Page {doc.page}")
        canvas.restoreState()

    def _story(self) -> list:
        a = self.assessment
        verdict = ("no verdict (no core metric applies)" if a.compliant is None
                   else "compliant" if a.compliant else "not compliant")
        finalised = f"final since {moment_text(a.finalised_at)}" if a.finalised_at else "draft: not yet final"
        story: list = [
            Paragraph(settings.PORTAL_REGULATOR_NAME, self.small),
            Paragraph(f"Compliance assessment: {escape(a.company.legal_name)}, {a.period.code}", self.h1),
            Paragraph(f"Score <b>{score_text(a.score)}</b> out of 100 · <b>{verdict}</b> · assessment version "
                      f"{a.version}, {finalised} · rulebook version {a.rulebook.version} · filing version "
                      f"{a.filing.version if a.filing else '—'}", self.body),
            Paragraph("Each measure is computed by the regulator from the takedown items the company filed; the "
                      "thresholds are those of the rulebook version named above, kept with this assessment.",
                      self.small),
            Paragraph("Measures", self.h2),
            self._results_table(),
        ]
        overridden = [r for r in self.results if r.is_overridden]
        if overridden:
            story.append(Paragraph("Corrections by the regulator", self.h2))
            for r in overridden:
                story.append(Paragraph(
                    f"<b>{escape(metric_label(r.metric))}</b>: {_value(r, r.override_value)} instead of the computed "
                    f"{_value(r, r.value)}. Reason: {escape(r.override_justification)}", self.body))
        story += [Paragraph("How the score is calculated", self.h2), *self._arithmetic()]
        if a.delay_buckets:
            story.append(KeepTogether([
                Paragraph("Time to action (informational)", self.h2),
                bar_chart(title="Actioned items by time from receipt to action",
                          labels=[bucket.label for bucket in DELAY_BUCKETS],
                          values=[int(a.delay_buckets.get(bucket.name, 0)) for bucket in DELAY_BUCKETS],
                          value_title="Number of items", category_title="Time from receipt to action",
                          width=460, font_size=PDF_FONT_SIZE),
            ]))
        return story

    def _results_table(self) -> Table:
        rows = [["Measure", "Value", "Threshold", "Result", "Weight"]]
        for r in self.results:
            label = Paragraph(escape(metric_label(r.metric)), self.small)
            rule = threshold_text(r.comparator, r.threshold, metric_unit(r.metric)) if r.threshold is not None else "—"
            result = ("not applicable" if not r.applicable else "—" if r.passed is None
                      else "passed" if r.passed else "failed")
            rows.append([label, _value(r, r.effective_value), rule, result,
                         plain(r.weight) if r.weight is not None else "informational"])
        failed = [("FONT", (3, row), (3, row), "Helvetica-Bold", 9)
                  for row, r in enumerate(self.results, start=1) if r.applicable and r.passed is False]
        table = Table(rows, colWidths=[66 * mm, 28 * mm, 32 * mm, 25 * mm, 23 * mm], repeatRows=1)
        table.setStyle(TableStyle([
            ("FONT", (0, 0), (-1, 0), "Helvetica-Bold", 9),
            ("FONT", (0, 1), (-1, -1), "Helvetica", 9),
            ("TEXTCOLOR", (0, 0), (-1, -1), INK),
            ("LINEBELOW", (0, 0), (-1, 0), 0.8, INK),
            ("LINEBELOW", (0, 1), (-1, -1), 0.3, GRID),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("ALIGN", (1, 0), (-1, -1), "RIGHT"),
            *failed,
        ]))
        return table

    def _arithmetic(self) -> list:
        core = engine.counted_in_score(self.results)
        if not core:
            return [Paragraph("No core measure applies in this period, so there is no score and no verdict.",
                              self.body)]
        total = sum((r.weight for r in core), start=Decimal(0))
        terms = " + ".join(f"{plain(r.weight)} × {r.attainment.quantize(Decimal('0.0001'))}" for r in core)
        return [
            # The PDF's standard fonts have no Σ or ≤, so the formula is in words.
            Paragraph("Score = 100 × the sum of (weight × attainment) ÷ the sum of the weights, over the core "
                      "measures that apply. "
                      "Attainment is 1 for a measure that meets its threshold; otherwise value ÷ threshold for an "
                      "“at least” threshold or threshold ÷ value for an “at most” one, between 0 and 1.", self.body),
            Paragraph(f"Score = 100 × ({terms}) ÷ {plain(total)} = {score_text(self.assessment.score)}.",
                      self.body),
            Paragraph("In that sum, in order: " + "; ".join(
                f"{escape(metric_label(r.metric))} (weight {plain(r.weight)}, attainment "
                f"{r.attainment.quantize(Decimal('0.0001'))})" for r in core) + ".", self.small),
        ]
