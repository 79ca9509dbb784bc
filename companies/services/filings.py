"""Filings: drafts, uploads, API batches, submission (attestation), review by the regulator."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
from typing import IO, Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile, File
from django.db import OperationalError, connection, transaction
from django.db.models import Max
from django.utils import timezone

from companies import filing_format as ff
from companies.deadlines import days_late_for
from companies.ingest.load import Rejected, copy_csv_columnar, copy_rows
from companies.ingest.validate import (
    SHOWN_ERRORS,
    ErrorLog,
    FileProblem,
    csv_rows,
    jsonl_rows,
    object_values,
)
from companies.models import (
    ATTESTATION_TEXT,
    Company,
    CompanyStatus,
    Filing,
    FilingStatus,
    FilingUpload,
    MemberRole,
    ReportingPeriod,
    UploadStatus,
)
from companies.selectors import membership_for
from companies.signals import filing_accepted
from core.audit import audit_record

MAX_BATCH = 1_000
NARRATIVE_FIELDS = ["measures_taken", "automated_tools", "areas_for_improvement", "moderation_staff"]


# --- who may do what -----------------------------------------------------------------------------


def require_company_role(actor: AbstractBaseUser, company: Company, role: str) -> None:
    """Refuse unless ``actor`` is an active member of ``company`` with ``role`` or above."""
    membership = membership_for(user=actor)
    if membership is None or membership.company_id != company.pk or not membership.has_role(role):
        names = {MemberRole.SUBMITTER: "a submitter or the compliance officer",
                 MemberRole.OFFICER: "the compliance officer", MemberRole.VIEWER: "a member"}
        raise PermissionDenied(f"Only {names[role]} of {company} may do this.")
    if role != MemberRole.VIEWER and company.status != CompanyStatus.ACTIVE:
        raise PermissionDenied(f"{company} is {company.get_status_display().lower()}; it cannot file. "
                               "Contact the regulator.")


def _require_reviewer(actor: AbstractBaseUser) -> None:
    if not actor.has_perm("companies.review_filing"):
        raise PermissionDenied("Only the regulator's analysts and supervisors review filings.")


def _move(filing: Filing, *, old: str, new: str, **fields: Any) -> None:
    """Compare-and-set one transition; fail unless exactly this filing moved."""
    changed = Filing.objects.filter(pk=filing.pk, status=old).update(status=new, **fields)
    if changed != 1:
        current = Filing.objects.filter(pk=filing.pk).values_list("status", flat=True).first()
        raise ValidationError(
            f"This filing is {FilingStatus(current).label.lower() if current else 'gone'}, not "
            f"{FilingStatus(old).label.lower()}; nothing changed."
        )
    for name, value in {"status": new, **fields}.items():
        setattr(filing, name, value)


# --- drafts --------------------------------------------------------------------------------------


@transaction.atomic
def filing_start(
    *, actor: AbstractBaseUser, company: Company, period: ReportingPeriod, correction_reason: str = ""
) -> Filing:
    """Open a draft: version 1, or a correction (a new version with a reason) of the last one."""
    require_company_role(actor, company, MemberRole.SUBMITTER)
    # Lock the company row so two people starting a version at once get consecutive numbers.
    Company.objects.select_for_update().get(pk=company.pk)
    if period.end >= timezone.localdate():
        raise ValidationError(f"{period} has not ended yet; file after {period.end:%d %B %Y}.")
    versions = Filing.objects.filter(company=company, period=period)
    draft = versions.filter(status=FilingStatus.DRAFT).first()
    if draft is not None:
        raise ValidationError(f"Version {draft.version} of {period} is already a draft; continue that one.")
    under_review = versions.filter(status=FilingStatus.SUBMITTED).first()
    if under_review is not None:
        raise ValidationError(
            f"Version {under_review.version} of {period} is with the regulator; wait for its decision."
        )
    last = versions.aggregate(last=Max("version"))["last"] or 0
    correction_reason = correction_reason.strip()
    if last and not correction_reason:
        raise ValidationError({"correction_reason": "Say why this version corrects the previous one."})
    filing = Filing.objects.create(
        company=company, period=period, version=last + 1, correction_reason=correction_reason if last else "",
        created_by=actor,
    )
    audit_record(actor=actor, action="filing.started", obj=filing,
                 after={"version": filing.version, "correction_reason": filing.correction_reason})
    return filing


def _locked_draft(filing_id: int, *, wait: bool = False) -> Filing:
    """The draft, locked. People's actions do not wait: while a file loads (which holds this
    lock for its whole transaction) they are told so at once instead of hanging."""
    try:
        filing = (Filing.objects.select_for_update(nowait=not wait).select_related("company", "period")
                  .get(pk=filing_id))
    except OperationalError:
        raise ValidationError("A file is being loaded into this draft right now; try again when it has "
                              "finished (the progress bar shows when).") from None
    if filing.status != FilingStatus.DRAFT:
        raise ValidationError(f"Version {filing.version} is {filing.get_status_display().lower()} and cannot "
                              "change; start a new version to correct it.")
    return filing


@transaction.atomic
def filing_update_narrative(*, actor: AbstractBaseUser, filing: Filing, data: dict[str, Any]) -> Filing:
    """Change the narrative of a draft."""
    require_company_role(actor, filing.company, MemberRole.SUBMITTER)
    locked = _locked_draft(filing.pk)
    before = {name: getattr(locked, name) for name in NARRATIVE_FIELDS}
    for name in NARRATIVE_FIELDS:
        if name in data:
            setattr(locked, name, data[name])
    locked.full_clean()
    locked.save(update_fields=NARRATIVE_FIELDS)
    audit_record(actor=actor, action="filing.narrative_changed", obj=locked, before=before,
                 after={name: getattr(locked, name) for name in NARRATIVE_FIELDS})
    return locked


@transaction.atomic
def filing_abandon(*, actor: AbstractBaseUser, filing: Filing, reason: str = "") -> Filing:
    """Set a draft aside (its rows stay, marked abandoned) so a fresh version can start."""
    require_company_role(actor, filing.company, MemberRole.SUBMITTER)
    locked = _locked_draft(filing.pk)
    _move(locked, old=FilingStatus.DRAFT, new=FilingStatus.ABANDONED)
    audit_record(actor=actor, action="filing.abandoned", obj=locked, before={"status": "draft"},
                 after={"status": "abandoned"}, reason=reason)
    return locked


# --- uploads -------------------------------------------------------------------------------------


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
    require_company_role(actor, filing.company, MemberRole.SUBMITTER)
    _locked_draft(filing.pk)
    file_format = _format_for(name)
    _fail_stale_uploads(filing)
    if FilingUpload.objects.filter(filing=filing, status__in=[UploadStatus.QUEUED, UploadStatus.VALIDATING]).exists():
        raise ValidationError({"file": "Another file is still being processed for this filing; wait for it."})
    digest = hashlib.sha256()
    size = 0
    for chunk in iter(lambda: file.read(1024 * 1024), b""):
        digest.update(chunk)
        size += len(chunk)
    file.seek(0)
    if size > settings.PORTAL_UPLOAD_MAX_BYTES:
        raise ValidationError({"file": f"The file is {size:,} bytes; the limit is "
                                       f"{settings.PORTAL_UPLOAD_MAX_BYTES:,} bytes."})
    upload = FilingUpload(filing=filing, uploaded_by=actor, original_name=name[:255], format=file_format,
                          size_bytes=size, sha256=digest.hexdigest())
    upload.file.save(f"{filing.company.slug}-{filing.period.code}-v{filing.version}-{name[-80:]}",
                     File(file), save=False)
    upload.save()
    audit_record(actor=actor, action="upload.received", obj=upload,
                 after={"filing": filing.pk, "name": name, "bytes": size, "sha256": upload.sha256})

    from companies.tasks import process_upload

    transaction.on_commit(lambda: process_upload.enqueue(upload.pk))
    return upload


def _fail_stale_uploads(filing: Filing) -> None:
    """Give up on uploads whose worker died: queued or validating for longer than the limit.

    The caller holds the filing's lock, so no live load is running (a load holds that lock
    for its whole transaction); a stale row can only be left over from a killed worker.
    """
    limit = timezone.now() - dt.timedelta(minutes=settings.PORTAL_UPLOAD_STALE_MINUTES)
    stale = FilingUpload.objects.filter(filing=filing, status__in=[UploadStatus.QUEUED, UploadStatus.VALIDATING],
                                        created_at__lt=limit)
    for upload in stale:
        changed = FilingUpload.objects.filter(pk=upload.pk, status=upload.status).update(
            status=UploadStatus.FAILED, finished_at=timezone.now())
        if changed:
            audit_record(actor=None, action="upload.failed", obj=upload, before={"status": upload.status},
                         after={"status": UploadStatus.FAILED},
                         reason=f"No progress for {settings.PORTAL_UPLOAD_STALE_MINUTES} minutes; the worker "
                                "processing it stopped. Upload the file again.")


class _Progress:
    """Reports progress on its own autocommit connection, so the page sees it while the load's
    transaction is still open. Never touches the upload row from the load's transaction."""

    def __init__(self, upload_id: int) -> None:
        self.upload_id = upload_id
        self.conn = None

    def __call__(self, validated: int, loaded: int, errors: int) -> None:
        import psycopg

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
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["row", "field", "value", "message"])
    for row, field_name, value, message in errors.rows:
        writer.writerow([row, ff.neutralise_cell(field_name), ff.neutralise_cell(value), ff.neutralise_cell(message)])
    if errors.count > len(errors.rows):
        writer.writerow(["", "", "", f"… and {errors.count - len(errors.rows):,} more errors not listed"])
    return out.getvalue().encode()


