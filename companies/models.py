"""Registered platforms, their people, and the quarters they report on (DESIGN §3)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.utils import timezone

from companies.querysets import CompanyQuerySet, MembershipQuerySet, RegistrationRequestQuerySet

country_code = RegexValidator(r"^[A-Z]{2}$", "Use the two-letter ISO 3166 country code, such as GB or DE.")
currency_code = RegexValidator(r"^[A-Z]{3}$", "Use the three-letter ISO 4217 currency code, such as GBP or EUR.")


class ServiceType(models.TextChoices):
    SOCIAL_MEDIA = "SOCIAL_MEDIA", "Social media"
    VIDEO_SHARING = "VIDEO_SHARING", "Video sharing"
    FILE_HOSTING = "FILE_HOSTING", "File hosting"
    MESSAGING = "MESSAGING", "Messaging"
    FORUM = "FORUM", "Forum"
    OTHER = "OTHER", "Other"


class SizeTier(models.TextChoices):
    """NetzDG size classes by average monthly active users."""

    A = "A", "A (over 20 million users)"
    B = "B", "B (4 to 20 million users)"
    C = "C", "C (under 4 million users)"


def size_tier_for(monthly_active_users: int) -> str:
    """Tier A above 20m users, B from 4m to 20m, C below 4m."""
    if monthly_active_users > 20_000_000:
        return SizeTier.A
    if monthly_active_users >= 4_000_000:
        return SizeTier.B
    return SizeTier.C


class CompanyStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    ACTIVE = "active", "Active"
    SUSPENDED = "suspended", "Suspended"
    DEREGISTERED = "deregistered", "Deregistered"


class CompanyDetails(models.Model):
    """The fields a company and its registration request share."""

    legal_name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=80, help_text="Short name used in addresses, such as example-video.")
    registration_number = models.CharField(max_length=40, help_text="Company registration number in its home register.")
    country = models.CharField(max_length=2, validators=[country_code])
    website = models.URLField()
    service_type = models.CharField(max_length=20, choices=ServiceType.choices)
    monthly_active_users = models.PositiveBigIntegerField(help_text="Average monthly active users in the country.")
    global_turnover = models.DecimalField(
        max_digits=18, decimal_places=2, validators=[MinValueValidator(Decimal("0"))],
        help_text="Global annual turnover of the last financial year.",
    )
    turnover_currency = models.CharField(max_length=3, default="GBP", validators=[currency_code])
    financial_year_end = models.DateField()
    contact_email = models.EmailField(help_text="Contact point that receives removal orders 24/7 (TCO Art 15).")
    contact_phone = models.CharField(max_length=40)
    contact_address = models.TextField()

    class Meta:
        abstract = True


class Company(CompanyDetails):
    size_tier = models.CharField(max_length=1, choices=SizeTier.choices, editable=False)
    status = models.CharField(max_length=16, choices=CompanyStatus.choices, default=CompanyStatus.ACTIVE)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CompanyQuerySet.as_manager()

    class Meta:
        ordering = ["legal_name"]
        verbose_name_plural = "companies"
        constraints = [
            models.UniqueConstraint(fields=["slug"], name="company_slug_unique"),
            models.UniqueConstraint(fields=["registration_number"], name="company_registration_number_unique"),
            models.CheckConstraint(condition=models.Q(size_tier__in=SizeTier.values), name="company_size_tier_valid"),
            models.CheckConstraint(condition=models.Q(status__in=CompanyStatus.values), name="company_status_valid"),
        ]

    def __str__(self) -> str:
        return self.legal_name

    def save(self, *args, **kwargs) -> None:
        # The tier is derived, never typed in, so it cannot disagree with the user count.
        self.size_tier = size_tier_for(self.monthly_active_users)
        super().save(*args, **kwargs)


class MemberRole(models.TextChoices):
    VIEWER = "viewer", "Viewer"
    SUBMITTER = "submitter", "Submitter"
    OFFICER = "officer", "Compliance officer"


# What each company role may do; higher roles include the lower ones' rights.
ROLE_RANK = {MemberRole.VIEWER: 1, MemberRole.SUBMITTER: 2, MemberRole.OFFICER: 3}


class Membership(models.Model):
    """A user's place in a company. Removal ends it (``removed_at``); the row stays as history."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="memberships")
    company = models.ForeignKey(Company, on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField(max_length=16, choices=MemberRole.choices)
    created_at = models.DateTimeField(auto_now_add=True)
    removed_at = models.DateTimeField(null=True, blank=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["company", "user__last_name", "user__email"]
        constraints = [
            # A user belongs to at most one company at a time (DESIGN §3).
            models.UniqueConstraint(
                fields=["user"], condition=models.Q(removed_at__isnull=True), name="membership_one_company_per_user"
            ),
            models.CheckConstraint(condition=models.Q(role__in=MemberRole.values), name="membership_role_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()}, {self.company})"

    def has_role(self, role: str) -> bool:
        """True when this membership's role is ``role`` or above."""
        return self.removed_at is None and ROLE_RANK[self.role] >= ROLE_RANK[role]


class RegistrationStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Rejected"


# Allowed moves of a registration request; services refuse anything else.
REGISTRATION_TRANSITIONS = {
    RegistrationStatus.PENDING: {RegistrationStatus.APPROVED, RegistrationStatus.REJECTED},
    RegistrationStatus.APPROVED: set(),
    RegistrationStatus.REJECTED: set(),
}


class RegistrationRequest(CompanyDetails):
    """A platform asking to be registered; a supervisor approves or rejects it."""

    officer_name = models.CharField(max_length=150, help_text="The compliance officer who will sign filings.")
    officer_email = models.EmailField()
    status = models.CharField(max_length=16, choices=RegistrationStatus.choices, default=RegistrationStatus.PENDING)
    submitted_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decision_reason = models.TextField(blank=True)
    company = models.OneToOneField(Company, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    objects = RegistrationRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-submitted_at"]
        permissions = [("decide_registrationrequest", "Can approve or reject registration requests")]
        constraints = [
            # Two pending requests for the same company would race to approval.
            models.UniqueConstraint(
                fields=["registration_number"],
                condition=models.Q(status="pending"),
                name="registration_pending_number_unique",
            ),
            models.UniqueConstraint(
                fields=["slug"], condition=models.Q(status="pending"), name="registration_pending_slug_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=RegistrationStatus.values), name="registration_status_valid"
            ),
            models.CheckConstraint(
                condition=~models.Q(status="rejected") | ~models.Q(decision_reason=""),
                name="registration_rejection_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"Registration of {self.legal_name}"


class Invitation(models.Model):
    """A one-time link that lets a person set a password and join a company.

    Only the SHA-256 of the token is stored; the link itself is e-mailed once.
    """

    company = models.ForeignKey(Company, on_delete=models.PROTECT, related_name="invitations")
    email = models.EmailField()
    full_name = models.CharField(max_length=150, blank=True)
    role = models.CharField(max_length=16, choices=MemberRole.choices)
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=models.Q(role__in=MemberRole.values), name="invitation_role_valid"),
        ]

    def __str__(self) -> str:
        return f"Invitation of {self.email} to {self.company}"

    @property
    def is_open(self) -> bool:
        return self.accepted_at is None and self.revoked_at is None and self.expires_at > timezone.now()


class ReportingPeriod(models.Model):
    """A calendar quarter that companies report on, such as 2026-Q3."""

    code = models.CharField(max_length=7, unique=True)
    year = models.PositiveSmallIntegerField()
    quarter = models.PositiveSmallIntegerField()
    start = models.DateField()
    end = models.DateField(help_text="Last day of the quarter.")
    due_date = models.DateField(help_text="Filings are due by the end of this day, regulator's time.")

    class Meta:
        ordering = ["-start"]
        constraints = [
            models.UniqueConstraint(fields=["year", "quarter"], name="period_year_quarter_unique"),
            models.CheckConstraint(condition=models.Q(quarter__gte=1, quarter__lte=4), name="period_quarter_1_to_4"),
            models.CheckConstraint(condition=models.Q(end__gt=models.F("start")), name="period_end_after_start"),
            models.CheckConstraint(condition=models.Q(due_date__gt=models.F("end")), name="period_due_after_end"),
        ]

    def __str__(self) -> str:
        return self.code

    @staticmethod
    def bounds(year: int, quarter: int) -> tuple[dt.date, dt.date]:
        """First and last day of a quarter."""
        start = dt.date(year, 3 * quarter - 2, 1)
        next_start = dt.date(year + 1, 1, 1) if quarter == 4 else dt.date(year, 3 * quarter + 1, 1)
        return start, next_start - dt.timedelta(days=1)

    @staticmethod
    def parse_code(code: str) -> tuple[int, int]:
        """'2026-Q3' → (2026, 3); a clear error for anything else."""
        try:
            year_text, quarter_text = code.upper().split("-Q")
            year, quarter = int(year_text), int(quarter_text)
        except ValueError:
            raise ValidationError(f"{code!r} is not a period; write it like 2026-Q3.") from None
        if not 1 <= quarter <= 4 or not 2000 <= year <= 2100:
            raise ValidationError(f"{code!r} is not a period; write it like 2026-Q3.")
        return year, quarter
