"""Filling a draft: uploaded files (validated and loaded whole by a background task, or rejected whole with
every error) and API batches of up to 1,000 items.

A load holds the draft's lock for its whole transaction, so people's actions on the draft are
told at once that a file is being loaded instead of waiting.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
from typing import IO, Any

import psycopg
from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile, File
from django.db import connection, transaction
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from companies import access, item_table
from companies import filing_format as ff
from companies.ingest.columnar import Unreadable
from companies.ingest.load import Rejected, copy_csv_columnar, copy_rows
from companies.ingest.validate import (
    SHOWN_ERRORS,
    ErrorLog,
    FileProblem,
    csv_rows,
    jsonl_rows,
    object_values,
)
from companies.models import Company, Filing, FilingUpload, MemberRole, UploadStatus
from companies.services.drafts import locked_draft
from core.audit import Action, audit_record
from core.workflows import transition

MAX_BATCH = 1_000


# How the queue names the upload task (its module path), written out: importing the task module here would be a
# cycle (see upload_create); a test checks that the two agree.
PROCESS_UPLOAD_TASK = "companies.tasks.process_upload"


def _format_for(name: str) -> str:
    lowered = name.lower()
    if lowered.endswith((".jsonl", ".ndjson", ".json")):
        return FilingUpload.Format.JSONL
    if lowered.endswith((".csv", ".txt")):
        return FilingUpload.Format.CSV
    raise ValidationError({"file": f"{name!r} is neither CSV (.csv) nor JSON Lines (.jsonl)."})


@transaction.atomic
def upload_create(*, actor: AbstractBaseUser, filing: Filing, file: IO[bytes], name: str) -> FilingUpload:
    """Store an uploaded file against a draft and queue its validation and load.

    The file's SHA-256 is computed while it is stored; the work itself runs in a
    background task once this transaction commits.
    """
    access.require_company_role(actor, filing.company, MemberRole.SUBMITTER)
    locked_draft(filing.pk)
    file_format = _format_for(name)
    uploads_fail_stale(filing=filing)
    if FilingUpload.objects.filter(filing=filing, status__in=[UploadStatus.QUEUED, UploadStatus.VALIDATING]).exists():
        raise ValidationError({"file": "Another file is still being processed for this filing; wait for it."})
    digest = hashlib.sha256()
    size = lines = 0
    last = b""
    for chunk in iter(lambda: file.read(1024 * 1024), b""):
        digest.update(chunk)
        size += len(chunk)
        lines += chunk.count(b"\n")
        last = chunk[-1:]
    file.seek(0)
    if last and last != b"\n":
        lines += 1  # a last line without its newline
    rows_expected = max(0, lines - 1) if file_format == FilingUpload.Format.CSV else lines  # CSV: the header
    if size > settings.PORTAL_UPLOAD_MAX_BYTES:
        raise ValidationError({"file": f"The file is {size:,} bytes; the limit is "
                                       f"{settings.PORTAL_UPLOAD_MAX_BYTES:,} bytes."})
    upload = FilingUpload(filing=filing, uploaded_by=actor, original_name=name[:255], format=file_format,
                          size_bytes=size, sha256=digest.hexdigest(), rows_expected=rows_expected)
    upload.file.save(f"{filing.company.slug}-{filing.period.code}-v{filing.version}-{name[-80:]}",
                     File(file), save=False)
    upload.save()
    audit_record(actor=actor, action=Action.UPLOAD_RECEIVED, obj=upload,
                 after={"filing": filing.pk, "name": name, "bytes": size, "sha256": upload.sha256})
    # The one import kept inside a function: companies.tasks calls this module's upload_process, so a
    # module-level import here would be a cycle.
    from companies.tasks import process_upload

    transaction.on_commit(lambda: process_upload.enqueue(upload.pk))
    return upload


# The advisory lock a worker holds for as long as it works on an upload (docs/DECISIONS.md §14): PostgreSQL lets
# go of it the moment the worker's session ends, so "validating, and nobody holds its lock" means its worker died.
UPLOAD_LOCK_NAMESPACE = 0x55504C44  # "UPLD"; the second key is the upload's id
WORKER_STOPPED = "The worker processing this file stopped; nothing of it was kept. Upload the file again."


def upload_lock_key(upload_id: int) -> list[int]:
    # pg_advisory_lock(int, int): ids beyond 2**31 fold over, which could only make a dead upload look alive
    # until the time limit below gives it up.
    return [UPLOAD_LOCK_NAMESPACE, upload_id % 2_147_483_647]


def _nobody_works_on(upload: FilingUpload) -> bool:
    """Whether no session holds the upload's lock (taken and at once released again when free)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", upload_lock_key(upload.pk))
        free = cursor.fetchone()[0]
        if free:
            cursor.execute("SELECT pg_advisory_unlock(%s, %s)", upload_lock_key(upload.pk))
    return free


