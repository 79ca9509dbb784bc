"""Assessments: compute or refresh a period's (one SQL pass, set-based writes), rescore, finalise
(docs/DESIGN.md §4.1). Every write is audited."""

from __future__ import annotations

from decimal import Decimal

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from companies.models import Company, ReportingPeriod
from core.audit import Action, audit_record, audit_record_many
from core.workflows import transition
from regulator import access, engine
from regulator.choices import OverrideStatus
from regulator.metrics import METRICS_BY_KEY
from regulator.models import Assessment, AssessmentStatus, MetricResult, Rulebook
from regulator.signals import assessment_finalised


def rulebook_for(*, period: ReportingPeriod) -> Rulebook:
    """The newest rulebook in force when the period started."""
    rulebook = Rulebook.objects.in_force(on=period.start)
    if rulebook is None:
        raise ValidationError(f"No rulebook is in force for {period}.")
    return rulebook


_RESULT_FIELDS = ["kind", "value", "numerator", "denominator", "comparator", "threshold", "weight", "applicable",
                  "passed", "attainment"]
_ASSESSMENT_FIELDS = ["filing_id", "rulebook", "score", "compliant", "computed_at", "delay_buckets"]


def _result_values(result: engine.Result) -> dict:
    rule = result.rule
    return {
        "kind": result.kind, "value": result.value, "numerator": result.numerator,
        "denominator": result.denominator, "comparator": rule.comparator if rule else "",
        "threshold": rule.value if rule else None, "weight": rule.weight if rule else None,
        "applicable": result.applicable, "passed": result.passed, "attainment": result.attainment,
    }


@transaction.atomic
def assessments_run(*, actor: AbstractBaseUser | None, period: ReportingPeriod,
                    companies: list[Company] | None = None) -> list[Assessment]:
    """Compute (or refresh) the assessments of a period: one SQL pass, set-based writes.

    A draft is refreshed in place. A final assessment is never changed: when the
    figures, the filing or the rulebook differ from it, a new draft version is made.
    Idempotent: an assessment whose filing, rulebook and figures are unchanged is not written
    at all (no new version, no audit event). Returns the assessments made or refreshed.
    """
    if actor is not None:
        access.RUN_ASSESSMENTS.require(actor)
    rulebook = rulebook_for(period=period)
    thresholds = list(rulebook.thresholds.all())
    aggregates = engine.period_aggregates(period=period,
                                          company_ids=[c.pk for c in companies] if companies else None)
    # The companies and periods ride along so that the audit's object labels cost no query per row.
    companies_by_id = Company.objects.only("pk", "legal_name", "size_tier").in_bulk(list(aggregates))
    latest: dict[int, Assessment] = {}
    for assessment in (Assessment.objects.select_related("company", "period").select_for_update(of=("self",))
                       .filter(period=period, company_id__in=aggregates).order_by("company_id", "version")):
        latest[assessment.company_id] = assessment  # the highest version wins
    stored = _stored_figures([assessment.pk for assessment in latest.values()])
    now = timezone.now()
    rules_by_tier = {tier: engine.rules_for(thresholds=thresholds, tier=tier) for tier in "ABC"}
    refreshed: list[tuple[Assessment, engine.Scored, dict]] = []
    created: list[tuple[Assessment, engine.Scored]] = []
    for company_id, figures in aggregates.items():
        company = companies_by_id[company_id]
        scored = engine.score(aggregates=figures, rules=rules_by_tier[company.size_tier])
        current = latest.get(company_id)
        if current is not None and _unchanged(current, stored.get(current.pk, {}), figures, rulebook, scored):
            continue  # the same filing under the same rules gives the same figures: nothing to write
        fields = {"filing_id": figures.filing_id, "rulebook": rulebook, "score": scored.score,
                  "compliant": scored.compliant, "computed_at": now, "delay_buckets": figures.buckets}
        if current is not None and current.status == AssessmentStatus.DRAFT:
            before = {"score": current.score, "compliant": current.compliant, "filing": current.filing_id}
            for name, value in fields.items():
                setattr(current, name, value)
            refreshed.append((current, scored, before))
        else:
            version = current.version + 1 if current is not None else 1
            created.append((Assessment(company=company, period=period, version=version, **fields), scored))

    Assessment.objects.bulk_create([assessment for assessment, _ in created], batch_size=1000)
    Assessment.objects.bulk_update([assessment for assessment, _, _ in refreshed], _ASSESSMENT_FIELDS,
                                   batch_size=1000)
    MetricResult.objects.bulk_create([
        MetricResult(assessment=assessment, metric=result.metric, **_result_values(result))
        for assessment, scored in created for result in scored.results
    ], batch_size=5000)
    if refreshed:
        scored_by_id = {assessment.pk: scored for assessment, scored, _ in refreshed}
        existing = {(r.assessment_id, r.metric): r
                    for r in MetricResult.objects.filter(assessment_id__in=scored_by_id)}
        changed, fresh = [], []
        for assessment_id, scored in scored_by_id.items():
            for result in scored.results:
                row = existing.get((assessment_id, result.metric))
                if row is None:
                    fresh.append(MetricResult(assessment_id=assessment_id, metric=result.metric,
                                              **_result_values(result)))
                    continue
                for name, value in _result_values(result).items():
                    setattr(row, name, value)
                changed.append(row)
        MetricResult.objects.bulk_update(changed, _RESULT_FIELDS, batch_size=5000)
        MetricResult.objects.bulk_create(fresh, batch_size=5000)
        # Overrides survive a refresh: those drafts are scored again with them.
        overridden = {row.assessment_id for row in existing.values()
                      if row.override_status == OverrideStatus.CONFIRMED}
        for assessment, _, _ in refreshed:
            if assessment.pk in overridden:
                assessment_rescore(assessment=assessment)
    audit_record_many(actor=actor, action=Action.ASSESSMENT_CREATED, entries=[
        (assessment, None, {"score": assessment.score, "compliant": assessment.compliant,
                            "filing": assessment.filing_id, "rulebook": rulebook.version,
                            "version": assessment.version})
        for assessment, _ in created
    ])
    audit_record_many(actor=actor, action=Action.ASSESSMENT_REFRESHED, entries=[
        (assessment, before, {"score": assessment.score, "compliant": assessment.compliant,
                              "filing": assessment.filing_id})
        for assessment, _, before in refreshed
    ])
    return [assessment for assessment, _ in created] + [assessment for assessment, _, _ in refreshed]


