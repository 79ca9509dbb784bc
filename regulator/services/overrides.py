"""Overrides: an analyst replaces a metric's value with a written justification; a second person (a
supervisor) confirms it before the assessment can be finalised (a database constraint keeps them apart)."""

from __future__ import annotations

from decimal import Decimal

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from core.audit import Action, audit_record
from regulator import access
from regulator.models import Assessment, AssessmentStatus, MetricResult
from regulator.services.assessments import assessment_rescore


@transaction.atomic
def result_override(*, actor: AbstractBaseUser, result: MetricResult, value: Decimal | None,
                    justification: str) -> MetricResult:
    """An analyst replaces a metric's value (or clears the override) with a written justification.

    Only on a draft; it needs a second person's confirmation before finalisation.
    """
    access.OVERRIDE_RESULT.require(actor)
    assessment = Assessment.objects.select_for_update().get(pk=result.assessment_id)
    if assessment.status != AssessmentStatus.DRAFT:
        raise ValidationError("A final assessment cannot change; refresh it to make a new version.")
    justification = justification.strip()
    if value is not None and not justification:
        raise ValidationError({"justification": "Explain the override; it is shown with the result."})
    row = MetricResult.objects.select_for_update().get(pk=result.pk)
    before = {"override_value": row.override_value, "justification": row.override_justification}
    row.override_value = value
    row.override_justification = justification if value is not None else ""
    row.override_by = actor if value is not None else None
    row.override_at = timezone.now() if value is not None else None
    row.override_confirmed_by = row.override_confirmed_at = None
    row.save()
    assessment_rescore(assessment=assessment)
    audit_record(actor=actor, action=Action.ASSESSMENT_RESULT_OVERRIDDEN, obj=assessment, before=before,
                 after={"metric": row.metric, "override_value": value, "computed_value": row.value},
                 reason=justification)
    return row


@transaction.atomic
def result_override_confirm(*, actor: AbstractBaseUser, result: MetricResult) -> MetricResult:
    """A supervisor, not the analyst who made it, confirms an override."""
    access.CONFIRM_OVERRIDE.require(actor)
    row = MetricResult.objects.select_for_update().get(pk=result.pk)
    if row.override_value is None:
        raise ValidationError("There is no override to confirm.")
    if row.override_by_id == actor.pk:
        raise PermissionDenied("An override needs a second person: you made this one.")
    changed = MetricResult.objects.filter(pk=row.pk, override_confirmed_by__isnull=True).update(
        override_confirmed_by=actor, override_confirmed_at=timezone.now())
    if changed != 1:
        raise ValidationError("This override is already confirmed.")
    row.refresh_from_db()
    audit_record(actor=actor, action=Action.ASSESSMENT_OVERRIDE_CONFIRMED, obj=row.assessment,
                 after={"metric": row.metric, "override_value": row.override_value})
    return row
