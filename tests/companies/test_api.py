"""The integration API: a platform files with its key; roles, companies and limits hold."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import override_settings

from companies.models import Filing, FilingStatus, FilingUpload, TakedownItem, UploadStatus
from companies.services import api_keys as api_key_services
from core.models import AuditEvent
from tests.companies.api_clients import CommittingAPIClient, with_key
from tests.companies.factories import FilingFactory, ReportingPeriodFactory
from tests.companies.filing_files import csv_bytes, good_rows
from tests.conftest import pass_second_factor

FILINGS = "/api/v1/filings/"


pytestmark = pytest.mark.usefixtures("fresh_rate_limits")


@pytest.fixture
def period(db):
    return ReportingPeriodFactory(year=2026, quarter=2)


@pytest.fixture
def alpha(company_a, company_a_officer) -> CommittingAPIClient:
    """Company A's pipeline, calling with a key its officer created."""
    _, key = api_key_services.apikey_create(actor=company_a_officer, company=company_a, name="Pipeline")
    return with_key(key)


@pytest.fixture
def bravo(company_b, company_b_officer) -> CommittingAPIClient:
    """Company B's pipeline."""
    _, key = api_key_services.apikey_create(actor=company_b_officer, company=company_b, name="Pipeline")
    return with_key(key)


def session(user) -> CommittingAPIClient:
    client = CommittingAPIClient()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    pass_second_factor(client, user)
    return client


@pytest.fixture
def draft(alpha, period) -> Filing:
    """A draft of company A for 2026-Q2, started through the API."""
    response = alpha.post(FILINGS, {"period": "2026-Q2"}, format="json")
    assert response.status_code == 201, response.content
    return Filing.objects.get(pk=response.json()["id"])


def items_url(filing: Filing) -> str:
    return f"{FILINGS}{filing.pk}/items/"


def stored(filing: Filing) -> int:
    return TakedownItem.objects.filter(filing_id=filing.pk, period_id=filing.period_id).count()


# --- filings -------------------------------------------------------------------------------------


def test_a_platform_starts_a_filing_with_its_key(alpha, period, company_a_officer):
    response = alpha.post(FILINGS, {"period": "2026-Q2"}, format="json")
    assert response.status_code == 201
    body = response.json()
    assert (body["company"], body["period"], body["version"], body["status"]) == ("alpha-video", "2026-Q2", 1, "draft")
    filing = Filing.objects.get(pk=body["id"])
    # The key acts as the officer who created it.
    assert filing.created_by == company_a_officer
    assert AuditEvent.objects.get(action="filing.started", object_id=str(filing.pk)).actor == company_a_officer


def test_starting_a_filing_for_an_unknown_or_open_period_says_why(alpha, period):
    response = alpha.post(FILINGS, {"period": "2031-Q9"}, format="json")
    assert response.status_code == 400
    assert response.json() == {"period": ["There is no reporting period 2031-Q9; write it like 2026-Q3."]}
    ReportingPeriodFactory(year=2099, quarter=1)
    response = alpha.post(FILINGS, {"period": "2099-Q1"}, format="json")
    assert response.status_code == 400
    assert "has not ended yet" in response.json()["non_field_errors"][0]
    alpha.post(FILINGS, {"period": "2026-Q2"}, format="json")
    again = alpha.post(FILINGS, {"period": "2026-Q2"}, format="json")
    assert again.status_code == 400 and "already a draft" in again.json()["non_field_errors"][0]


def test_the_filing_list_shows_own_filings_and_filters(alpha, company_a, company_b, django_assert_max_num_queries):
    for quarter in (1, 2, 3):
        FilingFactory(company=company_a, period=ReportingPeriodFactory(year=2026, quarter=quarter))
    FilingFactory(company=company_b)
    with django_assert_max_num_queries(6):
        body = alpha.get(FILINGS).json()
    assert body["count"] == 3 and {row["company"] for row in body["results"]} == {"alpha-video"}
    only_q2 = alpha.get(FILINGS, {"period": "2026-Q2"}).json()
    assert [row["period"] for row in only_q2["results"]] == ["2026-Q2"]
    assert alpha.get(FILINGS, {"status": "submitted"}).json()["count"] == 0


