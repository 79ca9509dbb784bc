"""Reads for the regulator's pages, the API and the public pages."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.db.models import Case, Count, Exists, F, OuterRef, Q, QuerySet, When
from django.shortcuts import get_object_or_404
from django_otp.plugins.otp_totp.models import TOTPDevice

from companies.models import Company, Filing, FilingStatus, RegistrationRequest, RegistrationStatus, ReportingPeriod
from core import roles
from regulator import access
from regulator.choices import AssessmentStatus, OverrideStatus
from regulator.models import Assessment, AssessmentNote, MetricResult, Rulebook, Threshold

THRESHOLD_FIELDS = ["metric", "comparator", "value", "weight", "kind", "tiers"]


def pending_registrations(*, user) -> QuerySet[RegistrationRequest]:
    """Requests waiting for a supervisor, oldest first."""
    pending = RegistrationRequest.objects.visible_to(user).filter(status=RegistrationStatus.PENDING)
    return pending.order_by("submitted_at")


def company_overview(*, user) -> QuerySet[Company]:
    """Companies with their current member count, for the staff company list (one query)."""
    return Company.objects.visible_to(user).annotate(
        member_count=Count("memberships", filter=Q(memberships__removed_at__isnull=True))
    ).order_by("legal_name")


def filing_queue(*, user) -> QuerySet[Filing]:
    """Submitted and reviewed versions (not drafts), oldest waiting first; one query with its joins."""
    return (
        Filing.objects.visible_to(user)
        .exclude(status__in=[FilingStatus.DRAFT, FilingStatus.ABANDONED])
        .select_related("company", "period", "submitted_by")
        .order_by(Case(When(status=FilingStatus.SUBMITTED, then=0), default=1), "submitted_at")
    )


def period_assessments(*, period: ReportingPeriod) -> QuerySet[Assessment]:
    """The latest assessment version of every company in a period, best score first, then by name."""
    return (
        Assessment.objects.filter(period=period).latest_versions().select_related("company", "rulebook")
        .order_by(F("score").desc(nulls_last=True), "company__legal_name")
    )


def assessment_detail(*, pk: int, user) -> Assessment:
    """One assessment with its results, visible to staff, or to its company once final."""
    queryset = Assessment.objects.visible_to(user).select_related("company", "period", "rulebook", "filing",
                                                                   "finalised_by")
    return get_object_or_404(queryset, pk=pk)


def assessment_notes(*, assessment: Assessment, user) -> QuerySet[AssessmentNote]:
    """The notes a user may read beside an assessment, oldest first (one query).

    Staff read the notes of every version of the company's period, so a refresh does not hide
    them; a company reads the notes shared with it on this (final) assessment.
    """
    notes = AssessmentNote.objects.visible_to(user).select_related("author", "assessment")
    if access.is_staff(user):
        return notes.filter(assessment__company_id=assessment.company_id, assessment__period_id=assessment.period_id)
    return notes.filter(assessment=assessment)


def pending_overrides() -> QuerySet[MetricResult]:
    """Overrides waiting for a supervisor's decision on draft assessments, oldest first (one query)."""
    return (MetricResult.objects.filter(override_status=OverrideStatus.PENDING,
                                        assessment__status=AssessmentStatus.DRAFT)
            .select_related("assessment__company", "assessment__period", "override_by").order_by("override_at"))


def rulebook_in_force(*, on: dt.date) -> tuple[Rulebook | None, dict[str, list[Threshold]]]:
    """The newest rulebook in force on a day (None before the first) and its thresholds by metric and tier.

    Two queries. A metric with different thresholds per tier has one entry per tier group.
    """
    rulebook = Rulebook.objects.in_force(on=on)
    thresholds: dict[str, list[Threshold]] = {}
    if rulebook is not None:
        for threshold in rulebook.thresholds.order_by("metric", "tiers"):
            thresholds.setdefault(threshold.metric, []).append(threshold)
    return rulebook, thresholds


def rulebook_diff(*, old: Rulebook | None, new: Rulebook) -> list[dict]:
    """What changed between two versions: one entry per (metric, tiers) added, removed or changed."""
    def index(rulebook: Rulebook | None) -> dict:
        if rulebook is None:
            return {}
        return {(t.metric, t.tiers): {f: getattr(t, f) for f in THRESHOLD_FIELDS} for t in rulebook.thresholds.all()}

    before, after = index(old), index(new)
    changes = []
    for key in sorted(set(before) | set(after)):
        if before.get(key) != after.get(key):
            changes.append({"metric": key[0], "tiers": key[1], "before": before.get(key), "after": after.get(key)})
    return changes


def staff_members() -> QuerySet:
    """The regulator's analysts and supervisors with whether they have set up an authenticator (one query)."""
    enrolled = TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)
    return (get_user_model().objects.filter(groups__name__in=roles.REGULATOR_GROUPS, is_active=True).distinct()
            .annotate(has_authenticator=Exists(enrolled)).prefetch_related("groups").order_by("last_name", "username"))
