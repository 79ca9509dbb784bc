"""Reads of the penalties app: the policy in force, and each company's record of final results over the periods."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from companies.models import ReportingPeriod
from penalties.models import EscalationPolicy
from regulator.choices import MetricKind
from regulator.models import Assessment, MetricResult


def policy_for(*, period: ReportingPeriod) -> EscalationPolicy | None:
    """The newest escalation policy in force when the period started."""
    return EscalationPolicy.objects.filter(effective_from__lte=period.start).order_by("-version").first()


@dataclass(frozen=True)
class Outcome:
    """A core metric's result in one company's latest final assessment of one period."""

    period_code: str
    period_start: object  # a date; for ordering
    assessment_id: int
    metric: str
    applicable: bool
    passed: bool | None
    value: Decimal | None  # the value used: a confirmed override, else the computed one
    threshold: Decimal | None
    comparator: str
    attainment: Decimal | None


def core_records(*, period: ReportingPeriod, company_ids: list[int] | None = None) -> dict[int, list[Outcome]]:
    """For each company with a final assessment of ``period``: the core results of its latest final assessment
    of that period and of every earlier one, newest period first (one query). Drafts never count, and a result's
    "passed" already reflects a confirmed override (and only a confirmed one)."""
    finals = Assessment.objects.final()
    if company_ids is not None:
        finals = finals.filter(company_id__in=company_ids)
    latest = finals.filter(period__start__lte=period.start).latest_versions()
    in_period = latest.filter(period=period).values("company_id")
    rows = (MetricResult.objects.filter(assessment__in=latest, assessment__company_id__in=in_period,
                                        kind=MetricKind.CORE)
            .values_list("assessment__company_id", "assessment__period__code", "assessment__period__start",
                         "assessment_id", "metric", "applicable", "passed", "value", "override_value",
                         "override_status", "threshold", "comparator", "attainment")
            .order_by("assessment__company_id", "-assessment__period__start", "metric"))
    records: dict[int, list[Outcome]] = {}
    for (company_id, code, start, assessment_id, metric, applicable, passed, value, override_value, override_status,
         threshold, comparator, attainment) in rows:
        used = override_value if override_status == "confirmed" else value
        records.setdefault(company_id, []).append(Outcome(code, start, assessment_id, metric, applicable, passed, used,
                                                          threshold, comparator, attainment))
    return records
