"""Pure filters: what a user may see of assessments and rulebooks, and the named subsets every read shares."""

from __future__ import annotations

import datetime as dt

from django.db import models

from companies import access as company_access
from regulator.choices import AssessmentStatus


def _visible_assessments(user, prefix: str = "") -> models.Q | None:
    """Which assessments a user may see, as a condition on ``prefix`` + the assessment's fields.

    None for the regulator's staff (everything); a member sees their company's final assessments;
    anyone else nothing.
    """
    if company_access.is_staff(user):
        return None
    company_id = company_access.company_id_for(user)
    if company_id is None:
        return models.Q(pk__in=[])
    return models.Q(**{f"{prefix}company_id": company_id, f"{prefix}status": AssessmentStatus.FINAL})


class AssessmentQuerySet(models.QuerySet):
    def visible_to(self, user) -> AssessmentQuerySet:
        """Staff see every assessment; a member sees their company's final ones; others none."""
        condition = _visible_assessments(user)
        return self if condition is None else self.filter(condition)

    def latest_versions(self) -> AssessmentQuerySet:
        """Of these assessments, each company's highest version for each period (the one pages and
        dashboards mean by "the assessment"). Cut by ``visible_to`` first, it is the latest the user may see."""
        latest = (self.order_by("company_id", "period_id", "-version").distinct("company_id", "period_id")
                  .values("pk"))
        return self.model.objects.filter(pk__in=latest)

    def final(self) -> AssessmentQuerySet:
        return self.filter(status=AssessmentStatus.FINAL)


class RulebookQuerySet(models.QuerySet):
    def visible_to(self, user) -> RulebookQuerySet:
        """The rules are public: every signed-in caller reads every version."""
        return self if user.is_authenticated else self.none()

    def in_force(self, *, on: dt.date):
        """The newest version in force on a day (a period is scored with the one in force when it started);
        None before the first."""
        return self.filter(effective_from__lte=on).order_by("-version").first()


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
