"""Reads for the regulator's pages, the API and the public pages."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import NamedTuple

from django.contrib.auth import get_user_model
from django.db.models import Case, Count, Exists, F, OuterRef, Q, QuerySet, When
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from companies.models import Company, Filing, FilingStatus, RegistrationRequest, RegistrationStatus, ReportingPeriod
from companies.selectors import companies_yet_to_file
from core import roles
from regulator import access, engine
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


@dataclass
class QueueEntry:
    """One kind of waiting work on the staff's home page: how many, the oldest few, where the whole list is."""

    kind: str  # "filing", "company", "override" or "registration": how the page shows one item
    title: str
    count: int
    url: str
    oldest: list = field(default_factory=list)
    empty: str = ""


def work_queue(*, user, today: dt.date) -> list[QueueEntry]:
    """What waits for the regulator's staff, each a count that links to its list (a fixed number of queries)."""
    waiting_review = filing_queue(user=user).filter(status=FilingStatus.SUBMITTED)
    # A returned version waits for the company's correction until a later version is submitted.
    later = Filing.objects.filter(company_id=OuterRef("company_id"), period_id=OuterRef("period_id"),
                                  version__gt=OuterRef("version"), submitted_at__isnull=False)
    returned = (filing_queue(user=user).filter(status=FilingStatus.RETURNED).exclude(Exists(later))
                .order_by("reviewed_at"))
    past_due = ReportingPeriod.objects.filter(due_date__lt=today).order_by("-start").first()
    overdue = companies_yet_to_file(period=past_due) if past_due is not None else Company.objects.none()
    overrides = pending_overrides()
    registrations = pending_registrations(user=user)
    return [
        QueueEntry("filing", "Filings awaiting review", waiting_review.count(),
                   f"{reverse('staff-filing-queue')}?status={FilingStatus.SUBMITTED}", list(waiting_review[:5]),
                   "No filing is waiting for review."),
        QueueEntry("company", f"Companies overdue for {past_due}" if past_due else "Overdue companies", overdue.count(),
                   f"{reverse('assessment-overview')}?period={past_due.code}#overdue-heading" if past_due else "",
                   list(overdue[:5]), "No company is overdue."),
        QueueEntry("filing", "Returned filings waiting for the company's correction", returned.count(),
                   f"{reverse('staff-filing-queue')}?status={FilingStatus.RETURNED}", list(returned[:5]),
                   "No returned filing is waiting for a correction."),
        QueueEntry("override", "Overrides to confirm or reject", overrides.count(), reverse("override-queue"),
                   list(overrides[:5]), "No override is waiting for a supervisor."),
        QueueEntry("registration", "Registration requests", registrations.count(), reverse("registration-list"),
                   list(registrations[:5]), "No registration request is waiting."),
    ]


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


def threshold_rows(rulebook: Rulebook | None) -> list[dict]:
    """A version's thresholds as rows of THRESHOLD_FIELDS (one query); none before the first version."""
    if rulebook is None:
        return []
    return [{f: getattr(t, f) for f in THRESHOLD_FIELDS} for t in rulebook.thresholds.order_by("metric", "tiers")]


def rulebook_diff(*, old: Rulebook | None, new: Rulebook) -> list[dict]:
    """What changed between two versions: one entry per (metric, tiers) added, removed or changed."""
    return threshold_changes(before=threshold_rows(old), after=threshold_rows(new))


def threshold_changes(*, before: list[dict], after: list[dict]) -> list[dict]:
    """One entry per (metric, tiers) added, removed or changed between two lists of threshold rows."""
    def index(rows: list[dict]) -> dict:
        return {(row["metric"], row["tiers"]): {f: row[f] for f in THRESHOLD_FIELDS} for row in rows}

    before, after = index(before), index(after)
    changes = []
    for key in sorted(set(before) | set(after)):
        if before.get(key) != after.get(key):
            changes.append({"metric": key[0], "tiers": key[1], "before": before.get(key), "after": after.get(key)})
    return changes


class VerdictChange(NamedTuple):
    company: Company
    before: bool | None  # compliant under the version in force for the period (None: no verdict)
    after: bool | None  # compliant under the proposed thresholds


@dataclass
class Impact:
    """What a proposed set of thresholds would do to the latest assessed period, computed without writing."""

    period: ReportingPeriod | None
    rulebook: Rulebook | None  # the version the period is scored with
    scored: int = 0
    changes: list[VerdictChange] = field(default_factory=list)


def rulebook_impact(*, thresholds: list[dict]) -> Impact:
    """Score the latest assessed period with its own rulebook and with ``thresholds`` (rows of THRESHOLD_FIELDS)
    and list the companies whose verdict would change. One scoring statement over the period's items; nothing
    is written. Confirmed overrides are the analysts' and are left out of this comparison."""
    latest = Assessment.objects.order_by("-period__start").select_related("period").first()
    if latest is None:
        return Impact(period=None, rulebook=None)
    period = latest.period
    rulebook = Rulebook.objects.in_force(on=period.start)
    current = list(rulebook.thresholds.all()) if rulebook else []
    proposed = [Threshold(**row) for row in thresholds]
    aggregates = engine.period_aggregates(period=period)
    companies = Company.objects.in_bulk(list(aggregates))
    impact = Impact(period=period, rulebook=rulebook, scored=len(aggregates))
    for company_id, figures in aggregates.items():
        company = companies[company_id]
        before = engine.score(aggregates=figures, rules=engine.rules_for(thresholds=current, tier=company.size_tier))
        after = engine.score(aggregates=figures, rules=engine.rules_for(thresholds=proposed, tier=company.size_tier))
        if before.compliant != after.compliant:
            impact.changes.append(VerdictChange(company, before.compliant, after.compliant))
    impact.changes.sort(key=lambda change: change.company.legal_name)
    return impact


def staff_members() -> QuerySet:
    """The regulator's analysts and supervisors with whether they have set up an authenticator (one query)."""
    enrolled = TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)
    return (get_user_model().objects.filter(groups__name__in=roles.REGULATOR_GROUPS, is_active=True).distinct()
            .annotate(has_authenticator=Exists(enrolled)).prefetch_related("groups").order_by("last_name", "username"))
