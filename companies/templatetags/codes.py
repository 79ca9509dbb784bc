"""The filing format's codes in people's words: ``{{ "REMOVAL_ORDER"|code_label }}`` → Removal order."""

from __future__ import annotations

from django import template

from companies import filing_format

register = template.Library()


@register.filter
def code_label(code: str) -> str:
    """The label of a code of the filing format (companies/filing_format.py LABELS)."""
    return filing_format.label(code)
