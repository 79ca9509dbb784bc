from django.contrib import admin

from companies.models import Company, Invitation, Membership, RegistrationRequest, ReportingPeriod


class ReadOnlyAdmin(admin.ModelAdmin):
    """The admin reads; every change goes through the portal's services, which write the audit log."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


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
class RegistrationRequestAdmin(admin.ModelAdmin):
    """Decisions go through the portal's pages so they are audited; the admin only reads."""

    list_display = ["legal_name", "registration_number", "status", "submitted_at", "decided_by"]
    list_filter = ["status"]

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "company", "role", "created_at", "expires_at", "accepted_at"]
    exclude = ["token_hash"]

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(ReportingPeriod)
class ReportingPeriodAdmin(ReadOnlyAdmin):
    list_display = ["code", "start", "end", "due_date"]
