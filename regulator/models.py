"""Rulebooks, assessments and their metric results (docs/DESIGN.md §3 regulator/, §4.1)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from companies.models import Company, Filing, ReportingPeriod
from regulator.choices import AssessmentStatus, Comparator, MetricKind, OverrideStatus
from regulator.querysets import (
    AssessmentNoteQuerySet,
    AssessmentQuerySet,
    MetricResultQuerySet,
    RulebookQuerySet,
)


class Rulebook(models.Model):
    """A version of the thresholds. Assessments keep a snapshot, so a new version never changes an old one."""

    version = models.PositiveIntegerField(unique=True)
    effective_from = models.DateField(help_text="Periods that start on or after this day use this version.")
    note = models.TextField(blank=True, help_text="What changed and why.")
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")

    objects = RulebookQuerySet.as_manager()

    class Meta:
        ordering = ["-version"]
        permissions = [("edit_rulebook", "Can create new rulebook versions")]

    def __str__(self) -> str:
        return f"Rulebook v{self.version} (from {self.effective_from:%d %b %Y})"


class Threshold(models.Model):
    rulebook = models.ForeignKey(Rulebook, on_delete=models.PROTECT, related_name="thresholds")
    metric = models.CharField(max_length=40)
    comparator = models.CharField(max_length=3, choices=Comparator.choices)
    value = models.DecimalField(max_digits=12, decimal_places=4)
    weight = models.DecimalField(max_digits=6, decimal_places=2)
    kind = models.CharField(max_length=4, choices=MetricKind.choices, default=MetricKind.CORE)
    tiers = models.CharField(max_length=3, default="ABC", help_text="Size tiers this threshold applies to.")

    class Meta:
        ordering = ["rulebook", "metric", "tiers"]
        constraints = [
            models.UniqueConstraint(fields=["rulebook", "metric", "tiers"], name="threshold_unique_per_tiers"),
            models.CheckConstraint(condition=models.Q(weight__gte=0), name="threshold_weight_not_negative"),
            models.CheckConstraint(condition=models.Q(tiers__regex=r"^A?B?C?$") & ~models.Q(tiers=""),
                                   name="threshold_tiers_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.metric} {self.get_comparator_display()} {self.value} (tiers {self.tiers})"


class Assessment(models.Model):
    """A company's score for a period, from one filing version under one rulebook version."""

    # The only move an assessment makes (core.workflows.transition refuses any other); a refresh after
    # finalisation makes a new version instead.
    TRANSITIONS = {
        AssessmentStatus.DRAFT: {AssessmentStatus.FINAL},
        AssessmentStatus.FINAL: set(),
    }

    company = models.ForeignKey(Company, on_delete=models.PROTECT, related_name="assessments")
    period = models.ForeignKey(ReportingPeriod, on_delete=models.PROTECT, related_name="assessments")
    filing = models.ForeignKey(Filing, null=True, blank=True, on_delete=models.PROTECT, related_name="assessments")
    rulebook = models.ForeignKey(Rulebook, on_delete=models.PROTECT, related_name="assessments")
    version = models.PositiveSmallIntegerField(default=1)
    status = models.CharField(max_length=8, choices=AssessmentStatus.choices, default=AssessmentStatus.DRAFT)
    score = models.DecimalField(max_digits=7, decimal_places=4, null=True, blank=True,
                                help_text="0–100; empty when no core metric applies.")
    compliant = models.BooleanField(null=True)
    computed_at = models.DateTimeField()
    finalised_at = models.DateTimeField(null=True, blank=True)
    finalised_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+")
    delay_buckets = models.JSONField(default=dict, blank=True)

    objects = AssessmentQuerySet.as_manager()

    class Meta:
        ordering = ["-period__start", "company__legal_name", "-version"]
        permissions = [
            ("run_assessments", "Can compute or refresh assessments"),
            ("add_note", "Can annotate assessments"),
            ("override_result", "Can override a metric result"),
            ("confirm_override", "Can confirm another person's override"),
            ("finalise_assessment", "Can finalise assessments"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["company", "period", "version"], name="assessment_version_unique"),
            models.UniqueConstraint(fields=["company", "period"], condition=models.Q(status="draft"),
                                    name="assessment_one_draft"),
            models.CheckConstraint(condition=models.Q(score__isnull=True) | models.Q(score__gte=0, score__lte=100),
                                   name="assessment_score_0_100"),
        ]

    def __str__(self) -> str:
        return f"{self.company} {self.period} assessment v{self.version}"


