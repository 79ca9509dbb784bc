"""Pure filters: what a user may see, and the named subsets every read shares. Every list and detail
view starts from these."""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.utils import timezone

from companies import access


def _company_scoped(queryset: models.QuerySet, user, field: str) -> models.QuerySet:
    """Staff: everything. A member: rows whose ``field`` is their company. Anyone else: nothing."""
    if access.is_staff(user):
        return queryset
    company_id = access.company_id_for(user)
    if company_id is None:
        return queryset.none()
    return queryset.filter(**{field: company_id})


# Who files for which period (docs/DESIGN.md §4.2): a company files for every period that ends on or after
# the day it was registered, and for none before. Overdue lists, reminders, the filing_on_time metric, the
# company's own pages and escalation read it through the two methods below and ``deadlines.is_expected``.


class CompanyQuerySet(models.QuerySet):
    def visible_to(self, user) -> CompanyQuerySet:
        """Regulator staff see every company; a member sees only their own; others none."""
        return _company_scoped(self, user, "pk")

    def expected_to_file(self, period) -> CompanyQuerySet:
        """Companies expected to file for ``period``: registered by its last day."""
        return self.filter(registered_on__lte=period.end)


class ReportingPeriodQuerySet(models.QuerySet):
    def expected_of(self, company) -> ReportingPeriodQuerySet:
        """The periods ``company`` is expected to file for: those ending on or after its registration."""
        return self.filter(end__gte=company.registered_on)


class MembershipQuerySet(models.QuerySet):
    def active(self) -> MembershipQuerySet:
        """Memberships not ended: the people who belong to a company now."""
        return self.filter(removed_at__isnull=True)

    def visible_to(self, user) -> MembershipQuerySet:
        """Staff see all memberships; a member sees those of their own company."""
        return _company_scoped(self, user, "company_id")


class InvitationQuerySet(models.QuerySet):
    def open(self, *, now: dt.datetime | None = None) -> InvitationQuerySet:
        """Invitations that still work: neither used nor withdrawn, and not expired."""
        return self.filter(accepted_at__isnull=True, revoked_at__isnull=True,
                           expires_at__gt=now or timezone.now())


class RegistrationRequestQuerySet(models.QuerySet):
    def visible_to(self, user) -> RegistrationRequestQuerySet:
        """Only regulator staff see registration requests."""
        return self if access.is_staff(user) else self.none()


class FilingQuerySet(models.QuerySet):
    def visible_to(self, user) -> FilingQuerySet:
        """Staff see every filing; a member sees their own company's; others none."""
        return _company_scoped(self, user, "company_id")


class FilingUploadQuerySet(models.QuerySet):
    def visible_to(self, user) -> FilingUploadQuerySet:
        """Uploads follow their filing's visibility."""
        return _company_scoped(self, user, "filing__company_id")
