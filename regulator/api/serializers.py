"""Read-only representations of rulebooks and assessments."""

from __future__ import annotations

from rest_framework import serializers

from regulator import formatting
from regulator.metrics import METRICS_BY_KEY
from regulator.models import Assessment, MetricKind, MetricResult, Rulebook, Threshold


class MetricSerializer(serializers.Serializer):
    """A metric of the registry (regulator/metrics.py): what it measures and the SQL that computes it."""

    key = serializers.CharField()
    label = serializers.CharField()
    description = serializers.CharField()
    unit = serializers.ChoiceField(choices=["ratio", "hours", "flag"])
    kind = serializers.ChoiceField(choices=MetricKind.choices)
    direction = serializers.ChoiceField(choices=["higher", "lower"], help_text="Which way is better.")
    numerator = serializers.CharField(allow_null=True, help_text="SQL condition: the items counted above the line.")
    denominator = serializers.CharField(allow_null=True,
                                        help_text="SQL condition: the items counted below the line.")
    value = serializers.CharField(allow_null=True, help_text="SQL aggregate giving the value directly (the median).")


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
                  "override_status", "override_at", "override_confirmed_at", "override_rejected_at",
                  "override_rejection_reason"]

    def get_label(self, result: MetricResult) -> str:
        metric = METRICS_BY_KEY.get(result.metric)
        return metric.label if metric else result.metric


class AssessmentSerializer(serializers.ModelSerializer):
    company = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    period = serializers.SlugRelatedField(slug_field="code", read_only=True)
    rulebook = serializers.SlugRelatedField(slug_field="version", read_only=True)
    filing_version = serializers.IntegerField(source="filing.version", read_only=True, allow_null=True)
    results = MetricResultSerializer(many=True, read_only=True)
    score_shown = serializers.SerializerMethodField(
        help_text="The score as the portal shows it: one decimal, and 100.0 only for a perfect score.")

    class Meta:
        model = Assessment
        fields = ["id", "company", "period", "version", "status", "score", "score_shown", "compliant", "rulebook",
                  "filing_version", "computed_at", "finalised_at", "delay_buckets", "results"]


    def get_score_shown(self, assessment: Assessment) -> str | None:
        return formatting.score_text(assessment.score) if assessment.score is not None else None


class ResultRowSerializer(MetricResultSerializer):
    """One metric result with the assessment it belongs to, for lists across companies and periods."""

    assessment = serializers.IntegerField(source="assessment_id", read_only=True)
    company = serializers.SlugRelatedField(source="assessment.company", slug_field="slug", read_only=True)
    period = serializers.SlugRelatedField(source="assessment.period", slug_field="code", read_only=True)
    assessment_version = serializers.IntegerField(source="assessment.version", read_only=True)
    assessment_status = serializers.CharField(source="assessment.status", read_only=True)

    class Meta(MetricResultSerializer.Meta):
        fields = ["assessment", "company", "period", "assessment_version", "assessment_status",
                  *MetricResultSerializer.Meta.fields]
