"""The penalties app's enumerations, apart from the models so that access rules and querysets can name them."""

from __future__ import annotations

from django.db import models


class CaseKind(models.TextChoices):
    WARNING = "warning", "Warning (first failure)"
    PERSISTENT_FAILURE = "persistent_failure", "Persistent failure (fine)"
    LATE_FILING = "late_filing", "Late filing penalty"


class CaseStatus(models.TextChoices):
    PROPOSED = "proposed", "Proposed"
    DRAFTING = "drafting", "Notice being drafted"
    AWAITING_APPROVAL = "awaiting_approval", "Awaiting a supervisor's approval"
    REPRESENTATIONS_OPEN = "representations_open", "Representations open"
    AWAITING_FINAL_DECISION = "awaiting_final_decision", "Awaiting the final decision"
    ISSUED = "issued", "Issued"
    PAID = "paid", "Paid"
    APPEALED = "appealed", "Appealed"
    OVERDUE = "overdue", "Payment overdue"
    CLOSED = "closed", "Closed"
