"""core/formatting.py: moments in the regulator's time zone with that day's abbreviation; counts with separators."""

from __future__ import annotations

import datetime as dt

import pytest
from django.template import Context, Template

from core.formatting import count_text, moment_text


@pytest.mark.parametrize(("moment", "shown"), [
    (dt.datetime(2026, 12, 31, 14, 0, tzinfo=dt.UTC), "31 Dec 2026 14:00 GMT"),
    # Summer time: 08:00 UTC is 09:00 in London.
    (dt.datetime(2026, 7, 1, 8, 0, tzinfo=dt.UTC), "1 Jul 2026 09:00 BST"),
    # The last hour of summer time and the first of winter time, on the night the clocks go back.
    (dt.datetime(2026, 10, 25, 0, 30, tzinfo=dt.UTC), "25 Oct 2026 01:30 BST"),
    (dt.datetime(2026, 10, 25, 1, 30, tzinfo=dt.UTC), "25 Oct 2026 01:30 GMT"),
    (None, ""),
])
def test_a_moment_is_written_in_the_regulators_zone_with_its_abbreviation(moment, shown):
    assert moment_text(moment) == shown


def test_the_zone_follows_the_setting(settings):
    settings.TIME_ZONE = "Europe/Berlin"
    assert moment_text(dt.datetime(2026, 7, 1, 8, 0, tzinfo=dt.UTC)) == "1 Jul 2026 10:00 CEST"


def test_the_template_filters_are_the_same_functions():
    page = Template("{% load moments numbers %}{{ at|moment }} · {{ n|count }} · {{ none|moment|default:'never' }}")
    text = page.render(Context({"at": dt.datetime(2026, 1, 5, 9, 30, tzinfo=dt.UTC), "n": 1234567, "none": None}))
    assert text == "5 Jan 2026 09:30 GMT · 1,234,567 · never"


@pytest.mark.parametrize(("number", "shown"), [(0, "0"), (999, "999"), (1234, "1,234"), (None, "—")])
def test_a_count_has_thousands_separators(number, shown):
    assert count_text(number) == shown


def test_money_has_its_currency_and_separators():
    from decimal import Decimal

    from core.formatting import money_text

    assert money_text(Decimal("7140707.3"), "GBP") == "GBP 7,140,707.30"
    assert money_text(None, "GBP") == "—"
