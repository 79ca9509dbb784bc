"""Writing the audit log. Every service that changes state calls ``audit_record`` once, with one of ``Action``."""

from __future__ import annotations

import json
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models

from core.middleware import current_client_ip
from core.models import Action, AuditEvent

__all__ = ["Action", "audit_record", "audit_record_many", "snapshot"]


class _AuditEncoder(DjangoJSONEncoder):
    """Django's encoder (dates, decimals and UUIDs as text), and any other value as its text (a country's code)."""

    def default(self, o: Any) -> Any:
        try:
            return super().default(o)
        except TypeError:
            return str(o)


def _jsonable(value: dict[str, Any] | None) -> dict[str, Any] | None:
    if value is None:
        return None
    return json.loads(json.dumps(value, cls=_AuditEncoder))


def audit_record(
    *,
    actor: AbstractBaseUser | AnonymousUser | None,
    action: Action,
    obj: models.Model,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    reason: str = "",
    ip_address: str | None = None,
    object_id: str | None = None,
) -> AuditEvent:
    """Append one event describing ``action`` on ``obj``. Call inside the change's transaction.

    ``object_id`` replaces ``obj.pk`` for models whose key does not fit the column, such as API keys
    (``prefix.hash``, 145 characters), which are recorded by their public prefix.
    """
    user = actor if actor is not None and actor.is_authenticated else None
    Action(action)  # an action outside the enumeration is a programming error, refused before writing
    return AuditEvent.objects.create(
        actor=user,
        actor_label=user.get_username() if user else "system",
        action=action,
        object_type=obj._meta.label_lower,
        object_id=object_id if object_id is not None else str(obj.pk),
        object_repr=str(obj)[:200],
        before=_jsonable(before),
        after=_jsonable(after),
        reason=reason,
        ip_address=ip_address or current_client_ip(),
    )


def snapshot(obj: models.Model, fields: list[str]) -> dict[str, Any]:
    """The named fields of ``obj`` as a dict, for an event's before/after."""
    return {name: getattr(obj, name) for name in fields}


def audit_record_many(*, actor: AbstractBaseUser | AnonymousUser | None, action: Action,
                      entries: list[tuple[models.Model, dict[str, Any] | None, dict[str, Any] | None]],
                      reason: str = "") -> list[AuditEvent]:
    """Append one event per (object, before, after) in one INSERT: for set-based services."""
    user = actor if actor is not None and actor.is_authenticated else None
    Action(action)
    ip_address = current_client_ip()
    return AuditEvent.objects.bulk_create([
        AuditEvent(actor=user, actor_label=user.get_username() if user else "system", action=action,
                   object_type=obj._meta.label_lower, object_id=str(obj.pk), object_repr=str(obj)[:200],
                   before=_jsonable(before), after=_jsonable(after), reason=reason, ip_address=ip_address)
        for obj, before, after in entries
    ], batch_size=1000)
