"""Who a user is to the portal: regulator staff roles, read from Django groups.

Company roles live with memberships (companies/selectors.py); these helpers only
answer the regulator side, which every app needs.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

ANALYST = "analyst"
SUPERVISOR = "supervisor"
REGULATOR_GROUPS = (ANALYST, SUPERVISOR)

User = AbstractBaseUser | AnonymousUser


def group_names(user: User) -> frozenset[str]:
    """The user's group names, fetched once per user object."""
    if not user.is_authenticated:
        return frozenset()
    cached = getattr(user, "_portal_group_names", None)
    if cached is None:
        cached = frozenset(user.groups.values_list("name", flat=True))
        user._portal_group_names = cached
    return cached


def is_regulator(user: User) -> bool:
    """Analysts and supervisors: the regulator's staff."""
    return bool(group_names(user) & set(REGULATOR_GROUPS))


def is_supervisor(user: User) -> bool:
    return SUPERVISOR in group_names(user)


def is_analyst(user: User) -> bool:
    return ANALYST in group_names(user)
