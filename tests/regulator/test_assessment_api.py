"""Read API for rulebooks and assessments: staff see all, a company its own final ones."""

from __future__ import annotations

import datetime as dt

import pytest

from regulator.models import Assessment, Rulebook
from tests.companies.factories import ReportingPeriodFactory


@pytest.fixture
def assessments(company_a, company_b):
    period = ReportingPeriodFactory(year=2026, quarter=2)
    rulebook = Rulebook.objects.get(version=1)
    made = {}
    for company, status in ((company_a, "final"), (company_b, "final")):
        made[company.slug] = Assessment.objects.create(company=company, period=period, rulebook=rulebook,
                                                       status=status, computed_at=dt.datetime(2026, 8, 1,
                                                                                              tzinfo=dt.UTC))
    Assessment.objects.create(company=company_a, period=ReportingPeriodFactory(year=2026, quarter=1),
                              rulebook=rulebook, status="draft", computed_at=dt.datetime(2026, 5, 1, tzinfo=dt.UTC))
    return made


def test_a_company_lists_only_its_own_final_assessments(client_as, assessments, company_a_viewer):
    body = client_as("company_a_viewer").get("/api/v1/assessments/").json()
    assert [row["company"] for row in body["results"]] == ["alpha-video"]
    assert body["results"][0]["status"] == "final"


def test_staff_list_everything_and_filter(client_as, assessments, django_assert_max_num_queries):
    client = client_as("analyst")
    with django_assert_max_num_queries(8):
        body = client.get("/api/v1/assessments/").json()
    assert body["count"] == 3
    assert client.get("/api/v1/assessments/?company=bravo-chat&period=2026-Q2").json()["count"] == 1


def test_another_companys_assessment_is_404(client_as, assessments, company_b_officer):
    pk = assessments["alpha-video"].pk
    assert client_as("company_b_officer").get(f"/api/v1/assessments/{pk}/").status_code == 404


def test_the_rulebook_lists_its_thresholds(client_as, company_a_viewer):
    body = client_as("company_a_viewer").get("/api/v1/rulebooks/1/").json()
    metrics = {row["metric"]: row for row in body["thresholds"]}
    assert metrics["order_1h_rate"]["value"] == "0.9500" and metrics["order_1h_rate"]["weight"] == "3.00"
