"""Company API keys: an officer creates, rotates and revokes them; the API records their use.

Only a SHA-512 hash of a key is stored (djangorestframework-api-key); the key itself is
returned once, by the function that made it, and never again. Audit events name a key
by its public prefix, the part before the dot.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from companies import access
from companies.models import Company, CompanyAPIKey, MemberRole
from core.audit import Action, audit_record

NAME_MAX = 50  # the library's column
LAST_USED_RESOLUTION = dt.timedelta(minutes=1)


def _clean_name(name: str) -> str:
    name = name.strip()
    if not name:
        raise ValidationError({"name": "Give the key a name that says where it is used, such as 'Moderation export'."})
    if len(name) > NAME_MAX:
        raise ValidationError({"name": f"Keep the name to {NAME_MAX} characters; this one has {len(name)}."})
    return name


def _new_key(*, actor: AbstractBaseUser, company: Company, name: str) -> tuple[CompanyAPIKey, str]:
    return CompanyAPIKey.objects.create_key(company=company, created_by=actor, name=name)


@transaction.atomic
def apikey_create(*, actor: AbstractBaseUser, company: Company, name: str) -> tuple[CompanyAPIKey, str]:
    """An officer creates a named key for the company. Returns the key row and the key, shown once."""
    access.require_company_role(actor, company, MemberRole.OFFICER)
    api_key, key = _new_key(actor=actor, company=company, name=_clean_name(name))
    audit_record(actor=actor, action=Action.APIKEY_CREATED, obj=api_key, object_id=api_key.prefix,
                 after={"company": company.pk, "name": api_key.name, "prefix": api_key.prefix})
    return api_key, key


def _revoke(api_key: CompanyAPIKey, *, now: dt.datetime, replaced_by: CompanyAPIKey | None = None) -> None:
    """Compare-and-set: only a key that is still live is revoked; anything else is refused."""
    changed = CompanyAPIKey.objects.filter(pk=api_key.pk, revoked=False).update(
        revoked=True, revoked_at=now, replaced_by=replaced_by
    )
    if changed != 1:
        raise ValidationError(f"The key {api_key.name!r} ({api_key.prefix}) is already revoked; nothing changed.")
    api_key.revoked, api_key.revoked_at, api_key.replaced_by = True, now, replaced_by


@transaction.atomic
def apikey_rotate(*, actor: AbstractBaseUser, api_key: CompanyAPIKey) -> tuple[CompanyAPIKey, str]:
    """Replace a key by a new one with the same name; the old key stops working at once.

    The old row is revoked and points at its successor (``replaced_by``). Returns the
    new row and the new key, shown once.
    """
    access.require_company_role(actor, api_key.company, MemberRole.OFFICER)
    # Lock the old key so two officers rotating at once cannot both create a successor.
    old = CompanyAPIKey.objects.select_for_update().select_related("company").get(pk=api_key.pk)
    if old.revoked:
        raise ValidationError(f"The key {old.name!r} ({old.prefix}) is revoked; create a new key instead.")
    new, key = _new_key(actor=actor, company=old.company, name=old.name)
    _revoke(old, now=timezone.now(), replaced_by=new)
    audit_record(actor=actor, action=Action.APIKEY_ROTATED, obj=old, object_id=old.prefix,
                 before={"prefix": old.prefix, "revoked": False},
                 after={"prefix": new.prefix, "revoked": True, "replaced_by": new.prefix})
    return new, key


@transaction.atomic
def apikey_revoke(*, actor: AbstractBaseUser, api_key: CompanyAPIKey, reason: str = "") -> CompanyAPIKey:
    """An officer revokes a key; requests made with it are refused from this moment. It cannot be undone."""
    access.require_company_role(actor, api_key.company, MemberRole.OFFICER)
    _revoke(api_key, now=timezone.now())
    audit_record(actor=actor, action=Action.APIKEY_REVOKED, obj=api_key, object_id=api_key.prefix,
                 before={"revoked": False}, after={"revoked": True}, reason=reason)
    return api_key


def apikey_touch(*, api_key: CompanyAPIKey, now: dt.datetime | None = None) -> bool:
    """Record that a key was used, at most once a minute per key. Returns whether a row changed.

    Called on every authenticated API request, so it writes only when the stored time is
    older than a minute, and then by compare-and-set, so concurrent requests write once.
    Usage is bookkeeping, not a state change of a workflow: no audit event.
    """
    now = now or timezone.now()
    stale = now - LAST_USED_RESOLUTION
    if api_key.last_used_at is not None and api_key.last_used_at > stale:
        return False
    changed = CompanyAPIKey.objects.filter(
        Q(last_used_at__isnull=True) | Q(last_used_at__lte=stale), pk=api_key.pk
    ).update(last_used_at=now)
    if changed:
        api_key.last_used_at = now
    return bool(changed)