# --- batches -------------------------------------------------------------------------------------


def test_a_batch_is_stored_whole(alpha, draft, period):
    response = alpha.post(items_url(draft), {"items": good_rows(period, 50)}, format="json")
    assert response.status_code == 201
    assert response.json() == {"created": 50, "existing": [], "errors": [], "error_count": 0}
    draft.refresh_from_db()
    assert stored(draft) == 50 and draft.item_count == 50
    batch = FilingUpload.objects.get(filing=draft)
    assert (batch.format, batch.status, batch.rows_loaded) == ("batch", UploadStatus.LOADED, 50)


def test_a_batch_with_bad_items_stores_nothing_and_keys_errors_by_index(alpha, draft, period):
    items = good_rows(period, 10)
    items[3]["source_type"] = "USER_REPORT"
    items[7]["received_at"] = "2026-05-01T10:00:00"  # no offset
    response = alpha.post(items_url(draft), {"items": items}, format="json")
    assert response.status_code == 400
    body = response.json()
    assert body["created"] == 0 and body["error_count"] == 2
    assert [(error["index"], error["field"], error["value"]) for error in body["errors"]] == [
        (3, "source_type", "USER_REPORT"), (7, "received_at", "2026-05-01T10:00:00"),
    ]
    assert all(error["message"] for error in body["errors"])
    assert stored(draft) == 0
    assert not FilingUpload.objects.filter(filing=draft).exists()


def test_a_repeated_external_id_is_reported_with_its_item_and_never_duplicated(alpha, draft, period):
    items = good_rows(period, 15)
    assert alpha.post(items_url(draft), {"items": items[:10]}, format="json").status_code == 201
    numbers = dict(TakedownItem.objects.filter(filing_id=draft.pk).values_list("external_id", "row_no"))

    response = alpha.post(items_url(draft), {"items": items[5:15]}, format="json")
    assert response.status_code == 201
    body = response.json()
    assert body["created"] == 5
    assert body["existing"] == [
        {"index": index, "external_id": items[5 + index]["external_id"],
         "item": numbers[items[5 + index]["external_id"]]}
        for index in range(5)
    ]
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*), count(DISTINCT external_id) FROM companies_takedownitem "
                       "WHERE filing_id = %s", [draft.pk])
        assert cursor.fetchone() == (15, 15)

    everything_again = alpha.post(items_url(draft), {"items": items}, format="json")
    assert everything_again.status_code == 200
    assert everything_again.json()["created"] == 0 and len(everything_again.json()["existing"]) == 15
    assert stored(draft) == 15


def test_the_exists_endpoint_answers_from_the_database_at_once(alpha, draft, period):
    items = good_rows(period, 3)
    wanted = items[1]["external_id"]
    assert alpha.get(f"{items_url(draft)}{wanted}/").status_code == 404
    alpha.post(items_url(draft), {"items": items}, format="json")
    response = alpha.get(f"{items_url(draft)}{wanted}/")
    assert response.status_code == 200
    assert response.json() == {"external_id": wanted, "item": 2}
    missing = alpha.get(f"{items_url(draft)}never-sent/")
    assert missing.status_code == 404 and "never-sent" in missing.json()["detail"]
    malformed = alpha.get(f"{items_url(draft)}not%20an%20id/")
    assert malformed.status_code == 404 and "not an id" in malformed.json()["detail"]


def test_a_batch_over_1000_items_is_refused(alpha, draft, period):
    response = alpha.post(items_url(draft), {"items": good_rows(period, 1001)}, format="json")
    assert response.status_code == 400
    assert response.json() == {"items": ["A batch holds at most 1,000 items; this one has 1,001."]}
    assert stored(draft) == 0


def test_a_batch_that_is_not_a_list_says_so(alpha, draft):
    response = alpha.post(items_url(draft), {"items": {"external_id": "x"}}, format="json")
    assert response.status_code == 400
    assert response.json() == {"items": ["Send the items as a JSON list of objects, not dict."]}


