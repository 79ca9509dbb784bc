"""A real `manage.py db_worker` killed in the middle of a load (companies/services/uploads.py, DECISIONS §14): within a
minute the upload is failed with a plain message, audited, its task is failed in the queue, nothing of the file
is kept, and the same draft takes a new file."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import pytest
from django.db import connection

from companies.ingest.generate import generate_rows, write_csv
from companies.models import FilingUpload, UploadStatus
from companies.services.uploads import PROCESS_UPLOAD_TASK, upload_create
from core.models import AuditEvent
from tests.companies.factories import FilingFactory, ReportingPeriodFactory

ROOT = Path(__file__).resolve().parents[2]
ROWS = 400_000  # about 86 MB: several seconds of loading, long enough to kill the worker in the middle
STOPPED = "The worker processing this file stopped; nothing of it was kept. Upload the file again."

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def _worker(media: Path) -> subprocess.Popen:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.local", "PORTAL_MEDIA_ROOT": str(media),
           "DATABASE_URL": _test_database_url(), "DJANGO_DEBUG": "false"}
    return subprocess.Popen([sys.executable, "manage.py", "db_worker", "--no-reload", "--no-startup-delay",
                             "--interval", "0.2"], cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)


def _test_database_url() -> str:
    """The test database as a URL, whether the server listens on TCP (CI) or on a Unix socket (the embedded one)."""
    db = connection.settings_dict
    host, port = db["HOST"] or "127.0.0.1", db["PORT"] or 5432
    if host.startswith("/"):  # a socket directory goes in the query string
        return f"postgres://{quote(db['USER'])}@/{db['NAME']}?host={quote(host)}&port={port}"
    return f"postgres://{quote(db['USER'])}@{host}:{port}/{db['NAME']}"


def _wait_for(condition, *, seconds: float, step: float = 0.2):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        result = condition()
        if result:
            return result
        time.sleep(step)
    return None


def test_a_worker_killed_mid_load_is_known_within_a_minute_and_the_draft_takes_a_new_file(
        company_a, company_a_submitter, client_as, settings, tmp_path):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path / "media")}}}
    period = ReportingPeriodFactory(year=2026, quarter=2)
    draft = FilingFactory(company=company_a, period=period)
    path = tmp_path / "big.csv"
    with open(path, "w", encoding="utf-8", newline="") as out:
        write_csv(out, generate_rows(rows=ROWS, period_start=period.start, period_end=period.end, seed=3))
    with open(path, "rb") as file:
        upload = upload_create(actor=company_a_submitter, filing=draft, file=file, name="big.csv")

    worker = _worker(tmp_path / "media")
    try:
        def loading():
            upload.refresh_from_db()
            return upload.status == UploadStatus.VALIDATING and upload.rows_validated > 0

        assert _wait_for(loading, seconds=90), f"the worker never started loading (status {upload.status})"
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=10)
    finally:
        if worker.poll() is None:
            worker.kill()
            worker.wait()
    killed_at = time.monotonic()

    submitter = client_as("company_a_submitter")
    progress = _wait_for(lambda: (lambda data: data if data["status"] == "failed" else None)(
        submitter.get(f"/uploads/{upload.pk}/progress/").json()), seconds=60, step=0.5)
    assert progress is not None, "the upload was still not failed a minute after its worker was killed"
    print(f"failed {time.monotonic() - killed_at:.1f} s after the kill")
    upload.refresh_from_db()
    assert upload.errors == [[0, "", "", STOPPED]]
    assert AuditEvent.objects.get(action="upload.failed", object_id=str(upload.pk)).reason == STOPPED
    from django_tasks_db.models import DBTaskResult

    task = DBTaskResult.objects.get(task_path=PROCESS_UPLOAD_TASK, args_kwargs__args=[upload.pk])
    assert task.status == "FAILED"
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM companies_takedownitem WHERE filing_id = %s", [draft.pk])
        assert cursor.fetchone()[0] == 0

    with open(path, "rb") as file:
        again = upload_create(actor=company_a_submitter, filing=draft, file=file, name="big-again.csv")
    assert again.status == UploadStatus.QUEUED
    assert FilingUpload.objects.filter(filing=draft).count() == 2
