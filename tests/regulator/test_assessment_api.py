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


@pytest.fixture
def scored_q2(company_a, company_b, analyst):
    """2026-Q2 nil returns (due 30 July): Alpha filed 18 August (filing_on_time 0), Bravo 10 July (1).

    Alpha's assessment is finalised; Bravo's stays a draft.
    """
    from companies.models import Filing
    from regulator.services.assessments import assessment_finalise, assessments_run
    from tests.companies.factories import FilingFactory

    period = ReportingPeriodFactory(year=2026, quarter=2)
    for company, day in ((company_a, dt.datetime(2026, 8, 18, tzinfo=dt.UTC)),
                         (company_b, dt.datetime(2026, 7, 10, tzinfo=dt.UTC))):
        FilingFactory(company=company, period=period, status="accepted", is_nil_return=True, submitted_at=day)
    made = {a.company.slug: a for a in assessments_run(actor=analyst, period=period)}
    assessment_finalise(actor=analyst, assessment=made["alpha-video"])
    assert Filing.objects.count() == 2
    return made


def test_staff_find_who_failed_a_metric_in_a_period(client_as, scored_q2):
    body = client_as("analyst").get("/api/v1/results/?period=2026-Q2&metric=filing_on_time&passed=false").json()
    assert body["count"] == 1
    row = body["results"][0]
    assert (row["company"], row["period"], row["metric"], row["value"], row["threshold"], row["passed"]) == (
        "alpha-video", "2026-Q2", "filing_on_time", "0.000000", "1.0000", False)
    assert row["assessment_status"] == "final" and row["assessment_version"] == 1


def test_a_company_reads_only_its_own_final_results(client_as, scored_q2, company_a_viewer, company_b_officer):
    mine = client_as("company_a_viewer").get("/api/v1/results/").json()
    assert {row["company"] for row in mine["results"]} == {"alpha-video"}
    assert mine["count"] == scored_q2["alpha-video"].results.count()
    # Bravo's assessment is still a draft: Bravo sees nothing yet.
    assert client_as("company_b_officer").get("/api/v1/results/").json()["count"] == 0


def test_latest_keeps_one_assessment_version_per_company_and_period(client_as, scored_q2, analyst):
    from decimal import Decimal

    from regulator.models import Threshold
    from regulator.services.assessments import assessments_run

    stricter = Rulebook.objects.create(version=2, effective_from=dt.date(2026, 1, 1))
    Threshold.objects.create(rulebook=stricter, metric="filing_on_time", comparator="gte", value=Decimal(1),
                             weight=Decimal(1), kind="core")
    assessments_run(actor=analyst, period=scored_q2["alpha-video"].period)  # Alpha gets version 2
    client = client_as("analyst")
    every = client.get("/api/v1/results/?company=alpha-video&metric=filing_on_time").json()
    latest = client.get("/api/v1/results/?company=alpha-video&metric=filing_on_time&latest=true").json()
    assert [row["assessment_version"] for row in every["results"]] == [2, 1]
    assert [row["assessment_version"] for row in latest["results"]] == [2]


def test_latest_for_a_company_is_its_latest_final_version_even_with_a_newer_draft(
        client_as, scored_q2, analyst, company_a_viewer):
    """Alpha has a final version 1; a rulebook change makes a draft version 2 the company must not see."""
    from decimal import Decimal

    from regulator.models import Threshold
    from regulator.services.assessments import assessments_run

    stricter = Rulebook.objects.create(version=2, effective_from=dt.date(2026, 1, 1))
    Threshold.objects.create(rulebook=stricter, metric="filing_on_time", comparator="gte", value=Decimal(1),
                             weight=Decimal(1), kind="core")
    assessments_run(actor=analyst, period=scored_q2["alpha-video"].period)
    body = client_as("company_a_viewer").get("/api/v1/results/?latest=true&metric=filing_on_time").json()
    assert [(row["assessment_version"], row["assessment_status"]) for row in body["results"]] == [(1, "final")]