# --- uploads -------------------------------------------------------------------------------------


def test_an_upload_through_the_api_is_validated_and_loaded(alpha, draft, period):
    response = alpha.post(f"{FILINGS}{draft.pk}/uploads/",
                          {"file": _file("q2.csv", csv_bytes(good_rows(period, 20)))}, format="multipart")
    assert response.status_code == 202
    upload_id = response.json()["id"]
    assert response["Location"].endswith(f"/api/v1/uploads/{upload_id}/")
    # The task ran when the request's transaction committed.
    body = alpha.get(f"/api/v1/uploads/{upload_id}/").json()
    assert (body["status"], body["rows_validated"], body["rows_loaded"], body["errors"]) == ("loaded", 20, 20, [])
    assert body["error_csv_url"] is None and len(body["sha256"]) == 64
    assert stored(draft) == 20


def test_a_rejected_upload_reports_its_errors_and_their_csv(alpha, draft, period):
    rows = good_rows(period, 5)
    rows[2]["action"] = "=HYPERLINK(1)"
    response = alpha.post(f"{FILINGS}{draft.pk}/uploads/", {"file": _file("q2.csv", csv_bytes(rows))},
                          format="multipart")
    body = alpha.get(f"/api/v1/uploads/{response.json()['id']}/").json()
    assert body["status"] == "rejected" and body["error_count"] == 1 and stored(draft) == 0
    assert body["errors"][0]["row"] == 3 and body["errors"][0]["field"] == "action"
    assert set(body["errors"][0]) == {"row", "field", "value", "message"}
    report = alpha.get(body["error_csv_url"])
    assert report.status_code == 200 and report["Content-Type"].startswith("text/csv")
    content = b"".join(report.streaming_content)
    assert content.startswith(b"\xef\xbb\xbf")  # UTF-8 with a BOM, so spreadsheet programs read it as UTF-8
    text = content.decode("utf-8-sig")
    assert text.startswith("row,field,value,message") and "'=HYPERLINK(1)" in text
    rejected = alpha.get("/api/v1/uploads/", {"status": "rejected"}).json()
    assert [row["id"] for row in rejected["results"]] == [body["id"]]


def test_the_upload_list_keeps_its_query_budget(alpha, draft, period, django_assert_max_num_queries):
    for batch in range(5):
        alpha.post(items_url(draft), {"items": good_rows(period, 2, prefix=f"b{batch}")}, format="json")
    with django_assert_max_num_queries(6):
        body = alpha.get("/api/v1/uploads/", {"filing": draft.pk, "upload_format": "batch"}).json()
    assert body["count"] == 5 and {row["rows_loaded"] for row in body["results"]} == {2}


def test_an_oversized_upload_is_refused_with_413_before_it_is_read(alpha, draft, company_a_submitter,
                                                                    monkeypatch):
    def never(*args, **kwargs):
        raise AssertionError("the body was parsed")

    monkeypatch.setattr("rest_framework.parsers.MultiPartParser.parse", never)
    monkeypatch.setattr("django.http.multipartparser.MultiPartParser.parse", never)
    big = _file("big.csv", b"x" * 200_000)
    with override_settings(PORTAL_UPLOAD_MAX_BYTES=1_000):
        response = alpha.post(f"{FILINGS}{draft.pk}/uploads/", {"file": big}, format="multipart")
        assert response.status_code == 413
        assert "files may be at most 1,000 bytes" in response.json()["detail"]
        # A signed-in browser with CSRF checks on gets the same answer, also without the body being read.
        browser = session(company_a_submitter)
        browser.handler.enforce_csrf_checks = True
        big.seek(0)
        assert browser.post(f"{FILINGS}{draft.pk}/uploads/", {"file": big}, format="multipart").status_code == 413
    assert not FilingUpload.objects.filter(filing=draft).exists()


def _file(name: str, content: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content, content_type="text/csv")


