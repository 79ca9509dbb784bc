"""Reads about companies that views, the API and other apps share."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import QuerySet

from companies.deadlines import LateBand, first_submission, lateness
from companies.models import (
    Company,
    CompanyAPIKey,
    CompanyStatus,
    Filing,
    FilingStatus,
    Invitation,
    Membership,
    ReportingPeriod,
)


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


def companies_yet_to_file(*, period: ReportingPeriod) -> QuerySet[Company]:
    """Active companies expected to file for the period (registered by its end) that have submitted no
    version of it yet, by name: overdue once the due date has passed."""
    submitted = Filing.objects.filter(period=period, submitted_at__isnull=False).values("company_id")
    return (Company.objects.filter(status=CompanyStatus.ACTIVE).expected_to_file(period).exclude(pk__in=submitted)
            .order_by("legal_name"))


def open_periods(*, today: dt.date) -> QuerySet[ReportingPeriod]:
    """Periods that have ended and whose due date is today or later: what companies must file now."""
    return ReportingPeriod.objects.filter(end__lt=today, due_date__gte=today).order_by("start")


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

    @property
    def due_now(self) -> bool:
        """Nothing submitted yet and the due date is today or later."""
        return self.first_submitted_at is None and self.today <= self.period.due_date

    @property
    def days_left(self) -> int:
        """Whole days until the end of the due date (0 on the day itself)."""
        return (self.period.due_date - self.today).days

    @property
    def can_start(self) -> bool:
        """No version is open or with the regulator: a first version or a correction may start."""
        latest = self.latest
        return latest is None or latest.status in (FilingStatus.RETURNED, FilingStatus.ACCEPTED)


@dataclass
class CompanyPeriods:
    rows: list[PeriodRow]
    ended: QuerySet[ReportingPeriod]


def company_filings_by_period(*, company: Company, today: dt.date) -> CompanyPeriods:
    """Every ended period the company files for, with its versions for it, newest first (two queries)."""
    ended = ReportingPeriod.objects.filter(end__lt=today).expected_of(company).order_by("-start")
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
