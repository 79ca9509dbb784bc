"""Reads every app shares: an object's history from the audit log."""

from __future__ import annotations

from django.db import models
from django.db.models import QuerySet

from core.models import AuditEvent


def object_history(*, obj: models.Model, newest_first: bool = False) -> QuerySet[AuditEvent]:
    """Every audit event of one object (the index audit_object_history serves it); show ``get_action_display``."""
    events = AuditEvent.objects.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk))
    return events.order_by("-created_at", "-id") if newest_first else events.order_by("created_at", "id")
