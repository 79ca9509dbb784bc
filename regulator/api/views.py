"""Read endpoints for rulebooks and assessments (staff: all; companies: their own final ones)."""

from __future__ import annotations

import django_filters
from rest_framework import mixins, viewsets

from companies.api.views import PortalAPIMixin
from regulator.api.serializers import AssessmentSerializer, RulebookSerializer
from regulator.models import Assessment, AssessmentStatus, Rulebook


class AssessmentFilter(django_filters.FilterSet):
    period = django_filters.CharFilter(field_name="period__code", help_text="A quarter, such as 2026-Q3.")
    company = django_filters.CharFilter(field_name="company__slug", help_text="The company's short name.")
    status = django_filters.ChoiceFilter(choices=AssessmentStatus.choices)
    tier = django_filters.CharFilter(field_name="company__size_tier", help_text="A, B or C.")

    class Meta:
        model = Assessment
        fields = ["period", "company", "status", "compliant", "tier"]


class RulebookFilter(django_filters.FilterSet):
    class Meta:
        model = Rulebook
        fields = ["version"]


class RulebookViewSet(PortalAPIMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Every rulebook version with its thresholds; they are public rules, readable by any signed-in caller."""

    queryset = Rulebook.objects.prefetch_related("thresholds").order_by("-version")
    serializer_class = RulebookSerializer
    filterset_class = RulebookFilter
    lookup_field = "version"


class AssessmentViewSet(PortalAPIMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Assessments with each metric's value, threshold and result."""

    serializer_class = AssessmentSerializer
    filterset_class = AssessmentFilter
    lookup_value_regex = r"[0-9]+"

    queryset = (Assessment.objects.select_related("company", "period", "rulebook", "filing")
                .prefetch_related("results").order_by("-period__start", "company__legal_name", "-version"))
