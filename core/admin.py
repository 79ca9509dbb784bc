"""The admin reads; every change goes through the portal's services, which check access and write the audit log.

``ReadOnlyAdmin`` is the base of every model admin in every app.
"""

from django.contrib import admin

from core.models import AuditEvent


class ReadOnly:
    """Never adds, changes or deletes (for model admins and their inlines alike)."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class ReadOnlyAdmin(ReadOnly, admin.ModelAdmin):
    """Lists and shows."""


class ReadOnlyInline(ReadOnly, admin.TabularInline):
    """Shows the rows of a related model on its parent's page."""

    extra = 0


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    """The audit log is append-only in the database as well (a trigger refuses UPDATE and DELETE)."""

    list_display = ["created_at", "actor_label", "action", "object_type", "object_id", "ip_address"]
    list_filter = ["action", "object_type"]
    search_fields = ["object_id", "object_repr", "actor_label", "reason"]
    date_hierarchy = "created_at"
