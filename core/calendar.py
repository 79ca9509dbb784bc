"""Calendar arithmetic every app shares: quarters, months and days in the regulator's time zone.

Dates a person reads (due dates, the day a filing arrived) are days in the regulator's zone
(``settings.TIME_ZONE``); instants are stored in UTC. These helpers are the one place that
turns one into the other.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later, clamped to the month's last day (31 Aug + 6 months = 28 Feb)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month, min(day.day, candidate))
        except ValueError:
            continue
    raise AssertionError("unreachable")


def quarter_bounds(year: int, quarter: int) -> tuple[dt.date, dt.date]:
    """First and last day of a calendar quarter."""
    start = dt.date(year, 3 * quarter - 2, 1)
    next_start = dt.date(year + 1, 1, 1) if quarter == 4 else dt.date(year, 3 * quarter + 1, 1)
    return start, next_start - dt.timedelta(days=1)


def quarter_code(year: int, quarter: int) -> str:
    """(2026, 3) → '2026-Q3'."""
    return f"{year}-Q{quarter}"


def parse_quarter_code(code: str) -> tuple[int, int]:
    """'2026-Q3' → (2026, 3); a clear error for anything else."""
    try:
        year_text, quarter_text = code.upper().split("-Q")
        year, quarter = int(year_text), int(quarter_text)
    except ValueError:
        raise ValidationError(f"{code!r} is not a period; write it like 2026-Q3.") from None
    if not 1 <= quarter <= 4 or not 2000 <= year <= 2100:
        raise ValidationError(f"{code!r} is not a period; write it like 2026-Q3.")
    return year, quarter


def next_quarter(year: int, quarter: int) -> tuple[int, int]:
    """The quarter after (year, quarter)."""
    return (year + 1, 1) if quarter == 4 else (year, quarter + 1)


def local_day(moment: dt.datetime) -> dt.date:
    """The day an instant falls on in the regulator's time zone."""
    return timezone.localtime(moment).date()


def local_range(first_day: dt.date, last_day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """Days ``first_day`` to ``last_day`` (inclusive) as a half-open range of aware instants in the regulator's
    time zone: from the first day's midnight to the midnight after the last day."""
    zone = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    start = dt.datetime.combine(first_day, dt.time(), tzinfo=zone)
    end = dt.datetime.combine(last_day + dt.timedelta(days=1), dt.time(), tzinfo=zone)
    return start, end
