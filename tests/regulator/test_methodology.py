"""The methodology page (for citizens and journalists) and the metrics API read the one registry of
regulator/metrics.py; the page's worked example is the engine's own arithmetic (regulator/methodology.py)."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

from django.utils.html import escape

from regulator.methodology import PLAIN_WORDS
from regulator.metrics import METRICS
from regulator.models import Rulebook, Threshold

NBSP = "\u00a0"


def _page(client_as) -> str:
    response = client_as("anonymous").get("/methodology/")
    assert response.status_code == 200
    return response.content.decode()


def _technical(page: str) -> list[str]:
    """The folded "Technical definition" sections of the page."""
    return re.findall(r'<details class="technical">(.*?)</details>', page, re.S)


def test_anyone_reads_each_measure_in_plain_words_with_its_threshold_in_force(client_as, db):
    page = _page(client_as)
    for metric in METRICS:
        assert f"<h3 id=\"metric-{metric.key}\">{escape(metric.label)}</h3>" in page
        assert escape(PLAIN_WORDS[metric.key]) in page
    # The default rulebook (docs/DESIGN.md §4.1), written in words and percentages.
    assert f"at least 95{NBSP}%, weight 3, for every size tier" in page
    assert "at most 24 hours, weight 1, for every size tier" in page
    assert "rulebook version 1" in page
    assert "more than 48 hours, up to 168 hours" in page and "more than 168 hours" in page


def test_the_sql_is_folded_away_as_each_measures_technical_definition(client_as, db):
    page = _page(client_as)
    technical = _technical(page)
    assert len(technical) == len(METRICS)
    for metric, section in zip(METRICS, technical, strict=True):
        assert "<summary>Technical definition" in section and f"<code>{metric.key}</code>" in section
        for sql in (metric.numerator, metric.denominator, metric.value):
            if sql:
                assert f"<code>{escape(sql)}</code>" in section
    # Outside the folds, no SQL and no internal spelling.
    unfolded = re.sub(r"<[^>]+>", " ", re.sub(r"<details.*?</details>", "", page, flags=re.S))
    for word in ("source_type", "delay_band", "NO_ACTION", "order_1h_rate", "gte", "percentile_cont"):
        assert not re.search(rf"\b{word}\b", unfolded), word


def test_the_worked_example_is_the_engines_own_arithmetic_with_the_thresholds_in_force(client_as, db):
    """Tier B under rulebook 1: orders 90/100 (0.947 of 0.95, weight 3), notices 94 % (met, 2), median 30 hours
    (24/30 = 0.8, weight 1), preserved 100 % (met, 2), no complaints (does not apply), on time (met, 1):
    100 × (3 × 0.947 + 2 + 0.8 + 2 + 1) ÷ 9 = 96.0, not compliant."""
    page = _page(client_as)
    assert "Score = 100 × (3 × 0.947 + 2 × 1.000 + 1 × 0.800 + 2 × 1.000 + 1 × 1.000) ÷ 9" in page
    assert "<strong>96.0</strong>" in page
    assert "missed the threshold of 2 core measures" in page
    assert "Complaints decided within 14 days does not apply, because it received no complaints" in page


def test_the_example_follows_a_new_rulebook_version(client_as, db):
    """Orders held to 99 % and weighted 4 for tier B: attainment 0.90 ÷ 0.99 = 0.909."""
    newer = Rulebook.objects.create(version=2, effective_from=dt.date(2026, 1, 1), note="Orders held to more.")
    for threshold in Rulebook.objects.get(version=1).thresholds.exclude(metric="order_1h_rate"):
        threshold.pk, threshold.rulebook = None, newer
        threshold.save()
    Threshold.objects.create(rulebook=newer, metric="order_1h_rate", comparator="gte", value=Decimal("0.99"),
                             weight=Decimal(4), kind="core", tiers="ABC")
    page = _page(client_as)
    assert "rulebook version 2" in page and "Orders held to more." in page
    assert "Score = 100 × (4 × 0.909 + 2 × 1.000 + 1 × 0.800 + 2 × 1.000 + 1 × 1.000) ÷ 10" in page
    assert f"at least 99{NBSP}%, weight 4, for every size tier" in page


def test_the_page_explains_not_applicable_and_how_to_contest_a_result(client_as, db):
    page = _page(client_as)
    assert '<h2 id="not-applicable">When a measure does not apply</h2>' in page
    assert "it is neither met nor\nfailed, and it is left out of the score" in page
    assert '<h2 id="contest">If you think a result is wrong</h2>' in page
    assert "a supervisor who did not\nmake the correction must confirm it" in page


def test_the_page_follows_a_new_rulebook_version_with_tier_specific_thresholds(client_as, db):
    newer = Rulebook.objects.create(version=2, effective_from=dt.date(2026, 1, 1), note="Tier A held to more.")
    Threshold.objects.create(rulebook=newer, metric="order_1h_rate", comparator="gte", value=Decimal("0.99"),
                             weight=Decimal(3), kind="core", tiers="A")
    Threshold.objects.create(rulebook=newer, metric="order_1h_rate", comparator="gte", value=Decimal("0.95"),
                             weight=Decimal(3), kind="core", tiers="BC")
    page = _page(client_as)
    assert "rulebook version 2" in page and "Tier A held to more." in page
    assert (f"at least 99{NBSP}%, weight 3, for tier A; at least 95{NBSP}%, weight 3, for tiers B and C"
            in page)


def test_a_future_rulebook_is_not_shown_before_it_applies(client_as, db):
    Rulebook.objects.create(version=2, effective_from=dt.date.today() + dt.timedelta(days=30))
    page = client_as("anonymous").get("/methodology/").content.decode()
    assert "rulebook version 1" in page and "rulebook version 2" not in page


def test_the_api_lists_the_registry(client_as, db):
    response = client_as("company_a_viewer").get("/api/v1/metrics/")
    assert response.status_code == 200
    body = response.json()
    assert [entry["key"] for entry in body] == [metric.key for metric in METRICS]
    median = next(entry for entry in body if entry["key"] == "median_hours_to_action")
    assert median["direction"] == "lower" and median["unit"] == "hours" and median["value"].startswith(
        "percentile_cont(0.5)")
    one = client_as("analyst").get("/api/v1/metrics/order_1h_rate/").json()
    assert one["kind"] == "core" and one["direction"] == "higher" and "delay_band BETWEEN 1 AND 1" in one["numerator"]


def test_an_unknown_metric_is_a_clear_404(client_as, db):
    response = client_as("analyst").get("/api/v1/metrics/no_such_metric/")
    assert response.status_code == 404
    assert "There is no metric 'no_such_metric'" in response.content.decode()
