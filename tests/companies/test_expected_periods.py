"""Who files for which period (docs/DESIGN.md §4.2): a company files for every period that ends on or after the
day it was registered, and for none before. Overdue lists, reminders, filing_on_time and the company's own
pages read that one rule (companies/querysets.py)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import TestCase
from django.utils import timezone

from companies.models import ReminderSent
from companies.selectors import companies_yet_to_file
from companies.services.filings import filing_start
from companies.services.reminders import reminders_send
from regulator import engine
from tests.companies.factories import CompanyFactory, FilingFactory, MembershipFactory, ReportingPeriodFactory
from tests.conftest import CommittingClient


@pytest.fixture
def q3(db):
    return ReportingPeriodFactory(year=2026, quarter=3)  # 1 July – 30 September 2026, due 30 October


@pytest.fixture
def newcomer(db):
    """Registered on 1 October 2026, after Q3 ended."""
    return CompanyFactory(legal_name="Newcomer Ltd", slug="newcomer", registered_on=dt.date(2026, 10, 1))


def test_a_company_registered_after_a_period_ended_is_not_overdue_for_it(q3, company_a, newcomer):
    assert list(companies_yet_to_file(period=q3)) == [company_a]


def test_registered_on_the_last_day_of_a_period_it_files_for_that_period(q3):
    last_day = CompanyFactory(registered_on=dt.date(2026, 9, 30))
    assert last_day in companies_yet_to_file(period=q3)


def test_no_reminder_goes_to_a_company_that_was_not_expected_to_file(q3, company_a, company_a_officer, newcomer):
    newcomer_officer = MembershipFactory(company=newcomer, role="officer").user
    with TestCase.captureOnCommitCallbacks(execute=True):
        reminders_send(today=dt.date(2026, 10, 31))  # the day after the due date: "overdue"
    assert [message.to for message in mail.outbox] == [[company_a_officer.email]]
    assert not ReminderSent.objects.filter(company=newcomer).exists()
    assert newcomer_officer.email not in {address for message in mail.outbox for address in message.to}


def test_a_company_cannot_start_a_filing_for_a_period_before_its_registration(q3, newcomer):
    officer = MembershipFactory(company=newcomer, role="officer").user
    with pytest.raises(ValidationError, match="registered on 01 October 2026, after 2026-Q3 ended"):
        filing_start(actor=officer, company=newcomer, period=q3)


def test_filing_on_time_does_not_apply_to_a_period_before_registration(q3, newcomer):
    FilingFactory(company=newcomer, period=q3, status="submitted", is_nil_return=True,
                  submitted_at=dt.datetime(2026, 11, 20, tzinfo=dt.UTC))  # after the due date
    figures = engine.period_aggregates(period=q3)[newcomer.pk].figures["filing_on_time"]
    assert (figures.numerator, figures.denominator) == (0, 0)  # not applicable, so never late


def test_the_overview_lists_only_companies_that_were_due(client_as, q3, company_a, newcomer):
    FilingFactory(company=company_a, period=q3, status="submitted", is_nil_return=True,
                  submitted_at=timezone.now())
    FilingFactory(company=newcomer, period=q3, status="submitted", is_nil_return=True,
                  submitted_at=timezone.now())
    late = CompanyFactory(legal_name="Laggard Ltd", slug="laggard")
    response = client_as("analyst").get("/regulator/assessments/?period=2026-Q3")
    assert [company.legal_name for company in response.context["summary"].overdue] == ["Laggard Ltd"]
    assert late.registered_on < q3.end


def test_the_company_desk_lists_only_the_periods_it_files_for(newcomer):
    officer = MembershipFactory(company=newcomer, role="officer").user
    ReportingPeriodFactory(year=2026, quarter=3)
    ReportingPeriodFactory(year=2026, quarter=2)
    desk = CommittingClient()
    desk.force_login(officer, backend="django.contrib.auth.backends.ModelBackend")
    page = desk.get("/").content.decode()
    assert "2026-Q3" not in page and "2026-Q2" not in page
    assert "files for every quarter that ends on or after 1 October 2026" in page
