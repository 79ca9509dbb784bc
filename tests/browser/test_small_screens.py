"""On a 375 px phone every page fits its window (tables scroll inside their own box), charts stay readable,
and the attestation's checkbox is a large box beside its words; each role's main pages, with data like the demo's.

The check itself (tests/browser/pages.py ``visit`` and ``assert_fits``) runs on every page every browser test
opens; here it runs at a phone's width on every page those tests visit and on the main pages of each role.
"""

from __future__ import annotations

import datetime as dt
from importlib import import_module

import pytest
from django.apps import apps

from regulator.services.assessments import assessments_run
from regulator.services.notes import assessment_note_add
from tests.browser.pages import CHART_TEXT_SIZES, assert_fits, sign_in, visit
from tests.companies.factories import (
    CompanyFactory,
    FilingFactory,
    RegistrationRequestFactory,
    ReportingPeriodFactory,
)
from tests.regulator.items import removal_orders

PHONE = {"width": 375, "height": 812}
LONG_NAME = "Internationale Videoplattform für Gemeinschaftsinhalte und Livestreams GmbH & Co. KG"


@pytest.fixture
def world(company_a, company_b, company_a_officer, company_b_officer, analyst, supervisor):
    """Like the demo, small: three quarters assessed for three companies (one with a long name and a large
    turnover), removal orders some late, a shared note, a rulebook version 2 with its diff, a pending
    registration request, and a draft for Alpha's officer to attest."""
    from decimal import Decimal

    from regulator.models import Assessment, Rulebook, Threshold

    import_module("regulator.migrations.0002_default_rulebook").create(apps, None)  # flushed by transactional tests
    long = CompanyFactory(legal_name=LONG_NAME, slug="internationale-videoplattform",
                          monthly_active_users=31_500_000, global_turnover=Decimal("12345678901.50"))
    for number, (year, quarter) in enumerate(((2025, 4), (2026, 1), (2026, 2))):
        period = ReportingPeriodFactory(year=year, quarter=quarter)
        submitted = dt.datetime.combine(period.end + dt.timedelta(days=10 + 15 * number), dt.time(9, 30),
                                        tzinfo=dt.UTC)
        for company, minutes in ((company_a, [30, 50, 90]), (company_b, [20, 40]), (long, [10, 70, 200, 30])):
            filing = FilingFactory(company=company, period=period, status="accepted", submitted_at=submitted,
                                   totals={"source_type": {"REMOVAL_ORDER": len(minutes) * 1000},
                                           "action": {"REMOVED": len(minutes) * 1000},
                                           "category": {"TERRORIST_CONTENT": len(minutes) * 1000}},
                                   item_count=len(minutes) * 1000)
            removal_orders(filing, minutes, start=dt.datetime.combine(period.start, dt.time(9), tzinfo=dt.UTC))
        assessments_run(actor=analyst, period=period)
    assessment = Assessment.objects.get(company=company_a, period__code="2026-Q2")
    assessment_note_add(actor=analyst, assessment=assessment, text="Checked with the company.",
                        shared_with_company=True)
    newer = Rulebook.objects.create(version=2, effective_from=dt.date(2027, 1, 1), note="Stricter for tier A.")
    for threshold in Rulebook.objects.get(version=1).thresholds.all():
        threshold.pk, threshold.rulebook = None, newer
        threshold.save()
    Threshold.objects.filter(rulebook=newer, metric="order_1h_rate").update(value=Decimal("0.98"))
    RegistrationRequestFactory(legal_name=LONG_NAME + " Nord")
    draft = FilingFactory(company=company_a, period=ReportingPeriodFactory(year=2026, quarter=3))
    return {"assessment": assessment, "long": long, "draft": draft}


def _phone(browser):
    return browser.new_context(viewport=PHONE).new_page()


def _readable_charts(page) -> None:
    """Every chart label is drawn at 12 px or more, in the page's own font."""
    for label in page.evaluate(CHART_TEXT_SIZES):
        assert label["px"] >= 11.95, (page.url, label)
        assert label["family"] == label["page"], (page.url, label)


@pytest.mark.django_db(transaction=True)
def test_public_pages_fit_a_phone(browser, live_server, world):
    page = _phone(browser)
    for path in ("/", "/accounts/login/", "/register/", "/filing-format/", "/methodology/", "/no-such-page/"):
        visit(page, f"{live_server.url}{path}")
    # The registration form with every problem listed.
    visit(page, f"{live_server.url}/register/")
    page.get_by_role("button", name="Send the request").click()
    assert page.get_by_role("heading", name="There is a problem").is_visible()
    assert_fits(page)


@pytest.mark.django_db(transaction=True)
def test_a_companys_pages_fit_a_phone_and_the_attestation_box_is_large_beside_its_words(browser, live_server,
                                                                                       world, analyst):
    from regulator.services.assessments import assessment_finalise

    assessment_finalise(actor=analyst, assessment=world["assessment"])  # the company sees final assessments
    page = _phone(browser)
    sign_in(page, live_server, "officer@alpha.test")
    for path in ("/", "/company/filings/", "/company/members/", "/company/api-keys/", "/company/assessments/",
                 f"/assessments/{world['assessment'].pk}/"):
        visit(page, f"{live_server.url}{path}")
    visit(page, f"{live_server.url}/company/filings/{world['draft'].pk}/")
    box = page.get_by_label("I make the attestation above.").bounding_box()
    words = page.locator("label", has_text="I make the attestation above.").bounding_box()
    assert box["width"] >= 32 and box["height"] >= 32
    # Beside its words: to their left, on the same line.
    assert box["x"] + box["width"] <= words["x"] and abs(box["y"] - words["y"]) < box["height"]


@pytest.mark.django_db(transaction=True)
def test_the_analysts_pages_fit_a_phone_and_their_charts_stay_readable(browser, live_server, world):
    page = _phone(browser)
    sign_in(page, live_server, "analyst@regulator.test")
    filing = world["assessment"].filing
    for path in ("/regulator/filings/", "/regulator/filings/?o=-items", f"/regulator/filings/{filing.pk}/",
                 "/regulator/companies/", "/regulator/registrations/", "/regulator/rulebooks/",
                 "/regulator/rulebooks/1/", "/regulator/rulebooks/2/",
                 "/regulator/assessments/?period=2026-Q2&tier=C&o=company", f"/assessments/{world['assessment'].pk}/",
                 f"/regulator/companies/{world['long'].slug}/", "/regulator/rulebooks/new/"):
        visit(page, f"{live_server.url}{path}")
        _readable_charts(page)
    visit(page, f"{live_server.url}/regulator/assessments/?period=2026-Q2")
    assert page.evaluate("document.querySelectorAll('svg text').length") > 10
    _readable_charts(page)


@pytest.mark.django_db(transaction=True)
def test_the_supervisors_pages_fit_a_phone(browser, live_server, world):
    from companies.models import RegistrationRequest

    page = _phone(browser)
    sign_in(page, live_server, "supervisor@regulator.test")
    request = RegistrationRequest.objects.get()
    for path in ("/", "/regulator/staff/", "/regulator/rulebooks/new/", f"/regulator/registrations/{request.pk}/"):
        visit(page, f"{live_server.url}{path}")


@pytest.mark.django_db(transaction=True)
def test_charts_are_readable_on_a_desktop_too(browser, live_server, world):
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    sign_in(page, live_server, "analyst@regulator.test")
    visit(page, f"{live_server.url}/regulator/companies/{world['long'].slug}/")
    labels = page.evaluate(CHART_TEXT_SIZES)
    assert labels and all(label["px"] >= 12 for label in labels)