def _reject(upload: FilingUpload, errors: ErrorLog, validated: int) -> None:
    upload.status = UploadStatus.REJECTED
    upload.rows_validated = validated
    upload.rows_loaded = 0
    upload.error_count = errors.count
    upload.errors = [list(error) for error in errors.rows[:SHOWN_ERRORS]]
    upload.finished_at = timezone.now()
    upload.error_file.save(f"upload-{upload.pk}-errors.csv", ContentFile(_error_csv(errors)), save=False)
    upload.save()
    audit_record(actor=upload.uploaded_by, action="upload.rejected", obj=upload, after={"errors": errors.count})


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
        from companies.ingest.columnar import Unreadable

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
    the duplicate check passed.
    """
    claimed = FilingUpload.objects.filter(pk=upload_id, status=UploadStatus.QUEUED).update(
        status=UploadStatus.VALIDATING, started_at=timezone.now()
    )
    upload = FilingUpload.objects.select_related("filing").get(pk=upload_id)
    if claimed != 1:
        return upload  # another worker has it, or it already ran
    errors = ErrorLog()
    progress = _Progress(upload.pk)
    counter = {"validated": 0, "last_row": 0}
    try:
        with transaction.atomic():
            filing = _locked_draft(upload.filing_id, wait=True)
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
            FilingUpload.objects.filter(pk=upload.pk).update(
                status=UploadStatus.LOADED, rows_validated=counter["validated"], rows_loaded=loaded,
                error_count=0, first_row_no=first_row_no, finished_at=timezone.now(),
            )
            audit_record(actor=upload.uploaded_by, action="upload.loaded", obj=upload,
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
        FilingUpload.objects.filter(pk=upload.pk).update(status=UploadStatus.FAILED, finished_at=timezone.now())
        audit_record(actor=None, action="upload.failed", obj=upload, after={"status": UploadStatus.FAILED},
                     reason=f"{type(error).__name__}: {str(error)[:500]}")
        raise
    finally:
        progress.close()
    upload.refresh_from_db()
    return upload


# --- API batches ---------------------------------------------------------------------------------


def existing_items(*, filing: Filing, external_ids: list[str]) -> dict[str, int]:
    """external_id → item number, for the given ids already in the filing (one index lookup)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT external_id, row_no FROM companies_takedownitem "
            "WHERE filing_id = %s AND period_id = %s AND external_id = ANY(%s)",
            [filing.pk, filing.period_id, external_ids],
        )
        return dict(cursor.fetchall())


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
        require_company_role(actor, company, MemberRole.SUBMITTER)
    if not isinstance(items, list) or not items:
        raise ValidationError({"items": "Send a non-empty list of items."})
    if len(items) > MAX_BATCH:
        raise ValidationError({"items": f"A batch holds at most {MAX_BATCH:,} items; this one has {len(items):,}."})
    filing = _locked_draft(filing.pk)
    errors = ErrorLog()
    rows: list[tuple[int, list[str]]] = []
    for index, obj in enumerate(items):
        values = object_values(obj, index + 1, errors)
        if values is not None:
            rows.append((index + 1, values))
    ids = [values[0] for _, values in rows]
    existing = existing_items(filing=filing, external_ids=ids)
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
        audit_record(actor=actor, action="batch.loaded", obj=upload,
                     after={"filing": filing.pk, "rows": loaded, "existing": len(repeats)})
    return {"created": loaded, "existing": repeats, "errors": [], "error_count": 0}


