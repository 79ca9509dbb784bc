"""Reads for the analysts' period overview: a fixed number of queries whatever the number of companies."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count
from django.utils import timezone

from companies.models import Company, CompanyStatus, Filing, ReportingPeriod
from regulator.metrics import CORE_KEYS, INFO_KEYS, METRICS_BY_KEY
from regulator.models import Assessment, MetricResult

SCORE_BANDS: tuple[tuple[str, Decimal, Decimal], ...] = (
    ("below 50", Decimal(0), Decimal(50)), ("50–70", Decimal(50), Decimal(70)),
    ("70–80", Decimal(70), Decimal(80)), ("80–90", Decimal(80), Decimal(90)),
    ("90–95", Decimal(90), Decimal(95)), ("95–<100", Decimal(95), Decimal(100)),
    ("100", Decimal(100), Decimal(101)),
)


@dataclass
class Overview:
    period: ReportingPeriod
    total: int = 0  # companies with an assessment, with or without a verdict
    assessed: int = 0  # of which with a verdict
    compliant: int = 0
    previous_code: str | None = None
    previous_rate: Decimal | None = None
    distribution: list[tuple[str, int]] = field(default_factory=list)
    # key, label, companies failing, companies failing in the previous period (None: no previous assessments)
    failing: list[tuple[str, str, int, int | None]] = field(default_factory=list)
    overdue: list[Company] = field(default_factory=list)
    newly_failing: list[str] = field(default_factory=list)
    newly_compliant: list[str] = field(default_factory=list)

    @property
    def rate(self) -> Decimal | None:
        return Decimal(self.compliant) / Decimal(self.assessed) if self.assessed else None


def _latest_ids(period: ReportingPeriod):
    return (Assessment.objects.filter(period=period).order_by("company_id", "-version")
            .distinct("company_id").values("pk"))


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
        (label, sum(1 for a in scored if a.score is not None and low <= a.score < high))
        for label, low, high in SCORE_BANDS
    ]
    failing = _failing_counts(period)
    if timezone.localdate() > period.due_date:
        submitted = Filing.objects.filter(period=period, submitted_at__isnull=False).values("company_id")
        overview.overdue = list(Company.objects.filter(status=CompanyStatus.ACTIVE).exclude(pk__in=submitted)
                                .order_by("legal_name")[:200])
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
    overview.failing = [(key, METRICS_BY_KEY[key].label, failing.get(key, 0),
                         failing_before.get(key, 0) if failing_before is not None else None) for key in CORE_KEYS]
    return overview


def _failing_counts(period: ReportingPeriod) -> dict[str, int]:
    """Companies failing each core metric in their latest assessment of the period (one query)."""
    return dict(MetricResult.objects.filter(assessment_id__in=_latest_ids(period), passed=False, kind="core")
                .values_list("metric").annotate(n=Count("id")))





@dataclass
class MetricHistory:
    """One company's metrics over the periods (core first, then informational), latest assessment version of each."""

    periods: list[str] = field(default_factory=list)
    rows: list[tuple[str, str, list[tuple[Decimal | None, bool | None, Decimal | None]]]] = field(default_factory=list)
    scores: list[Decimal | None] = field(default_factory=list)


def company_history(*, company: Company, limit: int = 8) -> MetricHistory:
    """Every metric of the company's last ``limit`` assessed periods against its threshold (two queries)."""
    latest = list(Assessment.objects.filter(company=company).order_by("period_id", "-version")
                  .distinct("period_id").select_related("period"))
    latest = sorted(latest, key=lambda a: a.period.start)[-limit:]
    results = {(r.assessment_id, r.metric): r
               for r in MetricResult.objects.filter(assessment__in=latest)}
    history = MetricHistory(periods=[a.period.code for a in latest], scores=[a.score for a in latest])
    for key in [*CORE_KEYS, *INFO_KEYS]:
        cells = []
        for assessment in latest:
            result = results.get((assessment.pk, key))
            cells.append((result.effective_value, result.passed, result.threshold) if result else (None, None, None))
        history.rows.append((key, METRICS_BY_KEY[key].label, cells))
    return history
