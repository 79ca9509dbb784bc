"""Read endpoints for rulebooks, metrics, assessments and their results (staff: all; companies: their own final
ones)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, viewsets
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response

from companies.api.views import CompanyAPIMixin
from regulator.api.serializers import AssessmentSerializer, MetricSerializer, ResultRowSerializer, RulebookSerializer
from regulator.filters import AssessmentAPIFilter, ResultFilter, RulebookFilter
from regulator.metrics import METRICS, METRICS_BY_KEY
from regulator.models import Assessment, MetricResult, Rulebook


class RulebookViewSet(CompanyAPIMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Every rulebook version with its thresholds; they are public rules, readable by any signed-in caller."""

    queryset = Rulebook.objects.prefetch_related("thresholds").order_by("-version")
    serializer_class = RulebookSerializer
    filterset_class = RulebookFilter
    lookup_field = "version"


class AssessmentViewSet(CompanyAPIMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Assessments with each metric's value, threshold and result."""

    serializer_class = AssessmentSerializer
    filterset_class = AssessmentAPIFilter
    lookup_value_regex = r"[0-9]+"

    queryset = (Assessment.objects.select_related("company", "period", "rulebook", "filing")
                .prefetch_related("results").order_by("-period__start", "company__legal_name", "-version"))


class ResultViewSet(CompanyAPIMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """Metric results across assessments: which companies failed a metric in a period, and by how much."""

    serializer_class = ResultRowSerializer
    filterset_class = ResultFilter
    queryset = (MetricResult.objects.select_related("assessment__company", "assessment__period")
                .order_by("-assessment__period__start", "assessment__company__legal_name", "-assessment__version",
                          "metric"))


class MetricViewSet(CompanyAPIMixin, viewsets.ViewSet):
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
