"""The regulator's staff groups and the permission codenames each holds.

This table is the single definition; ``sync_regulator_groups`` makes the
database match it after every migrate, so adding a codename here is enough.
"""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission

from core.roles import ANALYST, SUPERVISOR

ANALYST_PERMISSIONS = [
    "companies.view_company",
    "companies.view_membership",
    "companies.view_registrationrequest",
    "companies.view_reportingperiod",
    "core.view_auditevent",
    "companies.view_filing",
    "companies.review_filing",
    "regulator.view_rulebook",
    "regulator.view_assessment",
    "regulator.add_assessment",
    "regulator.finalise_assessment",
]
SUPERVISOR_PERMISSIONS = [*ANALYST_PERMISSIONS, "companies.decide_registrationrequest", "regulator.edit_rulebook"]
GROUP_PERMISSIONS = {ANALYST: ANALYST_PERMISSIONS, SUPERVISOR: SUPERVISOR_PERMISSIONS}


def sync_regulator_groups(**_kwargs) -> None:
    """Create the analyst and supervisor groups and set their permissions exactly (idempotent)."""
    for group_name, codenames in GROUP_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=group_name)
        permissions = []
        for dotted in codenames:
            app_label, codename = dotted.split(".")
            permission = Permission.objects.filter(content_type__app_label=app_label, codename=codename).first()
            if permission is not None:
                permissions.append(permission)
        group.permissions.set(permissions)