# What a computation determines, compared to decide whether anything changed (overrides, and the passes and
# attainments they lead to, are the analysts' and stay as they are).
_COMPUTED_FIELDS = ["kind", "value", "numerator", "denominator", "comparator", "threshold", "weight"]


def run_outcome(*, period: ReportingPeriod, touched: list[Assessment]) -> str:
    """What a run did, in words, for the page and the command."""
    if not touched:
        return (f"Nothing changed: every assessment of {period} already matches its filing and the rulebook, "
                "so nothing was written.")
    count = len(touched)
    return (f"{count:,} assessment{'s' if count != 1 else ''} of {period} computed or refreshed; "
            f"{'they are drafts' if count != 1 else 'it is a draft'} until an analyst finalises "
            f"{'them' if count != 1 else 'it'}.")


def _stored_figures(assessment_ids: list[int]) -> dict[int, dict[str, tuple]]:
    """The computed figures of each assessment's results, by assessment and metric (one query)."""
    stored: dict[int, dict[str, tuple]] = {}
    for row in MetricResult.objects.filter(assessment_id__in=assessment_ids).values("assessment_id", "metric",
                                                                                      *_COMPUTED_FIELDS):
        stored.setdefault(row["assessment_id"], {})[row["metric"]] = tuple(row[name] for name in _COMPUTED_FIELDS)
    return stored


def _unchanged(assessment: Assessment, stored: dict[str, tuple], figures: engine.Aggregates, rulebook: Rulebook,
               scored: engine.Scored) -> bool:
    """Whether a fresh computation gives exactly what the assessment already holds: the same filing, rulebook
    and delay buckets, and every metric's computed figures (values as stored, to their column's precision)."""
    if assessment.filing_id != figures.filing_id or assessment.rulebook_id != rulebook.pk:
        return False
    if assessment.delay_buckets != figures.buckets:
        return False
    fresh = {}
    for result in scored.results:
        values = _result_values(result)
        fresh[result.metric] = tuple(_as_stored(name, values[name]) for name in _COMPUTED_FIELDS)
    return fresh == stored


def _as_stored(name: str, value):
    """A computed value as its column keeps it, so that a fresh figure compares equal to a stored one."""
    if value is None or name not in ("value", "threshold", "weight"):
        return value
    places = MetricResult._meta.get_field(name).decimal_places
    return Decimal(value).quantize(Decimal(1).scaleb(-places))


@transaction.atomic
def assessment_finalise(*, actor: AbstractBaseUser, assessment: Assessment, note: str = "") -> Assessment:
    """An analyst finalises a draft; the company can see it from now on."""
    access.FINALISE_ASSESSMENT.require(actor)
    unconfirmed = list(assessment.results.filter(override_status=OverrideStatus.PENDING)
                       .values_list("metric", flat=True))
    if unconfirmed:
        names = ", ".join(f"“{METRICS_BY_KEY[key].label}”" if key in METRICS_BY_KEY else key for key in unconfirmed)
        raise ValidationError(f"A supervisor must confirm or reject the override of {names} first.")
    transition(assessment, old=AssessmentStatus.DRAFT, new=AssessmentStatus.FINAL,
               conflict="This assessment is already final; refresh it to make a new version.",
               finalised_at=timezone.now(), finalised_by=actor)
    assessment.refresh_from_db()
    audit_record(actor=actor, action=Action.ASSESSMENT_FINALISED, obj=assessment,
                 before={"status": AssessmentStatus.DRAFT},
                 after={"status": AssessmentStatus.FINAL, "score": assessment.score}, reason=note)
    transaction.on_commit(lambda: assessment_finalised.send(sender=Assessment, assessment=assessment))
    return assessment


def assessment_rescore(*, assessment: Assessment) -> None:
    """Recompute a draft's results and score from its stored figures and threshold snapshot, using overrides
    where present (after an override, and after a refresh of a draft that has one). The caller audits."""
    rows = list(assessment.results.all())
    results = []
    for row in rows:
        value = row.effective_value
        rule = (engine.Rule(metric=row.metric, comparator=row.comparator, value=row.threshold, weight=row.weight,
                            kind=row.kind) if row.threshold is not None else None)
        applicable = value is not None
        passed = attainment = None
        if applicable and rule is not None:
            passed, attainment = engine.judge(value, rule)
        row.applicable, row.passed, row.attainment = applicable, passed, attainment
        results.append(engine.Result(metric=row.metric, kind=row.kind, value=value, numerator=row.numerator,
                                     denominator=row.denominator, rule=rule, applicable=applicable,
                                     passed=passed, attainment=attainment))
    MetricResult.objects.bulk_update(rows, ["applicable", "passed", "attainment"])
    assessment.score, assessment.compliant = engine.total(results)
    assessment.save(update_fields=["score", "compliant"])
