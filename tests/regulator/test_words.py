"""People's words on the pages (templates with regulator/templatetags/figures.py, core's moments and numbers
filters, companies' code labels): percentages for rates, separators in counts, labels for codes and metric keys,
and every moment with its zone."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest

from regulator.models import Rulebook, Threshold
from regulator.services.assessments import assessments_run
from tests.companies.factories import FilingFactory, ReportingPeriodFactory
from tests.regulator.items import removal_orders

NBSP = "\u00a0"
CODES = re.compile(r"\b(REMOVAL_ORDER|USER_NOTICE|TRUSTED_FLAGGER|OWN_INITIATIVE|NO_ACTION|TERRORIST_CONTENT|"
                   r"gte|lte|order_1h_rate|median_hours_to_action|filing_on_time)\b")


def _text(page: str) -> str:
    """What a person reads: the main content without its markup."""
    main = page[page.index("<main"):page.index("</main>")]
    return re.sub(r"[ \t\r\n]+", " ", re.sub(r"<[^>]+>", " ", main))  # a no-break space stays


@pytest.fixture
def assessed(company_a, analyst):
    """Two removal orders removed after 30 and 90 minutes (50 %, fails at least 95 %), submitted at 14:00 UTC on
    20 July 2026 (15:00 BST)."""
    period = ReportingPeriodFactory(year=2026, quarter=2)
    filing = FilingFactory(company=company_a, period=period, status="accepted",
                           submitted_at=dt.datetime(2026, 7, 20, 14, tzinfo=dt.UTC),
                           totals={"source_type": {"REMOVAL_ORDER": 1234}, "action": {"REMOVED": 1200},
                                   "category": {"TERRORIST_CONTENT": 1234}}, item_count=1234)
    removal_orders(filing, [30, 90])
    return assessments_run(actor=analyst, period=period)[0]


def test_the_assessment_page_writes_rates_thresholds_and_measures_in_words(client_as, assessed):
    page = client_as("analyst").get(f"/assessments/{assessed.pk}/").content.decode()
    text = _text(page)
    assert f"50.0{NBSP}%" in text and f"at least 95{NBSP}%" in text and "at most 24 hours" in text
    assert "1 of 2" in text  # numerator of denominator
    # The arithmetic list names each measure by its label.
    assert "Removal orders acted on within 1 hour: weight 3 × attainment 0.5263" in text
    assert not CODES.search(text), CODES.search(text)


def test_the_rulebook_and_its_diff_name_measures_and_thresholds_in_words(client_as, supervisor):
    newer = Rulebook.objects.create(version=2, effective_from=dt.date(2027, 1, 1), note="Stricter for tier A.")
    for threshold in Rulebook.objects.get(version=1).thresholds.all():
        threshold.pk, threshold.rulebook = None, newer
        if threshold.metric == "order_1h_rate":
            threshold.tiers = "BC"
        threshold.save()
    Threshold.objects.create(rulebook=newer, metric="order_1h_rate", comparator="gte", value=Decimal("0.98"),
                             weight=Decimal(3), kind="core", tiers="A")
    text = _text(client_as("analyst").get("/regulator/rulebooks/2/").content.decode())
    assert f"Removal orders acted on within 1 hour at least 98{NBSP}% 3 Core tier A" in text
    assert "Median hours to action at most 24 hours 1 Core every size tier" in text
    # The diff: the old threshold for every tier left, tiers B and C kept it, tier A got a stricter one.
    assert f"Removal orders acted on within 1 hour tier A — at least 98{NBSP}%, weight 3, core" in text
    assert f"Removal orders acted on within 1 hour every size tier at least 95{NBSP}%, weight 3, core removed" in text
    assert not CODES.search(text), CODES.search(text)


def test_filing_totals_read_as_labels_with_separators_and_dates_with_their_zone(client_as, assessed):
    text = _text(client_as("analyst").get(f"/regulator/filings/{assessed.filing_id}/").content.decode())
    assert "Removal order 1,234" in text and "Removed 1,200" in text and "Terrorist content 1,234" in text
    assert "No action 0" in text and "1,234 items" in text
    assert "20 Jul 2026 15:00 BST" in text
    assert not CODES.search(text), CODES.search(text)


def test_the_filing_queue_writes_moments_with_their_zone(client_as, assessed):
    text = _text(client_as("analyst").get("/regulator/filings/").content.decode())
    assert "20 Jul 2026 15:00 BST" in text and "1,234" in text


def test_the_company_page_history_table_shows_percentages(client_as, assessed):
    text = _text(client_as("analyst").get("/regulator/companies/alpha-video/").content.decode())
    assert f"50.0{NBSP}% ✗ failed (threshold: at least 95{NBSP}%)" in text
