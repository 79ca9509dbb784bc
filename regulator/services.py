"""Assessments: compute, refresh and finalise (DESIGN §4.1). Every write is audited."""

from __future__ import annotations

from decimal import Decimal

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from companies.models import Company, ReportingPeriod
from core.audit import audit_record
from regulator import engine
from regulator.models import Assessment, AssessmentStatus, MetricResult, Rulebook

SCORE_STEP = Decimal("0.0001")  # the precision scores are stored with


def rulebook_for(*, period: ReportingPeriod) -> Rulebook:
    """The newest rulebook in force when the period started."""
    rulebook = Rulebook.objects.filter(effective_from__lte=period.start).order_by("-version").first()
    if rulebook is None:
        raise ValidationError(f"No rulebook is in force for {period}.")
    return rulebook


def _fingerprint(assessment: Assessment) -> tuple:
    return (assessment.filing_id, assessment.rulebook_id, assessment.score, assessment.compliant,
            tuple((r.metric, r.value, r.numerator, r.denominator, r.passed) for r in assessment.results.all()))


def _write_results(assessment: Assessment, scored: engine.Scored) -> None:
    for result in scored.results:
        rule = result.rule
        MetricResult.objects.update_or_create(
            assessment=assessment, metric=result.metric,
            defaults={
                "kind": result.kind, "value": result.value, "numerator": result.numerator,
                "denominator": result.denominator, "comparator": rule.comparator if rule else "",
                "threshold": rule.value if rule else None, "weight": rule.weight if rule else None,
                "applicable": result.applicable, "passed": result.passed, "attainment": result.attainment,
            },
        )


@transaction.atomic
def assessments_run(*, actor: AbstractBaseUser | None, period: ReportingPeriod,
                    companies: list[Company] | None = None) -> list[Assessment]:
    """Compute (or refresh) the assessments of a period: one SQL pass for all companies.

    A draft is refreshed in place. A final assessment is never changed: when the
    figures, the filing or the rulebook differ from it, a new draft version is made.
    Idempotent: running it twice changes nothing the second time.
    """
    if actor is not None and not actor.has_perm("regulator.add_assessment"):
        raise PermissionDenied("Only the regulator's analysts run assessments.")
    rulebook = rulebook_for(period=period)
    thresholds = list(rulebook.thresholds.all())
    aggregates = engine.period_aggregates(period=period,
                                          company_ids=[c.pk for c in companies] if companies else None)
    by_id = {c.pk: c for c in Company.objects.filter(pk__in=aggregates)}
    now = timezone.now()
    touched: list[Assessment] = []
    for company_id, figures in aggregates.items():
        company = by_id[company_id]
        scored = engine.score(aggregates=figures, rules=engine.rules_for(thresholds=thresholds,
                                                                          tier=company.size_tier))
        latest = (Assessment.objects.select_for_update().filter(company=company, period=period)
                  .order_by("-version").first())
        fields = {"filing_id": figures.filing_id, "rulebook": rulebook, "score": scored.score,
                  "compliant": scored.compliant, "computed_at": now, "delay_buckets": figures.buckets}
        if latest is not None and latest.status == AssessmentStatus.DRAFT:
            before = {"score": latest.score, "compliant": latest.compliant, "filing": latest.filing_id}
            for name, value in fields.items():
                setattr(latest, name, value)
            latest.save()
            _write_results(latest, scored)
            audit_record(actor=actor, action="assessment.refreshed", obj=latest, before=before,
                         after={"score": latest.score, "compliant": latest.compliant, "filing": latest.filing_id})
            touched.append(latest)
            continue
        candidate = Assessment(company=company, period=period, version=1, **fields)
        if latest is not None:
            if _same(latest, figures.filing_id, rulebook, scored):
                continue
            candidate.version = (Assessment.objects.filter(company=company, period=period)
                                 .aggregate(v=Max("version"))["v"] or 0) + 1
        candidate.save()
        _write_results(candidate, scored)
        audit_record(actor=actor, action="assessment.created", obj=candidate,
                     after={"score": candidate.score, "compliant": candidate.compliant,
                            "filing": candidate.filing_id, "rulebook": rulebook.version,
                            "version": candidate.version})
        touched.append(candidate)
    return touched


def _same(final: Assessment, filing_id: int, rulebook: Rulebook, scored: engine.Scored) -> bool:
    """Whether a fresh computation would reproduce a final assessment exactly."""
    if final.filing_id != filing_id or final.rulebook_id != rulebook.pk:
        return False
    if final.score != (scored.score.quantize(SCORE_STEP) if scored.score is not None else None):
        return False
    return final.compliant == scored.compliant


@transaction.atomic
def assessment_finalise(*, actor: AbstractBaseUser, assessment: Assessment, note: str = "") -> Assessment:
    """An analyst finalises a draft; the company can see it from now on."""
    if not actor.has_perm("regulator.finalise_assessment"):
        raise PermissionDenied("Only the regulator's analysts finalise assessments.")
    changed = Assessment.objects.filter(pk=assessment.pk, status=AssessmentStatus.DRAFT).update(
        status=AssessmentStatus.FINAL, finalised_at=timezone.now(), finalised_by=actor)
    if changed != 1:
        raise ValidationError("This assessment is already final; refresh it to make a new version.")
    assessment.refresh_from_db()
    audit_record(actor=actor, action="assessment.finalised", obj=assessment, before={"status": "draft"},
                 after={"status": "final", "score": assessment.score}, reason=note)
    return assessment
