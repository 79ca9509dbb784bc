"""What a user may see of assessments and rulebooks."""

from __future__ import annotations

from django.db import models

from core import roles


def _visible_assessments(user, prefix: str = "") -> models.Q | None:
    """Which assessments a user may see, as a condition on ``prefix`` + the assessment's fields.

    None for the regulator's staff (everything); a member sees their company's final assessments;
    anyone else nothing.
    """
    if roles.is_regulator(user):
        return None
    from companies.selectors import membership_for

    membership = membership_for(user=user)
    if membership is None:
        return models.Q(pk__in=[])
    return models.Q(**{f"{prefix}company_id": membership.company_id, f"{prefix}status": "final"})


class AssessmentQuerySet(models.QuerySet):
    def visible_to(self, user) -> AssessmentQuerySet:
        """Staff see every assessment; a member sees their company's final ones; others none."""
        condition = _visible_assessments(user)
        return self if condition is None else self.filter(condition)


class RulebookQuerySet(models.QuerySet):
    def visible_to(self, user) -> RulebookQuerySet:
        """The rules are public: every signed-in caller reads every version."""
        return self if user.is_authenticated else self.none()


class MetricResultQuerySet(models.QuerySet):
    def visible_to(self, user) -> MetricResultQuerySet:
        """The results of the assessments the user may see (staff: all; a member: their company's final ones)."""
        condition = _visible_assessments(user, prefix="assessment__")
        return self if condition is None else self.filter(condition)


class AssessmentNoteQuerySet(models.QuerySet):
    def visible_to(self, user) -> AssessmentNoteQuerySet:
        """Staff read every note; a member reads the notes shared with their company on its final assessments."""
        condition = _visible_assessments(user, prefix="assessment__")
        return self if condition is None else self.filter(condition, shared_with_company=True)
