"""Assessments: compute, refresh and finalise (DESIGN §4.1). Every write is audited."""

from __future__ import annotations

from decimal import Decimal

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from companies.models import Company, ReportingPeriod
from core.audit import audit_record, audit_record_many
from regulator import engine
from regulator.models import Assessment, AssessmentNote, AssessmentStatus, MetricResult, Rulebook

SCORE_STEP = Decimal("0.0001")  # the precision scores are stored with


def rulebook_for(*, period: ReportingPeriod) -> Rulebook:
    """The newest rulebook in force when the period started."""
    rulebook = Rulebook.objects.filter(effective_from__lte=period.start).order_by("-version").first()
    if rulebook is None:
        raise ValidationError(f"No rulebook is in force for {period}.")
    return rulebook


_RESULT_FIELDS = ["kind", "value", "numerator", "denominator", "comparator", "threshold", "weight", "applicable",
                  "passed", "attainment"]
_ASSESSMENT_FIELDS = ["filing_id", "rulebook", "score", "compliant", "computed_at", "delay_buckets"]


def _result_values(result: engine.Result) -> dict:
    rule = result.rule
    return {
        "kind": result.kind, "value": result.value, "numerator": result.numerator,
        "denominator": result.denominator, "comparator": rule.comparator if rule else "",
        "threshold": rule.value if rule else None, "weight": rule.weight if rule else None,
        "applicable": result.applicable, "passed": result.passed, "attainment": result.attainment,
    }


@transaction.atomic
def assessments_run(*, actor: AbstractBaseUser | None, period: ReportingPeriod,
                    companies: list[Company] | None = None) -> list[Assessment]:
    """Compute (or refresh) the assessments of a period: one SQL pass, set-based writes.

    A draft is refreshed in place. A final assessment is never changed: when the
    figures, the filing or the rulebook differ from it, a new draft version is made.
    Idempotent: running it twice changes nothing the second time.
    """
    if actor is not None and not actor.has_perm("regulator.add_assessment"):
        raise PermissionDenied("Only the regulator's analysts run assessments.")
    rulebook = rulebook_for(period=period)
    thresholds = list(rulebook.thresholds.all())
    aggregates = engine.period_aggregates(period=period,
                                          company_ids=[c.pk for c in companies] if companies else None)
    # The companies and periods ride along so that the audit's object labels cost no query per row.
    companies_by_id = Company.objects.only("pk", "legal_name", "size_tier").in_bulk(list(aggregates))
    latest: dict[int, Assessment] = {}
    for assessment in (Assessment.objects.select_related("company", "period").select_for_update(of=("self",))
                       .filter(period=period, company_id__in=aggregates).order_by("company_id", "version")):
        latest[assessment.company_id] = assessment  # the highest version wins
    now = timezone.now()
    rules_by_tier = {tier: engine.rules_for(thresholds=thresholds, tier=tier) for tier in "ABC"}
    refreshed: list[tuple[Assessment, engine.Scored, dict]] = []
    created: list[tuple[Assessment, engine.Scored]] = []
    for company_id, figures in aggregates.items():
        company = companies_by_id[company_id]
        scored = engine.score(aggregates=figures, rules=rules_by_tier[company.size_tier])
        fields = {"filing_id": figures.filing_id, "rulebook": rulebook, "score": scored.score,
                  "compliant": scored.compliant, "computed_at": now, "delay_buckets": figures.buckets}
        current = latest.get(company_id)
        if current is not None and current.status == AssessmentStatus.DRAFT:
            before = {"score": current.score, "compliant": current.compliant, "filing": current.filing_id}
            for name, value in fields.items():
                setattr(current, name, value)
            refreshed.append((current, scored, before))
        elif current is None or not _same(current, figures.filing_id, rulebook, scored):
            version = current.version + 1 if current is not None else 1
            created.append((Assessment(company=company, period=period, version=version, **fields), scored))

    Assessment.objects.bulk_create([assessment for assessment, _ in created], batch_size=1000)
    Assessment.objects.bulk_update([assessment for assessment, _, _ in refreshed], _ASSESSMENT_FIELDS,
                                   batch_size=1000)
    MetricResult.objects.bulk_create([
        MetricResult(assessment=assessment, metric=result.metric, **_result_values(result))
        for assessment, scored in created for result in scored.results
    ], batch_size=5000)
    if refreshed:
        scored_by_id = {assessment.pk: scored for assessment, scored, _ in refreshed}
        existing = {(r.assessment_id, r.metric): r
                    for r in MetricResult.objects.filter(assessment_id__in=scored_by_id)}
        changed, fresh = [], []
        for assessment_id, scored in scored_by_id.items():
            for result in scored.results:
                row = existing.get((assessment_id, result.metric))
                if row is None:
                    fresh.append(MetricResult(assessment_id=assessment_id, metric=result.metric,
                                              **_result_values(result)))
                    continue
                for name, value in _result_values(result).items():
                    setattr(row, name, value)
                changed.append(row)
        MetricResult.objects.bulk_update(changed, _RESULT_FIELDS, batch_size=5000)
        MetricResult.objects.bulk_create(fresh, batch_size=5000)
        # Overrides survive a refresh: those drafts are scored again with them.
        overridden = {row.assessment_id for row in existing.values() if row.override_value is not None}
        for assessment, _, _ in refreshed:
            if assessment.pk in overridden:
                _rescore(assessment)
    audit_record_many(actor=actor, action="assessment.created", entries=[
        (assessment, None, {"score": assessment.score, "compliant": assessment.compliant,
                            "filing": assessment.filing_id, "rulebook": rulebook.version,
                            "version": assessment.version})
        for assessment, _ in created
    ])
    audit_record_many(actor=actor, action="assessment.refreshed", entries=[
        (assessment, before, {"score": assessment.score, "compliant": assessment.compliant,
                              "filing": assessment.filing_id})
        for assessment, _, before in refreshed
    ])
    return [assessment for assessment, _ in created] + [assessment for assessment, _, _ in refreshed]


