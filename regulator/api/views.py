"""Read endpoints for rulebooks and assessments (staff: all; companies: their own final ones)."""

from __future__ import annotations

import django_filters
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, viewsets
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response

from companies.api.views import PortalAPIMixin
from regulator.api.serializers import AssessmentSerializer, MetricSerializer, RulebookSerializer
from regulator.metrics import METRICS, METRICS_BY_KEY
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


class MetricViewSet(PortalAPIMixin, viewsets.ViewSet):
    """The metric registry: every measure the portal computes, as the methodology page shows it."""

    lookup_field = "key"
    lookup_value_regex = r"[a-z0-9_]+"

    @extend_schema(summary="List metrics", responses=MetricSerializer(many=True))
    def list(self, request: Request) -> Response:
        return Response(MetricSerializer(METRICS, many=True).data)

    @extend_schema(summary="One metric", responses=MetricSerializer)
    def retrieve(self, request: Request, key: str) -> Response:
        metric = METRICS_BY_KEY.get(key)
        if metric is None:
            raise NotFound(f"There is no metric {key!r}; the list is at /api/v1/metrics/.")
        return Response(MetricSerializer(metric).data)
