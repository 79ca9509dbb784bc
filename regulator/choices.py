"""The regulator app's enumerations, apart from the models so that querysets and access rules can name them."""

from __future__ import annotations

from django.db import models


class Comparator(models.TextChoices):
    AT_LEAST = "gte", "at least"
    AT_MOST = "lte", "at most"


class MetricKind(models.TextChoices):
    CORE = "core", "Core"
    INFO = "info", "Informational"


class OverrideStatus(models.TextChoices):
    """Where an analyst's override of a metric result stands; only a confirmed one counts."""

    NONE = "none", "No override"
    PENDING = "pending", "Waiting for a supervisor"
    CONFIRMED = "confirmed", "Confirmed"
    REJECTED = "rejected", "Rejected"


class AssessmentStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    FINAL = "final", "Final"
