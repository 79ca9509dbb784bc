"""Filters for the regulator's lists (django-filter)."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Exists, F, OuterRef, QuerySet

from companies.models import Filing, FilingStatus, ReportingPeriod, ServiceType, SizeTier
from regulator.metrics import CORE_KEYS, METRICS, METRICS_BY_KEY
from regulator.models import Assessment, AssessmentStatus, MetricKind, MetricResult, Rulebook


class AnyYesNo(forms.NullBooleanSelect):
    """A yes-or-no filter whose empty choice reads "Any" (Django's says "Unknown")."""

    def __init__(self, attrs=None) -> None:
        super().__init__(attrs)
        self.choices = [("unknown", "Any"), ("true", "Yes"), ("false", "No")]


class NullsLastOrdering(django_filters.OrderingFilter):
    """Sorts with empty values (no score) last in both directions, then by company name."""

    def get_ordering_value(self, param: str):
        value = super().get_ordering_value(param)
        field = F(value.lstrip("-"))
        return field.desc(nulls_last=True) if value.startswith("-") else field.asc(nulls_last=True)

    def filter(self, qs, value):
        ordering = [self.get_ordering_value(param) for param in value or [] if param]
        return qs.order_by(*ordering, "company__legal_name", "pk") if ordering else qs


class FilingQueueFilter(django_filters.FilterSet):
    """The regulator's queue of submitted filings: which ones, and sorted by which column (``o``)."""

    period = django_filters.ModelChoiceFilter(
        queryset=ReportingPeriod.objects.order_by("-start"), to_field_name="code", label="Period",
        empty_label="Any period",
    )
    status = django_filters.ChoiceFilter(choices=FilingStatus.choices, label="Status", empty_label="Any status")
    company = django_filters.CharFilter(field_name="company__legal_name", lookup_expr="icontains", label="Company")
    tier = django_filters.ChoiceFilter(field_name="company__size_tier", choices=SizeTier.choices, label="Size tier",
                                       empty_label="Any tier")
    late = django_filters.BooleanFilter(method="filter_late", label="Filed late", widget=AnyYesNo)
    o = NullsLastOrdering(
        fields=(("company__legal_name", "company"), ("company__size_tier", "tier"), ("period__start", "period"),
                ("version", "version"), ("status", "status"), ("submitted_at", "submitted"),
                ("days_late", "late"), ("item_count", "items")),
        label="Sort by",
    )

    class Meta:
        model = Filing
        fields = ["period", "status", "company", "tier", "late"]

    def filter_late(self, queryset: QuerySet[Filing], name: str, value: bool | None) -> QuerySet[Filing]:
        if value is None:
            return queryset
        return queryset.filter(days_late__gt=0) if value else queryset.filter(days_late=0)


class AssessmentFilter(django_filters.FilterSet):
    """The analysts' table of a period's assessments: who, what verdict, which failures, which scores."""

    company = django_filters.CharFilter(field_name="company__legal_name", lookup_expr="icontains", label="Company")
    tier = django_filters.ChoiceFilter(field_name="company__size_tier", choices=SizeTier.choices, label="Size tier",
                                       empty_label="Any tier")
    service_type = django_filters.ChoiceFilter(field_name="company__service_type", choices=ServiceType.choices,
                                               label="Service type", empty_label="Any service")
    status = django_filters.ChoiceFilter(choices=AssessmentStatus.choices, label="Status", empty_label="Any status")
    compliant = django_filters.ChoiceFilter(method="filter_compliant", label="Verdict", empty_label="Any verdict",
                                            choices=[("yes", "Compliant"), ("no", "Not compliant"),
                                                     ("none", "No verdict")])
    failing = django_filters.ChoiceFilter(method="filter_failing", label="Failing core metric", empty_label="Any",
                                          choices=[(key, METRICS_BY_KEY[key].label) for key in CORE_KEYS])
    score_min = django_filters.NumberFilter(field_name="score", lookup_expr="gte", label="Score from")
    score_max = django_filters.NumberFilter(field_name="score", lookup_expr="lte", label="Score to")
    o = NullsLastOrdering(
        fields=(("score", "score"), ("company__legal_name", "company"), ("company__size_tier", "tier"),
                ("version", "version")),
        label="Sort by",
    )

    class Meta:
        model = Assessment
        fields = ["company", "tier", "service_type", "status", "compliant", "failing", "score_min", "score_max"]

    def filter_compliant(self, queryset: QuerySet[Assessment], name: str, value: str) -> QuerySet[Assessment]:
        if value == "none":
            return queryset.filter(compliant__isnull=True)
        return queryset.filter(compliant=(value == "yes")) if value in {"yes", "no"} else queryset

    def filter_failing(self, queryset: QuerySet[Assessment], name: str, value: str) -> QuerySet[Assessment]:
        failed = MetricResult.objects.filter(assessment=OuterRef("pk"), metric=value, kind=MetricKind.CORE,
                                              passed=False)
        return queryset.filter(Exists(failed)) if value else queryset

    @property
    def form(self):
        form = super().form
        form.label_suffix = ""  # the labels sit above their fields; no trailing colons
        return form

    @property
    def qs(self) -> QuerySet[Assessment]:
        queryset = super().qs
        if not self.form.cleaned_data.get("o"):
            # Rankings sort by score (unrounded, none last), then by name (docs/DESIGN.md §4.1).
            queryset = queryset.order_by(F("score").desc(nulls_last=True), "company__legal_name")
        return queryset


class AssessmentAPIFilter(django_filters.FilterSet):
    """The assessments API's filters."""

    period = django_filters.CharFilter(field_name="period__code", help_text="A quarter, such as 2026-Q3.")
    company = django_filters.CharFilter(field_name="company__slug", help_text="The company's short name.")
    status = django_filters.ChoiceFilter(choices=AssessmentStatus.choices)
    tier = django_filters.CharFilter(field_name="company__size_tier", help_text="A, B or C.")

    class Meta:
        model = Assessment
        fields = ["period", "company", "status", "compliant", "tier"]


class ResultFilter(django_filters.FilterSet):
    """The metric results API's filters."""

    period = django_filters.CharFilter(field_name="assessment__period__code", help_text="A quarter, such as 2026-Q3.")
    company = django_filters.CharFilter(field_name="assessment__company__slug", help_text="The company's short name.")
    tier = django_filters.CharFilter(field_name="assessment__company__size_tier", help_text="A, B or C.")
    metric = django_filters.ChoiceFilter(choices=[(metric.key, metric.label) for metric in METRICS])
    kind = django_filters.ChoiceFilter(choices=MetricKind.choices)
    overridden = django_filters.BooleanFilter(field_name="override_value", lookup_expr="isnull", exclude=True,
                                              help_text="Only results an analyst overrode (true) or not (false).")
    latest = django_filters.BooleanFilter(method="filter_latest",
                                          help_text="Only each company's latest assessment version of a period.")

    class Meta:
        model = MetricResult
        fields = ["period", "company", "tier", "metric", "kind", "passed", "applicable", "overridden", "latest"]

    def filter_latest(self, queryset, name: str, value: bool | None):
        if not value:
            return queryset
        # The latest version the caller may see: a company's latest final one, even when a newer draft exists.
        latest = Assessment.objects.visible_to(self.request.user).latest_versions().values("pk")
        return queryset.filter(assessment_id__in=latest)


class RulebookFilter(django_filters.FilterSet):
    """The rulebooks API's filters."""

    class Meta:
        model = Rulebook
        fields = ["version"]