# --- submission and review -----------------------------------------------------------------------


def _totals(filing: Filing) -> dict[str, dict[str, int]]:
    """Counts by source, action and category in one grouped pass over the filing's items."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT source_type, action, category, count(*)
            FROM companies_takedownitem WHERE filing_id = %s AND period_id = %s
            GROUP BY GROUPING SETS ((source_type), (action), (category))
            """,
            [filing.pk, filing.period_id],
        )
        totals: dict[str, dict[str, int]] = {"source_type": {}, "action": {}, "category": {}}
        names = {"source_type": ff.labels(ff.SOURCE_TYPES), "action": ff.labels(ff.ACTIONS),
                 "category": ff.labels(ff.CATEGORIES)}
        for source, action, category, count in cursor.fetchall():
            for key, code in (("source_type", source), ("action", action), ("category", category)):
                if code is not None:
                    totals[key][names[key][code]] = count
    return totals


@transaction.atomic
def filing_submit(*, actor: AbstractBaseUser, filing: Filing, nil_return: bool = False) -> Filing:
    """The officer attests and submits a draft; the version is frozen from here on."""
    require_company_role(actor, filing.company, MemberRole.OFFICER)
    locked = _locked_draft(filing.pk)
    _fail_stale_uploads(locked)
    problems = []
    if FilingUpload.objects.filter(filing=locked, status__in=[UploadStatus.QUEUED, UploadStatus.VALIDATING]).exists():
        problems.append("A file is still being processed; wait for it to finish.")
    if nil_return and locked.item_count:
        problems.append(f"A nil return cannot have items; this draft has {locked.item_count:,}.")
    if not nil_return and not locked.item_count:
        problems.append("The draft has no items. Upload them, or submit a nil return if you received no notices.")
    if not locked.measures_taken.strip():
        problems.append("Describe the measures taken (including automated tools) before submitting.")
    if not locked.areas_for_improvement.strip():
        problems.append("Describe the areas for improvement before submitting.")
    if problems:
        raise ValidationError(problems)
    now = timezone.now()
    first_submission = (
        Filing.objects.filter(company=locked.company, period=locked.period, submitted_at__isnull=False)
        .order_by("submitted_at").values_list("submitted_at", flat=True).first()
    ) or now
    last_upload = (FilingUpload.objects.filter(filing=locked, status=UploadStatus.LOADED)
                   .exclude(format=FilingUpload.Format.BATCH).order_by("-created_at").first())
    attestation = ATTESTATION_TEXT.format(company=locked.company.legal_name, period=locked.period.code)
    _move(
        locked, old=FilingStatus.DRAFT, new=FilingStatus.SUBMITTED,
        submitted_at=now, submitted_by=actor, attestation_text=attestation, is_nil_return=nil_return,
        totals=_totals(locked), source_sha256=last_upload.sha256 if last_upload else "",
        days_late=days_late_for(period=locked.period, submitted_at=first_submission),
    )
    audit_record(actor=actor, action="filing.submitted", obj=locked, before={"status": "draft"},
                 after={"status": "submitted", "items": locked.item_count, "nil_return": nil_return,
                        "attestation": attestation, "days_late": locked.days_late})
    return locked


