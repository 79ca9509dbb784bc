"""Escalation policies and penalty cases (docs/DESIGN.md §3 penalties/, §4.3).

An escalation policy is versioned like the rulebook: every number of §4.3 is one of its fields, the first
version's defaults come from a data migration, and a case keeps the version it was proposed under, so a new
version never changes an old case. Notices and representations arrive with the rest of the penalties work.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.core.validators import MinValueValidator
from django.db import models

from companies.models import Company, ReportingPeriod
from penalties.choices import CaseKind, CaseStatus
from penalties.fines import FinePolicy, GravityBand

_MONEY = {"max_digits": 16, "decimal_places": 2, "validators": [MinValueValidator(Decimal(0))]}
_MULTIPLIER = {"max_digits": 8, "decimal_places": 4, "validators": [MinValueValidator(Decimal(0))]}


class EscalationPolicy(models.Model):
    """A version of the escalation and fine rules; the numbers of §4.3, each a field."""

    version = models.PositiveIntegerField(unique=True)
    effective_from = models.DateField(help_text="Cases proposed for periods that start on or after this day use it.")
    note = models.TextField(blank=True, help_text="What changed and why.")
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    currency = models.CharField(max_length=3, default="GBP")

    # What counts as a repeated failure.
    consecutive_failures = models.PositiveSmallIntegerField(
        default=2, help_text="A core metric failing in this many assessed periods in a row is a persistent failure.")
    window_periods = models.PositiveSmallIntegerField(default=4, help_text="…or in the last this many periods…")
    failures_in_window = models.PositiveSmallIntegerField(default=3, help_text="…this many times.")

    # Late filing: the fixed penalty of each band for tier C, the tier multipliers, and the repeat.
    late_up_to_1_month = models.DecimalField(default=Decimal(1_500), **_MONEY)
    late_up_to_3_months = models.DecimalField(default=Decimal(3_750), **_MONEY)
    late_up_to_6_months = models.DecimalField(default=Decimal(7_500), **_MONEY)
    late_over_6_months = models.DecimalField(default=Decimal(15_000), **_MONEY)
    late_multiplier_b = models.DecimalField(default=Decimal(2), **_MULTIPLIER)
    late_multiplier_a = models.DecimalField(default=Decimal(5), **_MULTIPLIER)
    late_repeat_multiplier = models.DecimalField(
        default=Decimal(2), help_text="When the previous period's filing was late too.", **_MULTIPLIER)

    # The fine of a persistent failure (steps 1–6 of §4.3).
    light_below = models.DecimalField(default=Decimal(5), max_digits=6, decimal_places=2)
    light_base = models.DecimalField(default=Decimal(50_000), **_MONEY)
    medium_below = models.DecimalField(default=Decimal(15), max_digits=6, decimal_places=2)
    medium_base = models.DecimalField(default=Decimal(250_000), **_MONEY)
    serious_below = models.DecimalField(default=Decimal(30), max_digits=6, decimal_places=2)
    serious_base = models.DecimalField(default=Decimal(1_000_000), **_MONEY)
    very_serious_base = models.DecimalField(default=Decimal(4_000_000), **_MONEY)
    size_multiplier_c = models.DecimalField(default=Decimal(1), **_MULTIPLIER)
    size_multiplier_b = models.DecimalField(default=Decimal(4), **_MULTIPLIER)
    size_multiplier_a = models.DecimalField(default=Decimal(10), **_MULTIPLIER)
    breadth_step = models.DecimalField(default=Decimal("0.25"), **_MULTIPLIER)
    repeat_step = models.DecimalField(default=Decimal("0.5"), **_MULTIPLIER)
    repeat_months = models.PositiveSmallIntegerField(default=24)
    adjustment_limit = models.DecimalField(default=Decimal(30), max_digits=5, decimal_places=2,
                                           help_text="Per cent, either way.")
    cap_floor = models.DecimalField(default=Decimal(18_000_000), **_MONEY)
    cap_turnover_percent = models.DecimalField(default=Decimal(10), max_digits=5, decimal_places=2)

    # The procedure (§4.4).
    representation_days = models.PositiveSmallIntegerField(default=28)
    payment_days = models.PositiveSmallIntegerField(default=28)

    class Meta:
        ordering = ["-version"]
        verbose_name_plural = "escalation policies"
        permissions = [("edit_policy", "Can publish new escalation policy versions")]
        constraints = [
            models.CheckConstraint(condition=models.Q(failures_in_window__lte=models.F("window_periods")),
                                   name="policy_failures_fit_the_window"),
            models.CheckConstraint(condition=models.Q(light_below__lt=models.F("medium_below"))
                                   & models.Q(medium_below__lt=models.F("serious_below")),
                                   name="policy_gravity_bands_ascend"),
        ]

    def __str__(self) -> str:
        return f"Escalation policy v{self.version} (from {self.effective_from:%d %b %Y})"

    def fine_policy(self) -> FinePolicy:
        """The numbers the fine calculator works with."""
        return FinePolicy(
            version=self.version, currency=self.currency,
            gravity=(GravityBand("light", self.light_below, self.light_base),
                     GravityBand("medium", self.medium_below, self.medium_base),
                     GravityBand("serious", self.serious_below, self.serious_base),
                     GravityBand("very serious", None, self.very_serious_base)),
            size={"C": self.size_multiplier_c, "B": self.size_multiplier_b, "A": self.size_multiplier_a},
            breadth_step=self.breadth_step, repeat_step=self.repeat_step, repeat_months=self.repeat_months,
            adjustment_limit=self.adjustment_limit, cap_floor=self.cap_floor,
            cap_turnover_percent=self.cap_turnover_percent,
        )


class PenaltyCase(models.Model):
    """A proposed step against a company for one period: a warning, a fine for persistent failure, or a late-filing
    penalty, with the evidence it stands on. At most one case of each kind per company and period, so proposing
    again never duplicates one."""

    # How a case moves (core.workflows.transition). Notices move it on; the notice work adds those moves' services.
    TRANSITIONS = {
        CaseStatus.PROPOSED: {CaseStatus.DRAFTING, CaseStatus.CLOSED},
        CaseStatus.DRAFTING: {CaseStatus.AWAITING_APPROVAL, CaseStatus.CLOSED},
        CaseStatus.AWAITING_APPROVAL: {CaseStatus.DRAFTING, CaseStatus.REPRESENTATIONS_OPEN, CaseStatus.ISSUED},
        CaseStatus.REPRESENTATIONS_OPEN: {CaseStatus.AWAITING_FINAL_DECISION},
        CaseStatus.AWAITING_FINAL_DECISION: {CaseStatus.DRAFTING, CaseStatus.ISSUED, CaseStatus.CLOSED},
        CaseStatus.ISSUED: {CaseStatus.PAID, CaseStatus.APPEALED, CaseStatus.OVERDUE, CaseStatus.CLOSED},
        CaseStatus.OVERDUE: {CaseStatus.PAID, CaseStatus.APPEALED, CaseStatus.CLOSED},
        CaseStatus.APPEALED: {CaseStatus.CLOSED, CaseStatus.ISSUED},
        CaseStatus.PAID: {CaseStatus.CLOSED},
        CaseStatus.CLOSED: set(),
    }

    company = models.ForeignKey(Company, on_delete=models.PROTECT, related_name="penalty_cases")
    period = models.ForeignKey(ReportingPeriod, on_delete=models.PROTECT, related_name="penalty_cases")
    kind = models.CharField(max_length=20, choices=CaseKind.choices)
    status = models.CharField(max_length=24, choices=CaseStatus.choices, default=CaseStatus.PROPOSED)
    policy = models.ForeignKey(EscalationPolicy, on_delete=models.PROTECT, related_name="cases")
    evidence = models.JSONField(
        default=dict, encoder=DjangoJSONEncoder,
        help_text="What the case stands on: metrics, periods, values against thresholds, the assessments; or the "
                  "filing's lateness.")
    proposed_amount = models.DecimalField(null=True, blank=True, **_MONEY)
    currency = models.CharField(max_length=3, default="GBP")
    opened_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-opened_at", "-id"]
        permissions = [
            ("run_escalation", "Can propose penalty cases for a period"),
            ("draft_notice", "Can draft notices"),
            ("issue_notice", "Can approve and issue notices drafted by someone else"),
            ("record_outcome", "Can record a notice's outcome (paid, appealed, withdrawn)"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["company", "period", "kind"], name="case_one_per_kind_and_period"),
            models.CheckConstraint(condition=models.Q(kind__in=CaseKind.values), name="case_kind_valid"),
            models.CheckConstraint(condition=models.Q(status__in=CaseStatus.values), name="case_status_valid"),
            models.CheckConstraint(condition=~models.Q(kind="warning") | models.Q(proposed_amount__isnull=True),
                                   name="case_warning_has_no_amount"),
        ]
        indexes = [
            # The staff's case queue: cases by status, newest first.
            models.Index(fields=["status", "-opened_at"], name="case_queue"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for {self.company}, {self.period}"
