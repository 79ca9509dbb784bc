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
