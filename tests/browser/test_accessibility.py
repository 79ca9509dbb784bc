"""Key pages pass axe-core's WCAG 2.1 A/AA rules (and fit their window), and the filing journey works in a real
browser."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.browser.pages import sign_in, visit
from tests.companies.factories import PASSWORD, FilingFactory, ReportingPeriodFactory

WCAG = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


def _violations(page) -> list[str]:
    results = Axe().run(page, options=WCAG)
    return [f"{v['id']}: {v['help']} ({len(v['nodes'])} nodes)" for v in results.response["violations"]]


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("path", ["/", "/accounts/login/", "/register/", "/filing-format/", "/methodology/"])
def test_public_pages_have_no_accessibility_violations(page, live_server, path):
    visit(page, f"{live_server.url}{path}")
    assert _violations(page) == []


@pytest.mark.django_db(transaction=True)
def test_company_filing_pages_have_no_violations(page, live_server, company_a, company_a_officer):
    period = ReportingPeriodFactory(year=2026, quarter=2)
    filing = FilingFactory(company=company_a, period=period)
    sign_in(page, live_server, "officer@alpha.test")
    for path in ("/", "/company/filings/", f"/company/filings/{filing.pk}/", "/company/members/"):
        visit(page, f"{live_server.url}{path}")
        assert _violations(page) == [], path


@pytest.mark.django_db(transaction=True)
def test_analyst_pages_have_no_violations(page, live_server, analyst):
    sign_in(page, live_server, "analyst@regulator.test")
    for path in ("/", "/regulator/filings/", "/regulator/companies/", "/regulator/registrations/",
                 "/regulator/assessments/", "/regulator/rulebooks/", "/regulator/rulebooks/1/"):
        visit(page, f"{live_server.url}{path}")
        assert _violations(page) == [], path


@pytest.mark.django_db(transaction=True)
def test_scoring_pages_with_data_have_no_violations(page, live_server, analyst, company_a, company_b):
    """The assessment table (filtered and sorted), an assessment with a note, and a company's charts."""
    import datetime as dt
    from importlib import import_module

    from django.apps import apps

    from regulator.services.assessments import assessments_run
    from regulator.services.notes import assessment_note_add

    # A transactional test starts from an empty database: put back the default rulebook of the data migration.
    import_module("regulator.migrations.0002_default_rulebook").create(apps, None)
    for year, quarter in ((2026, 1), (2026, 2)):
        period = ReportingPeriodFactory(year=year, quarter=quarter)
        for company, day in ((company_a, 18), (company_b, 2)):
            FilingFactory(company=company, period=period, status="accepted", is_nil_return=True,
                          submitted_at=dt.datetime(year, quarter * 3 + 2, day, tzinfo=dt.UTC))
        assessment = assessments_run(actor=analyst, period=period)[0]
    assessment_note_add(actor=analyst, assessment=assessment, text="Checked with the company.")
    sign_in(page, live_server, "analyst@regulator.test")
    for path in ("/regulator/assessments/?period=2026-Q2&tier=C&o=company", f"/assessments/{assessment.pk}/",
                 f"/regulator/companies/{company_a.slug}/", "/methodology/"):
        visit(page, f"{live_server.url}{path}")
        assert _violations(page) == [], path


@pytest.mark.django_db(transaction=True)
def test_supervisor_pages_have_no_violations(page, live_server, supervisor, analyst):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    TOTPDevice.objects.create(user=analyst, name="Authenticator app", confirmed=True)
    sign_in(page, live_server, "supervisor@regulator.test")
    visit(page, f"{live_server.url}/regulator/staff/")
    assert _violations(page) == []


@pytest.mark.django_db(transaction=True)
def test_the_two_factor_pages_have_no_violations(page, live_server, analyst):
    visit(page, f"{live_server.url}/accounts/login/")
    page.get_by_label("E-mail address").fill("analyst@regulator.test")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/accounts/two-factor/**")
    assert page.get_by_role("heading", name="Set up your authenticator app").is_visible()
    assert _violations(page) == []
    page.get_by_label("6-digit code").fill("12")
    page.get_by_role("button", name="Finish setting up").click()
    assert page.get_by_role("alert").is_visible()
    assert _violations(page) == []


@pytest.mark.django_db(transaction=True)
def test_keyboard_user_can_skip_to_the_content(page, live_server):
    visit(page, f"{live_server.url}/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    assert skip.evaluate("el => el === document.activeElement")
