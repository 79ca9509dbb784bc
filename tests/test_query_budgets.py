"""Every list keeps a query budget that does not grow with its rows."""

from __future__ import annotations

import pytest
from django.utils import timezone

from companies.models import MemberRole
from tests.companies.factories import (
    CompanyFactory,
    FilingFactory,
    MembershipFactory,
    RegistrationRequestFactory,
    ReportingPeriodFactory,
)


@pytest.fixture
def many(company_a, company_a_officer):
    """Enough rows that a per-row query would blow every budget below."""
    from core.roles import ANALYST
    from tests.companies.factories import UserFactory

    for number in range(12):
        UserFactory(username=f"analyst{number}@regulator.test", groups=[ANALYST])
    for quarter in (1, 2, 3):
        period = ReportingPeriodFactory(year=2025, quarter=quarter)
        for version in (1, 2):
            FilingFactory(company=company_a, period=period, version=version, status="accepted",
                          submitted_at=timezone.now(), correction_reason="x" if version > 1 else "")
    for _ in range(12):
        MembershipFactory(company=company_a, role=MemberRole.VIEWER)
        CompanyFactory()
        RegistrationRequestFactory()


@pytest.mark.parametrize(("actor", "path", "budget"), [
    ("company_a_officer", "/company/filings/", 10),
    ("company_a_officer", "/company/members/", 10),
    ("company_a_officer", "/company/api-keys/", 10),
    ("analyst", "/regulator/companies/", 9),
    ("analyst", "/regulator/registrations/", 9),
    ("analyst", "/regulator/filings/", 12),
    ("supervisor", "/regulator/staff/", 10),
])
def test_list_pages_keep_their_query_budget(many, client_as, django_assert_max_num_queries, actor, path, budget):
    client = client_as(actor)
    with django_assert_max_num_queries(budget):
        assert client.get(path).status_code == 200


def _assessed(count: int, analyst) -> None:
    """``count`` companies with accepted nil returns in 2025-Q1 and 2025-Q2, assessed."""
    import datetime as dt

    from regulator.services.assessments import assessments_run

    periods = [ReportingPeriodFactory(year=2025, quarter=quarter) for quarter in (1, 2)]
    for _ in range(count):
        company = CompanyFactory()
        for period in periods:
            FilingFactory(company=company, period=period, status="accepted", is_nil_return=True,
                          submitted_at=dt.datetime.combine(period.due_date, dt.time(9), tzinfo=dt.UTC))
    for period in periods:
        assessments_run(actor=analyst, period=period)


SCORING_PAGES = [
    "/regulator/assessments/?period=2025-Q2",
    "/regulator/assessments/?period=2025-Q2&failing=filing_on_time&tier=C&score_min=10&o=company",
    "/api/v1/assessments/?period=2025-Q2",
    "/api/v1/rulebooks/",
    "/api/v1/metrics/",
    "/api/v1/results/?period=2025-Q2&metric=filing_on_time&latest=true",
    "/methodology/",
]


@pytest.mark.parametrize("path", SCORING_PAGES)
def test_scoring_pages_make_as_many_queries_for_12_companies_as_for_3(client_as, analyst, path):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_as("analyst")
    counts = []
    for size in (3, 9):  # 3, then 12 in all
        _assessed(size, analyst)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
        assert response.status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1] and counts[1] <= 16, counts
