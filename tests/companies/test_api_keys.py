"""The officer's API keys: created, shown once, stored hashed, rotated, revoked; used by the API."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from companies.models import CompanyAPIKey, MemberRole, Membership
from companies.services import api_keys as api_key_services
from core.models import AuditEvent
from tests.companies.api_clients import with_key

FILINGS = "/api/v1/filings/"


pytestmark = pytest.mark.usefixtures("fresh_rate_limits")


@pytest.fixture
def company_a_key(company_a, company_a_officer) -> tuple[CompanyAPIKey, str]:
    return api_key_services.apikey_create(actor=company_a_officer, company=company_a, name="Moderation pipeline")


def test_the_officer_creates_a_key_that_is_shown_once_and_stored_hashed(client_as, company_a):
    officer = client_as("company_a_officer")
    response = officer.post("/company/api-keys/", {"name": "Moderation pipeline"})
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    api_key = CompanyAPIKey.objects.get(company=company_a)
    key = response.context["key"]
    assert key.startswith(api_key.prefix + ".") and key in response.content.decode()
    # Only a SHA-512 of the key is stored; nothing stored contains the secret part.
    assert api_key.hashed_key.startswith("sha512$$") and key.split(".", 1)[1] not in api_key.hashed_key
    assert key not in api_key.pk
    assert api_key.name == "Moderation pipeline" and api_key.created_by.email == "officer@alpha.test"
    # The list shows the key's prefix, never the key again.
    page = officer.get("/company/api-keys/").content.decode()
    assert api_key.prefix in page and key not in page and "Never" in page
    event = AuditEvent.objects.get(action="apikey.created")
    assert event.object_id == api_key.prefix and event.actor.email == "officer@alpha.test"


def test_a_key_without_a_name_is_refused(client_as, company_a, company_a_officer):
    response = client_as("company_a_officer").post("/company/api-keys/", {"name": "   "})
    assert response.status_code == 200 and "This field is required" in response.content.decode()
    with pytest.raises(ValidationError, match="Give the key a name"):
        api_key_services.apikey_create(actor=company_a_officer, company=company_a, name=" ")
    assert not CompanyAPIKey.objects.filter(company=company_a).exists()


@pytest.mark.parametrize("actor", ["company_a_viewer", "company_a_submitter"])
def test_viewers_and_submitters_cannot_see_or_create_keys(client_as, company_a, company_a_key, actor):
    client = client_as(actor)
    assert client.get("/company/api-keys/").status_code == 403
    assert client.post("/company/api-keys/", {"name": "Sneaky"}).status_code == 403
    prefix = company_a_key[0].prefix
    assert client.post(f"/company/api-keys/{prefix}/revoke/", {"confirmed": "yes"}).status_code == 403
    assert client.post(f"/company/api-keys/{prefix}/rotate/", {"confirmed": "yes"}).status_code == 403
    assert CompanyAPIKey.objects.filter(company=company_a).count() == 1
    assert not CompanyAPIKey.objects.get(company=company_a).revoked


def test_another_companys_officer_gets_404_for_company_a_key(client_as, company_a_key, company_b_officer):
    prefix = company_a_key[0].prefix
    bravo = client_as("company_b_officer")
    assert bravo.post(f"/company/api-keys/{prefix}/rotate/", {"confirmed": "yes"}).status_code == 404
    assert bravo.post(f"/company/api-keys/{prefix}/revoke/", {"confirmed": "yes"}).status_code == 404
    assert not CompanyAPIKey.objects.get(prefix=prefix).revoked


def test_a_key_works_until_the_officer_revokes_it(client_as, company_a_key):
    api_key, key = company_a_key
    assert with_key(key).get(FILINGS).status_code == 200
    response = client_as("company_a_officer").post(f"/company/api-keys/{api_key.prefix}/revoke/",
                                                   {"reason": "Pipeline retired", "confirmed": "yes"})
    assert response.status_code == 302
    api_key.refresh_from_db()
    assert api_key.revoked and api_key.revoked_at is not None
    refused = with_key(key).get(FILINGS)
    assert refused.status_code == 401
    assert "revoked" in refused.json()["detail"]
    event = AuditEvent.objects.get(action="apikey.revoked")
    assert event.object_id == api_key.prefix and event.reason == "Pipeline retired"


def test_revoking_a_revoked_key_changes_nothing(client_as, company_a_key):
    prefix = company_a_key[0].prefix
    officer = client_as("company_a_officer")
    officer.post(f"/company/api-keys/{prefix}/revoke/", {"confirmed": "yes"})
    response = officer.post(f"/company/api-keys/{prefix}/revoke/", {"confirmed": "yes"}, follow=True)
    assert "already revoked" in response.content.decode()
    assert AuditEvent.objects.filter(action="apikey.revoked").count() == 1


def test_rotating_shows_a_new_key_once_and_the_old_one_is_refused(client_as, company_a_key):
    old, old_key = company_a_key
    response = client_as("company_a_officer").post(f"/company/api-keys/{old.prefix}/rotate/", {"confirmed": "yes"})
    assert response.status_code == 200
    new_key = response.context["key"]
    new = CompanyAPIKey.objects.get(prefix=new_key.split(".")[0])
    old.refresh_from_db()
    assert old.revoked and old.replaced_by == new and new.name == "Moderation pipeline" and not new.revoked
    assert new_key in response.content.decode() and old.prefix in response.content.decode()
    assert with_key(new_key).get(FILINGS).status_code == 200
    refused = with_key(old_key).get(FILINGS)
    assert refused.status_code == 401 and "replaced by a new key" in refused.json()["detail"]
    event = AuditEvent.objects.get(action="apikey.rotated")
    assert event.object_id == old.prefix and event.after["replaced_by"] == new.prefix


def test_a_revoked_key_cannot_be_rotated(client_as, company_a_key, company_a_officer):
    api_key = company_a_key[0]
    api_key_services.apikey_revoke(actor=company_a_officer, api_key=api_key)
    response = client_as("company_a_officer").post(f"/company/api-keys/{api_key.prefix}/rotate/", {"confirmed": "yes"}, follow=True)
    assert "is revoked; create a new key instead" in response.content.decode()
    assert CompanyAPIKey.objects.count() == 1


def test_last_used_is_recorded_at_most_once_a_minute(company_a_key):
    api_key, key = company_a_key
    assert api_key.last_used_at is None
    with_key(key).get(FILINGS)
    api_key.refresh_from_db()
    first_use = api_key.last_used_at
    assert first_use is not None and timezone.now() - first_use < dt.timedelta(seconds=30)

    # Used again within the minute: no write at all.
    with CaptureQueriesContext(connection) as queries:
        assert with_key(key).get(FILINGS).status_code == 200
    assert not [q for q in queries if q["sql"].startswith("UPDATE")]
    api_key.refresh_from_db()
    assert api_key.last_used_at == first_use

    # A minute later the next request moves it forward.
    CompanyAPIKey.objects.filter(pk=api_key.pk).update(last_used_at=first_use - dt.timedelta(minutes=2))
    with_key(key).get(FILINGS)
    api_key.refresh_from_db()
    assert api_key.last_used_at > first_use


def test_touch_is_compare_and_set(company_a_key):
    """Two requests that both read a stale time: only the first writes."""
    api_key, _ = company_a_key
    stale_copy = CompanyAPIKey.objects.get(pk=api_key.pk)
    now = timezone.now()
    assert api_key_services.apikey_touch(api_key=api_key, now=now) is True
    assert api_key_services.apikey_touch(api_key=stale_copy, now=now + dt.timedelta(seconds=1)) is False


def test_a_key_stops_working_when_its_creator_is_no_longer_an_officer(company_a_key, company_a_officer):
    _, key = company_a_key
    Membership.objects.filter(user=company_a_officer).update(role=MemberRole.SUBMITTER)
    refused = with_key(key).get(FILINGS)
    assert refused.status_code == 401
    assert "no longer a compliance officer of Alpha Video Ltd" in refused.json()["detail"]

    Membership.objects.filter(user=company_a_officer).update(role=MemberRole.OFFICER, removed_at=timezone.now())
    assert with_key(key).get(FILINGS).status_code == 401


def test_a_made_up_key_is_refused(company_a_key):
    api_key, key = company_a_key
    for wrong in (f"{api_key.prefix}.not-the-secret", "nothing-like-a-key", key[:-1]):
        response = with_key(wrong).get(FILINGS)
        assert response.status_code == 401
        assert "not valid" in response.json()["detail"]


def test_only_officers_see_the_api_keys_link(client_as, company_a_viewer, company_a_officer):
    assert 'href="/company/api-keys/"' in client_as("company_a_officer").get("/").content.decode()
    assert 'href="/company/api-keys/"' not in client_as("company_a_viewer").get("/").content.decode()
    assert 'href="/company/api-keys/"' not in client_as("analyst").get("/").content.decode()


def test_the_list_shows_who_created_a_key_and_when_it_was_last_used(client_as, company_a_key):
    api_key, key = company_a_key
    with_key(key).get(FILINGS)
    page = client_as("company_a_officer").get("/company/api-keys/").content.decode()
    api_key.refresh_from_db()
    assert timezone.localtime(api_key.last_used_at).strftime("%-d %b %Y") in page
    assert api_key.created_by.get_full_name() in page and "Active" in page
