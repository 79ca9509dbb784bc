"""The companies app's enumerations: what each status, role and kind is called and shown as.

Kept apart from the models (NetBox's ``choices.py``) so that access rules and querysets can
name them without importing the models.
"""

from __future__ import annotations

from django.db import models


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


class CompanyStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    ACTIVE = "active", "Active"
    SUSPENDED = "suspended", "Suspended"
    DEREGISTERED = "deregistered", "Deregistered"


class MemberRole(models.TextChoices):
    VIEWER = "viewer", "Viewer"
    SUBMITTER = "submitter", "Submitter"
    OFFICER = "officer", "Compliance officer"


# What each company role may do; higher roles include the lower ones' rights.
ROLE_RANK = {MemberRole.VIEWER: 1, MemberRole.SUBMITTER: 2, MemberRole.OFFICER: 3}


class RegistrationStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Rejected"


class FilingStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"
    ACCEPTED = "accepted", "Accepted"
    RETURNED = "returned", "Returned"
    ABANDONED = "abandoned", "Abandoned draft"


class UploadStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    VALIDATING = "validating", "Validating and loading"
    LOADED = "loaded", "Loaded"
    REJECTED = "rejected", "Rejected"
    FAILED = "failed", "Failed"