class MetricResult(models.Model):
    """One metric of an assessment: the computed figures, the threshold snapshot, and an analyst's override.

    An override counts (in the value used, "passed", the score and the verdict) only once a supervisor
    who did not make it has confirmed it; until then, and after a rejection, the computed value stands.
    """

    # How an override moves (core.workflows.transition, field ``override_status``): proposed by an analyst,
    # confirmed or rejected by a supervisor; an analyst may withdraw or replace it while the assessment is
    # a draft (a replacement is a withdrawal and a new proposal).
    TRANSITIONS = {
        OverrideStatus.NONE: {OverrideStatus.PENDING},
        OverrideStatus.PENDING: {OverrideStatus.CONFIRMED, OverrideStatus.REJECTED, OverrideStatus.NONE},
        OverrideStatus.CONFIRMED: {OverrideStatus.NONE},
        OverrideStatus.REJECTED: {OverrideStatus.NONE},
    }

    assessment = models.ForeignKey(Assessment, on_delete=models.PROTECT, related_name="results")
    metric = models.CharField(max_length=40)
    kind = models.CharField(max_length=4, choices=MetricKind.choices)
    value = models.DecimalField(max_digits=16, decimal_places=6, null=True, blank=True)
    numerator = models.BigIntegerField(null=True, blank=True)
    denominator = models.BigIntegerField(null=True, blank=True)
    comparator = models.CharField(max_length=3, choices=Comparator.choices, blank=True)
    threshold = models.DecimalField(max_digits=12, decimal_places=4, null=True, blank=True)
    weight = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    applicable = models.BooleanField(default=True)
    passed = models.BooleanField(null=True)
    attainment = models.DecimalField(max_digits=7, decimal_places=6, null=True, blank=True)
    # An analyst's override: the value used instead of the computed one, with the reason, and
    # a second person's (supervisor's) confirmation before the assessment can be finalised.
    override_value = models.DecimalField(max_digits=16, decimal_places=6, null=True, blank=True)
    override_justification = models.TextField(blank=True)
    override_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    override_at = models.DateTimeField(null=True, blank=True)
    override_confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                              on_delete=models.PROTECT, related_name="+")
    override_confirmed_at = models.DateTimeField(null=True, blank=True)
    override_status = models.CharField(max_length=10, choices=OverrideStatus.choices, default=OverrideStatus.NONE)
    override_rejected_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                             on_delete=models.PROTECT, related_name="+")
    override_rejected_at = models.DateTimeField(null=True, blank=True)
    override_rejection_reason = models.TextField(blank=True)

    objects = MetricResultQuerySet.as_manager()

    class Meta:
        ordering = ["assessment", "metric"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "metric"], name="metric_result_unique"),
            models.CheckConstraint(
                condition=models.Q(override_value__isnull=True) | ~models.Q(override_justification=""),
                name="metric_override_has_justification",
            ),
            models.CheckConstraint(
                condition=models.Q(override_confirmed_by__isnull=True)
                | ~models.Q(override_confirmed_by=models.F("override_by")),
                name="metric_override_second_person",
            ),
            models.CheckConstraint(
                condition=models.Q(override_rejected_by__isnull=True)
                | ~models.Q(override_rejected_by=models.F("override_by")),
                name="metric_override_rejected_by_second_person",
            ),
            models.CheckConstraint(
                condition=(models.Q(override_status="none") & models.Q(override_value__isnull=True))
                | (~models.Q(override_status="none") & models.Q(override_value__isnull=False)),
                name="metric_override_status_matches_value",
            ),
            models.CheckConstraint(
                condition=~models.Q(override_status="rejected") | ~models.Q(override_rejection_reason=""),
                name="metric_override_rejection_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.metric} = {self.value}"

    @property
    def effective_value(self):
        """The value the score uses: a confirmed override, else the computed value."""
        return self.override_value if self.override_status == OverrideStatus.CONFIRMED else self.value

    @property
    def override_pending(self) -> bool:
        return self.override_status == OverrideStatus.PENDING

    @property
    def is_overridden(self) -> bool:
        return self.override_value is not None


class AssessmentNote(models.Model):
    """An analyst's annotation of an assessment; notes are added, never edited or removed."""

    assessment = models.ForeignKey(Assessment, on_delete=models.PROTECT, related_name="assessment_notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField()
    shared_with_company = models.BooleanField(
        default=False, help_text="Shown to the company with its final assessment; otherwise the regulator's only.")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = AssessmentNoteQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=~models.Q(text=""), name="assessment_note_not_empty"),
        ]

    def __str__(self) -> str:
        return f"Note on {self.assessment} by {self.author_id}"
