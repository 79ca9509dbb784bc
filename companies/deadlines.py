"""Filing deadlines (DESIGN §4.2): due dates, days late and the late-filing bands."""

from __future__ import annotations

import datetime as dt
from enum import IntEnum

from django.utils import timezone

from companies.ingest.validate import add_months
from companies.models import ReportingPeriod


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


def days_late_for(*, period: ReportingPeriod, submitted_at: dt.datetime) -> int:
    """Whole days after the due date, in the regulator's time zone; 0 when filed by the end of the due date."""
    submitted_day = timezone.localtime(submitted_at).date()
    return max(0, (submitted_day - period.due_date).days)


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
