"""One home page, three audiences."""

from __future__ import annotations

import datetime as dt

from companies.services.periods import periods_ensure
from tests.companies.factories import RegistrationRequestFactory


def test_public_home_shows_rankings_and_open_data_even_when_empty(client, db):
    page = client.get("/").content.decode()
    assert "Rankings" in page and "No period has been published yet" in page
    assert "Open data" in page
    assert 'href="#main"' in page and '<main id="main"' in page


def test_company_member_sees_its_company_and_deadlines(client_as, company_a):
    periods_ensure(today=dt.date.today(), first="2025-Q1")
    page = client_as("company_a_viewer").get("/").content.decode()
    assert "Alpha Video Ltd" in page and "Recent quarters" in page
    assert "Bravo Chat Ltd" not in page


def test_analyst_sees_the_work_queue(client_as):
    RegistrationRequestFactory(legal_name="Waiting Corp Ltd")
    page = client_as("analyst").get("/").content.decode()
    assert "Work queue" in page and "Waiting Corp Ltd" in page


def test_home_query_count_is_small(client_as, django_assert_max_num_queries):
    client = client_as("company_a_officer")
    with django_assert_max_num_queries(8):
        client.get("/")


def test_seed_demo_is_idempotent(db):
    from django.contrib.auth import get_user_model

    from companies.models import Company, Filing, Membership, ReportingPeriod
    from regulator.demo import seed_demo

    seed_demo(scale=0.01, companies=6)
    counts = (Company.objects.count(), Membership.objects.count(), get_user_model().objects.count(),
              Filing.objects.count())
    seed_demo(scale=0.01, companies=6)
    assert (Company.objects.count(), Membership.objects.count(), get_user_model().objects.count(),
            Filing.objects.count()) == counts
    assert Filing.objects.filter(status="accepted").exists() and Filing.objects.filter(status="submitted").exists()
    assert Filing.objects.filter(days_late__gt=0).exists() and Filing.objects.filter(version=2).exists()
    from regulator.models import Assessment

    assert Assessment.objects.filter(status="final").exists() and Assessment.objects.filter(status="draft").exists()
    assert counts[0] == 6
    assert {c.size_tier for c in Company.objects.all()} == {"A", "B", "C"}
    from django.utils import timezone

    today = timezone.localdate()
    # From Q1 of last year up to the current quarter: 5 quarters in Q1 … 8 in Q4.
    assert ReportingPeriod.objects.count() == 4 + (today.month - 1) // 3 + 1
