"""Supervisors reset a colleague's authenticator (a lost phone); the next sign-in enrols a new one."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django_otp.plugins.otp_totp.models import TOTPDevice

from core.models import AuditEvent
from core.two_factor import totp_device_reset


def test_a_supervisor_resets_an_analysts_authenticator_with_a_reason(client_as, analyst, supervisor):
    analyst_client = client_as("analyst")  # signed in and past the code, with a device
    assert analyst_client.get("/regulator/filings/").status_code == 200
    boss = client_as("supervisor")
    page = boss.get("/regulator/staff/").content.decode()
    assert "analyst@regulator.test" in page and "Set up" in page
    response = boss.post(f"/regulator/staff/{analyst.pk}/reset-authenticator/", {"reason": "Lost phone."}, follow=True)
    assert "is removed; they set up a new one at their next sign-in" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=analyst).exists()
    event = AuditEvent.objects.get(action="auth.two_factor_reset")
    assert event.reason == "Lost phone." and event.actor == supervisor
    # The analyst's session was verified with the removed device: it is not any more.
    again = analyst_client.get("/regulator/filings/")
    assert again.status_code == 302 and again.url.startswith("/accounts/two-factor/")


def test_nobody_resets_their_own_and_a_reason_is_required(client_as, analyst, supervisor):
    client_as("supervisor")  # gives the supervisor a device
    client_as("analyst")
    with pytest.raises(ValidationError, match="Ask another supervisor"):
        totp_device_reset(actor=supervisor, user=supervisor, reason="Lost phone.")
    with pytest.raises(ValidationError, match="Say why"):
        totp_device_reset(actor=supervisor, user=analyst, reason=" ")
    with pytest.raises(PermissionDenied):
        totp_device_reset(actor=analyst, user=supervisor, reason="Lost phone.")
    assert TOTPDevice.objects.count() == 2 and not AuditEvent.objects.filter(action="auth.two_factor_reset").exists()


def test_a_member_without_an_authenticator_is_reported(analyst, supervisor):
    with pytest.raises(ValidationError, match="has no authenticator to reset"):
        totp_device_reset(actor=supervisor, user=analyst, reason="Lost phone.")


def test_analysts_do_not_manage_the_staff(client_as, analyst):
    assert client_as("analyst").get("/regulator/staff/").status_code == 403
