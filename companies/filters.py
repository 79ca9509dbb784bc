"""One FilterSet per model the API lists. Filters narrow a queryset already cut by ``visible_to``."""

from __future__ import annotations

import django_filters

from companies.models import Filing, FilingStatus, FilingUpload, UploadStatus


class FilingFilter(django_filters.FilterSet):
    period = django_filters.CharFilter(field_name="period__code", help_text="A quarter, such as 2026-Q3.")
    company = django_filters.CharFilter(field_name="company__slug", help_text="The company's short name.")
    status = django_filters.ChoiceFilter(choices=FilingStatus.choices)

    class Meta:
        model = Filing
        fields = ["period", "company", "status", "version"]


class FilingUploadFilter(django_filters.FilterSet):
    # A number, not a choice of filings: a choice would answer "no such filing" for another
    # company's id and so reveal which ids exist.
    filing = django_filters.NumberFilter(field_name="filing_id", help_text="The filing's id.")
    status = django_filters.ChoiceFilter(choices=UploadStatus.choices)
    # Not "format": DRF reads ?format= to choose a renderer.
    upload_format = django_filters.ChoiceFilter(field_name="format", choices=FilingUpload.Format.choices,
                                                help_text="csv, jsonl or batch.")

    class Meta:
        model = FilingUpload
        fields = ["filing", "status", "upload_format"]