def _fail_task(upload: FilingUpload) -> None:
    """The queue's record of a dead worker's task says failed too, instead of running for ever."""
    DBTaskResult.objects.filter(
        status=TaskResultStatus.RUNNING, task_path=PROCESS_UPLOAD_TASK, args_kwargs__args=[upload.pk],
    ).update(status=TaskResultStatus.FAILED, finished_at=timezone.now(),
             exception_class_path="companies.services.uploads.WorkerStopped", traceback=WORKER_STOPPED)


@transaction.atomic
def uploads_fail_stale(*, filing: Filing | None = None) -> list[FilingUpload]:
    """Fail the uploads of ``filing`` (or of every filing) whose worker is gone; returns them.

    A validating upload whose lock nobody holds failed the moment its worker died (killed, out of memory, its
    machine gone): it is failed at once with a plain message, and its task in the queue too. A queued upload no
    worker took within PORTAL_UPLOAD_STALE_MINUTES is given up as well. Each is one audited move through
    ``transition``; an upload that finished meanwhile is left alone. The draft is free again at once.
    """
    uploads = FilingUpload.objects.filter(status__in=[UploadStatus.QUEUED, UploadStatus.VALIDATING])
    if filing is not None:
        uploads = uploads.filter(filing=filing)
    limit = timezone.now() - dt.timedelta(minutes=settings.PORTAL_UPLOAD_STALE_MINUTES)
    failed = []
    for upload in uploads:
        if upload.status == UploadStatus.VALIDATING and _nobody_works_on(upload):
            reason = WORKER_STOPPED
        elif upload.status == UploadStatus.QUEUED and upload.created_at < limit:
            reason = (f"No worker started on this file for {settings.PORTAL_UPLOAD_STALE_MINUTES} minutes; "
                      "nothing of it was kept. Upload the file again.")
        else:
            continue
        was = upload.status
        try:
            transition(upload, old=was, new=UploadStatus.FAILED, finished_at=timezone.now(),
                       errors=[[0, "", "", reason]])
        except ValidationError:
            continue  # it finished meanwhile
        _fail_task(upload)
        audit_record(actor=None, action=Action.UPLOAD_FAILED, obj=upload, before={"status": was},
                     after={"status": UploadStatus.FAILED}, reason=reason)
        failed.append(upload)
    return failed


