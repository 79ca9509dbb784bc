"""Who may do what in the companies app: the one place that answers it.

A person's place in a company is their active membership and its role (viewer < submitter <
officer, each including the rights below it). The regulator's staff are defined in core.roles;
the decisions they take about companies' objects are permission codenames, named here.
Views, templates (through flags the views pass), the API, API keys and services all ask this
module; none re-derives a role.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.http import Http404

from companies.choices import ROLE_RANK, CompanyStatus, MemberRole
from core import roles
from core.roles import Decision, User

if TYPE_CHECKING:
    from companies.models import Company, Membership

# Decisions of the regulator's staff about companies' objects.
REVIEW_FILING = Decision("companies.review_filing", "Only the regulator's analysts and supervisors review filings.")
DECIDE_REGISTRATION = Decision("companies.decide_registrationrequest",
                               "Only a supervisor may decide registration requests.")

# What a company role may do, in words, for refusals.
ROLE_NEEDED = {
    MemberRole.VIEWER: "a member",
    MemberRole.SUBMITTER: "a submitter or the compliance officer",
    MemberRole.OFFICER: "the compliance officer",
}

_UNSET = object()


def is_staff(user: User) -> bool:
    """The regulator's analysts and supervisors (core.roles): they see every company's objects."""
    return roles.is_regulator(user)


def membership_for(*, user: User | None) -> Membership | None:
    """The user's active membership with its company, fetched once per user object."""
    if user is None or not user.is_authenticated:
        return None
    cached = getattr(user, "_portal_membership", _UNSET)
    if cached is _UNSET:
        cached = user.memberships.active().select_related("company").first()
        user._portal_membership = cached
    return cached


def company_id_for(user: User | None) -> int | None:
    """The id of the company the user belongs to, if any."""
    membership = membership_for(user=user)
    return membership.company_id if membership else None


def role_reaches(membership: Membership | None, role: str) -> bool:
    """Whether an active membership's role is ``role`` or above."""
    return (membership is not None and membership.removed_at is None
            and ROLE_RANK[membership.role] >= ROLE_RANK[role])


def has_company_role(user: User | None, company: Company, role: str) -> bool:
    """Whether the user is an active member of ``company`` with ``role`` or above."""
    membership = membership_for(user=user)
    return membership is not None and membership.company_id == company.pk and role_reaches(membership, role)


def require_company_role(actor: User | None, company: Company, role: str) -> None:
    """Refuse unless ``actor`` is an active member of ``company`` with ``role`` or above; anything beyond
    reading also needs the company to be active."""
    if not has_company_role(actor, company, role):
        raise PermissionDenied(f"Only {ROLE_NEEDED[role]} of {company} may do this.")
    if role != MemberRole.VIEWER and company.status != CompanyStatus.ACTIVE:
        raise PermissionDenied(f"{company} is {company.get_status_display().lower()}; it cannot file. "
                               "Contact the regulator.")


def require_officer(actor: User | None, company: Company, *, refusal: str) -> None:
    """Refuse with ``refusal`` unless ``actor`` is the company's compliance officer."""
    if not has_company_role(actor, company, MemberRole.OFFICER):
        raise PermissionDenied(refusal)


def member_or_404(user: User | None) -> Membership:
    """The user's membership; a page of a company's own is a 404 for anyone who belongs to none."""
    membership = membership_for(user=user)
    if membership is None:
        raise Http404("You do not belong to a company.")
    return membership


def require_role(membership: Membership, role: str, *, refusal: str | None = None) -> None:
    """Refuse a member whose role does not reach ``role`` (after their company's object was found)."""
    if not role_reaches(membership, role):
        raise PermissionDenied(refusal or f"Your role ({membership.get_role_display()}) cannot do this.")


def api_write_allowed(user: User, role: str) -> bool:
    """A company caller's write through the API: an active member whose role reaches ``role``.

    Raises PermissionDenied with the reason when the caller is a member whose role or company
    status does not allow it; False for a caller who belongs to no company."""
    membership = membership_for(user=user)
    if membership is None:
        return False
    require_company_role(user, membership.company, role)
    return True


def api_key_acts_for(user: User | None, company: Company) -> bool:
    """A key works only while the person who created it is an active compliance officer of its company."""
    return user is not None and user.is_active and has_company_role(user, company, MemberRole.OFFICER)
