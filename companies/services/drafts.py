"""The draft a filing service or an upload works on, locked for the rest of the transaction."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import OperationalError

from companies.models import Filing, FilingStatus


def locked_draft(filing_id: int, *, wait: bool = False) -> Filing:
    """The draft, locked. People's actions do not wait: while a file loads (which holds this
    lock for its whole transaction) they are told so at once instead of hanging."""
    try:
        filing = (Filing.objects.select_for_update(nowait=not wait).select_related("company", "period")
                  .get(pk=filing_id))
    except OperationalError:
        raise ValidationError("A file is being loaded into this draft right now; try again when it has "
                              "finished (the progress bar shows when).") from None
    if filing.status != FilingStatus.DRAFT:
        raise ValidationError(f"Version {filing.version} is {filing.get_status_display().lower()} and cannot "
                              "change; start a new version to correct it.")
    return filing