# --- submission ----------------------------------------------------------------------------------


def _ready(client, filing, period) -> None:
    client.post(items_url(filing), {"items": good_rows(period, 5)}, format="json")
    response = client.patch(f"{FILINGS}{filing.pk}/", {"measures_taken": "Hash matching; 24/7 team.",
                                                       "areas_for_improvement": "Livestreams."}, format="json")
    assert response.status_code == 200 and response.json()["measures_taken"] == "Hash matching; 24/7 team."


def test_the_officers_key_submits_and_a_submitter_session_is_refused(alpha, draft, period, company_a_submitter,
                                                                      company_a_officer):
    _ready(alpha, draft, period)
    refused = session(company_a_submitter).post(f"{FILINGS}{draft.pk}/submit/", {}, format="json")
    assert refused.status_code == 403
    assert refused.json() == {"detail": "Only the compliance officer of Alpha Video Ltd may do this."}
    draft.refresh_from_db()
    assert draft.status == FilingStatus.DRAFT

    response = alpha.post(f"{FILINGS}{draft.pk}/submit/", {"nil_return": False}, format="json")
    assert response.status_code == 200
    assert response.json()["status"] == "submitted" and response.json()["attestation_text"]
    draft.refresh_from_db()
    assert draft.status == FilingStatus.SUBMITTED and draft.submitted_by == company_a_officer


def test_a_version_already_submitted_cannot_be_submitted_again(alpha, draft, period):
    _ready(alpha, draft, period)
    assert alpha.post(f"{FILINGS}{draft.pk}/submit/", {}, format="json").status_code == 200
    again = alpha.post(f"{FILINGS}{draft.pk}/submit/", {}, format="json")
    assert again.status_code == 400
    assert again.json() == {"non_field_errors": [
        "Version 1 is submitted and cannot change; start a new version to correct it."
    ]}
    assert AuditEvent.objects.filter(action="filing.submitted", object_id=str(draft.pk)).count() == 1


def test_submitting_an_incomplete_draft_lists_what_is_missing(alpha, draft):
    response = alpha.post(f"{FILINGS}{draft.pk}/submit/", {}, format="json")
    assert response.status_code == 400
    problems = response.json()["non_field_errors"]
    assert any("no items" in problem for problem in problems)
    assert any("measures taken" in problem for problem in problems)


# --- who sees what -------------------------------------------------------------------------------


def test_company_b_key_gets_404_on_company_a_objects(alpha, bravo, draft, period):
    alpha.post(items_url(draft), {"items": good_rows(period, 3)}, format="json")
    upload = FilingUpload.objects.get(filing=draft)
    known = good_rows(period, 1)[0]["external_id"]
    assert bravo.get(f"{FILINGS}{draft.pk}/").status_code == 404
    assert bravo.get(f"{items_url(draft)}{known}/").status_code == 404
    assert bravo.post(items_url(draft), {"items": good_rows(period, 2, prefix="evil")},
                      format="json").status_code == 404
    assert bravo.patch(f"{FILINGS}{draft.pk}/", {"measures_taken": "x"}, format="json").status_code == 404
    assert bravo.post(f"{FILINGS}{draft.pk}/submit/", {}, format="json").status_code == 404
    assert bravo.post(f"{FILINGS}{draft.pk}/uploads/", {"file": _file("x.csv", b"a")},
                      format="multipart").status_code == 404
    assert bravo.get(f"/api/v1/uploads/{upload.pk}/").status_code == 404
    assert bravo.get(f"/api/v1/uploads/{upload.pk}/errors.csv").status_code == 404
    assert bravo.get(FILINGS).json()["count"] == 0 and bravo.get("/api/v1/uploads/").json()["count"] == 0
    assert stored(draft) == 3


