"""Named actors shared by every test: anonymous, company A's viewer/submitter/officer,
company B's officer, an analyst and a supervisor."""

from __future__ import annotations

import pytest
from django.test import Client, TestCase

from companies.models import MemberRole
from core.roles import ANALYST, SUPERVISOR
from tests.companies.factories import CompanyFactory, MembershipFactory, UserFactory

ACTORS = [
    "anonymous", "company_a_viewer", "company_a_submitter", "company_a_officer", "company_b_officer",
    "analyst", "supervisor",
]


class CommittingClient(Client):
    """A test client whose requests end like real ones: ``on_commit`` work (e-mails, tasks) runs.

    Tests run inside a transaction that never commits, so without this the
    callbacks a request queued would silently never run.
    """

    def request(self, **request):
        with TestCase.captureOnCommitCallbacks(execute=True):
            return super().request(**request)


def pass_second_factor(client: Client, user) -> None:
    """Staff sessions start past the authenticator step, as after a real sign-in (core/two_factor.py)."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from core.two_factor import second_factor_required

    if not second_factor_required(user):
        return
    device = (TOTPDevice.objects.filter(user=user, confirmed=True).first()
              or TOTPDevice.objects.create(user=user, name="Test authenticator", confirmed=True))
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


@pytest.fixture
def client(db) -> CommittingClient:
    return CommittingClient()


@pytest.fixture
def company_a(db):
    return CompanyFactory(legal_name="Alpha Video Ltd", slug="alpha-video")


@pytest.fixture
def company_b(db):
    return CompanyFactory(legal_name="Bravo Chat Ltd", slug="bravo-chat")


def _member(company, role: str, email: str):
    return MembershipFactory(company=company, role=role, user=UserFactory(username=email)).user


@pytest.fixture
def company_a_viewer(company_a):
    return _member(company_a, MemberRole.VIEWER, "viewer@alpha.test")


@pytest.fixture
def company_a_submitter(company_a):
    return _member(company_a, MemberRole.SUBMITTER, "submitter@alpha.test")


@pytest.fixture
def company_a_officer(company_a):
    return _member(company_a, MemberRole.OFFICER, "officer@alpha.test")


@pytest.fixture
def company_b_officer(company_b):
    return _member(company_b, MemberRole.OFFICER, "officer@bravo.test")


@pytest.fixture
def analyst(db):
    return UserFactory(username="analyst@regulator.test", groups=[ANALYST])


@pytest.fixture
def supervisor(db):
    return UserFactory(username="supervisor@regulator.test", groups=[SUPERVISOR])


@pytest.fixture
def anonymous(db):
    return None


@pytest.fixture
def client_as(request, db):
    """``client_as("analyst")``: a test client signed in as the named actor (or anonymous)."""

    def make(actor_name: str) -> Client:
        user = request.getfixturevalue(actor_name)
        client = CommittingClient()
        if user is not None:
            client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
            pass_second_factor(client, user)
        return client

    return make