def _same(final: Assessment, filing_id: int, rulebook: Rulebook, scored: engine.Scored) -> bool:
    """Whether a fresh computation would reproduce a final assessment exactly."""
    if final.filing_id != filing_id or final.rulebook_id != rulebook.pk:
        return False
    if final.score != (scored.score.quantize(SCORE_STEP) if scored.score is not None else None):
        return False
    return final.compliant == scored.compliant


@transaction.atomic
def assessment_finalise(*, actor: AbstractBaseUser, assessment: Assessment, note: str = "") -> Assessment:
    """An analyst finalises a draft; the company can see it from now on."""
    if not actor.has_perm("regulator.finalise_assessment"):
        raise PermissionDenied("Only the regulator's analysts finalise assessments.")
    unconfirmed = list(assessment.results.filter(override_value__isnull=False, override_confirmed_by__isnull=True)
                       .values_list("metric", flat=True))
    if unconfirmed:
        raise ValidationError(f"A supervisor must confirm the override of {', '.join(unconfirmed)} first.")
    changed = Assessment.objects.filter(pk=assessment.pk, status=AssessmentStatus.DRAFT).update(
        status=AssessmentStatus.FINAL, finalised_at=timezone.now(), finalised_by=actor)
    if changed != 1:
        raise ValidationError("This assessment is already final; refresh it to make a new version.")
    assessment.refresh_from_db()
    audit_record(actor=actor, action="assessment.finalised", obj=assessment, before={"status": "draft"},
                 after={"status": "final", "score": assessment.score}, reason=note)
    return assessment


NOTE_MAX_LENGTH = 5000


@transaction.atomic
def assessment_note_add(*, actor: AbstractBaseUser, assessment: Assessment, text: str,
                        shared_with_company: bool = False) -> AssessmentNote:
    """An analyst annotates an assessment (draft or final); the note is kept as written."""
    if not actor.has_perm("regulator.add_assessment"):
        raise PermissionDenied("Only the regulator's analysts annotate assessments.")
    text = text.strip()
    if not text:
        raise ValidationError({"text": "Write the note before saving it."})
    if len(text) > NOTE_MAX_LENGTH:
        raise ValidationError({"text": f"A note is at most {NOTE_MAX_LENGTH:,} characters; this one has "
                                       f"{len(text):,}."})
    note = AssessmentNote(assessment=assessment, author=actor, text=text, shared_with_company=shared_with_company)
    note.full_clean()
    note.save()
    audit_record(actor=actor, action="assessment.note_added", obj=assessment, before=None,
                 after={"note": note.pk, "shared_with_company": shared_with_company, "text": text})
    return note


