"""One home page, three audiences."""

from __future__ import annotations

import datetime as dt

from companies.services import filings as filing_services
from companies.services.periods import periods_ensure
from tests.companies.factories import FilingFactory, RegistrationRequestFactory, ReportingPeriodFactory


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


def test_the_company_desk_shows_each_quarters_real_status_with_its_next_step(client_as, company_a, company_a_officer,
                                                                           analyst):
    """Q1 accepted, Q2 returned, Q3 a draft, Q4 of last year never started (overdue)."""
    q4, q1, q2, q3 = (ReportingPeriodFactory(year=2025, quarter=4), ReportingPeriodFactory(year=2026, quarter=1),
                      ReportingPeriodFactory(year=2026, quarter=2), ReportingPeriodFactory(year=2026, quarter=3))
    accepted = FilingFactory(company=company_a, period=q1)
    filing_services.filing_submit(actor=company_a_officer, filing=accepted, nil_return=True)
    filing_services.filing_accept(actor=analyst, filing=accepted)
    returned = FilingFactory(company=company_a, period=q2)
    filing_services.filing_submit(actor=company_a_officer, filing=returned, nil_return=True)
    filing_services.filing_return(actor=analyst, filing=returned, reason="Orders from May are missing.")
    draft = FilingFactory(company=company_a, period=q3)
    page = client_as("company_a_officer").get("/").content.decode()
    assert "Not filed" not in page
    assert "Version 1 accepted" in page
    assert "Version 1 returned: Orders from May are missing." in page and "Correct 2026-Q2" in page
    assert "Draft, version 1, 0 items" in page and f'href="/company/filings/{draft.pk}/"' in page
    assert "Overdue: more than 6 months late" in page  # Q4 2025 was due on 30 January 2026
    assert f'name="period" value="{q4.pk}"' in page  # a start button for the quarter never started


def test_a_viewer_sees_the_statuses_but_no_start_button(client_as, company_a):
    period = ReportingPeriodFactory(year=2026, quarter=3)
    page = client_as("company_a_viewer").get("/").content.decode()
    assert "Not started" in page and f'name="period" value="{period.pk}"' not in page


def test_the_staff_home_is_a_work_queue_with_counts_that_link_to_their_lists(client_as, company_a, company_b,
                                                                           company_a_officer, company_b_officer,
                                                                           analyst):
    """Two filings awaiting review (oldest first), one returned and not yet corrected, company B overdue for the
    last period past its due date, one override waiting, one registration request."""
    from decimal import Decimal

    from regulator.services.assessments import assessments_run
    from regulator.services.overrides import result_override

    q1, q2 = ReportingPeriodFactory(year=2026, quarter=1), ReportingPeriodFactory(year=2026, quarter=2)
    ReportingPeriodFactory(year=2026, quarter=3)  # past due by the test's today (December 2026)
    older = FilingFactory(company=company_a, period=q1)
    filing_services.filing_submit(actor=company_a_officer, filing=older, nil_return=True)
    newer = FilingFactory(company=company_a, period=q2)
    filing_services.filing_submit(actor=company_a_officer, filing=newer, nil_return=True)
    returned = FilingFactory(company=company_b, period=q1)
    officer_b = company_b_officer
    filing_services.filing_submit(actor=officer_b, filing=returned, nil_return=True)
    filing_services.filing_return(actor=analyst, filing=returned, reason="Missing orders.")
    accepted = FilingFactory(company=company_b, period=q2)
    filing_services.filing_submit(actor=officer_b, filing=accepted, nil_return=True)
    filing_services.filing_accept(actor=analyst, filing=accepted)
    assessment = assessments_run(actor=analyst, period=q2)[0]
    result_override(actor=analyst, result=assessment.results.get(metric="filing_on_time"), value=Decimal(0),
                    justification="Filed by post.")
    RegistrationRequestFactory(legal_name="Waiting Corp Ltd")
    response = client_as("supervisor").get("/")
    counts = {entry.title: entry.count for entry in response.context["queue"]}
    assert counts == {"Filings awaiting review": 2, "Companies overdue for 2026-Q3": 2,
                      "Returned filings waiting for the company's correction": 1,
                      "Overrides to confirm or reject": 1, "Registration requests": 1}
    waiting = response.context["queue"][0]
    assert [filing.pk for filing in waiting.oldest] == [older.pk, newer.pk]
    page = response.content.decode()
    assert 'href="/regulator/filings/?status=submitted"' in page and 'href="/regulator/overrides/"' in page
    assert 'href="/regulator/filings/?status=returned"' in page
