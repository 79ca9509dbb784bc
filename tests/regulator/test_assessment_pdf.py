"""The assessment as a PDF report: the registry's labels, the stored figures, the arithmetic."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from pypdf import PdfReader

from regulator.services.assessments import assessment_finalise, assessments_run
from regulator.services.overrides import result_override, result_override_confirm
from tests.companies.factories import FilingFactory, ReportingPeriodFactory
from tests.regulator.items import removal_orders


def _text(response) -> str:
    """The PDF's text, with its no-break spaces ("86.3 %") as plain ones."""
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    return "\n".join(page.extract_text() for page in reader.pages).replace("\u00a0", " ")


@pytest.fixture
def assessed(company_a, company_a_officer, analyst):
    """Two removal orders removed after 30 and 90 minutes, filed on time.

    order_1h_rate 1/2 = 0.5 (fails 0.95: attainment 0.5/0.95 = 0.5263, weight 3); median 1 h (passes ≤ 24,
    weight 1); preserved 2/2 (passes, weight 2); on time (passes, weight 1); notices and complaints do not apply.
    Score = 100 × (3 × 0.5263 + 1 + 2 + 1) / 7 = 79.6992 → 79.7, not compliant.
    """
    company_a.legal_name = "Alpha & <Video> Ltd"
    company_a.save()
    period = ReportingPeriodFactory(year=2026, quarter=2)
    filing = FilingFactory(company=company_a, period=period, status="accepted",
                           submitted_at=dt.datetime(2026, 7, 20, tzinfo=dt.UTC))
    removal_orders(filing, [30, 90])
    return assessments_run(actor=analyst, period=period)[0]


def test_the_report_shows_each_measure_its_threshold_and_the_arithmetic(client_as, assessed, analyst):
    text = _text(client_as("analyst").get(f"/assessments/{assessed.pk}/report.pdf"))
    assert "Compliance assessment: Alpha & <Video> Ltd, 2026-Q2" in text
    assert "Score 79.7 out of 100" in text and "not compliant" in text and "draft: not yet final" in text
    # People's words: the measure's label, the rate as a percentage, the threshold in words and in its unit.
    assert "Removal orders acted on within 1 hour\n50.0 %\nat least 95 %\nfailed" in text
    assert "at most 24 hours" in text and "1.0 hours" in text
    assert "order_1h_rate" not in text and "gte" not in text and "0.5000" not in text
    assert "not applicable" in text
    assert "Score = 100 × (3 × 0.5263 + 1 × 1.0000 + 2 × 1.0000 + 1 × 1.0000) ÷ 7 = 79.7." in text
    assert "Removal orders acted on within 1 hour (weight 3, attainment 0.5263)" in text
    assert "Time to action (informational)" in text


def test_the_reports_chart_names_its_axes_and_its_bars(client_as, assessed):
    """The delay chart: 1 order acted on within the hour and 1 within 24 hours, bars labelled in words."""
    text = _text(client_as("analyst").get(f"/assessments/{assessed.pk}/report.pdf"))
    chart = text[text.index("Time to action (informational)"):]
    assert "Time from receipt to action" in chart and "Number of items" in chart
    for label in ("Within 1 hour", "1 to 24 hours", "24 to 48 hours", "2 to 7 days", "More than 7 days"):
        assert label in chart


def test_a_company_gets_its_final_report_with_the_regulators_correction(client_as, assessed, analyst, supervisor):
    """The analyst corrects order_1h_rate to 0.96 (passes); with every core measure passed the score is 100."""
    from decimal import Decimal

    result = assessed.results.get(metric="order_1h_rate")
    result_override(actor=analyst, result=result, value=Decimal("0.96"),
                    justification="Order RO/2 was withdrawn by the police before the hour ran out.")
    result_override_confirm(actor=supervisor, result=result)
    assessment_finalise(actor=analyst, assessment=assessed)
    text = _text(client_as("company_a_officer").get(f"/assessments/{assessed.pk}/report.pdf"))
    assert "Score 100.0 out of 100" in text and "compliant" in text
    assert "Corrections by the regulator" in text
    assert "96.0 % instead of the computed 50.0 %" in text and "withdrawn by the police" in text


def test_another_company_or_a_draft_is_not_found(client_as, assessed, company_a_officer, company_b_officer):
    url = f"/assessments/{assessed.pk}/report.pdf"
    assert client_as("company_a_officer").get(url).status_code == 404  # still a draft
    assert client_as("company_b_officer").get(url).status_code == 404
