"""Reads about companies that views, the API and other apps share."""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet

from companies.models import Company, Membership, ReportingPeriod

_UNSET = object()


def membership_for(*, user) -> Membership | None:
    """The user's active membership with its company, fetched once per user object."""
    if not user.is_authenticated:
        return None
    cached = getattr(user, "_portal_membership", _UNSET)
    if cached is _UNSET:
        cached = Membership.objects.active().select_related("company").filter(user=user).first()
        user._portal_membership = cached
    return cached


def company_members(*, company: Company) -> QuerySet[Membership]:
    """The company's current members, officers first."""
    return (
        Membership.objects.active()
        .filter(company=company)
        .select_related("user")
        .order_by("role", "user__email")  # officer, submitter, viewer
    )


def open_periods(*, today: dt.date) -> QuerySet[ReportingPeriod]:
    """Periods that have ended and whose due date is today or later: what companies must file now."""
    return ReportingPeriod.objects.filter(end__lt=today, due_date__gte=today).order_by("start")


def recent_periods(*, today: dt.date, count: int = 4) -> list[ReportingPeriod]:
    """The last ``count`` periods that have ended, newest first."""
    return list(ReportingPeriod.objects.filter(end__lt=today).order_by("-start")[:count])
