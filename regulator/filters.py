"""Filters for the regulator's lists (django-filter)."""

from __future__ import annotations

import django_filters
from django.db.models import QuerySet

from companies.models import Filing, FilingStatus, ReportingPeriod, SizeTier


class FilingQueueFilter(django_filters.FilterSet):
    period = django_filters.ModelChoiceFilter(
        queryset=ReportingPeriod.objects.order_by("-start"), to_field_name="code", label="Period"
    )
    status = django_filters.ChoiceFilter(choices=FilingStatus.choices, label="Status")
    company = django_filters.CharFilter(field_name="company__legal_name", lookup_expr="icontains", label="Company")
    tier = django_filters.ChoiceFilter(field_name="company__size_tier", choices=SizeTier.choices, label="Size tier")
    late = django_filters.BooleanFilter(method="filter_late", label="Filed late")

    class Meta:
        model = Filing
        fields = ["period", "status", "company", "tier", "late"]

    def filter_late(self, queryset: QuerySet[Filing], name: str, value: bool | None) -> QuerySet[Filing]:
        if value is None:
            return queryset
        return queryset.filter(days_late__gt=0) if value else queryset.filter(days_late=0)