def _rescore(assessment: Assessment) -> None:
    """Recompute results and score from the stored snapshot, using overrides where present."""
    rows = list(assessment.results.all())
    results = []
    for row in rows:
        value = row.effective_value
        rule = (engine.Rule(metric=row.metric, comparator=row.comparator, value=row.threshold, weight=row.weight,
                            kind=row.kind) if row.threshold is not None else None)
        applicable = value is not None
        passed = attainment = None
        if applicable and rule is not None:
            passed, attainment = engine.judge(value, rule)
        row.applicable, row.passed, row.attainment = applicable, passed, attainment
        results.append(engine.Result(metric=row.metric, kind=row.kind, value=value, numerator=row.numerator,
                                     denominator=row.denominator, rule=rule, applicable=applicable,
                                     passed=passed, attainment=attainment))
    MetricResult.objects.bulk_update(rows, ["applicable", "passed", "attainment"])
    assessment.score, assessment.compliant = engine.total(results)
    assessment.save(update_fields=["score", "compliant"])


@transaction.atomic
def result_override(*, actor: AbstractBaseUser, result: MetricResult, value: Decimal | None,
                    justification: str) -> MetricResult:
    """An analyst replaces a metric's value (or clears the override) with a written justification.

    Only on a draft; it needs a second person's confirmation before finalisation.
    """
    if not actor.has_perm("regulator.add_assessment"):
        raise PermissionDenied("Only the regulator's analysts override results.")
    assessment = Assessment.objects.select_for_update().get(pk=result.assessment_id)
    if assessment.status != AssessmentStatus.DRAFT:
        raise ValidationError("A final assessment cannot change; refresh it to make a new version.")
    justification = justification.strip()
    if value is not None and not justification:
        raise ValidationError({"justification": "Explain the override; it is shown with the result."})
    row = MetricResult.objects.select_for_update().get(pk=result.pk)
    before = {"override_value": row.override_value, "justification": row.override_justification}
    row.override_value = value
    row.override_justification = justification if value is not None else ""
    row.override_by = actor if value is not None else None
    row.override_at = timezone.now() if value is not None else None
    row.override_confirmed_by = row.override_confirmed_at = None
    row.save()
    _rescore(assessment)
    audit_record(actor=actor, action="assessment.result_overridden", obj=assessment, before=before,
                 after={"metric": row.metric, "override_value": value, "computed_value": row.value},
                 reason=justification)
    return row


@transaction.atomic
def result_override_confirm(*, actor: AbstractBaseUser, result: MetricResult) -> MetricResult:
    """A supervisor, not the analyst who made it, confirms an override."""
    if not actor.has_perm("regulator.edit_rulebook"):
        raise PermissionDenied("Only a supervisor confirms overrides.")
    row = MetricResult.objects.select_for_update().get(pk=result.pk)
    if row.override_value is None:
        raise ValidationError("There is no override to confirm.")
    if row.override_by_id == actor.pk:
        raise PermissionDenied("An override needs a second person: you made this one.")
    changed = MetricResult.objects.filter(pk=row.pk, override_confirmed_by__isnull=True).update(
        override_confirmed_by=actor, override_confirmed_at=timezone.now())
    if changed != 1:
        raise ValidationError("This override is already confirmed.")
    row.refresh_from_db()
    audit_record(actor=actor, action="assessment.override_confirmed", obj=row.assessment,
                 after={"metric": row.metric, "override_value": row.override_value})
    return row


THRESHOLD_FIELDS = ["metric", "comparator", "value", "weight", "kind", "tiers"]


def rulebook_diff(*, old: Rulebook | None, new: Rulebook) -> list[dict]:
    """What changed between two versions: one entry per (metric, tiers) added, removed or changed."""
    def index(rulebook):
        if rulebook is None:
            return {}
        return {(t.metric, t.tiers): {f: getattr(t, f) for f in THRESHOLD_FIELDS} for t in rulebook.thresholds.all()}

    before, after = index(old), index(new)
    changes = []
    for key in sorted(set(before) | set(after)):
        if before.get(key) != after.get(key):
            changes.append({"metric": key[0], "tiers": key[1], "before": before.get(key), "after": after.get(key)})
    return changes


@transaction.atomic
def rulebook_new_version(*, actor: AbstractBaseUser, effective_from, note: str,
                         thresholds: list[dict]) -> Rulebook:
    """A supervisor publishes a new rulebook version; assessments already made keep their snapshot."""
    from regulator.metrics import METRICS_BY_KEY
    from regulator.models import Threshold

    if not actor.has_perm("regulator.edit_rulebook"):
        raise PermissionDenied("Only a supervisor edits the rulebook.")
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
    audit_record(actor=actor, action="rulebook.published", obj=rulebook,
                 after={"version": rulebook.version, "effective_from": effective_from,
                        "changes": rulebook_diff(old=previous, new=rulebook)}, reason=note)
    return rulebook
