"""Filings: drafts, the narrative, submission (attestation) and review by the regulator.

Files and API batches that fill a draft are in uploads.py; every move of a filing goes through
core.workflows.transition and the table on the model.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from companies import access, item_table
from companies.deadlines import days_late_for, first_submitted_at, is_expected
from companies.models import (
    ATTESTATION_TEXT,
    Company,
    Filing,
    FilingStatus,
    FilingUpload,
    MemberRole,
    ReportingPeriod,
    UploadStatus,
)
from companies.services.drafts import locked_draft
from companies.services.uploads import uploads_fail_stale
from companies.signals import filing_accepted
from core.audit import Action, audit_record
from core.workflows import transition

NARRATIVE_FIELDS = ["measures_taken", "automated_tools", "areas_for_improvement", "moderation_staff"]


@transaction.atomic
def filing_start(
    *, actor: AbstractBaseUser, company: Company, period: ReportingPeriod, correction_reason: str = ""
) -> Filing:
    """Open a draft: version 1, or a correction (a new version with a reason) of the last one, starting from
    that version's narrative."""
    access.require_company_role(actor, company, MemberRole.SUBMITTER)
    # Lock the company row so two people starting a version at once get consecutive numbers.
    Company.objects.select_for_update().get(pk=company.pk)
    if period.end >= timezone.localdate():
        raise ValidationError(f"{period} has not ended yet; file after {period.end:%d %B %Y}.")
    if not is_expected(company=company, period=period):
        raise ValidationError(f"{company} was registered on {company.registered_on:%d %B %Y}, after {period} "
                              "ended; it files for the periods that end on or after that day.")
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
    # A correction starts from the previous version's narrative, which the company then edits.
    previous = versions.filter(version=last).values(*NARRATIVE_FIELDS).first() if last else {}
    filing = Filing.objects.create(
        company=company, period=period, version=last + 1, correction_reason=correction_reason if last else "",
        created_by=actor, **(previous or {}),
    )
    audit_record(actor=actor, action=Action.FILING_STARTED, obj=filing,
                 after={"version": filing.version, "correction_reason": filing.correction_reason})
    return filing


@transaction.atomic
def filing_update_narrative(*, actor: AbstractBaseUser, filing: Filing, data: dict[str, Any]) -> Filing:
    """Change the narrative of a draft."""
    access.require_company_role(actor, filing.company, MemberRole.SUBMITTER)
    locked = locked_draft(filing.pk)
    before = {name: getattr(locked, name) for name in NARRATIVE_FIELDS}
    for name in NARRATIVE_FIELDS:
        if name in data:
            setattr(locked, name, data[name])
    locked.full_clean()
    locked.save(update_fields=NARRATIVE_FIELDS)
    audit_record(actor=actor, action=Action.FILING_NARRATIVE_CHANGED, obj=locked, before=before,
                 after={name: getattr(locked, name) for name in NARRATIVE_FIELDS})
    return locked


@transaction.atomic
def filing_abandon(*, actor: AbstractBaseUser, filing: Filing, reason: str = "") -> Filing:
    """Set a draft aside (its rows stay, marked abandoned) so a fresh version can start."""
    access.require_company_role(actor, filing.company, MemberRole.SUBMITTER)
    locked = locked_draft(filing.pk)
    transition(locked, old=FilingStatus.DRAFT, new=FilingStatus.ABANDONED)
    audit_record(actor=actor, action=Action.FILING_ABANDONED, obj=locked, before={"status": "draft"},
                 after={"status": "abandoned"}, reason=reason)
    return locked


@transaction.atomic
def filing_submit(*, actor: AbstractBaseUser, filing: Filing, nil_return: bool = False) -> Filing:
    """The officer attests and submits a draft; the version is frozen from here on."""
    access.require_company_role(actor, filing.company, MemberRole.OFFICER)
    locked = locked_draft(filing.pk)
    uploads_fail_stale(filing=locked)
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
    first_submission = first_submitted_at(company_id=locked.company_id, period_id=locked.period_id) or now
    last_upload = (FilingUpload.objects.filter(filing=locked, status=UploadStatus.LOADED)
                   .exclude(format=FilingUpload.Format.BATCH).order_by("-created_at").first())
    attestation = ATTESTATION_TEXT.format(company=locked.company.legal_name, period=locked.period.code)
    transition(
        locked, old=FilingStatus.DRAFT, new=FilingStatus.SUBMITTED,
        submitted_at=now, submitted_by=actor, attestation_text=attestation, is_nil_return=nil_return,
        totals=item_table.filing_totals(filing=locked), source_sha256=last_upload.sha256 if last_upload else "",
        days_late=days_late_for(period=locked.period, submitted_at=first_submission),
    )
    audit_record(actor=actor, action=Action.FILING_SUBMITTED, obj=locked, before={"status": "draft"},
                 after={"status": "submitted", "items": locked.item_count, "nil_return": nil_return,
                        "attestation": attestation, "days_late": locked.days_late})
    return locked


@transaction.atomic
def filing_accept(*, actor: AbstractBaseUser, filing: Filing, note: str = "") -> Filing:
    """An analyst accepts a submitted version."""
    access.REVIEW_FILING.require(actor)
    now = timezone.now()
    transition(filing, old=FilingStatus.SUBMITTED, new=FilingStatus.ACCEPTED,
          reviewed_at=now, reviewed_by=actor, review_reason=note.strip())
    # An accepted version replaces the earlier accepted ones (a returned amendment does not).
    superseded = list(Filing.objects.filter(company_id=filing.company_id, period_id=filing.period_id,
                                            version__lt=filing.version, status=FilingStatus.ACCEPTED,
                                            superseded_at__isnull=True).values_list("version", flat=True))
    Filing.objects.filter(company_id=filing.company_id, period_id=filing.period_id, version__in=superseded).update(
        superseded_at=now)
    audit_record(actor=actor, action=Action.FILING_ACCEPTED, obj=filing, before={"status": "submitted"},
                 after={"status": "accepted", "supersedes_versions": superseded}, reason=note)
    transaction.on_commit(lambda: filing_accepted.send(sender=Filing, filing=filing))
    return filing


@transaction.atomic
def filing_return(*, actor: AbstractBaseUser, filing: Filing, reason: str) -> Filing:
    """An analyst returns a submitted version with reasons the company sees."""
    access.REVIEW_FILING.require(actor)
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": "Say what the company must correct; they see this text."})
    transition(filing, old=FilingStatus.SUBMITTED, new=FilingStatus.RETURNED,
          reviewed_at=timezone.now(), reviewed_by=actor, review_reason=reason)
    audit_record(actor=actor, action=Action.FILING_RETURNED, obj=filing, before={"status": "submitted"},
                 after={"status": "returned"}, reason=reason)
    return filing
