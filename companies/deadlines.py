"""Filing deadlines (docs/DESIGN.md §4.2): due dates, the first submission, days late and the late-filing bands.

Lateness always counts from the first version a company submitted for a period (a correction
never makes a filing late or on time again), on the day it arrived in the regulator's zone.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from enum import IntEnum

from companies.models import Company, Filing, ReportingPeriod
from core.calendar import add_months, local_day


class LateBand(IntEnum):
    """Companies House style bands of lateness, by whole months after the due date."""

    ON_TIME = 0
    UP_TO_1_MONTH = 1
    UP_TO_3_MONTHS = 2
    UP_TO_6_MONTHS = 3
    OVER_6_MONTHS = 4

    @property
    def label(self) -> str:
        return {0: "on time", 1: "up to 1 month late", 2: "1 to 3 months late", 3: "3 to 6 months late",
                4: "more than 6 months late"}[self.value]


def is_expected(*, company: Company, period: ReportingPeriod) -> bool:
    """Whether ``company`` files for ``period`` (the rule of companies/querysets.py, for one pair)."""
    return period.end >= company.registered_on


def first_submission(versions: Iterable[Filing]) -> dt.datetime | None:
    """When the first of these versions (one company, one period) was submitted; None when none was."""
    return min((version.submitted_at for version in versions if version.submitted_at is not None), default=None)


def first_submitted_at(*, company_id: int, period_id: int) -> dt.datetime | None:
    """When the company first submitted a version for the period (one query); None when it never did."""
    return (Filing.objects.filter(company_id=company_id, period_id=period_id, submitted_at__isnull=False)
            .order_by("submitted_at").values_list("submitted_at", flat=True).first())


def days_late_for(*, period: ReportingPeriod, submitted_at: dt.datetime) -> int:
    """Whole days after the due date, in the regulator's time zone; 0 when filed by the end of the due date."""
    return max(0, (local_day(submitted_at) - period.due_date).days)


def lateness(*, period: ReportingPeriod, first_submitted: dt.datetime | None, today: dt.date) -> LateBand:
    """The band of the first submission, or, while nothing has been submitted, of a submission made today."""
    day = local_day(first_submitted) if first_submitted is not None else today
    return late_band(due_date=period.due_date, submitted_day=day)


def late_band(*, due_date: dt.date, submitted_day: dt.date) -> LateBand:
    """The band of a filing made on ``submitted_day`` for a period due on ``due_date``."""
    if submitted_day <= due_date:
        return LateBand.ON_TIME
    if submitted_day <= add_months(due_date, 1):
        return LateBand.UP_TO_1_MONTH
    if submitted_day <= add_months(due_date, 3):
        return LateBand.UP_TO_3_MONTHS
    if submitted_day <= add_months(due_date, 6):
        return LateBand.UP_TO_6_MONTHS
    return LateBand.OVER_6_MONTHS


def reminder_kinds(today: dt.date) -> dict[str, dt.date]:
    """Which due date each reminder looks for today: 7 days before, 1 day before, the day after."""
    return {"due-in-7-days": today + dt.timedelta(days=7), "due-tomorrow": today + dt.timedelta(days=1),
            "overdue": today - dt.timedelta(days=1)}
