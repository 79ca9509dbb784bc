"""The company page's core metrics over time: one chart per metric against its threshold, the score, and the
same figures as CSV."""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
import re
import xml.etree.ElementTree as ET
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
    assert "Removal orders acted on within 1 hour per period (solid line with dots) against its threshold" in page
    assert "the threshold in 2026-Q2 was at least 95\u00a0%" in page
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


# Charts a person can read (regulator/charts.py): parsed as the SVG the page carries.

SVG = re.compile(r"<svg\b.*?</svg>", re.S)
NS = "{http://www.w3.org/2000/svg}"


def _charts(page: str) -> dict[str, ET.Element]:
    """Each inline chart of a page by its accessible name."""
    charts = {}
    for text in SVG.findall(page):
        svg = ET.fromstring(text)  # noqa: S314 (the portal's own SVG)
        charts[svg.get("aria-label")] = svg
    return charts


def _style(element: ET.Element) -> dict[str, str]:
    return dict(part.split(":", 1) for part in (element.get("style") or "").replace(" ", "").split(";") if part)


def _texts(svg: ET.Element) -> list[str]:
    return [text.text for text in svg.iter(f"{NS}text")]


def test_every_label_is_at_least_12_px_in_the_pages_own_font(two_periods, client_as):
    page = client_as("analyst").get(PAGE).content.decode()
    charts = _charts(page)
    assert len(charts) == len(METRICS) + 1
    for name, svg in charts.items():
        texts = list(svg.iter(f"{NS}text"))
        assert texts, name
        for text in texts:
            style = _style(text)
            assert float(style["font-size"].removesuffix("px")) >= 12, (name, text.text)
            # No font of its own: the text inherits the page's font (portal.css sets none either).
            assert style["font-family"] == "inherit", (name, text.text)
        # Drawn at most 400 px wide, so that on a 343 px phone column the 14 px labels stay above 12 px.
        assert int(svg.get("width")) <= 400


def test_rates_are_percentages_on_an_axis_zoomed_to_the_values_and_the_threshold(two_periods, client_as):
    """Orders acted on within the hour: 75 % in 2026-Q2 (none in Q1) against at least 95 %."""
    svg = _charts(client_as("analyst").get(PAGE).content.decode())["Removal orders acted on within 1 hour"]
    texts = _texts(svg)
    assert "Per cent" in texts and "Reporting period" in texts
    ticks = [float(text.removesuffix("\u00a0%")) for text in texts if text.endswith("\u00a0%")]
    assert ticks == sorted(ticks) and len(ticks) >= 3
    # Round, evenly spaced ticks that hold 75 and 95, not the whole range from 0 to 100.
    steps = {round(b - a, 6) for a, b in itertools.pairwise(ticks)}
    assert len(steps) == 1 and steps.pop() in {1, 2, 5, 10}
    assert 0 < ticks[0] <= 75 and ticks[-1] >= 95
    # Periods are written in two short lines, "Q2" over "2026".
    assert "Q2" in texts and "2026" in texts


def test_each_axis_says_what_it_measures(two_periods, client_as):
    charts = _charts(client_as("analyst").get(PAGE).content.decode())
    assert "Hours" in _texts(charts["Median hours to action"])
    assert {"Yes or no", "Yes", "No"} <= set(_texts(charts["Report filed on time"]))
    assert "Score out of 100" in _texts(charts["Score"])


def test_the_legend_draws_the_value_solid_and_the_threshold_dashed_as_the_lines_are(two_periods, client_as):
    svg = _charts(client_as("analyst").get(PAGE).content.decode())["Removal orders acted on within 1 hour"]
    lines = [line for line in svg.iter(f"{NS}polyline") if _style(line).get("stroke-width") == "2"]
    dashed = [line for line in lines if "stroke-dasharray" in _style(line)]
    solid_lines = [line for line in lines if "stroke-dasharray" not in _style(line)]
    # The threshold: its line across the periods and its sample in the key, both dashed in the same way.
    assert len(dashed) == 2 and len({_style(path)["stroke-dasharray"] for path in dashed}) == 1
    # The value: a sample in the key, solid (its one point in 2026-Q2 is a dot, with one in the key too).
    assert solid_lines
    assert {"Value", "Threshold"} <= set(_texts(svg))


def test_the_overview_bar_chart_names_its_axes_in_readable_type(two_periods, client_as):
    page = client_as("analyst").get("/regulator/assessments/?period=2026-Q2").content.decode()
    svg = _charts(page)["Scores in 2026-Q2"]
    texts = _texts(svg)
    assert {"Score out of 100", "Number of companies", "below 50", "95 to under 100", "100"} <= set(texts)
    for text in svg.iter(f"{NS}text"):
        assert float(_style(text)["font-size"].removesuffix("px")) >= 12


@pytest.mark.parametrize(("values", "floor", "ceiling", "ticks"), [
    ([77.6, 87.1, 90], 0, 100, [75, 80, 85, 90, 95]),
    ([100, 95], 0, 100, [94, 96, 98, 100]),
    ([4.3, 7.5, 24], 0, None, [0, 10, 20, 30]),
    ([0, 3, 10, 20], 0, None, [0, 10, 20, 30]),
    ([0.3, 0.7], 0, None, [0.2, 0.4, 0.6, 0.8]),
])
def test_an_axis_has_round_ticks_around_its_values(values, floor, ceiling, ticks):
    from regulator.charts import nice_axis

    axis = nice_axis(values, floor=floor, ceiling=ceiling)
    assert axis.ticks == ticks
    assert axis.low <= min(values) and axis.high >= max(values)
