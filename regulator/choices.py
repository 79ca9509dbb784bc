"""The regulator app's enumerations, apart from the models so that querysets and access rules can name them."""

from __future__ import annotations

from django.db import models


class Comparator(models.TextChoices):
    AT_LEAST = "gte", "at least"
    AT_MOST = "lte", "at most"


class MetricKind(models.TextChoices):
    CORE = "core", "Core"
    INFO = "info", "Informational"


class AssessmentStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    FINAL = "final", "Final"
