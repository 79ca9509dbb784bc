"""Registered platforms, their people, and the quarters they report on (docs/DESIGN.md §3)."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django_countries.fields import CountryField
from rest_framework_api_key.models import AbstractAPIKey

from companies import access
from companies.choices import (
    CompanyStatus,
    FilingStatus,
    MemberRole,
    RegistrationStatus,
    ServiceType,
    SizeTier,
    UploadStatus,
)
from companies.querysets import (
    CompanyQuerySet,
    FilingQuerySet,
    FilingUploadQuerySet,
    InvitationQuerySet,
    MembershipQuerySet,
    RegistrationRequestQuerySet,
    ReportingPeriodQuerySet,
)

__all__ = [
    "ATTESTATION_TEXT", "Company", "CompanyAPIKey", "CompanyStatus", "Filing", "FilingStatus", "FilingUpload",
    "Invitation", "MemberRole", "Membership", "RegistrationRequest", "RegistrationStatus", "ReminderSent",
    "ReportingPeriod", "ServiceType", "SizeTier", "TakedownItem", "UploadStatus", "size_tier_for",
]

currency_code = RegexValidator(r"^[A-Z]{3}$", "Use the three-letter ISO 4217 currency code, such as GBP or EUR.")


def size_tier_for(monthly_active_users: int) -> str:
    """Tier A above 20m users, B from 4m to 20m, C below 4m."""
    if monthly_active_users > 20_000_000:
        return SizeTier.A
    if monthly_active_users >= 4_000_000:
        return SizeTier.B
    return SizeTier.C


class CompanyDetails(models.Model):
    """The fields a company and its registration request share."""

    legal_name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=80, help_text="Short name used in addresses, such as example-video.")
    registration_number = models.CharField(max_length=40, help_text="Company registration number in its home register.")
    country = CountryField(help_text="Where the company is registered (ISO 3166).")
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
    registered_on = models.DateField(
        help_text="The day the regulator registered the company. It files for every period that ends on or after "
                  "this day (docs/DESIGN.md §4.2), and for none before.")
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
            # A user belongs to at most one company at a time (docs/DESIGN.md §3).
            models.UniqueConstraint(
                fields=["user"], condition=models.Q(removed_at__isnull=True), name="membership_one_company_per_user"
            ),
            models.CheckConstraint(condition=models.Q(role__in=MemberRole.values), name="membership_role_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()}, {self.company})"

    def has_role(self, role: str) -> bool:
        """True when this membership is active and its role is ``role`` or above (companies/access.py)."""
        return access.role_reaches(self, role)


class RegistrationRequest(CompanyDetails):
    """A platform asking to be registered; a supervisor approves or rejects it."""

    # The only moves a request may make (core.workflows.transition refuses any other).
    TRANSITIONS = {
        RegistrationStatus.PENDING: {RegistrationStatus.APPROVED, RegistrationStatus.REJECTED},
        RegistrationStatus.APPROVED: set(),
        RegistrationStatus.REJECTED: set(),
    }

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

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=models.Q(role__in=MemberRole.values), name="invitation_role_valid"),
        ]

    def __str__(self) -> str:
        return f"Invitation of {self.email} to {self.company}"



class ReportingPeriod(models.Model):
    """A calendar quarter that companies report on, such as 2026-Q3."""

    code = models.CharField(max_length=7, unique=True)
    year = models.PositiveSmallIntegerField()
    quarter = models.PositiveSmallIntegerField()
    start = models.DateField()
    end = models.DateField(help_text="Last day of the quarter.")
    due_date = models.DateField(help_text="Filings are due by the end of this day, regulator's time.")

    objects = ReportingPeriodQuerySet.as_manager()

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


# --- filings ------------------------------------------------------------------------------------


ATTESTATION_TEXT = (
    "I attest, as the compliance officer of {company}, that this report is complete and accurate to the best "
    "of my knowledge, that it covers every removal order and notice received in {period}, and that I am "
    "authorised to file it."
)


class Filing(models.Model):
    """One version of a company's report for one period. Submitted versions are immutable."""

    # The only moves a filing may make (core.workflows.transition refuses any other).
    TRANSITIONS = {
        FilingStatus.DRAFT: {FilingStatus.SUBMITTED, FilingStatus.ABANDONED},
        FilingStatus.SUBMITTED: {FilingStatus.ACCEPTED, FilingStatus.RETURNED},
        FilingStatus.ACCEPTED: set(),
        FilingStatus.RETURNED: set(),
        FilingStatus.ABANDONED: set(),
    }

    company = models.ForeignKey(Company, on_delete=models.PROTECT, related_name="filings")
    period = models.ForeignKey(ReportingPeriod, on_delete=models.PROTECT, related_name="filings")
    version = models.PositiveSmallIntegerField()
    status = models.CharField(max_length=16, choices=FilingStatus.choices, default=FilingStatus.DRAFT)
    correction_reason = models.TextField(blank=True, help_text="Why this version replaces the previous one.")
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")

    # Narrative (docs/DESIGN.md §3).
    measures_taken = models.TextField(blank=True, help_text="Measures taken, including automated tools.")
    automated_tools = models.TextField(blank=True, help_text="Automated tools used to detect or decide.")
    areas_for_improvement = models.TextField(blank=True)
    moderation_staff = models.PositiveIntegerField(
        null=True, blank=True, help_text="Moderators working on this content (full-time equivalent)."
    )
    is_nil_return = models.BooleanField(default=False, help_text="No notices or orders were received in the period.")

    # Attestation, frozen at submission.
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+")
    attestation_text = models.TextField(blank=True)
    source_sha256 = models.CharField(max_length=64, blank=True)
    item_count = models.PositiveIntegerField(default=0)
    last_row_no = models.PositiveIntegerField(default=0, help_text="Highest item number used so far.")
    totals = models.JSONField(default=dict, blank=True)
    days_late = models.PositiveIntegerField(null=True, blank=True)

    # Review by the regulator.
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    review_reason = models.TextField(blank=True)
    superseded_at = models.DateTimeField(null=True, blank=True)

    objects = FilingQuerySet.as_manager()

    class Meta:
        ordering = ["-period__start", "company__legal_name", "-version"]
        permissions = [("review_filing", "Can accept or return filings")]
        constraints = [
            models.UniqueConstraint(fields=["company", "period", "version"], name="filing_version_unique"),
            # One draft at a time per company and period: a second would split the items.
            models.UniqueConstraint(fields=["company", "period"], condition=models.Q(status="draft"),
                                    name="filing_one_draft"),
            models.CheckConstraint(condition=models.Q(status__in=FilingStatus.values), name="filing_status_valid"),
            models.CheckConstraint(condition=models.Q(version__gte=1), name="filing_version_positive"),
            models.CheckConstraint(condition=models.Q(version=1) | ~models.Q(correction_reason=""),
                                   name="filing_correction_has_reason"),
            models.CheckConstraint(
                condition=models.Q(status__in=["draft", "abandoned"]) | models.Q(submitted_at__isnull=False),
                name="filing_submitted_has_attestation",
            ),
        ]
        indexes = [
            # The regulator's queue: filings by period and status.
            models.Index(fields=["period", "status"], name="filing_queue"),
        ]

    def __str__(self) -> str:
        return f"{self.company} {self.period} v{self.version}"

    @property
    def is_editable(self) -> bool:
        return self.status == FilingStatus.DRAFT


