"""companies/access.py: a person's place in a company, and the staff's decisions about companies' objects."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone

from companies import access
from companies.models import CompanyStatus, Invitation, MemberRole, Membership


@pytest.mark.parametrize(("actor", "role", "allowed"), [
    ("company_a_viewer", MemberRole.VIEWER, True), ("company_a_viewer", MemberRole.SUBMITTER, False),
    ("company_a_submitter", MemberRole.SUBMITTER, True), ("company_a_submitter", MemberRole.OFFICER, False),
    ("company_a_officer", MemberRole.OFFICER, True), ("company_a_officer", MemberRole.VIEWER, True),
    ("company_b_officer", MemberRole.VIEWER, False), ("analyst", MemberRole.VIEWER, False),
    ("supervisor", MemberRole.VIEWER, False),
])
def test_a_role_includes_the_rights_below_it_and_only_in_ones_own_company(request, company_a, actor, role, allowed):
    user = request.getfixturevalue(actor)
    assert access.has_company_role(user, company_a, role) is allowed


def test_a_removed_member_has_no_role_any_more(company_a, company_a_officer):
    Membership.objects.filter(user=company_a_officer).update(removed_at=timezone.now())
    user = get_user_model().objects.get(pk=company_a_officer.pk)  # as the next request loads them
    assert access.membership_for(user=user) is None
    assert not access.has_company_role(user, company_a, MemberRole.VIEWER)


def test_a_company_that_is_not_active_may_be_read_but_not_filed_for(company_a, company_a_officer):
    company_a.status = CompanyStatus.SUSPENDED
    company_a.save()
    access.require_company_role(company_a_officer, company_a, MemberRole.VIEWER)
    with pytest.raises(PermissionDenied, match="is suspended; it cannot file"):
        access.require_company_role(company_a_officer, company_a, MemberRole.SUBMITTER)


def test_the_refusal_names_the_role_needed(company_a, company_a_viewer):
    with pytest.raises(PermissionDenied, match="Only the compliance officer of Alpha Video Ltd may do this"):
        access.require_company_role(company_a_viewer, company_a, MemberRole.OFFICER)


def test_someone_of_no_company_gets_a_404_for_a_companys_own_pages(analyst):
    with pytest.raises(Http404):
        access.member_or_404(analyst)


def test_staff_decisions_are_permission_codenames_only_staff_hold(analyst, supervisor, company_a_officer):
    assert access.REVIEW_FILING.allows(analyst) and access.REVIEW_FILING.allows(supervisor)
    assert not access.DECIDE_REGISTRATION.allows(analyst) and access.DECIDE_REGISTRATION.allows(supervisor)
    assert not access.REVIEW_FILING.allows(company_a_officer)
    with pytest.raises(PermissionDenied, match="Only a supervisor may decide registration requests"):
        access.DECIDE_REGISTRATION.require(analyst)


def test_an_api_key_works_only_while_its_creator_is_an_active_officer(company_a, company_a_officer,
                                                                     company_a_submitter):
    assert access.api_key_acts_for(company_a_officer, company_a)
    assert not access.api_key_acts_for(company_a_submitter, company_a)
    company_a_officer.is_active = False
    assert not access.api_key_acts_for(company_a_officer, company_a)


def test_an_open_invitation_is_neither_used_withdrawn_nor_expired(company_a):
    now = timezone.now()

    def invitation(email: str, **fields) -> Invitation:
        return Invitation.objects.create(company=company_a, email=email, role=MemberRole.VIEWER, token_hash=email,
                                         expires_at=fields.pop("expires_at", now + dt.timedelta(days=7)), **fields)

    open_one = invitation("open@alpha.test")
    invitation("used@alpha.test", accepted_at=now)
    invitation("withdrawn@alpha.test", revoked_at=now)
    invitation("expired@alpha.test", expires_at=now - dt.timedelta(minutes=1))
    assert list(company_a.invitations.open()) == [open_one]


def test_the_members_page_lists_only_open_invitations(client_as, company_a):
    """An expired invitation no longer shows as pending (it did before open() was the one rule)."""
    Invitation.objects.create(company=company_a, email="expired@alpha.test", role=MemberRole.VIEWER,
                              token_hash="x", expires_at=timezone.now() - dt.timedelta(days=1))
    Invitation.objects.create(company=company_a, email="waiting@alpha.test", role=MemberRole.VIEWER,
                              token_hash="y", expires_at=timezone.now() + dt.timedelta(days=1))
    page = client_as("company_a_officer").get("/company/members/").content.decode()
    assert "waiting@alpha.test" in page
    assert "expired@alpha.test" not in page
