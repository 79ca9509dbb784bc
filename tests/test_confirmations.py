"""Actions that cannot be undone ask first, without JavaScript: a post without the confirmation shows a page that
says what will happen and changes nothing; the same post confirmed does it (core.views.confirm_first)."""

from __future__ import annotations

import pytest

from companies.models import CompanyAPIKey, Filing, FilingStatus, Membership, RegistrationRequest
from companies.services.api_keys import apikey_create
from core.models import AuditEvent
from regulator.models import Assessment
from tests.companies.factories import FilingFactory, RegistrationRequestFactory, ReportingPeriodFactory
from tests.regulator.factories import AssessmentFactory


def _case(request, name: str):
    """(actor, url, data, what must not have changed) for each irreversible action."""
    if name == "approve registration":
        registration = RegistrationRequestFactory()
        return ("supervisor", f"/regulator/registrations/{registration.pk}/approve/", {},
                lambda: RegistrationRequest.objects.get(pk=registration.pk).status == "pending")
    if name == "reject registration":
        registration = RegistrationRequestFactory()
        return ("supervisor", f"/regulator/registrations/{registration.pk}/reject/", {"reason": "Out of scope."},
                lambda: RegistrationRequest.objects.get(pk=registration.pk).status == "pending")
    if name == "revoke key" or name == "rotate key":
        api_key, _ = apikey_create(actor=request.getfixturevalue("company_a_officer"),
                                   company=request.getfixturevalue("company_a"), name="Pipeline")
        verb = name.split()[0]
        return ("company_a_officer", f"/company/api-keys/{api_key.prefix}/{verb}/", {},
                lambda: not CompanyAPIKey.objects.get(pk=api_key.pk).revoked)
    if name == "remove member":
        membership = Membership.objects.get(user=request.getfixturevalue("company_a_viewer"))
        return ("company_a_officer", f"/company/members/{membership.pk}/remove/", {},
                lambda: Membership.objects.get(pk=membership.pk).removed_at is None)
    if name == "set aside draft":
        request.getfixturevalue("company_a_submitter")
        draft = FilingFactory(company=request.getfixturevalue("company_a"))
        return ("company_a_submitter", f"/company/filings/{draft.pk}/abandon/", {},
                lambda: Filing.objects.get(pk=draft.pk).status == FilingStatus.DRAFT)
    if name == "finalise assessment":
        assessment = AssessmentFactory(company=request.getfixturevalue("company_a"))
        return ("analyst", f"/regulator/assessments/{assessment.pk}/finalise/", {},
                lambda: Assessment.objects.get(pk=assessment.pk).status == "draft")
    if name == "compute period":
        period = ReportingPeriodFactory(year=2026, quarter=2)
        FilingFactory(company=request.getfixturevalue("company_a"), period=period, status="accepted",
                      is_nil_return=True, submitted_at="2026-07-20T10:00:00Z")
        return ("analyst", "/regulator/assessments/run/", {"period": period.code},
                lambda: not Assessment.objects.exists())
    raise AssertionError(name)


ACTIONS = ["approve registration", "reject registration", "revoke key", "rotate key", "remove member",
           "set aside draft", "finalise assessment", "compute period"]


@pytest.mark.parametrize("name", ACTIONS)
def test_an_irreversible_action_asks_first_and_does_it_once_confirmed(request, client_as, company_a_officer,
                                                                      company_a_viewer, name):
    actor, url, data, unchanged = _case(request, name)
    client = client_as(actor)
    events = AuditEvent.objects.count()
    page = client.post(url, data)
    assert page.status_code == 200
    text = page.content.decode()
    assert "This cannot be undone." in text and "No, go back" in text
    assert 'name="confirmed" value="yes"' in text
    assert unchanged() and AuditEvent.objects.count() == events
    done = client.post(url, {**data, "confirmed": "yes"})
    assert done.status_code in (200, 302) and not unchanged()
