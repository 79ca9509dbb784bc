"""The regulator's filings queue (regulator/views/filings.py, FilingQueueFilter, core/sorting.py): sortable by
each column with aria-sort, and the count of the filings that match the filters."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from tests.companies.factories import CompanyFactory, FilingFactory, ReportingPeriodFactory

URL = "/regulator/filings/"


@pytest.fixture
def queue(company_a, company_b):
    """Three submitted filings: Alpha 2026-Q1 (on time, 30 items), Bravo 2026-Q2 (12 days late, 5 items), and
    Charlie 2026-Q2 (on time, 1,200 items, accepted)."""
    charlie = CompanyFactory(legal_name="Charlie Social Ltd", slug="charlie-social")
    q1, q2 = ReportingPeriodFactory(year=2026, quarter=1), ReportingPeriodFactory(year=2026, quarter=2)
    for company, period, status, late, items, day in (
            (company_a, q1, "submitted", 0, 30, dt.datetime(2026, 4, 20, 10, tzinfo=dt.UTC)),
            (company_b, q2, "submitted", 12, 5, dt.datetime(2026, 8, 11, 10, tzinfo=dt.UTC)),
            (charlie, q2, "accepted", 0, 1200, dt.datetime(2026, 7, 10, 10, tzinfo=dt.UTC))):
        FilingFactory(company=company, period=period, status=status, days_late=late, item_count=items,
                      submitted_at=day)


def _companies(response) -> list[str]:
    assert response.status_code == 200
    return [filing.company.legal_name for filing in response.context["page"]]


def test_unsorted_the_filings_waiting_for_review_come_first_oldest_first(client_as, queue):
    response = client_as("analyst").get(URL)
    assert _companies(response) == ["Alpha Video Ltd", "Bravo Chat Ltd", "Charlie Social Ltd"]
    page = response.content.decode()
    assert page.count('aria-sort="none"') == 8


@pytest.mark.parametrize(("order", "names"), [
    ("company", ["Alpha Video Ltd", "Bravo Chat Ltd", "Charlie Social Ltd"]),
    ("-company", ["Charlie Social Ltd", "Bravo Chat Ltd", "Alpha Video Ltd"]),
    ("-late", ["Bravo Chat Ltd", "Alpha Video Ltd", "Charlie Social Ltd"]),
    ("-items", ["Charlie Social Ltd", "Alpha Video Ltd", "Bravo Chat Ltd"]),
    ("submitted", ["Alpha Video Ltd", "Charlie Social Ltd", "Bravo Chat Ltd"]),
    ("-period", ["Bravo Chat Ltd", "Charlie Social Ltd", "Alpha Video Ltd"]),
])
def test_each_column_sorts_the_queue(client_as, queue, order, names):
    assert _companies(client_as("analyst").get(f"{URL}?o={order}")) == names


def test_the_sorted_column_says_so_and_its_header_links_to_the_other_direction(client_as, queue):
    page = client_as("analyst").get(f"{URL}?o=-items&status=submitted").content.decode()
    assert re.search(r'<th scope="col" class="num" aria-sort="descending"><a href="\?o=items&amp;status=submitted">'
                     r"Items</a></th>", page)
    # Another column starts in its own first direction, keeping the filters.
    assert '<a href="?o=-late&amp;status=submitted">Days late</a>' in page
    assert page.count('aria-sort="none"') == 7
    # The filters keep the sorting when they are sent again.
    assert '<input type="hidden" name="o" value="-items">' in page


def test_the_page_says_how_many_filings_match_the_filters(client_as, queue):
    analyst = client_as("analyst")
    assert "<span class=\"count\">3</span> filings." in analyst.get(URL).content.decode()
    page = analyst.get(f"{URL}?period=2026-Q2&late=unknown").content.decode()
    assert "<span class=\"count\">2</span> filings match the filters." in page
    page = analyst.get(f"{URL}?late=true").content.decode()
    assert "<span class=\"count\">1</span> filing matches the filters." in page
    assert "Clear the filters" in page


def test_the_filters_offer_any_rather_than_unknown(client_as, queue):
    page = client_as("analyst").get(URL).content.decode()
    assert '<option value="unknown" selected>Any</option>' in page and "Unknown" not in page
    assert ">Any period</option>" in page and ">Any status</option>" in page and ">Any tier</option>" in page
