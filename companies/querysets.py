"""Pure filters: what a user may see. Every list and detail view starts from these."""

from __future__ import annotations

from django.db import models

from core import roles


def _active_company_id(user) -> int | None:
    # Imported here: the selector needs the models, which import this module.
    from companies.selectors import membership_for

    membership = membership_for(user=user)
    return membership.company_id if membership else None


class CompanyQuerySet(models.QuerySet):
    def visible_to(self, user) -> CompanyQuerySet:
        """Regulator staff see every company; a member sees only their own; others none."""
        if roles.is_regulator(user):
            return self
        company_id = _active_company_id(user)
        if company_id is None:
            return self.none()
        return self.filter(pk=company_id)


class MembershipQuerySet(models.QuerySet):
    def active(self) -> MembershipQuerySet:
        return self.filter(removed_at__isnull=True)

    def visible_to(self, user) -> MembershipQuerySet:
        """Staff see all memberships; a member sees those of their own company."""
        if roles.is_regulator(user):
            return self
        company_id = _active_company_id(user)
        if company_id is None:
            return self.none()
        return self.filter(company_id=company_id)


class RegistrationRequestQuerySet(models.QuerySet):
    def visible_to(self, user) -> RegistrationRequestQuerySet:
        """Only regulator staff see registration requests."""
        return self if roles.is_regulator(user) else self.none()


class FilingQuerySet(models.QuerySet):
    def visible_to(self, user) -> FilingQuerySet:
        """Staff see every filing; a member sees their own company's; others none."""
        if roles.is_regulator(user):
            return self
        company_id = _active_company_id(user)
        if company_id is None:
            return self.none()
        return self.filter(company_id=company_id)


class FilingUploadQuerySet(models.QuerySet):
    def visible_to(self, user) -> FilingUploadQuerySet:
        """Uploads follow their filing's visibility."""
        if roles.is_regulator(user):
            return self
        company_id = _active_company_id(user)
        if company_id is None:
            return self.none()
        return self.filter(filing__company_id=company_id)
