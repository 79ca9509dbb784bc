"""How the regulator's figures are written, the same on pages, in CSV files, in the API's text and in PDFs.

A metric's value is written by its unit (regulator/metrics.py): a ratio to four decimals, hours
to two with "h", a flag as yes or no. Scores are written to one decimal; comparisons always use
the unrounded value.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from core.templatetags.numbers import plain

NONE = "—"


ONE_DECIMAL = Decimal("0.1")
PERFECT = Decimal(100)
BELOW_PERFECT = Decimal("99.9")


def score_shown(score: Decimal | None) -> Decimal | None:
    """A score as shown: to one decimal, half up, except that only a perfect score is shown as 100.0
    (99.96 is 99.9, never a perfect score a company did not get). The stored value keeps four decimals and
    every comparison uses it."""
    if score is None:
        return None
    shown = score.quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP)
    return BELOW_PERFECT if shown >= PERFECT > score else shown


def score_text(score: Decimal | None) -> str:
    """A score as pages, CSV files, the API and PDFs write it (see ``score_shown``)."""
    shown = score_shown(score)
    return NONE if shown is None else f"{shown}"


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
