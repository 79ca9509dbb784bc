"""The regulator's staff give a code from an authenticator app after their password; companies do not."""

from __future__ import annotations

import pytest
from django.test import override_settings
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from core.models import AuditEvent
from tests.companies.factories import PASSWORD
from tests.conftest import CommittingClient


def _code(device: TOTPDevice, offset: int = 0) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time += offset
    return f"{totp.token():06d}"


def _signed_in(email: str) -> CommittingClient:
    client = CommittingClient()
    response = client.post("/accounts/login/", {"username": email, "password": PASSWORD})
    assert response.status_code == 302
    return client


def test_a_new_analyst_enrols_an_authenticator_before_anything_else(analyst):
    client = _signed_in("analyst@regulator.test")
    response = client.get("/regulator/filings/")
    assert response.status_code == 302 and response.url == "/accounts/two-factor/?next=%2Fregulator%2Ffilings%2F"
    api = client.get("/api/v1/filings/")
    assert api.status_code == 403 and "authenticator" in api.json()["detail"]

    page = client.get(response.url)
    text = page.content.decode()
    assert page.status_code == 200 and "Set up your authenticator app" in text and "<svg" in text
    assert 'href="/regulator/filings/"' not in text  # no links to pages out of reach yet
    device = TOTPDevice.objects.get(user=analyst, confirmed=False)
    assert device.config_url.startswith("otpauth://totp/")

    wrong = client.post("/accounts/two-factor/", {"token": "000000" if _code(device) != "000000" else "111111",
                                                  "next": "/regulator/filings/"})
    assert wrong.status_code == 400 and "That code did not match" in wrong.content.decode()
    assert not TOTPDevice.objects.filter(user=analyst, confirmed=True).exists()

    device.refresh_from_db()
    device.throttle_reset()  # the wrong code above doubled the wait; a person would simply wait a second
    done = client.post("/accounts/two-factor/", {"token": _code(device), "next": "/regulator/filings/"})
    assert done.status_code == 302 and done.url == "/regulator/filings/"
    assert TOTPDevice.objects.get(user=analyst).confirmed
    assert AuditEvent.objects.filter(action="auth.two_factor_enrolled", actor=analyst).count() == 1
    assert client.get("/regulator/filings/").status_code == 200


def test_an_enrolled_supervisor_gives_a_code_at_each_sign_in(supervisor):
    device = TOTPDevice.objects.create(user=supervisor, name="Authenticator app", confirmed=True)
    client = _signed_in("supervisor@regulator.test")
    page = client.get("/accounts/two-factor/?next=/regulator/rulebooks/").content.decode()
    assert "Enter your authenticator code" in page and "<svg" not in page  # the secret is never shown again
    response = client.post("/accounts/two-factor/", {"token": _code(device), "next": "/regulator/rulebooks/"})
    assert response.status_code == 302 and response.url == "/regulator/rulebooks/"
    assert client.get("/regulator/rulebooks/").status_code == 200
    # The same code cannot be used twice.
    again = _signed_in("supervisor@regulator.test")
    replay = again.post("/accounts/two-factor/", {"token": _code(device), "next": "/"})
    assert replay.status_code == 400


def test_wrong_codes_in_a_row_are_throttled(analyst):
    device = TOTPDevice.objects.create(user=analyst, name="Authenticator app", confirmed=True)
    client = _signed_in("analyst@regulator.test")
    wrong = "123456" if _code(device) != "123456" else "654321"
    client.post("/accounts/two-factor/", {"token": wrong})
    throttled = client.post("/accounts/two-factor/", {"token": _code(device)})
    assert throttled.status_code == 400 and "Too many wrong codes in a row. Wait" in throttled.content.decode()


def test_a_malformed_code_is_explained(analyst):
    TOTPDevice.objects.create(user=analyst, name="Authenticator app", confirmed=True)
    response = _signed_in("analyst@regulator.test").post("/accounts/two-factor/", {"token": "12ab"})
    assert response.status_code == 400 and "Enter the 6-digit code" in response.content.decode()


def test_next_never_leaves_the_portal(analyst):
    device = TOTPDevice.objects.create(user=analyst, name="Authenticator app", confirmed=True)
    response = _signed_in("analyst@regulator.test").post(
        "/accounts/two-factor/", {"token": _code(device), "next": "https://evil.example/"})
    assert response.status_code == 302 and response.url == "/"


def test_company_users_are_not_asked(company_a_officer):
    client = _signed_in("officer@alpha.test")
    assert client.get("/company/filings/").status_code == 200
    assert client.get("/accounts/two-factor/").status_code == 302
    assert not TOTPDevice.objects.exists()


@override_settings(PORTAL_STAFF_TOTP_REQUIRED=False)
def test_the_requirement_can_be_switched_off_for_a_local_demo(analyst):
    assert _signed_in("analyst@regulator.test").get("/regulator/filings/").status_code == 200


@pytest.mark.parametrize("path", ["/accounts/logout/", "/healthz"])
def test_signing_out_and_health_checks_need_no_code(analyst, path):
    client = _signed_in("analyst@regulator.test")
    response = client.post(path) if "logout" in path else client.get(path)
    assert response.status_code in (200, 302) and "two-factor" not in response.get("Location", "")


def test_each_session_enrols_its_own_secret(analyst):
    """Someone else who knows the password never sees the secret the analyst is scanning."""
    import re

    def secret(client) -> str:
        return re.search(r'class="secret">([A-Z2-7 ]+)<', client.get("/accounts/two-factor/").content.decode())[1]

    mine, theirs = _signed_in("analyst@regulator.test"), _signed_in("analyst@regulator.test")
    first = secret(mine)
    assert secret(mine) == first  # the same session keeps its secret while enrolling
    assert secret(theirs) != first
    assert TOTPDevice.objects.filter(user=analyst, confirmed=False).count() == 1  # the earlier one is gone


def test_wrong_codes_while_enrolling_are_throttled_too(analyst):
    client = _signed_in("analyst@regulator.test")
    client.get("/accounts/two-factor/")
    device = TOTPDevice.objects.get(user=analyst, confirmed=False)
    wrong = "123456" if _code(device) != "123456" else "654321"
    client.post("/accounts/two-factor/", {"token": wrong})
    device.refresh_from_db()
    assert device.throttling_failure_count == 1
    throttled = client.post("/accounts/two-factor/", {"token": _code(device)})
    assert "Too many wrong codes in a row" in throttled.content.decode()


def test_the_session_key_changes_when_the_code_is_given(analyst):
    device = TOTPDevice.objects.create(user=analyst, name="Authenticator app", confirmed=True)
    client = _signed_in("analyst@regulator.test")
    before = client.session.session_key
    client.post("/accounts/two-factor/", {"token": _code(device)})
    assert client.session.session_key != before
    assert client.get("/regulator/filings/").status_code == 200


def test_only_the_exact_open_paths_skip_the_code(analyst):
    client = _signed_in("analyst@regulator.test")
    for path in ("/healthzx", "/accounts/logout/x", "/static/x/../regulator/"):
        response = client.get(path)
        assert response.status_code == 302 and response.url.startswith("/accounts/two-factor/"), path
