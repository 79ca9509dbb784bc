"""Who may do what in the regulator app: the one place that answers it.

The regulator's staff are the analyst and supervisor groups (core.roles). Each decision they
take is one permission codename, and the table below says which group holds which; it is
granted through core.roles, whose ``sync_staff_groups`` makes the database match after every
migrate, so adding a codename here is enough. Views pass ``allows()`` to templates as flags,
services call ``require()``.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from companies import access as company_access
from core import roles
from core.roles import ANALYST, SUPERVISOR, Decision, User

RUN_ASSESSMENTS = Decision("regulator.run_assessments", "Only the regulator's analysts run assessments.")
ADD_NOTE = Decision("regulator.add_note", "Only the regulator's analysts annotate assessments.")
OVERRIDE_RESULT = Decision("regulator.override_result", "Only the regulator's analysts override results.")
CONFIRM_OVERRIDE = Decision("regulator.confirm_override", "Only a supervisor confirms overrides.")
FINALISE_ASSESSMENT = Decision("regulator.finalise_assessment", "Only the regulator's analysts finalise assessments.")
EDIT_RULEBOOK = Decision("regulator.edit_rulebook", "Only a supervisor edits the rulebook.")

ANALYST_PERMISSIONS = [
    "companies.view_company",
    "companies.view_membership",
    "companies.view_registrationrequest",
    "companies.view_reportingperiod",
    "core.view_auditevent",
    "companies.view_filing",
    company_access.REVIEW_FILING.codename,
    "regulator.view_rulebook",
    "regulator.view_assessment",
    RUN_ASSESSMENTS.codename,
    ADD_NOTE.codename,
    OVERRIDE_RESULT.codename,
    FINALISE_ASSESSMENT.codename,
]
SUPERVISOR_PERMISSIONS = [
    *ANALYST_PERMISSIONS,
    company_access.DECIDE_REGISTRATION.codename,
    EDIT_RULEBOOK.codename,
    CONFIRM_OVERRIDE.codename,
]
roles.grant(ANALYST, ANALYST_PERMISSIONS)
roles.grant(SUPERVISOR, SUPERVISOR_PERMISSIONS)

STAFF_ONLY = "This page is for the regulator's staff."
SUPERVISORS_ONLY_STAFF = "Only a supervisor manages the staff's authenticators."


def is_staff(user: User) -> bool:
    """The regulator's analysts and supervisors (core.roles is the definition)."""
    return roles.is_regulator(user)


def require_staff(user: User) -> None:
    """Refuse anyone but the regulator's staff (staff pages)."""
    if not is_staff(user):
        raise PermissionDenied(STAFF_ONLY)


def may_manage_staff(user: User) -> bool:
    """Supervisors see the staff and reset a colleague's authenticator (core.two_factor checks it again)."""
    return roles.is_supervisor(user)


def require_manage_staff(user: User) -> None:
    if not may_manage_staff(user):
        raise PermissionDenied(SUPERVISORS_ONLY_STAFF)
