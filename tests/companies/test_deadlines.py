"""Days late and the late-filing bands (docs/DESIGN.md §4.2)."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest

from companies.deadlines import LateBand, days_late_for, late_band
from tests.companies.factories import ReportingPeriodFactory

DUE = dt.date(2026, 10, 30)


@pytest.mark.parametrize(("submitted", "band"), [
    (dt.date(2026, 10, 30), LateBand.ON_TIME),          # on the due date itself
    (dt.date(2026, 10, 31), LateBand.UP_TO_1_MONTH),    # one day late
    (dt.date(2026, 11, 30), LateBand.UP_TO_1_MONTH),    # exactly one month: 30 Oct + 1 month = 30 Nov
    (dt.date(2026, 12, 1), LateBand.UP_TO_3_MONTHS),
    (dt.date(2027, 1, 30), LateBand.UP_TO_3_MONTHS),    # exactly three months
    (dt.date(2027, 4, 30), LateBand.UP_TO_6_MONTHS),    # exactly six months
    (dt.date(2027, 5, 1), LateBand.OVER_6_MONTHS),
])
def test_late_bands(submitted, band):
    assert late_band(due_date=DUE, submitted_day=submitted) == band


def test_the_due_date_ends_at_midnight_in_the_regulators_time_zone(db):
    """23:59 London time on the due date is on time; 00:01 the next day is one day late.

    On 30 October 2026 London is on GMT (UTC+0), so 23:59 local = 23:59 UTC.
    """
    period = ReportingPeriodFactory(year=2026, quarter=3)
    london = zoneinfo.ZoneInfo("Europe/London")
    assert days_late_for(period=period, submitted_at=dt.datetime(2026, 10, 30, 23, 59, tzinfo=london)) == 0
    assert days_late_for(period=period, submitted_at=dt.datetime(2026, 10, 31, 0, 1, tzinfo=london)) == 1
