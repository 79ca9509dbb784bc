"""The rulebook: a supervisor publishes a new version from a copy of the current one; assessments already made
keep their snapshot of the thresholds."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction

from core.audit import Action, audit_record
from regulator import access
from regulator.metrics import METRICS_BY_KEY
from regulator.models import Rulebook, Threshold
from regulator.selectors import THRESHOLD_FIELDS, rulebook_diff


@transaction.atomic
def rulebook_new_version(*, actor: AbstractBaseUser, effective_from, note: str,
                         thresholds: list[dict]) -> Rulebook:
    """A supervisor publishes a new rulebook version; assessments already made keep their snapshot."""
    access.EDIT_RULEBOOK.require(actor)
    if not note.strip():
        raise ValidationError({"note": "Say what changed and why; the note is published with the version."})
    seen: dict[str, set[str]] = {}
    for row in thresholds:
        if row["metric"] not in METRICS_BY_KEY:
            raise ValidationError(f"{row['metric']!r} is not a metric of the registry.")
        tiers = set(row["tiers"])
        clash = seen.get(row["metric"], set()) & tiers
        if clash:
            raise ValidationError(f"{row['metric']} has two thresholds for tier {sorted(clash)[0]}.")
        seen.setdefault(row["metric"], set()).update(tiers)
    previous = Rulebook.objects.select_for_update().order_by("-version").first()
    rulebook = Rulebook.objects.create(version=(previous.version + 1) if previous else 1,
                                       effective_from=effective_from, note=note.strip(), created_by=actor)
    Threshold.objects.bulk_create([Threshold(rulebook=rulebook, **{f: row[f] for f in THRESHOLD_FIELDS})
                                   for row in thresholds])
    audit_record(actor=actor, action=Action.RULEBOOK_PUBLISHED, obj=rulebook,
                 after={"version": rulebook.version, "effective_from": effective_from,
                        "changes": rulebook_diff(old=previous, new=rulebook)}, reason=note)
    return rulebook
