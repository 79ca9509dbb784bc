"""Reads for the analysts' period overview: a fixed number of queries whatever the number of companies."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import NamedTuple

from django.db.models import Count
from django.utils import timezone

from companies.models import Company, ReportingPeriod
from companies.selectors import companies_yet_to_file
from regulator.choices import MetricKind
from regulator.metrics import CORE_KEYS, INFO_KEYS, METRICS_BY_KEY
from regulator.models import Assessment, MetricResult


class ScoreBand(NamedTuple):
    """A bar of the score distribution: scores from ``low`` (inclusive) to ``high`` (exclusive)."""

    label: str
    low: Decimal
    high: Decimal


SCORE_BANDS: tuple[ScoreBand, ...] = (
    ScoreBand("below 50", Decimal(0), Decimal(50)), ScoreBand("50 to under 70", Decimal(50), Decimal(70)),
    ScoreBand("70 to under 80", Decimal(70), Decimal(80)), ScoreBand("80 to under 90", Decimal(80), Decimal(90)),
    ScoreBand("90 to under 95", Decimal(90), Decimal(95)), ScoreBand("95 to under 100", Decimal(95), Decimal(100)),
    ScoreBand("100", Decimal(100), Decimal(101)),
)


class BandCount(NamedTuple):
    label: str
    count: int


class FailingMetric(NamedTuple):
    """Companies failing a core metric in a period, and in the period before (None: no assessments then)."""

    key: str
    label: str
    count: int
    previous: int | None


@dataclass
class Overview:
    period: ReportingPeriod
    total: int = 0  # companies with an assessment, with or without a verdict
    assessed: int = 0  # of which with a verdict
    compliant: int = 0
    previous_code: str | None = None
    previous_rate: Decimal | None = None
    distribution: list[BandCount] = field(default_factory=list)
    failing: list[FailingMetric] = field(default_factory=list)
    overdue: list[Company] = field(default_factory=list)
    newly_failing: list[str] = field(default_factory=list)
    newly_compliant: list[str] = field(default_factory=list)

    @property
    def rate(self) -> Decimal | None:
        return Decimal(self.compliant) / Decimal(self.assessed) if self.assessed else None


def _latest_ids(period: ReportingPeriod):
    return Assessment.objects.filter(period=period).latest_versions().values("pk")


def period_overview(*, period: ReportingPeriod) -> Overview:
    """Compliance rate, score distribution, companies failing each core metric, overdue filings and the
    change since the previous period (seven queries)."""
    overview = Overview(period=period)
    latest = list(Assessment.objects.filter(pk__in=_latest_ids(period)).select_related("company")
                  .only("score", "compliant", "company__legal_name"))
    overview.total = len(latest)
    scored = [a for a in latest if a.compliant is not None]
    overview.assessed, overview.compliant = len(scored), sum(1 for a in scored if a.compliant)
    overview.distribution = [
        BandCount(band.label, sum(1 for a in scored if a.score is not None and band.low <= a.score < band.high))
        for band in SCORE_BANDS
    ]
    failing = _failing_counts(period)
    if timezone.localdate() > period.due_date:
        overview.overdue = list(companies_yet_to_file(period=period)[:200])
    failing_before: dict[str, int] | None = None
    previous = ReportingPeriod.objects.filter(start__lt=period.start).order_by("-start").first()
    if previous is not None:
        before = {a.company_id: a.compliant for a in Assessment.objects.filter(pk__in=_latest_ids(previous))
                  .only("company_id", "compliant") if a.compliant is not None}
        if before:
            overview.previous_code = previous.code
            overview.previous_rate = Decimal(sum(before.values())) / Decimal(len(before))
            failing_before = _failing_counts(previous)
            for assessment in scored:
                was = before.get(assessment.company_id)
                if was is True and not assessment.compliant:
                    overview.newly_failing.append(assessment.company.legal_name)
                elif was is False and assessment.compliant:
                    overview.newly_compliant.append(assessment.company.legal_name)
    overview.failing = [FailingMetric(key, METRICS_BY_KEY[key].label, failing.get(key, 0),
                                      failing_before.get(key, 0) if failing_before is not None else None)
                        for key in CORE_KEYS]
    return overview


def _failing_counts(period: ReportingPeriod) -> dict[str, int]:
    """Companies failing each core metric in their latest assessment of the period (one query)."""
    return dict(MetricResult.objects.filter(assessment_id__in=_latest_ids(period), passed=False, kind=MetricKind.CORE)
                .values_list("metric").annotate(n=Count("id")))


class Cell(NamedTuple):
    """A metric in one period: its value (the override when there is one), whether it passed, its threshold and
    how the value was compared with it (Comparator)."""

    value: Decimal | None
    passed: bool | None
    threshold: Decimal | None
    comparator: str = ""


EMPTY_CELL = Cell(None, None, None)


class MetricRow(NamedTuple):
    key: str
    label: str
    cells: list[Cell]  # one per period of the history


@dataclass
class MetricHistory:
    """One company's metrics over the periods (core first, then informational), latest assessment version of each."""

    periods: list[str] = field(default_factory=list)
    rows: list[MetricRow] = field(default_factory=list)
    scores: list[Decimal | None] = field(default_factory=list)


def company_history(*, company: Company, limit: int = 8) -> MetricHistory:
    """Every metric of the company's last ``limit`` assessed periods against its threshold (two queries)."""
    latest = list(Assessment.objects.filter(company=company).latest_versions().select_related("period"))
    latest = sorted(latest, key=lambda a: a.period.start)[-limit:]
    results = {(r.assessment_id, r.metric): r
               for r in MetricResult.objects.filter(assessment__in=latest)}
    history = MetricHistory(periods=[a.period.code for a in latest], scores=[a.score for a in latest])
    for key in [*CORE_KEYS, *INFO_KEYS]:
        cells = []
        for assessment in latest:
            result = results.get((assessment.pk, key))
            cells.append(Cell(result.effective_value, result.passed, result.threshold, result.comparator) if result
                         else EMPTY_CELL)
        history.rows.append(MetricRow(key, METRICS_BY_KEY[key].label, cells))
    return history
