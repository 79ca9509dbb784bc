"""Models every app shares: the append-only audit log and the enumeration of its actions."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Action(models.TextChoices):
    """Every action the audit log records, with the words history pages show before "by <who>"."""

    AUTH_TWO_FACTOR_ENROLLED = "auth.two_factor_enrolled", "Authenticator app set up"
    AUTH_TWO_FACTOR_RESET = "auth.two_factor_reset", "Authenticator app reset"
    REGISTRATION_SUBMITTED = "registration.submitted", "Registration requested"
    REGISTRATION_APPROVED = "registration.approved", "Registration approved"
    REGISTRATION_REJECTED = "registration.rejected", "Registration rejected"
    COMPANY_CREATED = "company.created", "Company registered"
    INVITATION_CREATED = "invitation.created", "Invitation sent"
    MEMBERSHIP_CREATED = "membership.created", "Joined the company"
    MEMBERSHIP_REMOVED = "membership.removed", "Member removed"
    PERIOD_CREATED = "period.created", "Reporting period opened"
    REMINDER_DUE_IN_7_DAYS = "reminder.due-in-7-days", "Reminder sent: due in 7 days"
    REMINDER_DUE_TOMORROW = "reminder.due-tomorrow", "Reminder sent: due tomorrow"
    REMINDER_OVERDUE = "reminder.overdue", "Reminder sent: overdue"
    APIKEY_CREATED = "apikey.created", "API key created"
    APIKEY_ROTATED = "apikey.rotated", "API key replaced"
    APIKEY_REVOKED = "apikey.revoked", "API key revoked"
    FILING_STARTED = "filing.started", "Draft started"
    FILING_NARRATIVE_CHANGED = "filing.narrative_changed", "Narrative changed"
    FILING_ABANDONED = "filing.abandoned", "Draft set aside"
    FILING_SUBMITTED = "filing.submitted", "Submitted"
    FILING_ACCEPTED = "filing.accepted", "Accepted"
    FILING_RETURNED = "filing.returned", "Returned to the company"
    UPLOAD_RECEIVED = "upload.received", "File received"
    UPLOAD_LOADED = "upload.loaded", "File loaded"
    UPLOAD_REJECTED = "upload.rejected", "File rejected"
    UPLOAD_FAILED = "upload.failed", "File processing failed"
    BATCH_LOADED = "batch.loaded", "API batch loaded"
    ASSESSMENT_CREATED = "assessment.created", "Assessment computed"
    ASSESSMENT_REFRESHED = "assessment.refreshed", "Assessment recomputed"
    ASSESSMENT_FINALISED = "assessment.finalised", "Assessment finalised"
    ASSESSMENT_NOTE_ADDED = "assessment.note_added", "Note added"
    ASSESSMENT_RESULT_OVERRIDDEN = "assessment.result_overridden", "Result overridden"
    ASSESSMENT_OVERRIDE_CONFIRMED = "assessment.override_confirmed", "Override confirmed"
    ASSESSMENT_OVERRIDE_REJECTED = "assessment.override_rejected", "Override rejected"
    RULEBOOK_PUBLISHED = "rulebook.published", "Rulebook version published"
    PENALTY_CASE_PROPOSED = "penalty_case.proposed", "Case proposed"


class AuditEvent(models.Model):
    """One state change of one workflow, written in the same transaction as the change.

    The table is append-only: a trigger (migration 0002) makes PostgreSQL refuse
    UPDATE and DELETE, so not even a superuser's shell can rewrite history.
    """

    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Kept as text too, so the event reads the same after a rename.
    actor_label = models.CharField(max_length=254, blank=True)
    # One of Action; kept without Django choices so that a new action needs no migration.
    action = models.CharField(max_length=64)
    object_type = models.CharField(max_length=100)
    object_id = models.CharField(max_length=64)
    object_repr = models.CharField(max_length=200, blank=True)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    reason = models.TextField(blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            # "History of this object" on detail pages and in the admin.
            models.Index(fields=["object_type", "object_id", "-created_at"], name="audit_object_history"),
        ]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor_label or 'system'} {self.action} {self.object_repr}"

    @property
    def action_label(self) -> str:
        """What history pages show, as in "Submitted by officer@example.com"."""
        try:
            return Action(self.action).label
        except ValueError:
            return self.action  # an action recorded before the enumeration had it

