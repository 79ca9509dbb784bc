"""Pure filters: what a user may see. Every list and detail view starts from these."""

from __future__ import annotations

from django.db import models

from core import roles


def _company_scoped(queryset: models.QuerySet, user, field: str) -> models.QuerySet:
    """Staff: everything. A member: rows whose ``field`` is their company. Anyone else: nothing."""
    if roles.is_regulator(user):
        return queryset
    company_id = _active_company_id(user)
    if company_id is None:
        return queryset.none()
    return queryset.filter(**{field: company_id})


def _active_company_id(user) -> int | None:
    # Imported here: the selector needs the models, which import this module.
    from companies.selectors import membership_for

    membership = membership_for(user=user)
    return membership.company_id if membership else None


class CompanyQuerySet(models.QuerySet):
    def visible_to(self, user) -> CompanyQuerySet:
        """Regulator staff see every company; a member sees only their own; others none."""
        return _company_scoped(self, user, "pk")


class MembershipQuerySet(models.QuerySet):
    def active(self) -> MembershipQuerySet:
        return self.filter(removed_at__isnull=True)

    def visible_to(self, user) -> MembershipQuerySet:
        """Staff see all memberships; a member sees those of their own company."""
        return _company_scoped(self, user, "company_id")


class RegistrationRequestQuerySet(models.QuerySet):
    def visible_to(self, user) -> RegistrationRequestQuerySet:
        """Only regulator staff see registration requests."""
        return self if roles.is_regulator(user) else self.none()


class FilingQuerySet(models.QuerySet):
    def visible_to(self, user) -> FilingQuerySet:
        """Staff see every filing; a member sees their own company's; others none."""
        return _company_scoped(self, user, "company_id")


class FilingUploadQuerySet(models.QuerySet):
    def visible_to(self, user) -> FilingUploadQuerySet:
        """Uploads follow their filing's visibility."""
        return _company_scoped(self, user, "filing__company_id")
