"""Every list keeps a query budget that does not grow with its rows (STYLE habit 7)."""

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
])
def test_list_pages_keep_their_query_budget(many, client_as, django_assert_max_num_queries, actor, path, budget):
    client = client_as(actor)
    with django_assert_max_num_queries(budget):
        assert client.get(path).status_code == 200
