"""regulator/formatting.py: one rule for how a score is written, on pages, in CSV, in the API and in PDFs."""

from __future__ import annotations

from decimal import Decimal
from io import BytesIO

import pytest
from pypdf import PdfReader

from regulator import formatting
from tests.regulator.factories import AssessmentFactory


@pytest.mark.parametrize(("stored", "shown"), [
    ("99.9600", "99.9"), ("99.9999", "99.9"), ("100.0000", "100.0"), ("99.9400", "99.9"), ("87.2500", "87.3"),
    ("0.0400", "0.0"), (None, "—"),
])
def test_a_score_is_written_to_one_decimal_and_only_a_perfect_score_as_100(stored, shown):
    assert formatting.score_text(Decimal(stored) if stored else None) == shown


@pytest.fixture
def almost_perfect(company_a):
    """Non-compliant by a hair: 99.96 unrounded."""
    return AssessmentFactory(company=company_a, score=Decimal("99.9600"), compliant=False, status="final")


def test_the_page_the_api_and_the_pdf_never_show_99_96_as_100(client_as, almost_perfect):
    analyst = client_as("analyst")
    page = analyst.get(f"/assessments/{almost_perfect.pk}/").content.decode()
    assert "<strong>99.9</strong>" in page and "100.0" not in page
    api = analyst.get(f"/api/v1/assessments/{almost_perfect.pk}/").json()
    assert api["score_shown"] == "99.9" and api["score"] == "99.9600"
    pdf = analyst.get(f"/assessments/{almost_perfect.pk}/report.pdf").content
    text = " ".join(page.extract_text() for page in PdfReader(BytesIO(pdf)).pages)
    assert "Score 99.9 out of 100" in text and "100.0" not in text


NBSP = "\u00a0"


@pytest.mark.parametrize(("value", "unit", "threshold", "shown"), [
    ("0.8632", "ratio", None, "86.3 %"),
    ("1", "ratio", "0.95", "100.0 %"),
    ("0", "ratio", None, "0.0 %"),
    # Never rounded up to a perfect 100 % it is not.
    ("0.99996", "ratio", None, "99.9 %"),
    # Never written as its threshold when it is not: a failing 94.96 % is not "95.0 %", a passing one is not either.
    ("0.9496", "ratio", "0.95", "94.96 %"),
    ("0.950004", "ratio", "0.95", "95.0004 %"),
    ("0.95", "ratio", "0.95", "95.0 %"),
    ("1.95", "hours", "24", "2.0 hours"),
    ("23.96", "hours", "24", "23.96 hours"),
    ("1", "flag", "1", "yes"),
    ("0", "flag", "1", "no"),
    (None, "ratio", None, "—"),
])
def test_a_metric_value_is_written_in_its_unit(value, unit, threshold, shown):
    text = formatting.metric_value_text(Decimal(value) if value else None, unit,
                                        Decimal(threshold) if threshold else None)
    assert text == shown.replace(" %", f"{NBSP}%")


@pytest.mark.parametrize(("comparator", "value", "key", "shown"), [
    ("gte", "0.9500", "order_1h_rate", "at least 95 %"),
    ("gte", "0.9950", "preservation_rate", "at least 99.5 %"),
    ("lte", "24.0000", "median_hours_to_action", "at most 24 hours"),
    ("gte", "1.0000", "filing_on_time", "yes"),
])
def test_a_threshold_is_written_in_words_and_in_its_metrics_unit(comparator, value, key, shown):
    text = formatting.threshold_text(comparator, Decimal(value), formatting.metric_unit(key))
    assert text == shown.replace(" %", f"{NBSP}%")
    assert "gte" not in text and "lte" not in text


def test_a_metric_is_called_by_its_label():
    assert formatting.metric_label("order_1h_rate") == "Removal orders acted on within 1 hour"
    assert formatting.metric_label("retired_metric") == "retired_metric"