def test_viewers_read_but_only_submitters_add_items(draft, period, company_a_viewer, company_a_submitter):
    viewer = session(company_a_viewer)
    assert viewer.get(f"{FILINGS}{draft.pk}/").status_code == 200
    refused = viewer.post(items_url(draft), {"items": good_rows(period, 2)}, format="json")
    assert refused.status_code == 403 and "submitter or the compliance officer" in refused.json()["detail"]
    added = session(company_a_submitter).post(items_url(draft), {"items": good_rows(period, 2)}, format="json")
    assert added.status_code == 201 and stored(draft) == 2


def test_regulator_staff_read_everything_and_change_nothing(draft, period, analyst, company_b):
    FilingFactory(company=company_b)
    staff = session(analyst)
    assert staff.get(FILINGS).json()["count"] == 2
    assert staff.get(f"{FILINGS}{draft.pk}/").status_code == 200
    assert staff.get(FILINGS, {"company": "bravo-chat"}).json()["count"] == 1
    for response in (
        staff.post(items_url(draft), {"items": good_rows(period, 1)}, format="json"),
        staff.post(FILINGS, {"period": "2026-Q2"}, format="json"),
        staff.patch(f"{FILINGS}{draft.pk}/", {"measures_taken": "x"}, format="json"),
        staff.post(f"{FILINGS}{draft.pk}/submit/", {}, format="json"),
    ):
        assert response.status_code == 403
        assert response.json() == {"detail": "Regulator staff have read-only access to the API."}
    assert stored(draft) == 0


def test_anonymous_callers_get_401_naming_the_key_scheme(db):
    response = CommittingAPIClient().get(FILINGS)
    assert response.status_code == 401 and response["WWW-Authenticate"] == "Api-Key"


def test_a_key_is_throttled_per_key(alpha, bravo):
    with override_settings(PORTAL_API_RATE="3/min"):
        assert [alpha.get(FILINGS).status_code for _ in range(3)] == [200, 200, 200]
        throttled = alpha.get(FILINGS)
        assert throttled.status_code == 429 and int(throttled["Retry-After"]) > 0
        assert bravo.get(FILINGS).status_code == 200  # another key has its own allowance


# --- the schema ----------------------------------------------------------------------------------


def test_the_openapi_schema_validates(tmp_path):
    target = tmp_path / "schema.yml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))
    schema = target.read_text()
    assert "/api/v1/filings/{id}/items/{external_id}/:" in schema and "ApiKeyAuth" in schema
    assert "acts as the officer who created it" in schema


