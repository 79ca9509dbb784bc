"""Notes on assessments: an analyst's annotation, kept as written (the database refuses UPDATE and DELETE),
optionally shared with the company on its final assessment."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction

from core.audit import Action, audit_record
from regulator import access
from regulator.models import Assessment, AssessmentNote

NOTE_MAX_LENGTH = 5000


@transaction.atomic
def assessment_note_add(*, actor: AbstractBaseUser, assessment: Assessment, text: str,
                        shared_with_company: bool = False) -> AssessmentNote:
    """An analyst annotates an assessment (draft or final); the note is kept as written."""
    access.ADD_NOTE.require(actor)
    text = text.strip()
    if not text:
        raise ValidationError({"text": "Write the note before saving it."})
    if len(text) > NOTE_MAX_LENGTH:
        raise ValidationError({"text": f"A note is at most {NOTE_MAX_LENGTH:,} characters; this one has "
                                       f"{len(text):,}."})
    note = AssessmentNote(assessment=assessment, author=actor, text=text, shared_with_company=shared_with_company)
    note.full_clean()
    note.save()
    audit_record(actor=actor, action=Action.ASSESSMENT_NOTE_ADDED, obj=assessment, before=None,
                 after={"note": note.pk, "shared_with_company": shared_with_company, "text": text})
    return note
