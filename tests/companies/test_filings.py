"""The filing lifecycle: draft → submitted (attested) → accepted | returned; versions supersede."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.utils import timezone

from companies.models import Filing, FilingStatus
from companies.services import filings as filing_services
from core.models import AuditEvent
from tests.companies.factories import FilingFactory, ReportingPeriodFactory
from tests.companies.filing_files import csv_bytes, good_rows


@pytest.fixture
def period(db):
    return ReportingPeriodFactory(year=2026, quarter=2)


def _loaded_draft(client, company, period, n=30) -> Filing:
    response = client.post("/company/filings/", {"period": period.pk})
    filing = Filing.objects.get(company=company, period=period, status=FilingStatus.DRAFT)
    assert response.status_code == 302
    client.post(f"/company/filings/{filing.pk}/upload/",
                {"file": SimpleUploadedFile("q2.csv", csv_bytes(good_rows(period, n)))})
    client.post(f"/company/filings/{filing.pk}/narrative/", {
        "measures_taken": "Hash matching; 24/7 team.", "automated_tools": "PhotoDNA-like hashing",
        "areas_for_improvement": "Livestream response.", "moderation_staff": "12",
    })
    filing.refresh_from_db()
    return filing


def test_officer_files_submits_and_the_analyst_accepts(client_as, company_a, period):
    officer = client_as("company_a_officer")
    filing = _loaded_draft(officer, company_a, period)
    assert filing.item_count == 30
    response = officer.post(f"/company/filings/{filing.pk}/submit/", {"attest": "on"})
    assert response.status_code == 302
    filing.refresh_from_db()
    assert filing.status == FilingStatus.SUBMITTED
    assert filing.submitted_by.email == "officer@alpha.test"
    assert "I attest, as the compliance officer of Alpha Video Ltd" in filing.attestation_text
    assert sum(filing.totals["source_type"].values()) == 30
    assert len(filing.source_sha256) == 64

    page = client_as("analyst").get(f"/regulator/filings/{filing.pk}/").content.decode()
    assert "Versions side by side" in page and "Alpha Video Ltd" in page
    client_as("analyst").post(f"/regulator/filings/{filing.pk}/accept/", {"note": "Complete."})
    filing.refresh_from_db()
    assert filing.status == FilingStatus.ACCEPTED and filing.reviewed_by.email == "analyst@regulator.test"
    actions = list(AuditEvent.objects.filter(object_type="companies.filing", object_id=str(filing.pk))
                   .order_by("id").values_list("action", flat=True))
    assert actions == ["filing.started", "filing.narrative_changed", "filing.submitted", "filing.accepted"]


def test_a_submitted_version_is_frozen(client_as, company_a, period):
    officer = client_as("company_a_officer")
    filing = _loaded_draft(officer, company_a, period)
    officer.post(f"/company/filings/{filing.pk}/submit/", {"attest": "on"})
    officer.post(f"/company/filings/{filing.pk}/upload/",
                 {"file": SimpleUploadedFile("more.csv", csv_bytes(good_rows(period, 3, prefix="more")))})
    officer.post(f"/company/filings/{filing.pk}/narrative/", {"measures_taken": "changed",
                                                              "areas_for_improvement": "changed"})
    filing.refresh_from_db()
    assert filing.item_count == 30 and filing.measures_taken == "Hash matching; 24/7 team."


def test_submitting_twice_is_refused(client_as, company_a, period, company_a_officer):
    filing = _loaded_draft(client_as("company_a_officer"), company_a, period)
    filing_services.filing_submit(actor=company_a_officer, filing=filing)
    with pytest.raises(ValidationError, match="cannot change"):
        filing_services.filing_submit(actor=company_a_officer, filing=filing)


def test_submitter_cannot_submit(client_as, company_a, period):
    filing = _loaded_draft(client_as("company_a_submitter"), company_a, period)
    response = client_as("company_a_submitter").post(f"/company/filings/{filing.pk}/submit/", {"attest": "on"})
    assert response.status_code == 403
    filing.refresh_from_db()
    assert filing.status == FilingStatus.DRAFT


def test_submission_needs_the_attestation_box(client_as, company_a, period):
    officer = client_as("company_a_officer")
    filing = _loaded_draft(officer, company_a, period)
    response = officer.post(f"/company/filings/{filing.pk}/submit/", {}, follow=True)
    assert "Tick the box" in response.content.decode()
    filing.refresh_from_db()
    assert filing.status == FilingStatus.DRAFT


def test_empty_draft_needs_a_nil_return(company_a, period, company_a_officer):
    filing = FilingFactory(company=company_a, period=period)
    with pytest.raises(ValidationError, match="nil return"):
        filing_services.filing_submit(actor=company_a_officer, filing=filing)
    filing_services.filing_submit(actor=company_a_officer, filing=filing, nil_return=True)
    filing.refresh_from_db()
    assert filing.status == FilingStatus.SUBMITTED and filing.is_nil_return


def test_return_needs_a_reason_the_company_sees(client_as, company_a, period, company_a_officer):
    filing = FilingFactory(company=company_a, period=period)
    filing_services.filing_submit(actor=company_a_officer, filing=filing, nil_return=True)
    analyst = client_as("analyst")
    analyst.post(f"/regulator/filings/{filing.pk}/return/", {"reason": ""})
    filing.refresh_from_db()
    assert filing.status == FilingStatus.SUBMITTED
    analyst.post(f"/regulator/filings/{filing.pk}/return/", {"reason": "Orders are missing."})
    filing.refresh_from_db()
    assert filing.status == FilingStatus.RETURNED
    assert "Orders are missing." in client_as("company_a_viewer").get(f"/company/filings/{filing.pk}/").content.decode()


def test_a_correction_is_a_new_version_with_a_reason(client_as, company_a, period, company_a_officer):
    first = FilingFactory(company=company_a, period=period)
    filing_services.filing_submit(actor=company_a_officer, filing=first, nil_return=True)
    client_as("analyst")  # creates the analyst
    filing_services.filing_accept(actor=_analyst(), filing=first)
    with pytest.raises(ValidationError):
        filing_services.filing_start(actor=company_a_officer, company=company_a, period=period)
    second = filing_services.filing_start(actor=company_a_officer, company=company_a, period=period,
                                          correction_reason="We missed three orders.")
    assert second.version == 2 and second.status == FilingStatus.DRAFT
    filing_services.filing_update_narrative(actor=company_a_officer, filing=second, data={
        "measures_taken": "As before.", "areas_for_improvement": "Order intake."})
    filing_services.filing_submit(actor=company_a_officer, filing=second, nil_return=True)
    first.refresh_from_db()
    second.refresh_from_db()
    assert second.status == FilingStatus.SUBMITTED  # an amendment goes back to review
    assert first.superseded_at is None  # until the amendment is accepted, version 1 stands
    filing_services.filing_accept(actor=_analyst(), filing=second)
    first.refresh_from_db()
    assert first.superseded_at is not None and first.status == FilingStatus.ACCEPTED


def test_a_correction_starts_from_the_previous_versions_narrative(company_a, period, company_a_officer, analyst):
    first = FilingFactory(company=company_a, period=period, measures_taken="Hash matching; 24/7 team.",
                          automated_tools="Perceptual hashing.", areas_for_improvement="Livestreams.",
                          moderation_staff=12)
    filing_services.filing_submit(actor=company_a_officer, filing=first, nil_return=True)
    filing_services.filing_return(actor=analyst, filing=first, reason="Three orders are missing.")
    second = filing_services.filing_start(actor=company_a_officer, company=company_a, period=period,
                                          correction_reason="Adds the three missing orders.")
    assert (second.measures_taken, second.automated_tools, second.areas_for_improvement,
            second.moderation_staff) == ("Hash matching; 24/7 team.", "Perceptual hashing.", "Livestreams.", 12)
    assert Filing.objects.get(pk=first.pk).measures_taken == "Hash matching; 24/7 team."  # the old one stays


def _analyst():
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username="analyst@regulator.test")


def test_days_late_are_recorded_from_the_first_submission(company_a, company_a_officer):
    late_period = ReportingPeriodFactory(year=2025, quarter=4)  # due 30 January 2026
    filing = FilingFactory(company=company_a, period=late_period)
    filing_services.filing_submit(actor=company_a_officer, filing=filing, nil_return=True)
    filing.refresh_from_db()
    assert filing.days_late == (timezone.localdate() - dt.date(2026, 1, 30)).days


def test_company_b_gets_404_for_company_a_filing(client_as, company_a, period):
    filing = FilingFactory(company=company_a, period=period)
    assert client_as("company_b_officer").get(f"/company/filings/{filing.pk}/").status_code == 404
    assert client_as("company_b_officer").post(f"/company/filings/{filing.pk}/submit/",
                                               {"attest": "on"}).status_code == 404


def test_filing_a_period_that_has_not_ended_is_refused(company_a, company_a_officer):
    today = timezone.localdate()
    current = ReportingPeriodFactory(year=today.year, quarter=(today.month - 1) // 3 + 1)
    with pytest.raises(ValidationError, match="has not ended"):
        filing_services.filing_start(actor=company_a_officer, company=company_a, period=current)


def test_queue_filters_by_status_and_lateness(client_as, company_a, company_b, period, company_a_officer,
                                              company_b_officer, django_assert_max_num_queries):
    for company, officer in ((company_a, company_a_officer), (company_b, company_b_officer)):
        filing = FilingFactory(company=company, period=period)
        filing_services.filing_submit(actor=officer, filing=filing, nil_return=True)
    Filing.objects.filter(company=company_a).update(days_late=0)
    Filing.objects.filter(company=company_b).update(days_late=12)
    analyst = client_as("analyst")
    with django_assert_max_num_queries(12):
        page = analyst.get("/regulator/filings/?late=true").content.decode()
    assert "Bravo Chat Ltd" in page and "Alpha Video Ltd" not in page
    page = analyst.get("/regulator/filings/?status=submitted&period=2026-Q2").content.decode()
    assert "Bravo Chat Ltd" in page and "Alpha Video Ltd" in page


@pytest.mark.django_db(transaction=True)
def test_two_racing_submits_exactly_one_wins(company_a, company_a_officer):
    period = ReportingPeriodFactory(year=2026, quarter=1)
    filing = FilingFactory(company=company_a, period=period)
    outcomes: list[str] = []
    barrier = threading.Barrier(2)

    def submit() -> None:
        from django.contrib.auth import get_user_model

        officer = get_user_model().objects.get(pk=company_a_officer.pk)
        barrier.wait()
        try:
            filing_services.filing_submit(actor=officer, filing=Filing.objects.get(pk=filing.pk), nil_return=True)
            outcomes.append("won")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["refused", "won"]
    assert AuditEvent.objects.filter(action="filing.submitted", object_id=str(filing.pk)).count() == 1


def test_a_suspended_company_cannot_file(company_a, company_a_officer, period):
    from django.core.exceptions import PermissionDenied

    company_a.status = "suspended"
    company_a.save()
    with pytest.raises(PermissionDenied, match="suspended"):
        filing_services.filing_start(actor=company_a_officer, company=company_a, period=period)


def test_an_upload_left_by_a_dead_worker_is_given_up(company_a, company_a_officer, period, settings):
    from companies.models import FilingUpload, UploadStatus

    filing = FilingFactory(company=company_a, period=period)
    stuck = FilingUpload.objects.create(filing=filing, format="csv", status=UploadStatus.VALIDATING)
    FilingUpload.objects.filter(pk=stuck.pk).update(created_at=timezone.now() - dt.timedelta(hours=2))
    filing_services.filing_submit(actor=company_a_officer, filing=filing, nil_return=True)
    stuck.refresh_from_db()
    assert stuck.status == UploadStatus.FAILED
    assert AuditEvent.objects.filter(action="upload.failed", object_id=str(stuck.pk)).exists()


def test_the_data_dictionary_states_the_size_limits(client):
    page = client.get("/filing-format/").content.decode()
    assert "2,000 characters for any field not limited above" in page and "at most 65,536 characters" in page
