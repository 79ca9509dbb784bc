"""The analysts' table of a period's assessments: filters (django-filter) and sorting."""

from __future__ import annotations

import datetime as dt

import pytest

from regulator.services.assessments import assessments_run
from tests.companies.factories import CompanyFactory, FilingFactory, ReportingPeriodFactory

URL = "/regulator/assessments/?period=2026-Q2"


@pytest.fixture
def q2(company_a, company_b, analyst):
    """Three nil returns for 2026-Q2 (due 30 July), so only filing_on_time applies.

    Alpha (tier B, video) filed on 18 August: on time 0 → score 0, not compliant.
    Bravo (tier C, messaging) and Charlie (tier A, social media) filed on 10 July: score 100, compliant.
    """
    # The tier follows from the monthly active users (A > 20m, B 4–20m, C < 4m).
    company_a.monthly_active_users, company_a.service_type = 5_000_000, "VIDEO_SHARING"
    company_a.save()
    company_b.monthly_active_users, company_b.service_type = 1_000_000, "MESSAGING"
    company_b.save()
    charlie = CompanyFactory(legal_name="Charlie Social Ltd", slug="charlie-social",
                             monthly_active_users=30_000_000, service_type="SOCIAL_MEDIA")
    period = ReportingPeriodFactory(year=2026, quarter=2)
    for company, day in ((company_a, dt.datetime(2026, 8, 18, tzinfo=dt.UTC)),
                         (company_b, dt.datetime(2026, 7, 10, tzinfo=dt.UTC)),
                         (charlie, dt.datetime(2026, 7, 10, tzinfo=dt.UTC))):
        FilingFactory(company=company, period=period, status="accepted", is_nil_return=True, submitted_at=day)
    assessments_run(actor=analyst, period=period)
    return period


def _names(response) -> list[str]:
    assert response.status_code == 200
    return [assessment.company.legal_name for assessment in response.context["assessments"]]


def test_the_table_ranks_by_score_then_name_by_default(client_as, q2):
    assert _names(client_as("analyst").get(URL)) == ["Bravo Chat Ltd", "Charlie Social Ltd", "Alpha Video Ltd"]


def test_filtering_by_failing_metric_verdict_and_score(client_as, q2):
    analyst = client_as("analyst")
    assert _names(analyst.get(URL + "&failing=filing_on_time")) == ["Alpha Video Ltd"]
    assert _names(analyst.get(URL + "&failing=order_1h_rate")) == []
    assert _names(analyst.get(URL + "&compliant=no")) == ["Alpha Video Ltd"]
    assert _names(analyst.get(URL + "&score_min=50")) == ["Bravo Chat Ltd", "Charlie Social Ltd"]
    assert _names(analyst.get(URL + "&score_max=0")) == ["Alpha Video Ltd"]


def test_filtering_by_tier_service_type_status_and_name(client_as, q2):
    analyst = client_as("analyst")
    assert _names(analyst.get(URL + "&tier=A")) == ["Charlie Social Ltd"]
    assert _names(analyst.get(URL + "&service_type=MESSAGING")) == ["Bravo Chat Ltd"]
    assert _names(analyst.get(URL + "&status=final")) == []
    assert len(_names(analyst.get(URL + "&status=draft"))) == 3
    assert _names(analyst.get(URL + "&company=alpha")) == ["Alpha Video Ltd"]


def test_the_summary_counts_the_whole_period_while_the_table_is_filtered(client_as, q2):
    page = client_as("analyst").get(URL + "&tier=A").content.decode()
    assert "2 of 3 compliant" in page
    assert "1 of 3 companies match the filters." in page


def test_sorting_by_a_column_and_back(client_as, q2):
    analyst = client_as("analyst")
    assert _names(analyst.get(URL + "&o=company")) == ["Alpha Video Ltd", "Bravo Chat Ltd", "Charlie Social Ltd"]
    assert _names(analyst.get(URL + "&o=-company")) == ["Charlie Social Ltd", "Bravo Chat Ltd", "Alpha Video Ltd"]
    assert _names(analyst.get(URL + "&o=score")) == ["Alpha Video Ltd", "Bravo Chat Ltd", "Charlie Social Ltd"]
    page = analyst.get(URL + "&o=company").content.decode()
    assert 'aria-sort="ascending"><a href="?period=2026-Q2&amp;o=-company">Company</a>' in page


def test_a_bad_filter_value_is_reported_not_a_server_error(client_as, q2):
    response = client_as("analyst").get(URL + "&score_min=lots&tier=Z")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Enter a number." in page and "Select a valid choice" in page
    assert response.context["assessments"] == []
