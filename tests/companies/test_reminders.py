"""Deadline reminders go out 7 days and 1 day before the due date and the day after, once each."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import TestCase

from companies.models import ReminderSent
from companies.services.reminders import reminders_send
from tests.companies.factories import FilingFactory, ReportingPeriodFactory


@pytest.fixture
def q3(db):
    return ReportingPeriodFactory(year=2026, quarter=3)  # due 30 October 2026


def _send(day: dt.date) -> list:
    with TestCase.captureOnCommitCallbacks(execute=True):
        return reminders_send(today=day)


@pytest.mark.parametrize(("day", "kind"), [
    (dt.date(2026, 10, 23), "due-in-7-days"), (dt.date(2026, 10, 29), "due-tomorrow"),
    (dt.date(2026, 10, 31), "overdue"),
])
def test_reminders_on_their_days(q3, company_a_officer, company_a_viewer, day, kind):
    sent = _send(day)
    assert [r.kind for r in sent] == [kind]
    assert [m.to for m in mail.outbox] == [["officer@alpha.test"]]  # viewers are not nagged
    assert "2026-Q3" in mail.outbox[0].subject


def test_no_reminder_on_other_days(q3, company_a_officer):
    assert _send(dt.date(2026, 10, 25)) == []


def test_running_twice_sends_once(q3, company_a_officer):
    _send(dt.date(2026, 10, 29))
    _send(dt.date(2026, 10, 29))
    call_command("send_reminders", "--date", "2026-10-29")
    assert ReminderSent.objects.count() == 1
    assert len(mail.outbox) == 1


def test_companies_that_submitted_are_not_reminded(q3, company_a, company_a_officer):
    from django.utils import timezone

    FilingFactory(company=company_a, period=q3, status="submitted", submitted_at=timezone.now())
    assert _send(dt.date(2026, 10, 31)) == []
