"""The regulator app in the admin: read-only (core.admin.ReadOnlyAdmin); changes go through the portal."""

from django.contrib import admin

from core.admin import ReadOnlyAdmin, ReadOnlyInline
from regulator.models import Assessment, AssessmentNote, MetricResult, Rulebook, Threshold


class ThresholdInline(ReadOnlyInline):
    model = Threshold


@admin.register(Rulebook)
class RulebookAdmin(ReadOnlyAdmin):
    list_display = ["version", "effective_from", "created_at", "created_by"]
    inlines = [ThresholdInline]


@admin.register(Assessment)
class AssessmentAdmin(ReadOnlyAdmin):
    list_display = ["company", "period", "version", "status", "score", "compliant", "computed_at"]
    list_filter = ["status", "period"]
    search_fields = ["company__legal_name"]
    list_select_related = ["company", "period"]


@admin.register(MetricResult)
class MetricResultAdmin(ReadOnlyAdmin):
    list_display = ["assessment", "metric", "value", "threshold", "passed", "override_value"]
    list_filter = ["metric", "passed"]
    list_select_related = ["assessment__company", "assessment__period"]


@admin.register(AssessmentNote)
class AssessmentNoteAdmin(ReadOnlyAdmin):
    list_display = ["assessment", "author", "shared_with_company", "created_at"]
    list_select_related = ["assessment__company", "assessment__period", "author"]
