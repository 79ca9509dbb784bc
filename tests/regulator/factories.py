"""Factories for the regulator's objects: rulebooks, thresholds, assessments, results and notes.

The default rulebook (version 1) comes from a data migration, so ``AssessmentFactory`` uses it
unless told otherwise; ``RulebookFactory`` makes the versions after it.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import factory
from django.utils import timezone

from regulator.models import Assessment, AssessmentNote, MetricResult, Rulebook, Threshold
from tests.companies.factories import CompanyFactory, ReportingPeriodFactory, UserFactory


class RulebookFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Rulebook

    version = factory.Sequence(lambda n: n + 2)  # version 1 is the default rulebook of the migrations
    effective_from = dt.date(2026, 1, 1)
    note = "A test version."


class ThresholdFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Threshold

    rulebook = factory.SubFactory(RulebookFactory)
    metric = "order_1h_rate"
    comparator = "gte"
    value = Decimal("0.95")
    weight = Decimal(3)
    kind = "core"
    tiers = "ABC"


class AssessmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Assessment

    company = factory.SubFactory(CompanyFactory)
    period = factory.SubFactory(ReportingPeriodFactory, year=2026, quarter=2)
    rulebook = factory.LazyFunction(lambda: Rulebook.objects.get(version=1))
    version = 1
    score = Decimal("80.0000")
    compliant = False
    computed_at = factory.LazyFunction(timezone.now)


class MetricResultFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MetricResult

    assessment = factory.SubFactory(AssessmentFactory)
    metric = "order_1h_rate"
    kind = "core"
    value = Decimal("0.9")
    numerator = 18
    denominator = 20
    comparator = "gte"
    threshold = Decimal("0.95")
    weight = Decimal(3)
    applicable = True
    passed = False
    attainment = Decimal("0.947368")


class AssessmentNoteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AssessmentNote

    assessment = factory.SubFactory(AssessmentFactory)
    author = factory.SubFactory(UserFactory)
    text = "Checked against the company's own dashboard."