class FilingUpload(models.Model):
    """One file uploaded into a draft filing (or one API batch), with its validation report.

    The report survives even when the file is rejected, so the company can see
    what was wrong; the items of a rejected file never reach the item table.
    """

    class Format(models.TextChoices):
        CSV = "csv", "CSV"
        JSONL = "jsonl", "JSON Lines"
        BATCH = "batch", "API batch"

    # The only moves an upload may make (core.workflows.transition refuses any other): a worker claims a
    # queued file, then loads or rejects it whole; a file whose worker died fails.
    TRANSITIONS = {
        UploadStatus.QUEUED: {UploadStatus.VALIDATING, UploadStatus.FAILED},
        UploadStatus.VALIDATING: {UploadStatus.LOADED, UploadStatus.REJECTED, UploadStatus.FAILED},
        UploadStatus.LOADED: set(),
        UploadStatus.REJECTED: set(),
        UploadStatus.FAILED: set(),
    }

    filing = models.ForeignKey(Filing, on_delete=models.PROTECT, related_name="uploads")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    file = models.FileField(upload_to="filings/%Y/%m/", blank=True)
    original_name = models.CharField(max_length=255, blank=True)
    format = models.CharField(max_length=8, choices=Format.choices)
    size_bytes = models.PositiveBigIntegerField(default=0)
    sha256 = models.CharField(max_length=64, blank=True)
    status = models.CharField(max_length=16, choices=UploadStatus.choices, default=UploadStatus.QUEUED)
    rows_validated = models.PositiveIntegerField(default=0)
    rows_loaded = models.PositiveIntegerField(default=0)
    error_count = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list, blank=True, help_text="The first errors, as row/field/value/message.")
    error_summary = models.JSONField(
        default=list, blank=True,
        help_text="Every error counted by kind (field and message), most frequent first, with a few examples.")
    rows_expected = models.PositiveIntegerField(
        default=0, help_text="Rows the file holds, counted by its lines when it arrived (for the progress bar).")
    error_file = models.FileField(upload_to="filing-errors/%Y/%m/", blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    first_row_no = models.PositiveIntegerField(default=1, help_text="Item number of this upload's first row.")

    objects = FilingUploadQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.original_name or self.get_format_display()} → {self.filing}"

    @property
    def is_finished(self) -> bool:
        return self.status in {UploadStatus.LOADED, UploadStatus.REJECTED, UploadStatus.FAILED}

    @property
    def percent_done(self) -> int:
        """How far the check has got, 0–100 (99 at most until it has finished)."""
        if self.is_finished:
            return 100
        if not self.rows_expected:
            return 0
        return min(99, self.rows_validated * 100 // self.rows_expected)

    @property
    def already_loaded(self) -> bool:
        """Rejected because every one of its rows is already in the draft: the file was loaded before."""
        kinds = {(group["field"], group["message"].split(" (")[0]) for group in self.error_summary}
        return (self.status == UploadStatus.REJECTED and self.rows_validated > 0
                and kinds == {("external_id", "is already in this filing")}
                and self.error_count == self.rows_validated)


class TakedownItem(models.Model):
    """One notice or order and its handling, in one filing version (docs/DESIGN.md §5).

    The table is created by hand in migration 0003: LIST-partitioned by period,
    narrow types, enumerations as smallint codes (companies/filing_format.py) and a
    single index, the deferrable primary key (filing_id, external_id, period_id),
    which serves "does this external_id exist in the filing" and "the filing's
    items". Django only reads it; the loader writes it with COPY.
    """

    pk = models.CompositePrimaryKey("filing_id", "external_id", "period_id")
    period = models.ForeignKey(ReportingPeriod, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+")
    filing = models.ForeignKey(Filing, on_delete=models.DO_NOTHING, db_constraint=False, related_name="items")
    company = models.ForeignKey(Company, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+")
    row_no = models.IntegerField()
    external_id = models.CharField(max_length=500)
    source_type = models.SmallIntegerField()
    order_reference = models.TextField(null=True)
    category = models.SmallIntegerField()
    content_type = models.SmallIntegerField()
    received_at = models.DateTimeField()
    action = models.SmallIntegerField()
    actioned_at = models.DateTimeField(null=True)
    decision_ground = models.SmallIntegerField(null=True)
    automated_detection = models.BooleanField()
    automated_decision = models.SmallIntegerField()
    content_sha256 = models.BinaryField(null=True)
    preserved = models.BooleanField()
    preservation_ref = models.TextField(null=True)
    preserved_until = models.DateField(null=True)
    law_enforcement_notified = models.BooleanField()
    appeal_received_at = models.DateTimeField(null=True)
    appeal_decided_at = models.DateTimeField(null=True)
    appeal_outcome = models.SmallIntegerField(null=True)
    reinstated = models.BooleanField(null=True)

    class Meta:
        managed = False
        db_table = "companies_takedownitem"

    def __str__(self) -> str:
        return self.external_id


class CompanyAPIKey(AbstractAPIKey):
    """A company's key for the integration API. Only a hash is stored; the key is shown once."""

    company = models.ForeignKey(Company, on_delete=models.PROTECT, related_name="api_keys")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    replaced_by = models.OneToOneField("self", null=True, blank=True, on_delete=models.PROTECT,
                                       related_name="replaces")

    class Meta(AbstractAPIKey.Meta):
        verbose_name = "company API key"
        ordering = ["-created"]


class ReminderSent(models.Model):
    """A deadline reminder that went out; the unique constraint makes `send_reminders` idempotent."""

    company = models.ForeignKey(Company, on_delete=models.PROTECT, related_name="+")
    period = models.ForeignKey(ReportingPeriod, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=20)
    sent_at = models.DateTimeField(auto_now_add=True)
    recipients = models.JSONField(default=list)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["company", "period", "kind"], name="reminder_once_per_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} reminder to {self.company} for {self.period}"
