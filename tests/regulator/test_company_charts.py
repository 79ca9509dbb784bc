"""The company page's core metrics over time: one chart per metric against its threshold, the score, and the
same figures as CSV."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from regulator.metrics import CORE_KEYS, METRICS, METRICS_BY_KEY
from regulator.services.assessments import assessments_run
from tests.companies.factories import FilingFactory, ReportingPeriodFactory
from tests.regulator.items import removal_orders

PAGE = "/regulator/companies/alpha-video/"
CSV_URL = "/regulator/companies/alpha-video/metrics.csv"


def _nil_return(company, *, year: int, quarter: int) -> None:
    """An accepted nil return filed on the 10th day after its period, so on time."""
    period = ReportingPeriodFactory(year=year, quarter=quarter)
    FilingFactory(company=company, period=period, status="accepted", is_nil_return=True,
                  submitted_at=dt.datetime.combine(period.end + dt.timedelta(days=10), dt.time(12), tzinfo=dt.UTC))


@pytest.fixture
def two_periods(company_a, analyst):
    """2026-Q1: a nil return on time. 2026-Q2: four removal orders, three removed within 30 minutes and one
    after two hours, all preserved, filed on time. Both periods assessed."""
    _nil_return(company_a, year=2026, quarter=1)
    q2 = ReportingPeriodFactory(year=2026, quarter=2)
    filing = FilingFactory(company=company_a, period=q2, status="accepted",
                           submitted_at=dt.datetime(2026, 7, 20, tzinfo=dt.UTC))
    removal_orders(filing, [30, 30, 30, 120])
    for period in ("2026-Q1", "2026-Q2"):
        assessments_run(actor=analyst, period=ReportingPeriodFactory(year=2026, quarter=int(period[-1])))


def test_the_company_page_draws_each_metric_and_the_score_core_ones_against_their_threshold(two_periods,
                                                                                             client_as):
    page = client_as("analyst").get(PAGE).content.decode()
    assert page.count("<svg") == len(METRICS) + 1
    for key in CORE_KEYS:
        assert f'role="img" aria-label="{METRICS_BY_KEY[key].label}"' in page
    assert 'aria-label="Score"' in page
    assert "Found on the platform&#x27;s own initiative per period (informational: no threshold)" in page
    assert "Removal orders acted on within 1 hour per period (solid line) against its threshold" in page
    assert "the threshold in 2026-Q2 was 0.95" in page
    # No notices in either period: that chart has axes and says so rather than drawing a line at zero.
    assert "No value in these periods" in page
    assert f'href="{CSV_URL}"' in page and "Download the data (CSV)" in page


def test_the_csv_holds_each_metric_and_the_score_per_period(two_periods, client_as):
    """2026-Q2: orders 3/4 = 0.75 (fails 0.95, weight 3, attainment 0.75/0.95); median of 0.5, 0.5, 0.5 and 2 hours
    = 0.5 (passes ≤ 24, weight 1); preserved 4/4 = 1 (passes 0.99, weight 2); on time (weight 1); notices and
    complaints do not apply.

    score = 100 × (3 × 0.75/0.95 + 1 + 2 + 1) / 7 = 90.9774… (stored to 4 places). 2026-Q1: only on time, 100.
    """
    response = client_as("analyst").get(CSV_URL)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="alpha-video-metrics.csv"'
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["period", "metric", "label", "value", "threshold", "passed"]
    by_key = {(period, metric): [value, threshold, passed] for period, metric, _label, value, threshold, passed
              in rows[1:]}
    assert len(rows) == 1 + 2 * (len(METRICS) + 1)
    score = (Decimal(100) * (3 * (Decimal("0.75") / Decimal("0.95")) + 1 + 2 + 1) / 7).quantize(Decimal("0.0001"))
    assert str(score) == "90.9774"
    assert by_key == {
        ("2026-Q1", "order_1h_rate"): ["", "0.95", ""],
        ("2026-Q1", "notice_24h_rate"): ["", "0.9", ""],
        ("2026-Q1", "median_hours_to_action"): ["", "24", ""],
        ("2026-Q1", "preservation_rate"): ["", "0.99", ""],
        ("2026-Q1", "complaint_14d_rate"): ["", "0.9", ""],
        ("2026-Q1", "filing_on_time"): ["1", "1", "yes"],
        ("2026-Q1", "proactive_share"): ["", "", ""],
        ("2026-Q1", "automated_decision_share"): ["", "", ""],
        ("2026-Q1", "reinstatement_rate"): ["", "", ""],
        ("2026-Q1", "score"): ["100", "", ""],
        ("2026-Q2", "order_1h_rate"): ["0.75", "0.95", "no"],
        ("2026-Q2", "notice_24h_rate"): ["", "0.9", ""],
        ("2026-Q2", "median_hours_to_action"): ["0.5", "24", "yes"],
        ("2026-Q2", "preservation_rate"): ["1", "0.99", "yes"],
        ("2026-Q2", "complaint_14d_rate"): ["", "0.9", ""],
        ("2026-Q2", "filing_on_time"): ["1", "1", "yes"],
        # Informational: none of the four orders was found by the platform or decided automatically.
        ("2026-Q2", "proactive_share"): ["0", "", ""],
        ("2026-Q2", "automated_decision_share"): ["0", "", ""],
        ("2026-Q2", "reinstatement_rate"): ["", "", ""],
        ("2026-Q2", "score"): [str(score), "", ""],
    }
    assert rows[1][2] == "Removal orders acted on within 1 hour"


def test_a_company_user_gets_403_and_anonymous_is_sent_to_sign_in(two_periods, client_as, company_a_officer):
    assert client_as("company_a_officer").get(CSV_URL).status_code == 403
    response = client_as("anonymous").get(CSV_URL)
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_an_unknown_company_is_404(client_as, analyst):
    assert client_as("analyst").get("/regulator/companies/no-such-company/metrics.csv").status_code == 404


def test_the_page_reads_as_many_queries_for_six_periods_as_for_two(company_a, client_as, analyst,
                                                                   django_assert_max_num_queries):
    quarters = [(2025, 1), (2025, 2), (2025, 3), (2025, 4), (2026, 1), (2026, 2)]
    for year, quarter in quarters:
        _nil_return(company_a, year=year, quarter=quarter)
    client = client_as("analyst")

    def assess(count: int) -> int:
        for year, quarter in quarters[:count]:
            assessments_run(actor=analyst, period=ReportingPeriodFactory(year=year, quarter=quarter))
        with CaptureQueriesContext(connection) as queries:
            page = client.get(PAGE).content.decode()
        assert page.count("<svg") == len(METRICS) + 1
        return len(queries)

    with_two = assess(2)
    assert assess(6) == with_two
    with django_assert_max_num_queries(11):  # 10, and the staff session's authenticator device
        assert client.get(PAGE).status_code == 200
