"""The one template filter for a moment in time: ``{{ filing.submitted_at|moment }}`` → 31 Dec 2026 14:00 GMT."""

from __future__ import annotations

import datetime as dt

from django import template

from core.formatting import moment_text

register = template.Library()


@register.filter
def moment(value: dt.datetime | None) -> str:
    """The moment in the regulator's time zone with that day's zone abbreviation (core.formatting.moment_text);
    empty for none, so ``|default:"never"`` still applies."""
    return moment_text(value)
