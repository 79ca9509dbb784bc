"""Who a user is to the regulator: its staff groups, and the shape of every permission decision.

This is the one definition of "the regulator's staff" (members of the analyst or supervisor
group) and of "supervisor", which every layer needs. Company roles live with memberships
(companies/access.py); each app's decisions are named in its own ``access.py``.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser, Group, Permission
from django.core.exceptions import PermissionDenied

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
    """Supervisors: the staff who decide (registrations, rulebooks, confirmations, notices)."""
    return SUPERVISOR in group_names(user)


def is_staff_account(user: User) -> bool:
    """Accounts that reach staff pages or the Django admin: the regulator's staff and the admin's users."""
    return user.is_authenticated and (user.is_superuser or user.is_staff or is_regulator(user))


# Which permission codenames each staff group holds. Each app's access.py grants its own decisions here; after
# every migrate ``sync_staff_groups`` makes the database match the whole table exactly.
_GRANTS: dict[str, set[str]] = {ANALYST: set(), SUPERVISOR: set()}


def grant(group: str, codenames: list[str]) -> None:
    """Give a staff group these permission codenames ("app_label.codename")."""
    _GRANTS[group].update(codenames)


def granted(group: str) -> frozenset[str]:
    return frozenset(_GRANTS[group])


def sync_staff_groups(**_kwargs) -> None:
    """Create the analyst and supervisor groups and set their permissions exactly to the table (idempotent)."""
    for group_name, codenames in _GRANTS.items():
        group, _ = Group.objects.get_or_create(name=group_name)
        permissions = []
        for dotted in sorted(codenames):
            app_label, codename = dotted.split(".")
            permission = Permission.objects.filter(content_type__app_label=app_label, codename=codename).first()
            if permission is not None:
                permissions.append(permission)
        group.permissions.set(permissions)


@dataclass(frozen=True)
class Decision:
    """One "may this user do this?" question answered by one permission codename, with the refusal in words.

    Each app's ``access.py`` names its decisions; views pass ``allows()`` to templates as flags,
    services call ``require()`` before they write.
    """

    codename: str
    refusal: str

    def allows(self, user: User | None) -> bool:
        return user is not None and user.is_authenticated and user.has_perm(self.codename)

    def require(self, user: User | None) -> None:
        """Raise PermissionDenied with the refusal unless the user holds the permission."""
        if not self.allows(user):
            raise PermissionDenied(self.refusal)
