"""`generate_filing` writes files the validator accepts, or rejects at the asked error rate."""

from __future__ import annotations

import csv
import io

from django.core.management import call_command

from companies import filing_format as ff
from companies.ingest.validate import ErrorLog, csv_rows
from tests.companies.factories import ReportingPeriodFactory


def test_generated_file_is_valid_and_realistic(company_a, tmp_path, db):
    ReportingPeriodFactory(year=2026, quarter=3)
    path = tmp_path / "q3.csv"
    call_command("generate_filing", "--company", company_a.slug, "--period", "2026-Q3", "--rows", "2000",
                 "--output", str(path))
    rows = list(csv.DictReader(io.StringIO(path.read_text())))
    assert len(rows) == 2000 and list(rows[0]) == list(ff.FIELD_NAMES)
    sources = {row["source_type"] for row in rows}
    assert {"REMOVAL_ORDER", "USER_NOTICE", "OWN_INITIATIVE"} <= sources
    assert any(row["appeal_received_at"] for row in rows)
    assert any(row["action"] == "NO_ACTION" for row in rows)

    from companies.ingest.load import period_bounds
    from companies.ingest.validate import RowChecker
    from companies.models import ReportingPeriod

    period = ReportingPeriod.objects.get(code="2026-Q3")
    start, end = period_bounds(period)
    errors = ErrorLog()
    checker = RowChecker(filing_id=1, period_id=period.pk, company_id=1, period_start=start, period_end=end,
                         errors=errors)
    with open(path, "rb") as handle:
        for row, values in csv_rows(handle, errors):
            checker.check(values, row, row)
    assert errors.count == 0, errors.rows[:3]


def test_error_rate_injects_errors(company_a, tmp_path, db):
    ReportingPeriodFactory(year=2026, quarter=3)
    path = tmp_path / "bad.csv"
    call_command("generate_filing", "--company", company_a.slug, "--period", "2026-Q3", "--rows", "1000",
                 "--error-rate", "0.1", "--output", str(path))
    from companies.ingest.load import period_bounds
    from companies.ingest.validate import RowChecker
    from companies.models import ReportingPeriod

    period = ReportingPeriod.objects.get(code="2026-Q3")
    start, end = period_bounds(period)
    errors = ErrorLog()
    checker = RowChecker(filing_id=1, period_id=period.pk, company_id=1, period_start=start, period_end=end,
                         errors=errors)
    with open(path, "rb") as handle:
        bad = sum(checker.check(values, row, row) is None for row, values in csv_rows(handle, errors))
    assert 50 <= bad <= 150
