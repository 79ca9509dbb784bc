"""The companies app in the admin: read-only (core.admin.ReadOnlyAdmin); changes go through the portal."""

from django.contrib import admin

from companies.models import (
    Company,
    CompanyAPIKey,
    Filing,
    Invitation,
    Membership,
    RegistrationRequest,
    ReportingPeriod,
)
from core.admin import ReadOnlyAdmin


@admin.register(Company)
class CompanyAdmin(ReadOnlyAdmin):
    list_display = ["legal_name", "slug", "size_tier", "service_type", "status"]
    list_filter = ["size_tier", "service_type", "status"]
    search_fields = ["legal_name", "slug", "registration_number"]


@admin.register(Membership)
class MembershipAdmin(ReadOnlyAdmin):
    list_display = ["user", "company", "role", "created_at", "removed_at"]
    list_filter = ["role"]
    search_fields = ["user__email", "company__legal_name"]
    list_select_related = ["user", "company"]


@admin.register(RegistrationRequest)
class RegistrationRequestAdmin(ReadOnlyAdmin):
    list_display = ["legal_name", "registration_number", "status", "submitted_at", "decided_by"]
    list_filter = ["status"]


@admin.register(Invitation)
class InvitationAdmin(ReadOnlyAdmin):
    list_display = ["email", "company", "role", "created_at", "expires_at", "accepted_at"]
    exclude = ["token_hash"]


@admin.register(ReportingPeriod)
class ReportingPeriodAdmin(ReadOnlyAdmin):
    list_display = ["code", "start", "end", "due_date"]


@admin.register(Filing)
class FilingAdmin(ReadOnlyAdmin):
    list_display = ["company", "period", "version", "status", "submitted_at", "item_count"]
    list_filter = ["status", "period"]
    search_fields = ["company__legal_name"]
    list_select_related = ["company", "period"]


@admin.register(CompanyAPIKey)
class CompanyAPIKeyAdmin(ReadOnlyAdmin):
    list_display = ["name", "prefix", "company", "created", "revoked", "last_used_at"]
    exclude = ["hashed_key"]
    list_select_related = ["company"]
