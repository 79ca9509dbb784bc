"""Escalation (docs/DESIGN.md §4.3): propose, for one period, the cases its final assessments and filings call for.

- the first failure of a core metric → a warning;
- a core metric failing in ``consecutive_failures`` assessed periods in a row, or in ``failures_in_window`` of the
  last ``window_periods``, → one persistent-failure case per company covering every such metric, with the fine
  the calculator proposes before any adjustment;
- a late first submission → a late-filing penalty by band and tier, doubled when the previous period was late too.

Periods where a metric did not apply are skipped. Only final assessments count, and an override only once
confirmed. Proposing is idempotent: a company has at most one case of each kind per period (a unique constraint),
and runs for the same period are serialised by an advisory lock.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone

from companies.deadlines import LateBand, first_submission, is_expected, lateness
from companies.models import Company, Filing, ReportingPeriod
from core.audit import Action, audit_record_many
from penalties import access
from penalties.choices import CaseKind
from penalties.fines import Breach, FineError, Money, Turnover, fine_calculate
from penalties.models import EscalationPolicy, PenaltyCase
from penalties.selectors import Outcome, core_records, policy_for
from regulator.metrics import METRICS_BY_KEY


@dataclass
class EscalationRun:
    """What a run proposed: the cases it made, and how many it found already there."""

    period: ReportingPeriod
    created: list[PenaltyCase] = field(default_factory=list)
    existing: int = 0

    @property
    def summary(self) -> str:
        if not self.created:
            return (f"Nothing new to propose for {self.period}"
                    f"{f'; {self.existing:,} case(s) were proposed before' if self.existing else ''}.")
        kinds: dict[str, int] = {}
        for case in self.created:
            kinds[case.get_kind_display()] = kinds.get(case.get_kind_display(), 0) + 1
        listed = ", ".join(f"{count:,} {kind.lower()}" for kind, count in sorted(kinds.items()))
        return f"{len(self.created):,} case(s) proposed for {self.period}: {listed}."


def _label(metric: str) -> str:
    return METRICS_BY_KEY[metric].label if metric in METRICS_BY_KEY else metric


def _evidence(outcome: Outcome) -> dict:
    return {"period": outcome.period_code, "assessment": outcome.assessment_id, "value": outcome.value,
            "threshold": outcome.threshold, "comparator": outcome.comparator, "attainment": outcome.attainment}


def _persistent(history: list[Outcome], policy: EscalationPolicy) -> list[Outcome] | None:
    """The failures that make ``history`` (one metric, applicable periods only, newest first, the period itself
    first) a persistent failure, or None."""
    run = history[:policy.consecutive_failures]
    if len(run) == policy.consecutive_failures and all(outcome.passed is False for outcome in run):
        return run
    window = [outcome for outcome in history[:policy.window_periods] if outcome.passed is False]
    if len(window) >= policy.failures_in_window:
        return window
    return None


def _metric_cases(company: Company, outcomes: list[Outcome], period: ReportingPeriod,
                  policy: EscalationPolicy) -> tuple[dict | None, dict | None]:
    """The evidence of a warning and of a persistent failure for one company (either may be None)."""
    by_metric: dict[str, list[Outcome]] = {}
    for outcome in outcomes:
        if outcome.applicable:  # a period where the metric did not apply neither breaks nor extends a run
            by_metric.setdefault(outcome.metric, []).append(outcome)
    first_failures, persistent = [], []
    for metric, history in sorted(by_metric.items()):
        if not history or history[0].period_code != period.code or history[0].passed is not False:
            continue  # only a metric failing in this period leads to a case for it
        streak = _persistent(history, policy)
        if streak is not None:
            persistent.append({"metric": metric, "label": _label(metric),
                               "failures": [_evidence(outcome) for outcome in streak]})
        elif not any(outcome.passed is False for outcome in history[1:]):
            first_failures.append({"metric": metric, "label": _label(metric), "failures": [_evidence(history[0])]})
    warning = {"kind": "first failure", "metrics": first_failures} if first_failures else None
    fine = {"kind": "persistent failure", "metrics": persistent, "rule": (
        f"{policy.consecutive_failures} consecutive assessed periods, or {policy.failures_in_window} of the last "
        f"{policy.window_periods}, not-applicable periods skipped")} if persistent else None
    return warning, fine


def _proposed_fine(company: Company, evidence: dict, policy: EscalationPolicy) -> tuple[Decimal | None, str]:
    """The fine before any adjustment, and a note when it cannot be worked out yet."""
    breaches = []
    for metric in evidence["metrics"]:
        worst = min(metric["failures"], key=lambda failure: failure["attainment"] or Decimal(0))
        zero = Decimal(0)
        breaches.append(Breach(metric=metric["label"], period=worst["period"], value=worst["value"] or zero,
                               threshold=worst["threshold"] or zero, attainment=worst["attainment"] or zero))
    try:
        fine = fine_calculate(breaches=breaches, tier=company.size_tier, policy=policy.fine_policy(),
                              opened_on=timezone.localdate(), earlier_fines=[], adjustments=[],
                              turnover=Turnover(Money(company.global_turnover, company.turnover_currency)))
    except FineError as error:
        return None, str(error)
    return fine.amount.amount, ""


_LATE_FEES = {LateBand.UP_TO_1_MONTH: "late_up_to_1_month", LateBand.UP_TO_3_MONTHS: "late_up_to_3_months",
              LateBand.UP_TO_6_MONTHS: "late_up_to_6_months", LateBand.OVER_6_MONTHS: "late_over_6_months"}


def _late_filings(period: ReportingPeriod, policy: EscalationPolicy,
                  company_ids: list[int] | None) -> list[tuple[Company, dict, Decimal]]:
    """Companies whose first submission for the period was late: (company, evidence, amount)."""
    previous = ReportingPeriod.objects.filter(start__lt=period.start).order_by("-start").first()
    filings = Filing.objects.filter(period__in=[p for p in (period, previous) if p], submitted_at__isnull=False)
    if company_ids is not None:
        filings = filings.filter(company_id__in=company_ids)
    versions: dict[tuple[int, int], list[Filing]] = {}
    for filing in filings.only("company_id", "period_id", "submitted_at"):
        versions.setdefault((filing.company_id, filing.period_id), []).append(filing)
    companies = Company.objects.in_bulk({company_id for company_id, _ in versions})
    today = timezone.localdate()
    late = []
    for (company_id, period_id), filed in versions.items():
        company = companies[company_id]
        if period_id != period.pk or not is_expected(company=company, period=period):
            continue
        first = first_submission(filed)
        band = lateness(period=period, first_submitted=first, today=today)
        if band == LateBand.ON_TIME:
            continue
        fee = getattr(policy, _LATE_FEES[band])
        tier = {"A": policy.late_multiplier_a, "B": policy.late_multiplier_b}.get(company.size_tier, Decimal(1))
        before = versions.get((company_id, previous.pk)) if previous else None
        previous_late = bool(before and is_expected(company=company, period=previous) and lateness(
            period=previous, first_submitted=first_submission(before), today=today) != LateBand.ON_TIME)
        amount = fee * tier * (policy.late_repeat_multiplier if previous_late else Decimal(1))
        late.append((company, {"kind": "late filing", "band": band.label, "due_date": period.due_date,
                               "first_submitted_at": first, "fee_tier_c": fee, "tier": company.size_tier,
                               "tier_multiplier": tier, "previous_period_late": previous_late,
                               "previous_period": previous.code if previous else None}, amount))
    return late


@transaction.atomic
def escalation_run(*, actor: AbstractBaseUser | None, period: ReportingPeriod,
                   company_ids: list[int] | None = None) -> EscalationRun:
    """Propose the cases ``period`` calls for (all companies, or ``company_ids``); idempotent. Audited."""
    if actor is not None:
        access.RUN_ESCALATION.require(actor)
    policy = policy_for(period=period)
    if policy is None:
        raise ValidationError(f"No escalation policy is in force for {period}.")
    with connection.cursor() as cursor:  # one run per period at a time: the second waits, then finds the cases
        cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [zlib.crc32(b"escalation"), period.pk])
    run = EscalationRun(period=period)
    existing = set(PenaltyCase.objects.filter(period=period).values_list("company_id", "kind"))
    records = core_records(period=period, company_ids=company_ids)
    companies = Company.objects.in_bulk(list(records))
    proposals: list[PenaltyCase] = []
    for company_id, outcomes in records.items():
        company = companies[company_id]
        warning, fine = _metric_cases(company, outcomes, period, policy)
        if warning is not None:
            proposals.append(PenaltyCase(company=company, period=period, kind=CaseKind.WARNING, policy=policy,
                                         evidence=warning, currency=policy.currency))
        if fine is not None:
            amount, note = _proposed_fine(company, fine, policy)
            proposals.append(PenaltyCase(company=company, period=period, kind=CaseKind.PERSISTENT_FAILURE,
                                         policy=policy, evidence={**fine, "note": note} if note else fine,
                                         proposed_amount=amount, currency=policy.currency))
    for company, evidence, amount in _late_filings(period, policy, company_ids):
        proposals.append(PenaltyCase(company=company, period=period, kind=CaseKind.LATE_FILING, policy=policy,
                                     evidence=evidence, proposed_amount=amount, currency=policy.currency))
    fresh = [case for case in proposals if (case.company_id, case.kind) not in existing]
    run.existing = len(existing)
    run.created = PenaltyCase.objects.bulk_create(fresh)
    audit_record_many(actor=actor, action=Action.PENALTY_CASE_PROPOSED, entries=[
        (case, None, {"kind": case.kind, "period": period.code, "proposed_amount": case.proposed_amount,
                      "policy": policy.version}) for case in run.created])
    return run
