"""Read-only representations of rulebooks and assessments."""

from __future__ import annotations

from rest_framework import serializers

from regulator.metrics import METRICS_BY_KEY
from regulator.models import Assessment, MetricResult, Rulebook, Threshold


class ThresholdSerializer(serializers.ModelSerializer):
    class Meta:
        model = Threshold
        fields = ["metric", "comparator", "value", "weight", "kind", "tiers"]


class RulebookSerializer(serializers.ModelSerializer):
    thresholds = ThresholdSerializer(many=True, read_only=True)

    class Meta:
        model = Rulebook
        fields = ["version", "effective_from", "note", "created_at", "thresholds"]


class MetricResultSerializer(serializers.ModelSerializer):
    label = serializers.SerializerMethodField()

    class Meta:
        model = MetricResult
        fields = ["metric", "label", "kind", "value", "numerator", "denominator", "comparator", "threshold",
                  "weight", "applicable", "passed", "attainment", "override_value", "override_justification",
                  "override_at", "override_confirmed_at"]

    def get_label(self, result: MetricResult) -> str:
        metric = METRICS_BY_KEY.get(result.metric)
        return metric.label if metric else result.metric


class AssessmentSerializer(serializers.ModelSerializer):
    company = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    period = serializers.SlugRelatedField(slug_field="code", read_only=True)
    rulebook = serializers.SlugRelatedField(slug_field="version", read_only=True)
    filing_version = serializers.IntegerField(source="filing.version", read_only=True, allow_null=True)
    results = MetricResultSerializer(many=True, read_only=True)

    class Meta:
        model = Assessment
        fields = ["id", "company", "period", "version", "status", "score", "compliant", "rulebook",
                  "filing_version", "computed_at", "finalised_at", "delay_buckets", "results"]