def test_the_docs_page_works_offline(client):
    response = client.get("/api/docs/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/" in page and "cdn.jsdelivr" not in page
    assert client.get("/api/schema/").status_code == 200


def test_a_suspended_companys_key_stops_working(alpha, company_a):
    company_a.status = "suspended"
    company_a.save()
    response = alpha.get(FILINGS)
    assert response.status_code == 401
    assert "suspended" in response.json()["detail"]


def test_batch_add_checks_the_role_of_a_person_too(draft, period, company_a, company_a_viewer):
    from django.core.exceptions import PermissionDenied

    from companies.services.uploads import batch_add

    with pytest.raises(PermissionDenied):
        batch_add(actor=company_a_viewer, company=company_a, filing=draft, items=good_rows(period, 1))
    assert stored(draft) == 0


# --- hostile input: every refusal is JSON and in words -------------------------------------------


@pytest.mark.parametrize(("query", "name", "words"), [
    ("limit=abc", "limit", "a whole number from 1 up"), ("limit=-1", "limit", "a whole number from 1 up"),
    ("limit=0", "limit", "a whole number from 1 up"), ("limit=1_0", "limit", "a whole number from 1 up"),
    ("offset=-5", "offset", "a whole number from 0 to 1,000,000,000"),
    ("offset=99999999999999999999999", "offset", "a whole number from 0 to 1,000,000,000"),
])
def test_a_limit_or_offset_that_is_not_a_whole_number_in_range_is_a_400_saying_so(alpha, query, name, words):
    response = alpha.get(f"{FILINGS}?{query}")
    assert response.status_code == 400
    (message,) = response.json()[name]
    assert message.startswith(f"{name} must be {words}") and message.endswith(f"; {query.split('=')[1]!r} is not.")


def test_a_limit_above_the_maximum_is_capped_at_1000(alpha, draft):
    response = alpha.get(f"{FILINGS}?limit=5000&offset=1500")
    assert response.status_code == 200
    assert "limit=1000" in response.json()["previous"] and "offset=500" in response.json()["previous"]


def test_the_schema_says_a_large_limit_is_capped(client):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    (limit,) = [p for p in schema["paths"]["/api/v1/filings/"]["get"]["parameters"] if p["name"] == "limit"]
    assert "capped at 1,000" in limit["description"] and limit["schema"]["minimum"] == 1


def test_deeply_nested_json_is_a_400_not_a_crash(alpha, company_a):
    body = "[" * 100_000 + "]" * 100_000
    response = alpha.post(FILINGS, body, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["detail"].startswith("The JSON is nested too deeply to read")
    eleven = '{"period": ' + "[" * 11 + "]" * 11 + "}"
    response = alpha.post(FILINGS, eleven, content_type="application/json")
    assert response.json() == {"detail": "The JSON is nested more than 10 levels deep; at most 10 levels of "
                                         "arrays and objects are accepted."}
    assert not company_a.filings.exists()


def test_a_number_too_long_to_read_is_a_400_in_words(alpha):
    response = alpha.post(FILINGS, '{"period": ' + "1" * 5000 + "}", content_type="application/json")
    assert response.status_code == 400
    assert response.json()["detail"].startswith("The body has a number longer than 4,300 digits")


def test_a_body_that_is_not_utf8_says_which_byte(alpha):
    response = alpha.post(FILINGS, b'{"period": "\xe9"}', content_type="application/json")
    assert response.json() == {"detail": "The body is not UTF-8: byte 0xE9 at position 13 cannot be read. Send "
                                         "JSON encoded as UTF-8."}


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete", "options", "trace"])
def test_only_get_reads_an_error_report_and_other_methods_get_a_json_405(alpha, draft, period, method):
    rows = good_rows(period, 2)
    rows[0]["category"] = "NOPE"
    alpha.post(f"{FILINGS}{draft.pk}/uploads/", {"file": _named(csv_bytes(rows), "r.csv")}, format="multipart")
    upload = FilingUpload.objects.get(filing=draft)
    response = getattr(alpha, method)(f"/api/v1/uploads/{upload.pk}/errors.csv", HTTP_ACCEPT="text/csv")
    assert response.status_code == 405
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": f'Method "{method.upper()}" not allowed.'}
    assert alpha.get(f"/api/v1/uploads/{upload.pk}/errors.csv", HTTP_ACCEPT="text/csv").status_code == 200


@pytest.mark.parametrize("path", ["/api/v1/filings/abc/", "/api/v1/uploads/1x/", "/api/v1/nothing-here"])
def test_an_api_address_that_matches_nothing_is_a_json_404(alpha, path):
    response = alpha.get(path)
    assert response.status_code == 404
    assert response.json()["detail"].startswith(f"No API endpoint answers at {path}. Ids are whole numbers")


def test_an_oversized_json_body_is_a_json_413_before_it_is_read(alpha, company_a, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1_000
    response = alpha.post(FILINGS, {"period": "2026-Q2", "correction_reason": "x" * 2_000}, format="json")
    assert response.status_code == 413
    assert response.json()["detail"].startswith("The JSON body is 2,0")
    response = alpha.post(FILINGS, "period=2026-Q2&correction_reason=" + "x" * 2_000,
                          content_type="application/x-www-form-urlencoded")
    assert response.status_code == 413
    assert response.json() == {"detail": "The request body is larger than 1,000 bytes, the most the portal reads "
                                         "outside a file upload."}
    assert not company_a.filings.exists()


def test_a_server_error_under_the_api_is_json_too(rf):
    from core.views import server_error

    response = server_error(rf.get("/api/v1/filings/"))
    assert response.status_code == 500 and response["Content-Type"] == "application/json"
    assert "fault on its side" in response.content.decode()


def _named(content: bytes, name: str):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content)
