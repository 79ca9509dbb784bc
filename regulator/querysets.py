"""What a user may see of assessments and rulebooks."""

from __future__ import annotations

from django.db import models

from core import roles


class AssessmentQuerySet(models.QuerySet):
    def visible_to(self, user) -> AssessmentQuerySet:
        """Staff see every assessment; a member sees their company's final ones; others none."""
        if roles.is_regulator(user):
            return self
        from companies.selectors import membership_for

        membership = membership_for(user=user)
        if membership is None:
            return self.none()
        return self.filter(company_id=membership.company_id, status="final")


class RulebookQuerySet(models.QuerySet):
    def visible_to(self, user) -> RulebookQuerySet:
        """The rules are public: every signed-in caller reads every version."""
        return self if user.is_authenticated else self.none()


class MetricResultQuerySet(models.QuerySet):
    def visible_to(self, user) -> MetricResultQuerySet:
        """The results of the assessments the user may see (staff: all; a member: their company's final ones)."""
        if roles.is_regulator(user):
            return self
        from companies.selectors import membership_for

        membership = membership_for(user=user)
        if membership is None:
            return self.none()
        return self.filter(assessment__company_id=membership.company_id, assessment__status="final")


class AssessmentNoteQuerySet(models.QuerySet):
    def visible_to(self, user) -> AssessmentNoteQuerySet:
        """Staff read every note; a member reads the notes shared with their company on its final assessments."""
        if roles.is_regulator(user):
            return self
        from companies.selectors import membership_for

        membership = membership_for(user=user)
        if membership is None:
            return self.none()
        return self.filter(shared_with_company=True, assessment__company_id=membership.company_id,
                           assessment__status="final")
