"""Reads for the regulator's pages and the public home page."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from companies.models import Company, Filing, FilingStatus, RegistrationRequest, RegistrationStatus


def pending_registrations(*, user) -> QuerySet[RegistrationRequest]:
    """Requests waiting for a supervisor, oldest first."""
    pending = RegistrationRequest.objects.visible_to(user).filter(status=RegistrationStatus.PENDING)
    return pending.order_by("submitted_at")


def company_overview(*, user) -> QuerySet[Company]:
    """Companies with their current member count, for the staff company list (one query)."""
    return Company.objects.visible_to(user).annotate(
        member_count=Count("memberships", filter=Q(memberships__removed_at__isnull=True))
    )


def filing_queue(*, user) -> QuerySet[Filing]:
    """Submitted and reviewed versions (not drafts), oldest waiting first; one query with its joins."""
    return (
        Filing.objects.visible_to(user)
        .exclude(status__in=[FilingStatus.DRAFT, FilingStatus.ABANDONED])
        .select_related("company", "period", "submitted_by")
        .order_by("status", "submitted_at")
    )
