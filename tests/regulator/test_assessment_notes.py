"""Analysts annotate assessments; a company sees only the notes shared with it, on its final assessment."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from core.models import AuditEvent
from regulator.models import AssessmentNote
from regulator.services.assessments import assessment_finalise, assessments_run
from regulator.services.notes import assessment_note_add
from tests.companies.factories import FilingFactory, ReportingPeriodFactory


@pytest.fixture
def assessment(company_a, company_a_officer, analyst):
    period = ReportingPeriodFactory(year=2026, quarter=2)
    FilingFactory(company=company_a, period=period, status="accepted", is_nil_return=True,
                  submitted_at=dt.datetime(2026, 7, 20, tzinfo=dt.UTC))
    return assessments_run(actor=analyst, period=period)[0]


def test_an_analyst_adds_a_note_and_it_is_audited(client_as, assessment):
    response = client_as("analyst").post(f"/regulator/assessments/{assessment.pk}/notes/",
                                         {"text": "  Nil return confirmed by phone.  "})
    assert response.status_code == 302 and response.url.endswith("#notes")
    note = AssessmentNote.objects.get(assessment=assessment)
    assert note.text == "Nil return confirmed by phone." and note.shared_with_company is False
    assert note.author.groups.filter(name="analyst").exists()
    event = AuditEvent.objects.get(action="assessment.note_added")
    assert event.after["text"] == "Nil return confirmed by phone."
    page = client_as("analyst").get(f"/assessments/{assessment.pk}/").content.decode()
    assert "Nil return confirmed by phone." in page and "the regulator's only" in page


def test_an_empty_or_overlong_note_is_refused_and_nothing_is_saved(client_as, assessment, analyst):
    with pytest.raises(ValidationError, match="Write the note"):
        assessment_note_add(actor=analyst, assessment=assessment, text="   ")
    with pytest.raises(ValidationError, match="at most 5,000 characters; this one has 5,001"):
        assessment_note_add(actor=analyst, assessment=assessment, text="x" * 5001)
    response = client_as("analyst").post(f"/regulator/assessments/{assessment.pk}/notes/", {"text": ""},
                                         follow=True)
    assert "Write the note before saving it." in response.content.decode()
    assert not AssessmentNote.objects.exists()
    assert not AuditEvent.objects.filter(action="assessment.note_added").exists()


def test_a_company_cannot_add_notes(assessment, company_a_officer):
    with pytest.raises(PermissionDenied):
        assessment_note_add(actor=company_a_officer, assessment=assessment, text="We disagree.")


def test_the_company_sees_only_shared_notes_once_final(client_as, assessment, analyst):
    assessment_note_add(actor=analyst, assessment=assessment, text="Internal: check the phone log.")
    assessment_note_add(actor=analyst, assessment=assessment, text="Your nil return was accepted.",
                        shared_with_company=True)
    assert client_as("company_a_officer").get(f"/assessments/{assessment.pk}/").status_code == 404  # a draft
    assessment_finalise(actor=analyst, assessment=assessment)
    page = client_as("company_a_officer").get(f"/assessments/{assessment.pk}/").content.decode()
    assert "Your nil return was accepted." in page
    assert "Internal: check the phone log." not in page and analyst.email not in page


def test_notes_of_an_earlier_version_stay_visible_on_the_new_one(client_as, assessment, analyst):
    from decimal import Decimal

    from regulator.models import Rulebook, Threshold

    assessment_note_add(actor=analyst, assessment=assessment, text="Seen on version 1.")
    assessment_finalise(actor=analyst, assessment=assessment)
    stricter = Rulebook.objects.create(version=2, effective_from=dt.date(2026, 1, 1))
    Threshold.objects.create(rulebook=stricter, metric="filing_on_time", comparator="gte", value=Decimal(1),
                             weight=Decimal(1), kind="core")
    newer = assessments_run(actor=analyst, period=assessment.period)[0]
    assert newer.version == 2
    page = client_as("analyst").get(f"/assessments/{newer.pk}/").content.decode()
    assert "Seen on version 1." in page and "on version 1" in page


def test_the_database_refuses_to_change_or_delete_a_note(assessment, analyst):
    from django.db import DatabaseError, transaction

    note = assessment_note_add(actor=analyst, assessment=assessment, text="As written.")
    for change in (lambda: AssessmentNote.objects.filter(pk=note.pk).update(text="Rewritten."),
                   lambda: AssessmentNote.objects.filter(pk=note.pk).delete()):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            change()
    assert AssessmentNote.objects.get(pk=note.pk).text == "As written."
