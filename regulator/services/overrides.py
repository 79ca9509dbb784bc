"""Overrides: an analyst proposes a metric's value with a written justification; a supervisor who did not
propose it confirms or rejects it, with a reason for a rejection. Only a confirmed override counts: until then
the computed value stands for the value used, "passed", the score, the verdict, the overview and the API.
Every move goes through core.workflows.transition on ``override_status``."""

from __future__ import annotations

from decimal import Decimal

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from core.audit import Action, audit_record
from core.workflows import transition
from regulator import access
from regulator.choices import OverrideStatus
from regulator.metrics import METRICS_BY_KEY
from regulator.models import Assessment, AssessmentStatus, MetricResult
from regulator.services.assessments import assessment_rescore

_CLEARED = {"override_value": None, "override_justification": "", "override_by": None, "override_at": None,
            "override_confirmed_by": None, "override_confirmed_at": None, "override_rejected_by": None,
            "override_rejected_at": None, "override_rejection_reason": ""}


def _locked_draft_result(result: MetricResult) -> tuple[Assessment, MetricResult]:
    """The result and its assessment, locked; refused unless the assessment is still a draft."""
    assessment = Assessment.objects.select_for_update().get(pk=result.assessment_id)
    if assessment.status != AssessmentStatus.DRAFT:
        raise ValidationError("A final assessment cannot change; refresh it to make a new version.")
    return assessment, MetricResult.objects.select_for_update().get(pk=result.pk)


@transaction.atomic
def result_override(*, actor: AbstractBaseUser, result: MetricResult, value: Decimal | None,
                    justification: str) -> MetricResult:
    """An analyst proposes a value for a metric (or, with no value, withdraws the override), with a written
    justification. Only on a draft; the proposal counts once a supervisor confirms it."""
    access.OVERRIDE_RESULT.require(actor)
    assessment, row = _locked_draft_result(result)
    justification = justification.strip()
    if value is not None and not justification:
        raise ValidationError({"justification": "Explain the override; it is shown with the result."})
    metric = METRICS_BY_KEY.get(row.metric)
    problem = metric.value_problem(value) if metric is not None and value is not None else None
    if problem:
        raise ValidationError({"value": problem})
    before = {"override_value": row.override_value, "justification": row.override_justification,
              "status": row.override_status}
    if row.override_status != OverrideStatus.NONE:
        transition(row, old=row.override_status, new=OverrideStatus.NONE, field="override_status", **_CLEARED)
    if value is not None:
        transition(row, old=OverrideStatus.NONE, new=OverrideStatus.PENDING, field="override_status",
                   override_value=value, override_justification=justification, override_by=actor,
                   override_at=timezone.now())
    assessment_rescore(assessment=assessment)  # a confirmed override that was replaced no longer counts
    audit_record(actor=actor, action=Action.ASSESSMENT_RESULT_OVERRIDDEN, obj=assessment, before=before,
                 after={"metric": row.metric, "override_value": value, "computed_value": row.value,
                        "status": row.override_status}, reason=justification)
    return row


def _decide(*, actor: AbstractBaseUser, result: MetricResult) -> tuple[Assessment, MetricResult]:
    """The checks a supervisor's decision shares: the permission, a waiting override, a second person."""
    access.CONFIRM_OVERRIDE.require(actor)
    assessment, row = _locked_draft_result(result)
    if row.override_status != OverrideStatus.PENDING:
        raise ValidationError(f"There is no override of {row.metric} waiting for a decision "
                              f"({row.get_override_status_display().lower()}); nothing changed.")
    if row.override_by_id == actor.pk:
        raise PermissionDenied("An override needs a second person: you made this one.")
    return assessment, row


@transaction.atomic
def result_override_confirm(*, actor: AbstractBaseUser, result: MetricResult) -> MetricResult:
    """A supervisor, not the analyst who made it, confirms an override: from now on it counts."""
    assessment, row = _decide(actor=actor, result=result)
    transition(row, old=OverrideStatus.PENDING, new=OverrideStatus.CONFIRMED, field="override_status",
               override_confirmed_by=actor, override_confirmed_at=timezone.now())
    assessment_rescore(assessment=assessment)
    audit_record(actor=actor, action=Action.ASSESSMENT_OVERRIDE_CONFIRMED, obj=assessment,
                 before={"status": OverrideStatus.PENDING},
                 after={"metric": row.metric, "override_value": row.override_value, "score": assessment.score,
                        "status": OverrideStatus.CONFIRMED})
    return row


@transaction.atomic
def result_override_reject(*, actor: AbstractBaseUser, result: MetricResult, reason: str) -> MetricResult:
    """A supervisor, not the analyst who made it, rejects an override with a reason the analyst reads; the
    computed value stands. The proposal stays on record, marked rejected."""
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": "Say why the override is rejected; the analyst reads it."})
    assessment, row = _decide(actor=actor, result=result)
    transition(row, old=OverrideStatus.PENDING, new=OverrideStatus.REJECTED, field="override_status",
               override_rejected_by=actor, override_rejected_at=timezone.now(), override_rejection_reason=reason)
    audit_record(actor=actor, action=Action.ASSESSMENT_OVERRIDE_REJECTED, obj=assessment,
                 before={"status": OverrideStatus.PENDING},
                 after={"metric": row.metric, "override_value": row.override_value,
                        "status": OverrideStatus.REJECTED}, reason=reason)
    return row
