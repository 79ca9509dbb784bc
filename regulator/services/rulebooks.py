"""The rulebook: a supervisor publishes a new version from a copy of the current one; assessments already made
keep their snapshot of the thresholds."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils import timezone

from companies.choices import SizeTier
from core.audit import Action, audit_record
from regulator import access
from regulator.choices import MetricKind
from regulator.metrics import METRICS_BY_KEY
from regulator.models import Rulebook, Threshold
from regulator.selectors import THRESHOLD_FIELDS, rulebook_diff


def rulebook_check(*, effective_from: dt.date, note: str, thresholds: list[dict], today: dt.date) -> None:
    """Refuse a proposed version that cannot be published, saying why for each field: an effective date in the
    past or before the latest version's, no note, a value outside its metric's domain, a weight of 0 or less,
    no tier or an unknown one, two thresholds for one metric and tier, or no core metric left."""
    errors: dict[str, list[str]] = {}
    latest = Rulebook.objects.order_by("-version").first()
    if effective_from < today:
        errors.setdefault("effective_from", []).append(
            f"{effective_from:%d %B %Y} is in the past; a new version takes effect today or later.")
    if latest is not None and effective_from < latest.effective_from:
        errors.setdefault("effective_from", []).append(
            f"Version {latest.version} takes effect on {latest.effective_from:%d %B %Y}; a new version cannot take "
            "effect before it.")
    if not note.strip():
        errors.setdefault("note", []).append("Say what changed and why; the note is published with the version.")
    seen: dict[str, set[str]] = {}
    problems: list[str] = []
    for row in thresholds:
        metric = METRICS_BY_KEY.get(row["metric"])
        if metric is None:
            problems.append(f"{row['metric']!r} is not a metric of the registry.")
            continue
        problem = metric.value_problem(row["value"])
        if problem:
            problems.append(problem)
        if row["weight"] <= 0:
            problems.append(f"The weight of {metric.label} must be more than 0.")
        tiers = set(row["tiers"])
        if not tiers or not tiers <= set(SizeTier.values):
            problems.append(f"{metric.label}: the size tiers are A, B and C; tick at least one.")
        clash = seen.setdefault(row["metric"], set()) & tiers
        if clash:
            problems.append(f"{metric.label} has two thresholds for tier {sorted(clash)[0]}.")
        seen[row["metric"]] |= tiers
    if not any(row["kind"] == MetricKind.CORE for row in thresholds):
        problems.append("A version needs at least one core metric, or no company can be scored.")
    if problems:
        errors[NON_FIELD_ERRORS] = problems
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def rulebook_new_version(*, actor: AbstractBaseUser, effective_from: dt.date, note: str,
                         thresholds: list[dict]) -> Rulebook:
    """A supervisor publishes a new rulebook version; assessments already made keep their snapshot."""
    access.EDIT_RULEBOOK.require(actor)
    rulebook_check(effective_from=effective_from, note=note, thresholds=thresholds, today=timezone.localdate())
    previous = Rulebook.objects.select_for_update().order_by("-version").first()
    rulebook = Rulebook.objects.create(version=(previous.version + 1) if previous else 1,
                                       effective_from=effective_from, note=note.strip(), created_by=actor)
    Threshold.objects.bulk_create([Threshold(rulebook=rulebook, **{f: row[f] for f in THRESHOLD_FIELDS})
                                   for row in thresholds])
    audit_record(actor=actor, action=Action.RULEBOOK_PUBLISHED, obj=rulebook,
                 after={"version": rulebook.version, "effective_from": effective_from,
                        "changes": rulebook_diff(old=previous, new=rulebook)}, reason=note)
    return rulebook
