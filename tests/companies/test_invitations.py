"""Invitation links: used once, expire, and only an officer sends them."""

from __future__ import annotations

import datetime as dt
import re

from django.core import mail
from django.test import TestCase
from django.utils import timezone

from companies.models import Invitation, MemberRole, Membership
from companies.services.members import invitation_create
from tests.companies.factories import UserFactory
from tests.conftest import CommittingClient


def _link_path() -> str:
    return re.search(r"https?://[^/]+(/invitations/[^\s]+/)", mail.outbox[-1].body).group(1)


def _accept(client, path: str, password: str = "a-long-pass-phrase-9"):
    return client.post(path, {"full_name": "Val Viewer", "password1": password, "password2": password})


def test_officer_invites_and_the_link_creates_a_member(client_as, client, company_a):
    response = client_as("company_a_officer").post(
        "/company/members/", {"full_name": "Val Viewer", "email": "Val@Alpha.test", "role": "viewer"}
    )
    assert response.status_code == 302
    path = _link_path()
    assert client.get(path).status_code == 200
    assert _accept(client, path).status_code == 302
    membership = Membership.objects.get(user__email="val@alpha.test")
    assert membership.company == company_a and membership.role == MemberRole.VIEWER
    assert client.get("/").context["company"] == company_a


def test_reused_invitation_link_is_refused_with_a_clear_message(client_as, client):
    client_as("company_a_officer").post("/company/members/", {"full_name": "V", "email": "v@alpha.test", "role": "viewer"})
    path = _link_path()
    _accept(client, path)
    response = _accept(CommittingClient(), path)
    assert response.status_code == 410
    assert "already been used" in response.content.decode()
    assert Membership.objects.filter(user__email="v@alpha.test").count() == 1


def test_expired_invitation_link_is_refused(client_as, client):
    client_as("company_a_officer").post("/company/members/", {"full_name": "V", "email": "v@alpha.test", "role": "viewer"})
    Invitation.objects.update(expires_at=timezone.now() - dt.timedelta(minutes=1))
    response = _accept(client, _link_path())
    assert response.status_code == 410
    assert "expired on" in response.content.decode()
    assert not Membership.objects.filter(user__email="v@alpha.test").exists()


def test_unknown_token_is_refused(client, db):
    response = client.get("/invitations/not-a-real-token/")
    assert response.status_code == 410
    assert "not valid" in response.content.decode()


def test_weak_password_is_refused_and_the_invitation_stays_open(client_as, client):
    client_as("company_a_officer").post("/company/members/", {"full_name": "V", "email": "v@alpha.test", "role": "viewer"})
    response = _accept(client, _link_path(), password="short")
    assert response.status_code == 200
    assert Invitation.objects.get().accepted_at is None


def test_viewer_cannot_invite(client_as):
    response = client_as("company_a_viewer").post(
        "/company/members/", {"full_name": "X", "email": "x@alpha.test", "role": "officer"}
    )
    assert response.status_code == 403
    assert not Invitation.objects.exists()


def test_person_in_another_company_cannot_be_invited(client_as, company_b_officer):
    response = client_as("company_a_officer").post(
        "/company/members/", {"full_name": "B", "email": "officer@bravo.test", "role": "viewer"}
    )
    assert "already belongs to a company" in response.content.decode()
    assert not Invitation.objects.exists()


def test_invitation_token_is_stored_only_as_a_hash(company_a, company_a_officer):
    with TestCase.captureOnCommitCallbacks(execute=True):
        invitation_create(actor=company_a_officer, company=company_a, email="h@alpha.test", full_name="H", role="viewer")
    token = _link_path().split("/")[2]
    stored = Invitation.objects.get()
    assert token not in stored.token_hash and len(stored.token_hash) == 64


def test_existing_account_cannot_be_taken_over_by_an_invitation(client_as, client):
    client_as("company_a_officer").post("/company/members/", {"full_name": "V", "email": "v@alpha.test", "role": "viewer"})
    UserFactory(username="v@alpha.test")
    response = _accept(client, _link_path())
    assert "already exists" in response.content.decode()
    assert Invitation.objects.get().accepted_at is None


def test_the_invitation_says_when_it_expires_with_the_zone(client_as, client):
    """Sent on 1 July 2026 at 08:00 UTC, it expires 7 days later at 09:00 British Summer Time."""
    from unittest import mock

    sent = dt.datetime(2026, 7, 1, 8, 0, tzinfo=dt.UTC)
    with mock.patch("django.utils.timezone.now", return_value=sent):
        client_as("company_a_officer").post("/company/members/",
                                            {"full_name": "V", "email": "v@alpha.test", "role": "viewer"})
    assert "expires on 8 Jul 2026 09:00 BST" in mail.outbox[-1].body
    Invitation.objects.update(expires_at=dt.datetime(2026, 1, 5, 12, 0, tzinfo=dt.UTC))
    assert "This invitation expired on 5 Jan 2026 12:00 GMT." in _accept(client, _link_path()).content.decode()
