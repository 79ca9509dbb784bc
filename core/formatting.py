"""How a moment in time and a count are written for people, on every page, e-mail and PDF.

They sit in the bottom layer because the company pages, the e-mails and the regulator's pages all write
them; the regulator's own figures (scores, metric values, thresholds) are in regulator/formatting.py, which
builds on these.

A moment is written in the regulator's time zone (``PORTAL_TIME_ZONE``, Europe/London) with the zone's
abbreviation for that very moment, so a reader never has to guess whether 09:00 was summer time:
"31 Dec 2026 14:00 GMT", "1 Jul 2026 09:00 BST".
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from functools import cache
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import dateformat, timezone


@cache
def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def regulator_zone() -> ZoneInfo:
    """The regulator's time zone: the one every moment is shown in and every deadline is measured in."""
    return _zone(settings.TIME_ZONE)


def moment_text(moment: dt.datetime | None) -> str:
    """``31 Dec 2026 14:00 GMT``: day, month, year, 24-hour time and the zone's abbreviation on that day.

    Empty for none, so a template's ``|default:"never"`` still applies.
    """
    if moment is None or moment == "":
        return ""
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment, regulator_zone())
    local = timezone.localtime(moment, regulator_zone())
    # The abbreviation comes from the moment itself (its fold says which 01:30 of the night the clocks go
    # back); Django's "T" format leaves an ambiguous hour without one.
    return f"{dateformat.format(local, 'j M Y H:i')} {local.tzname()}"


def count_text(number: int | None) -> str:
    """A count with thousands separators: ``1,234,567``; a dash for none."""
    if number is None or number == "":
        return "—"
    return f"{int(number):,}"


def money_text(amount: Decimal | int | None, currency: str = "") -> str:
    """An amount of money with its currency code and separators: ``GBP 7,140,707.30``; a dash for none."""
    if amount is None or amount == "":
        return "—"
    return f"{currency} {Decimal(str(amount)):,.2f}".strip()
