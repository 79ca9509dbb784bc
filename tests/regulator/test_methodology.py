"""The methodology page and the metrics API read the one registry of regulator/metrics.py."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils.html import escape

from regulator.metrics import METRICS
from regulator.models import Rulebook, Threshold


def test_anyone_reads_every_metric_its_sql_and_the_thresholds_in_force(client_as, db):
    response = client_as("anonymous").get("/methodology/")
    assert response.status_code == 200
    page = response.content.decode()
    for metric in METRICS:
        assert escape(metric.label) in page and f"<code>{metric.key}</code>" in page
        for sql in (metric.numerator, metric.denominator, metric.value):
            if sql:
                assert f"<code>{escape(sql)}</code>" in page
    # The default rulebook (docs/DESIGN.md §4.1): orders within an hour at least 0.95, weight 3, every tier.
    assert "at least 0.95, weight 3 (every size tier)" in page
    assert "at most 24, weight 1 (every size tier)" in page
    assert "rulebook version 1" in page
    assert "over 48 h, up to 168 h" in page and "over 168 h" in page


def test_the_page_follows_a_new_rulebook_version_with_tier_specific_thresholds(client_as, db):
    newer = Rulebook.objects.create(version=2, effective_from=dt.date(2026, 1, 1), note="Tier A held to more.")
    Threshold.objects.create(rulebook=newer, metric="order_1h_rate", comparator="gte", value=Decimal("0.99"),
                             weight=Decimal(3), kind="core", tiers="A")
    Threshold.objects.create(rulebook=newer, metric="order_1h_rate", comparator="gte", value=Decimal("0.95"),
                             weight=Decimal(3), kind="core", tiers="BC")
    page = client_as("anonymous").get("/methodology/").content.decode()
    assert "rulebook version 2" in page and "Tier A held to more." in page
    assert "at least 0.99, weight 3 (tier A); at least 0.95, weight 3 (tiers B, C)" in page


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
