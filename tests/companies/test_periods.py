"""Reporting periods are calendar quarters, due 30 days after they end."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from companies.models import ReportingPeriod
from companies.services.periods import periods_ensure
from core import calendar


def test_quarters_have_the_right_bounds_and_due_dates(db):
    created = periods_ensure(today=dt.date(2026, 11, 29), first="2026-Q1")
    assert [p.code for p in created] == ["2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4"]
    q3 = ReportingPeriod.objects.get(code="2026-Q3")
    assert (q3.start, q3.end) == (dt.date(2026, 7, 1), dt.date(2026, 9, 30))
    # 30 days after 30 September.
    assert q3.due_date == dt.date(2026, 10, 30)
    q4 = ReportingPeriod.objects.get(code="2026-Q4")
    assert q4.end == dt.date(2026, 12, 31)


def test_ensure_periods_is_idempotent(db):
    periods_ensure(today=dt.date(2026, 11, 29), first="2025-Q1")
    assert periods_ensure(today=dt.date(2026, 11, 29), first="2025-Q1") == []
    assert ReportingPeriod.objects.count() == 8


def test_command_creates_missing_periods(db, capsys):
    call_command("ensure_periods", "--first", "2026-Q1")
    assert "2026-Q1" in capsys.readouterr().out
    call_command("ensure_periods", "--first", "2026-Q1")
    assert "already exist" in capsys.readouterr().out


@pytest.mark.parametrize("code", ["2026Q3", "2026-Q5", "Q3-2026", ""])
def test_bad_period_codes_are_explained(code):
    with pytest.raises(ValidationError, match="write it like 2026-Q3"):
        calendar.parse_quarter_code(code)
