"""What a company reads about a file it uploaded: the errors by kind with counts and examples, the full list
as a spreadsheet-ready CSV, earlier files folded away, a plain sentence for a file already loaded, and a
progress percentage (companies/services/uploads.py, templates/companies/includes/upload.html)."""

from __future__ import annotations

import psycopg
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from companies.ingest.validate import ErrorLog
from companies.models import FilingUpload, UploadStatus
from companies.services.uploads import upload_lock_key
from tests.companies.filing_files import csv_bytes, good_rows


@pytest.fixture
def submitter(client_as, company_a_submitter):
    return client_as("company_a_submitter")


def _upload(client, filing, content: bytes, name: str = "report.csv"):
    return client.post(f"/company/filings/{filing.pk}/upload/", {"file": SimpleUploadedFile(name, content)})


def _latest(filing) -> FilingUpload:
    return FilingUpload.objects.filter(filing=filing).latest("created_at")


def test_errors_are_summarised_by_field_and_kind_with_counts_and_examples(submitter, draft, period):
    """Rows 2, 4 and 6 have an unknown action; rows 3 and 5 a received_at outside the period."""
    rows = good_rows(period, 6)
    for index in (1, 3, 5):
        rows[index]["action"] = "DELETED"
    for index in (2, 4):
        rows[index]["received_at"] = "2025-01-01T10:00:00+00:00"
    _upload(submitter, draft, csv_bytes(rows))
    upload = _latest(draft)
    assert upload.status == UploadStatus.REJECTED
    by_field = {group["field"]: group for group in upload.error_summary}
    assert by_field["action"]["count"] == 3 and [row for row, _ in by_field["action"]["examples"]] == [2, 4, 6]
    assert by_field["action"]["examples"][0][1] == "DELETED"
    assert by_field["received_at"]["count"] == 2
    page = submitter.get(f"/company/filings/{draft.pk}/").content.decode()
    assert "The problems in report.csv, by kind" in page and "row 2: <code>DELETED</code>" in page


def test_kinds_differ_by_their_words_not_by_their_figures():
    errors = ErrorLog()
    errors.add(1, "actioned_at", "x", "is before received_at 2026-07-01T10:00:00Z")
    errors.add(2, "actioned_at", "y", "is before received_at 2026-07-02T11:00:00Z")
    errors.add(3, "actioned_at", "", "is required unless action is NO_ACTION")
    assert [(group["field"], group["count"]) for group in errors.summary()] == [("actioned_at", 2),
                                                                                ("actioned_at", 1)]


def test_a_later_successful_file_folds_the_earlier_rejected_one_away(submitter, draft, period):
    bad = good_rows(period, 3)
    bad[0]["action"] = "DELETED"
    _upload(submitter, draft, csv_bytes(bad), name="first.csv")
    _upload(submitter, draft, csv_bytes(good_rows(period, 3)), name="second.csv")
    page = submitter.get(f"/company/filings/{draft.pk}/").content.decode()
    latest = page.split('<details class="earlier-uploads">')[0]
    assert "second.csv" in latest and "Loaded: 3 rows checked, 3 loaded" in latest
    assert "Correct the problems below" not in page and "Earlier files and batches (1)" in page
    assert "first.csv" in page.split('<details class="earlier-uploads">')[1]


def test_a_file_already_loaded_gets_one_plain_sentence(submitter, draft, period):
    content = csv_bytes(good_rows(period, 4))
    _upload(submitter, draft, content, name="q2.csv")
    _upload(submitter, draft, content, name="q2-again.csv")
    again = _latest(draft)
    assert again.status == UploadStatus.REJECTED and again.already_loaded
    page = submitter.get(f"/company/filings/{draft.pk}/").content.decode()
    assert "Every row of this file is already in this draft" in page
    assert "Correct the problems below" not in page


def test_the_progress_says_how_far_the_check_has_got_as_a_percentage(submitter, draft, period):
    _upload(submitter, draft, csv_bytes(good_rows(period, 8)))
    upload = _latest(draft)
    assert upload.rows_expected == 8
    FilingUpload.objects.filter(pk=upload.pk).update(status=UploadStatus.VALIDATING, rows_validated=2)
    with psycopg.connect(**connection.get_connection_params(), autocommit=True) as worker:
        # A live worker holds the upload's lock while it checks the file (or the poll would fail it as dead).
        worker.execute("SELECT pg_advisory_lock(%s, %s)", upload_lock_key(upload.pk))
        assert submitter.get(f"/uploads/{upload.pk}/progress/").json()["percent"] == 25
    FilingUpload.objects.filter(pk=upload.pk).update(status=UploadStatus.LOADED, rows_validated=8)
    assert submitter.get(f"/uploads/{upload.pk}/progress/").json()["percent"] == 100


def test_a_file_sent_in_the_background_is_answered_with_where_to_go_next(submitter, draft, period):
    response = submitter.post(f"/company/filings/{draft.pk}/upload/",
                              {"file": SimpleUploadedFile("q2.csv", csv_bytes(good_rows(period, 2)))},
                              headers={"X-Requested-With": "XMLHttpRequest"})
    assert response.status_code == 200 and response.json() == {"redirect": f"/company/filings/{draft.pk}/"}
    page = submitter.get(f"/company/filings/{draft.pk}/").content.decode()
    assert "q2.csv was received and is being checked." in page  # the message waited for the page
