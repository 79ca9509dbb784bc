"""Reads about companies that views, the API and other apps share."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import QuerySet

from companies.deadlines import LateBand, first_submission, lateness
from companies.models import Company, CompanyAPIKey, Filing, FilingStatus, Invitation, Membership, ReportingPeriod


def company_members(*, company: Company) -> QuerySet[Membership]:
    """The company's current members, officers first."""
    return (
        Membership.objects.active()
        .filter(company=company)
        .select_related("user")
        .order_by("role", "user__email")  # officer, submitter, viewer
    )


def open_invitations(*, company: Company) -> QuerySet[Invitation]:
    """The company's invitations that still work, newest first."""
    return company.invitations.open().order_by("-created_at")


def open_periods(*, today: dt.date) -> QuerySet[ReportingPeriod]:
    """Periods that have ended and whose due date is today or later: what companies must file now."""
    return ReportingPeriod.objects.filter(end__lt=today, due_date__gte=today).order_by("start")


def recent_periods(*, today: dt.date, count: int = 4) -> list[ReportingPeriod]:
    """The last ``count`` periods that have ended, newest first."""
    return list(ReportingPeriod.objects.filter(end__lt=today).order_by("-start")[:count])


@dataclass
class PeriodRow:
    """One period on a company's filings page: its versions and where it stands."""

    period: ReportingPeriod
    versions: list[Filing] = field(default_factory=list)
    today: dt.date | None = None

    @property
    def latest(self) -> Filing | None:
        live = [f for f in self.versions if f.status != FilingStatus.ABANDONED]
        return live[0] if live else None

    @property
    def first_submitted_at(self) -> dt.datetime | None:
        return first_submission(self.versions)

    @property
    def band(self) -> LateBand:
        """Lateness of the first submission, or of today when nothing has been submitted yet."""
        return lateness(period=self.period, first_submitted=self.first_submitted_at, today=self.today)

    @property
    def overdue(self) -> bool:
        return self.first_submitted_at is None and self.today > self.period.due_date


@dataclass
class CompanyPeriods:
    rows: list[PeriodRow]
    ended: QuerySet[ReportingPeriod]


def company_filings_by_period(*, company: Company, today: dt.date) -> CompanyPeriods:
    """Every ended period with the company's versions for it, newest first (two queries)."""
    ended = ReportingPeriod.objects.filter(end__lt=today).order_by("-start")
    rows = {period.pk: PeriodRow(period=period, today=today) for period in ended}
    for filing in Filing.objects.filter(company=company).select_related("submitted_by").order_by("-version"):
        if filing.period_id in rows:
            rows[filing.period_id].versions.append(filing)
    return CompanyPeriods(rows=list(rows.values()), ended=ended)


def filing_versions(*, filing: Filing) -> list[Filing]:
    """All versions of the filing's company and period, oldest first, for side-by-side views."""
    return list(
        Filing.objects.filter(company_id=filing.company_id, period_id=filing.period_id)
        .select_related("submitted_by", "reviewed_by").order_by("version")
    )


def company_api_keys(*, company: Company) -> QuerySet[CompanyAPIKey]:
    """The company's API keys, newest first, with who created them and what replaced them."""
    return (
        CompanyAPIKey.objects.filter(company=company)
        .select_related("created_by", "replaced_by")
        .order_by("-created")
    )
