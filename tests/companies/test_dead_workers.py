"""companies/services/uploads.py (uploads_fail_stale, the upload lock), the progress endpoint and `check_uploads`:
an upload whose worker died is known at once, not after an hour, and the draft is usable again."""

from __future__ import annotations

import datetime as dt

import psycopg
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from companies.models import FilingUpload, UploadStatus
from companies.services import uploads as upload_services
from companies.tasks import process_upload
from core.models import AuditEvent
from tests.companies.factories import FilingFactory, ReportingPeriodFactory
from tests.companies.filing_files import csv_bytes, good_rows

STOPPED = "The worker processing this file stopped; nothing of it was kept. Upload the file again."


@pytest.fixture
def draft(company_a):
    return FilingFactory(company=company_a, period=ReportingPeriodFactory(year=2026, quarter=2))


@pytest.fixture
def submitter(client_as, company_a_submitter):
    return client_as("company_a_submitter")


def validating(draft, **fields) -> FilingUpload:
    return FilingUpload.objects.create(filing=draft, format="csv", original_name="big.csv",
                                       status=UploadStatus.VALIDATING, started_at=timezone.now(), **fields)


@pytest.fixture
def another_session():
    """A second PostgreSQL session, standing in for a live worker on another machine."""
    conn = psycopg.connect(**connection.get_connection_params(), autocommit=True)
    yield conn
    conn.close()


def test_a_file_being_loaded_by_a_live_worker_is_left_alone_and_failed_the_moment_it_dies(
        draft, submitter, another_session):
    upload = validating(draft)
    another_session.execute("SELECT pg_advisory_lock(%s, %s)", upload_services.upload_lock_key(upload.pk))
    assert submitter.get(f"/uploads/{upload.pk}/progress/").json()["status"] == "validating"
    upload.refresh_from_db()
    assert upload.status == UploadStatus.VALIDATING

    another_session.close()  # the worker's session ends: PostgreSQL lets go of its lock
    progress = submitter.get(f"/uploads/{upload.pk}/progress/").json()
    assert (progress["status"], progress["finished"]) == ("failed", True)
    upload.refresh_from_db()
    assert upload.errors == [[0, "", "", STOPPED]]
    event = AuditEvent.objects.get(action="upload.failed", object_id=str(upload.pk))
    assert event.reason == STOPPED and event.before == {"status": "validating"}


def test_the_draft_takes_a_new_file_at_once_after_its_worker_died(draft, submitter):
    upload = validating(draft)  # no session holds its lock: its worker is gone
    response = submitter.post(f"/company/filings/{draft.pk}/upload/",
                              {"file": SimpleUploadedFile("again.csv", csv_bytes(good_rows(draft.period, 3)))})
    assert response.status_code == 302
    upload.refresh_from_db()
    assert upload.status == UploadStatus.FAILED
    assert FilingUpload.objects.get(filing=draft, original_name="again.csv").status == UploadStatus.LOADED


def test_the_filing_page_shows_a_dead_workers_file_as_failed_with_the_reason(draft, submitter):
    validating(draft)
    page = submitter.get(f"/company/filings/{draft.pk}/").content.decode()
    assert STOPPED in page and "Failed" in page


def test_a_dead_workers_task_is_marked_failed_in_the_queue(draft):
    upload = validating(draft)
    task = DBTaskResult.objects.create(status="RUNNING", args_kwargs={"args": [upload.pk], "kwargs": {}},
                                       task_path=process_upload.module_path, backend_name="default",
                                       run_after=timezone.now(), started_at=timezone.now())
    upload_services.uploads_fail_stale(filing=draft)
    task.refresh_from_db()
    assert task.status == "FAILED" and task.traceback == STOPPED and task.finished_at is not None


def test_the_task_path_written_in_the_service_is_the_tasks_own():
    assert process_upload.module_path == upload_services.PROCESS_UPLOAD_TASK


def test_a_queued_file_no_worker_took_for_a_minute_says_so_and_stays_queued(draft, submitter):
    upload = FilingUpload.objects.create(filing=draft, format="csv", original_name="waiting.csv")
    FilingUpload.objects.filter(pk=upload.pk).update(created_at=timezone.now() - dt.timedelta(seconds=150))
    progress = submitter.get(f"/uploads/{upload.pk}/progress/").json()
    assert progress["status"] == "queued"
    assert progress["note"] == ("Waiting for a worker: no worker has started on this file for 2 minutes. It stays "
                                "in the queue and is checked as soon as one is free.")
    assert "Waiting for a worker" in submitter.get(f"/company/filings/{draft.pk}/").content.decode()
    upload.refresh_from_db()
    assert upload.status == UploadStatus.QUEUED


def test_a_fresh_queued_file_has_no_note(draft, submitter):
    upload = FilingUpload.objects.create(filing=draft, format="csv", original_name="new.csv")
    assert submitter.get(f"/uploads/{upload.pk}/progress/").json()["note"] == ""


def test_the_periodic_check_fails_dead_uploads_of_every_filing(draft, company_b, capsys):
    dead = validating(draft)
    other = validating(FilingFactory(company=company_b, period=draft.period))
    call_command("check_uploads")
    assert FilingUpload.objects.filter(pk__in=[dead.pk, other.pk], status=UploadStatus.FAILED).count() == 2
    assert capsys.readouterr().out.startswith("2 uploads failed: ")


def test_a_load_holds_its_lock_only_while_it_works(draft, another_session):
    upload = FilingUpload(filing=draft, format="csv", original_name="r.csv")
    upload.file.save("r.csv", SimpleUploadedFile("r.csv", csv_bytes(good_rows(draft.period, 2))), save=True)
    upload_services.upload_process(upload_id=upload.pk)
    held = another_session.execute("SELECT pg_try_advisory_lock(%s, %s)", upload_services.upload_lock_key(upload.pk))
    assert held.fetchone()[0] is True  # released when the load finished
