"""How the regulator's figures are written, the same on pages, in CSV files, in the API's text and in PDFs.

A metric's value is written by its unit (regulator/metrics.py): a ratio to four decimals, hours
to two with "h", a flag as yes or no. Scores are written to one decimal; comparisons always use
the unrounded value.
"""

from __future__ import annotations

from decimal import Decimal

from core.templatetags.numbers import plain

NONE = "—"


def score_text(score: Decimal | None) -> str:
    """A score to one decimal (the stored value keeps four)."""
    return NONE if score is None else f"{score.quantize(Decimal('0.1'))}"


def metric_value_text(value: Decimal | None, unit: str | None) -> str:
    """A metric's value in its unit; unknown units are written as stored."""
    if value is None:
        return NONE
    value = Decimal(str(value))
    if unit == "hours":
        return f"{value.quantize(Decimal('0.01'))} h"
    if unit == "flag":
        return "yes" if value >= 1 else "no"
    if unit == "ratio":
        return f"{value.quantize(Decimal('0.0001'))}"
    return plain(value)


def plain_or_empty(number: Decimal | None) -> str:
    """A stored decimal as written (0.750000 → 0.75) for CSV files; empty for none."""
    return "" if number is None else plain(number)
