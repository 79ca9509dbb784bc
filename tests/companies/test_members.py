"""Officers remove members; nobody reaches another company's people."""

from __future__ import annotations

from companies.models import Membership
from core.models import AuditEvent


def test_officer_removes_a_member_and_the_row_stays_as_history(client_as, company_a_viewer):
    membership = Membership.objects.get(user=company_a_viewer)
    response = client_as("company_a_officer").post(f"/company/members/{membership.pk}/remove/", {"reason": "left", "confirmed": "yes"})
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.removed_at is not None
    event = AuditEvent.objects.get(action="membership.removed")
    assert event.reason == "left" and event.object_id == str(membership.pk)


def test_removed_member_loses_access(client_as, company_a_viewer):
    viewer = client_as("company_a_viewer")
    assert viewer.get("/company/members/").status_code == 200
    membership = Membership.objects.get(user=company_a_viewer)
    client_as("company_a_officer").post(f"/company/members/{membership.pk}/remove/", {"confirmed": "yes"})
    assert viewer.get("/company/members/").status_code == 404


def test_officer_of_company_a_gets_404_for_company_b_member(client_as, company_b_officer):
    membership = Membership.objects.get(user=company_b_officer)
    response = client_as("company_a_officer").post(f"/company/members/{membership.pk}/remove/", {"confirmed": "yes"})
    assert response.status_code == 404
    membership.refresh_from_db()
    assert membership.removed_at is None


def test_viewer_cannot_remove_members(client_as, company_a_submitter, company_a_viewer):
    membership = Membership.objects.get(user=company_a_submitter)
    response = client_as("company_a_viewer").post(f"/company/members/{membership.pk}/remove/", {"confirmed": "yes"})
    assert response.status_code == 403
    membership.refresh_from_db()
    assert membership.removed_at is None


def test_the_last_officer_cannot_be_removed(company_a_officer):
    import pytest
    from django.core.exceptions import ValidationError

    from companies.services.members import membership_remove

    membership = Membership.objects.get(user=company_a_officer)
    with pytest.raises(ValidationError, match="at least one compliance officer"):
        membership_remove(actor=company_a_officer, membership=membership)
    membership.refresh_from_db()
    assert membership.removed_at is None


def test_members_page_lists_only_own_company(client_as, company_a_viewer, company_b_officer):
    page = client_as("company_a_officer").get("/company/members/").content.decode()
    assert "viewer@alpha.test" in page
    assert "officer@bravo.test" not in page