def upload_waiting_note(*, upload: FilingUpload, now: dt.datetime | None = None) -> str:
    """What to tell a person about a queued upload that no worker has taken for a while ("" otherwise)."""
    if upload.status != UploadStatus.QUEUED:
        return ""
    waited = (now or timezone.now()) - upload.created_at
    if waited < dt.timedelta(seconds=settings.PORTAL_UPLOAD_WAIT_NOTE_SECONDS):
        return ""
    minutes = max(1, int(waited.total_seconds() // 60))
    return (f"Waiting for a worker: no worker has started on this file for {minutes} minute"
            f"{'s' if minutes != 1 else ''}. It stays in the queue and is checked as soon as one is free.")


class _Progress:
    """Reports progress on its own autocommit connection, so the page sees it while the load's
    transaction is still open. Never touches the upload row from the load's transaction."""

    def __init__(self, upload_id: int) -> None:
        self.upload_id = upload_id
        self.conn = None

    def __call__(self, validated: int, loaded: int, errors: int) -> None:
        if self.conn is None:
            self.conn = psycopg.connect(**connection.get_connection_params(), autocommit=True)
        self.conn.execute(
            "UPDATE companies_filingupload SET rows_validated = %s, rows_loaded = %s, error_count = %s WHERE id = %s",
            [validated, loaded, errors, self.upload_id],
        )

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()


def _error_csv(errors: ErrorLog) -> bytes:
    """Every listed error as CSV, UTF-8 with a byte-order mark so that spreadsheet programs read it as UTF-8."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow(["row", "field", "value", "message"])
    for row, field_name, value, message in errors.rows:
        writer.writerow([row, ff.neutralise_cell(field_name), ff.neutralise_cell(value), ff.neutralise_cell(message)])
    if errors.count > len(errors.rows):
        writer.writerow(["", "", "", f"… and {errors.count - len(errors.rows):,} more errors not listed"])
    return out.getvalue().encode()


def _reject(upload: FilingUpload, errors: ErrorLog, validated: int) -> None:
    """The whole file is refused: its report (every error, also as CSV) is kept, none of its rows."""
    upload.error_file.save(f"upload-{upload.pk}-errors.csv", ContentFile(_error_csv(errors)), save=False)
    transition(upload, old=UploadStatus.VALIDATING, new=UploadStatus.REJECTED, rows_validated=validated,
               rows_loaded=0, error_count=errors.count, errors=[list(error) for error in errors.rows[:SHOWN_ERRORS]],
               error_summary=errors.summary(), finished_at=timezone.now(), error_file=upload.error_file.name)
    audit_record(actor=upload.uploaded_by, action=Action.UPLOAD_REJECTED, obj=upload, after={"errors": errors.count})


def _load_file(*, upload: FilingUpload, filing: Filing, binary, errors: ErrorLog, first_row_no: int,
               progress: _Progress, counter: dict[str, int]) -> int:
    """CSV goes through Arrow's column-at-a-time validator; JSON Lines, and any CSV Arrow cannot
    parse, through the row-by-row one (which reports exactly where a broken file breaks)."""

    def counted(rows):
        for row, values in rows:
            counter["validated"] += 1
            counter["last_row"] = row  # JSON Lines numbers rows by line, blank lines included
            yield row, values

    if upload.format == FilingUpload.Format.CSV:
        def tracking(validated: int, loaded: int, error_count: int) -> None:
            counter["validated"] = counter["last_row"] = validated  # kept for the report on rejection too
            progress(validated, loaded, error_count)

        try:
            with transaction.atomic():
                _validated, loaded = copy_csv_columnar(filing=filing, binary=binary, errors=errors,
                                                       first_row_no=first_row_no, progress=tracking)
                return loaded
        except Unreadable:
            errors.__init__()  # start the report afresh for the row-by-row pass
            counter["validated"] = counter["last_row"] = 0
            binary.seek(0)
        reader = csv_rows
    else:
        reader = jsonl_rows
    return copy_rows(filing=filing, rows=counted(reader(binary, errors)), errors=errors,
                     first_row_no=first_row_no, progress=progress)


def upload_process(*, upload_id: int) -> FilingUpload:
    """Validate a queued upload and load it whole into its draft, or reject it whole.

    Runs in a worker. A rejected or interrupted load leaves no items: rows go in
    through one COPY inside one transaction that commits only when every row and
    the duplicate check passed. The upload's lock is held from before it is claimed
    until after it is loaded, rejected or failed, so while it is validating a free
    lock can only mean this worker died (``uploads_fail_stale``).
    """
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(%s, %s)", upload_lock_key(upload_id))
    try:
        return _process(upload_id)
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s, %s)", upload_lock_key(upload_id))


def _process(upload_id: int) -> FilingUpload:
    upload = FilingUpload.objects.select_related("filing").get(pk=upload_id)
    try:
        transition(upload, old=UploadStatus.QUEUED, new=UploadStatus.VALIDATING, started_at=timezone.now())
    except ValidationError:
        upload.refresh_from_db()
        return upload  # another worker has it, or it already ran
    errors = ErrorLog()
    progress = _Progress(upload.pk)
    counter = {"validated": 0, "last_row": 0}
    try:
        with transaction.atomic():
            filing = locked_draft(upload.filing_id, wait=True)
            first_row_no = filing.last_row_no + 1
            with upload.file.open("rb") as binary:
                loaded = _load_file(upload=upload, filing=filing, binary=binary, errors=errors,
                                    first_row_no=first_row_no, progress=progress, counter=counter)
            if loaded == 0:
                errors.add(0, "", "", "The file has no rows.")
                raise Rejected
            Filing.objects.filter(pk=filing.pk).update(
                item_count=filing.item_count + loaded, last_row_no=first_row_no + counter["last_row"] - 1
            )
            transition(upload, old=UploadStatus.VALIDATING, new=UploadStatus.LOADED,
                       rows_validated=counter["validated"], rows_loaded=loaded, error_count=0,
                       first_row_no=first_row_no, finished_at=timezone.now())
            audit_record(actor=upload.uploaded_by, action=Action.UPLOAD_LOADED, obj=upload,
                         after={"rows": loaded, "sha256": upload.sha256, "first_row_no": first_row_no})
    except FileProblem as problem:
        errors.add(0, "", "", str(problem))
        _reject(upload, errors, counter["validated"])
    except Rejected:
        _reject(upload, errors, counter["validated"])
    except ValidationError as error:  # the filing stopped being a draft
        errors.add(0, "", "", " ".join(error.messages))
        _reject(upload, errors, counter["validated"])
    except Exception as error:
        transition(upload, old=UploadStatus.VALIDATING, new=UploadStatus.FAILED, finished_at=timezone.now())
        audit_record(actor=None, action=Action.UPLOAD_FAILED, obj=upload, after={"status": UploadStatus.FAILED},
                     reason=f"{type(error).__name__}: {str(error)[:500]}")
        raise
    finally:
        progress.close()
    upload.refresh_from_db()
    return upload


@transaction.atomic
def batch_add(*, actor: AbstractBaseUser | None, company: Company, filing: Filing,
              items: list[Any]) -> dict[str, Any]:
    """Add up to 1,000 items to a draft, all or nothing.

    Idempotent on external_id: an item already in the filing is reported with its
    item number and not added again. Errors are keyed by the item's index (0-based).
    """
    if filing.company_id != company.pk:
        raise PermissionDenied("This filing belongs to another company.")
    if actor is not None:
        access.require_company_role(actor, company, MemberRole.SUBMITTER)
    if not isinstance(items, list) or not items:
        raise ValidationError({"items": "Send a non-empty list of items."})
    if len(items) > MAX_BATCH:
        raise ValidationError({"items": f"A batch holds at most {MAX_BATCH:,} items; this one has {len(items):,}."})
    filing = locked_draft(filing.pk)
    errors = ErrorLog()
    rows: list[tuple[int, list[str]]] = []
    for index, obj in enumerate(items):
        values = object_values(obj, index + 1, errors)
        if values is not None:
            rows.append((index + 1, values))
    ids = [values[0] for _, values in rows]
    existing = item_table.existing_items(filing=filing, external_ids=ids)
    repeats = [{"index": row - 1, "external_id": values[0], "item": existing[values[0]]}
               for row, values in rows if values[0] in existing]
    fresh = [(row, values) for row, values in rows if values[0] not in existing]
    first_row_no = filing.last_row_no + 1
    loaded = 0
    if fresh or errors.count:
        try:
            with transaction.atomic():
                loaded = copy_rows(filing=filing, rows=fresh, errors=errors, first_row_no=first_row_no,
                                   only_ids=[values[0] for _, values in fresh])
        except Rejected:
            return {"created": 0, "existing": repeats, "errors": [
                {"index": row - 1, "field": field_name, "value": value, "message": message}
                for row, field_name, value, message in errors.rows
            ], "error_count": errors.count}
    if loaded:
        Filing.objects.filter(pk=filing.pk).update(item_count=filing.item_count + loaded,
                                                   last_row_no=first_row_no + len(items) - 1)
        upload = FilingUpload.objects.create(
            filing=filing, format=FilingUpload.Format.BATCH, status=UploadStatus.LOADED,
            rows_validated=len(items), rows_loaded=loaded, first_row_no=first_row_no,
            uploaded_by=actor if actor is not None and actor.is_authenticated else None,
            started_at=timezone.now(), finished_at=timezone.now(),
        )
        audit_record(actor=actor, action=Action.BATCH_LOADED, obj=upload,
                     after={"filing": filing.pk, "rows": loaded, "existing": len(repeats)})
    return {"created": loaded, "existing": repeats, "errors": [], "error_count": 0}


def upload_limit_exceeded(content_length: str | None) -> bool:
    """Whether a request announces a body over the upload limit (checked before reading it)."""
    try:
        return int(content_length or 0) > settings.PORTAL_UPLOAD_MAX_BYTES + 64 * 1024
    except ValueError:
        return False