@transaction.atomic
def filing_accept(*, actor: AbstractBaseUser, filing: Filing, note: str = "") -> Filing:
    """An analyst accepts a submitted version."""
    _require_reviewer(actor)
    now = timezone.now()
    _move(filing, old=FilingStatus.SUBMITTED, new=FilingStatus.ACCEPTED,
          reviewed_at=now, reviewed_by=actor, review_reason=note.strip())
    # An accepted version replaces the earlier accepted ones (a returned amendment does not).
    superseded = list(Filing.objects.filter(company_id=filing.company_id, period_id=filing.period_id,
                                            version__lt=filing.version, status=FilingStatus.ACCEPTED,
                                            superseded_at__isnull=True).values_list("version", flat=True))
    Filing.objects.filter(company_id=filing.company_id, period_id=filing.period_id, version__in=superseded).update(
        superseded_at=now)
    audit_record(actor=actor, action="filing.accepted", obj=filing, before={"status": "submitted"},
                 after={"status": "accepted", "supersedes_versions": superseded}, reason=note)
    transaction.on_commit(lambda: filing_accepted.send(sender=Filing, filing=filing))
    return filing


@transaction.atomic
def filing_return(*, actor: AbstractBaseUser, filing: Filing, reason: str) -> Filing:
    """An analyst returns a submitted version with reasons the company sees."""
    _require_reviewer(actor)
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": "Say what the company must correct; they see this text."})
    _move(filing, old=FilingStatus.SUBMITTED, new=FilingStatus.RETURNED,
          reviewed_at=timezone.now(), reviewed_by=actor, review_reason=reason)
    audit_record(actor=actor, action="filing.returned", obj=filing, before={"status": "submitted"},
                 after={"status": "returned"}, reason=reason)
    return filing


def upload_limit_exceeded(content_length: str | None) -> bool:
    """Whether a request announces a body over the upload limit (checked before reading it)."""
    try:
        return int(content_length or 0) > settings.PORTAL_UPLOAD_MAX_BYTES + 64 * 1024
    except ValueError:
        return False

