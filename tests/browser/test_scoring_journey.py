"""The scoring workflow in a real browser: an analyst finds a failing company, annotates and corrects its
assessment; a supervisor confirms the correction; the company reads its final assessment."""

from __future__ import annotations

import datetime as dt
from importlib import import_module

import pytest
from django.apps import apps
from playwright.sync_api import expect

from regulator.models import Assessment
from regulator.services.assessments import assessments_run
from tests.browser.pages import assert_fits, sign_in, visit
from tests.companies.factories import FilingFactory, ReportingPeriodFactory
from tests.regulator.items import removal_orders


@pytest.mark.django_db(transaction=True)
def test_an_override_is_confirmed_by_a_supervisor_and_the_company_sees_the_final_assessment(
        browser, live_server, company_a, company_a_officer, company_b, analyst, supervisor):
    """Alpha removed one of two removal orders within the hour (0.5, fails 0.95); Bravo filed a nil return.

    The analyst overrides Alpha's figure to 0.96 with a reason; with every core measure passed the score is 100.
    """
    import_module("regulator.migrations.0002_default_rulebook").create(apps, None)  # flushed by transactional tests
    period = ReportingPeriodFactory(year=2026, quarter=2)
    on_time = dt.datetime(2026, 7, 20, tzinfo=dt.UTC)
    removal_orders(FilingFactory(company=company_a, period=period, status="accepted", submitted_at=on_time),
                    [30, 90])
    FilingFactory(company=company_b, period=period, status="accepted", is_nil_return=True, submitted_at=on_time)
    assessments_run(actor=analyst, period=period)

    staff = browser.new_context().new_page()
    sign_in(staff, live_server, "analyst@regulator.test")
    visit(staff, f"{live_server.url}/regulator/assessments/?period=2026-Q2")
    staff.get_by_label("Failing core metric").select_option(label="Removal orders acted on within 1 hour")
    staff.get_by_role("button", name="Filter").click()
    expect(staff.get_by_text("1 of 2 companies match the filters.")).to_be_visible()
    staff.get_by_role("link", name="Alpha Video Ltd").click()
    expect(staff.get_by_text("not compliant")).to_be_visible()
    assert_fits(staff)

    staff.get_by_label("Add a note").fill("RO/2 was withdrawn by the police after 50 minutes.")
    staff.get_by_label("Share with the company").check()
    staff.get_by_role("button", name="Add the note").click()
    expect(staff.get_by_text("Note added.")).to_be_visible()

    override = staff.locator("details", has_text="Override Removal orders acted on within 1 hour")
    override.locator("summary").click()
    override.get_by_label("New value (%); empty withdraws the override").fill("96")
    override.get_by_label("Justification (shown with the result)").fill("RO/2 was withdrawn before the hour.")
    override.get_by_role("button", name="Propose the override").click()
    expect(staff.get_by_text("it counts once a supervisor confirms it")).to_be_visible()
    expect(staff.get_by_text("not compliant")).to_be_visible()  # a proposal changes nothing yet
    staff.get_by_role("button", name="Finalise").click()
    staff.get_by_role("button", name="Yes, finalise it").click()
    expect(staff.get_by_text("A supervisor must confirm or reject the override of “Removal orders acted on within 1 hour” first.")).to_be_visible()

    boss = browser.new_context().new_page()
    sign_in(boss, live_server, "supervisor@regulator.test")
    visit(boss, f"{live_server.url}/regulator/assessments/?period=2026-Q2&o=company")
    boss.get_by_role("link", name="Alpha Video Ltd").click()
    assert_fits(boss)
    boss.get_by_role("button", name="Confirm the override").click()
    expect(boss.get_by_text("Override of Removal orders acted on within 1 hour confirmed; the score now uses it."))\
        .to_be_visible()
    boss.get_by_role("button", name="Finalise").click()
    expect(boss.get_by_text("This cannot be undone.")).to_be_visible()
    boss.get_by_role("button", name="Yes, finalise it").click()
    expect(boss.get_by_text("The assessment is final; the company can now see it.")).to_be_visible()
    assessment = Assessment.objects.get(company=company_a, period=period)
    assert assessment.status == "final" and str(assessment.score) == "100.0000"

    company = browser.new_context().new_page()
    sign_in(company, live_server, "officer@alpha.test")
    visit(company, f"{live_server.url}/company/assessments/")
    company.get_by_role("link", name="2026-Q2").click()
    expect(company.get_by_text("Score 100.0")).to_be_visible()
    assert_fits(company)
    expect(company.get_by_text("RO/2 was withdrawn by the police after 50 minutes.")).to_be_visible()
    expect(company.get_by_text("RO/2 was withdrawn before the hour.")).to_be_visible()
    expect(company.get_by_role("button", name="Add the note")).to_have_count(0)
