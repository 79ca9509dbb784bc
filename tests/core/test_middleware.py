"""core/middleware.py: a NUL character in an address, query string, header, JSON body or form is a 400 in words,
never a server error; the API's refusals are JSON, the pages' a short HTML page."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from companies.models import FilingUpload
from core.models import AuditEvent
from tests.companies.factories import FilingFactory, ReportingPeriodFactory


@pytest.fixture
def officer(client_as, company_a_officer):
    return client_as("company_a_officer")


def refused_in_json(response) -> str:
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    return response.json()["detail"]


def refused_as_a_page(response) -> str:
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    return response.content.decode()


def test_a_nul_in_an_api_path_is_a_json_400_that_says_what_to_remove(officer):
    detail = refused_in_json(officer.get("/api/v1/filings/1/items/ab%00c/"))
    assert detail.startswith("The address contains a NUL character (%00)")


def test_a_nul_in_a_page_address_is_a_short_page(client):
    page = refused_as_a_page(client.get("/invitations/abc%00/"))
    assert "The address contains a NUL character (%00)" in page and "<h1>The request was refused</h1>" in page


def test_a_nul_in_a_query_parameter_names_the_parameter(client_as, analyst):
    page = refused_as_a_page(client_as("analyst").get("/regulator/assessments/?company=%00"))
    assert "in the parameter &#x27;company&#x27;" in page


def test_a_nul_in_a_header_is_refused_before_the_session_is_read(client):
    response = client.get("/", HTTP_COOKIE="sessionid=abcdefgh\x00")
    assert "The Cookie header contains a NUL character" in refused_as_a_page(response)


def test_a_nul_escaped_in_a_json_body_is_refused_with_its_position(officer, company_a):
    body = json.dumps({"period": "2026-Q2", "correction_reason": "a\x00b"})
    detail = refused_in_json(officer.post("/api/v1/filings/", body, content_type="application/json"))
    assert detail.startswith("The JSON body contains a NUL character (\\u0000) at byte ")
    assert not company_a.filings.exists()


def test_an_escaped_backslash_before_u0000_is_not_a_nul(officer, company_a):
    ReportingPeriodFactory(year=2026, quarter=2)
    body = json.dumps({"period": "2026-Q2", "correction_reason": "a\\u0000b"})  # the text \u0000, no NUL
    response = officer.post("/api/v1/filings/", body, content_type="application/json")
    assert response.status_code == 201, response.content


def test_a_nul_in_a_form_post_names_the_field_and_changes_nothing(officer, company_a):
    filing = FilingFactory(company=company_a)
    page = refused_as_a_page(officer.post(f"/company/filings/{filing.pk}/abandon/", {"reason": "gone\x00"}))
    assert "in the form field &#x27;reason&#x27;" in page
    filing.refresh_from_db()
    assert filing.status == "draft"
    assert not AuditEvent.objects.filter(action="filing.abandoned").exists()


def test_a_sign_in_with_a_nul_in_the_name_is_refused_not_recorded(client):
    page = refused_as_a_page(client.post("/accounts/login/", {"username": "a\x00@b.test", "password": "x"}))
    assert "the form field &#x27;username&#x27;" in page


def test_a_nul_in_a_multipart_text_field_is_refused(officer, company_a):
    filing = FilingFactory(company=company_a)
    response = officer.post(f"/company/filings/{filing.pk}/narrative/",
                            {"measures_taken": "We\x00 act", "areas_for_improvement": "y", "x": SimpleUploadedFile(
                                "a.txt", b"content")})
    assert "the form field &#x27;measures_taken&#x27;" in refused_as_a_page(response)


def test_a_nul_inside_an_uploaded_file_is_left_to_the_file_validator(officer, company_a):
    filing = FilingFactory(company=company_a)
    response = officer.post(f"/company/filings/{filing.pk}/upload/",
                            {"file": SimpleUploadedFile("report.csv", b"external_id\na\x00b\n")})
    assert response.status_code == 302
    assert FilingUpload.objects.get(filing=filing).status == "rejected"
