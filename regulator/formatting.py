"""How the regulator's figures are written, the same on pages, in CSV files, in the API's text and in PDFs.

A metric's value is written by its unit (regulator/metrics.py): a ratio as a percentage to one
decimal ("86.3 %"), hours to one decimal ("1.5 hours"), a flag as yes or no. A value is never
written so that it looks like its threshold when it is not: 0.9496 against "at least 95 %" is
"94.96 %", not "95.0 %". Thresholds are written in the same unit ("at least 95 %"). Scores are
written to one decimal; comparisons always use the unrounded value. Counts and moments in time
come from core/formatting.py, the layer every page shares.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from core.formatting import count_text, moment_text
from core.templatetags.numbers import plain
from regulator.choices import Comparator, MetricKind
from regulator.metrics import METRICS_BY_KEY

__all__ = [
    "NONE", "count_text", "kind_text", "metric_label", "metric_unit", "metric_value_text", "moment_text",
    "percent_text", "plain_or_empty", "score_shown", "score_text", "threshold_text", "tiers_text",
]

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


# A thin no-break space would be the typographer's choice, but the PDFs' standard fonts lack it; a no-break
# space keeps "86.3 %" on one line everywhere.
PERCENT = "\u00a0%"
HUNDRED = Decimal(100)
MOST_DECIMALS = 4  # a ratio is stored to six decimals: four decimals of a percentage


def _rounded(number: Decimal, decimals: int) -> Decimal:
    return number.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def _shown(number: Decimal, *, decimals: int, ceiling: Decimal | None = None, threshold: Decimal | None = None) -> str:
    """``number`` to ``decimals`` places, with more places where fewer would make it look like ``threshold``
    when it is not, and never rounded up to ``ceiling`` (100 %) unless it is exactly that."""
    while True:
        shown = _rounded(number, decimals)
        if ceiling is not None and shown >= ceiling > number:
            shown = ceiling - Decimal(1).scaleb(-decimals)
        if threshold is None or shown != threshold or number == threshold or decimals >= MOST_DECIMALS:
            return f"{shown}"
        decimals += 1


def percent_text(ratio: Decimal | float | None, *, decimals: int = 1, threshold: Decimal | None = None) -> str:
    """A share written as a percentage: 0.8632 → "86.3 %"; below one never "100.0 %" (0.99996 → "99.9 %")."""
    if ratio is None:
        return NONE
    ratio = Decimal(str(ratio))
    return _shown(ratio * HUNDRED, decimals=decimals, ceiling=HUNDRED,
                  threshold=None if threshold is None else Decimal(str(threshold)) * HUNDRED) + PERCENT


def metric_value_text(value: Decimal | None, unit: str | None, threshold: Decimal | None = None) -> str:
    """A metric's value in its unit: "86.3 %", "1.5 hours", "yes". With ``threshold``, enough decimals that a
    value that is not its threshold never looks like it. Unknown units are written as stored."""
    if value is None:
        return NONE
    value = Decimal(str(value))
    threshold = None if threshold is None else Decimal(str(threshold))
    if unit == "hours":
        return _shown(value, decimals=1, threshold=threshold) + " hours"
    if unit == "flag":
        return "yes" if value >= 1 else "no"
    if unit == "ratio":
        return percent_text(value, threshold=threshold)
    return plain(value)


def threshold_text(comparator: str, value: Decimal | None, unit: str | None) -> str:
    """A threshold in words and in its metric's unit: "at least 95 %", "at most 24 hours", "yes"."""
    if value is None:
        return NONE
    value = Decimal(str(value))
    if unit == "flag" and (comparator, value) in {(Comparator.AT_LEAST, Decimal(1)), (Comparator.AT_MOST, 0)}:
        return "yes" if comparator == Comparator.AT_LEAST else "no"
    words = Comparator(comparator).label if comparator in Comparator.values else comparator
    if unit == "ratio":
        amount = plain(value * HUNDRED) + PERCENT
    elif unit == "hours":
        amount = f"{plain(value)} hours"
    else:
        amount = plain(value)
    return f"{words} {amount}"


def tiers_text(tiers: str) -> str:
    """The size tiers a threshold applies to: "every size tier", "tier A", "tiers B and C"."""
    letters = sorted(tiers)
    if letters == ["A", "B", "C"]:
        return "every size tier"
    if len(letters) == 1:
        return f"tier {letters[0]}"
    return f"tiers {', '.join(letters[:-1])} and {letters[-1]}"


def kind_text(kind: str) -> str:
    """A threshold's kind in words: "Core" or "Informational"."""
    return MetricKind(kind).label if kind in MetricKind.values else kind


def metric_label(key: str) -> str:
    """What a person calls a metric: its label in the registry (an unknown key is written as it is)."""
    metric = METRICS_BY_KEY.get(key)
    return metric.label if metric else key


def metric_unit(key: str) -> str | None:
    metric = METRICS_BY_KEY.get(key)
    return metric.unit if metric else None


def plain_or_empty(number: Decimal | None) -> str:
    """A stored decimal as written (0.750000 → 0.75) for CSV files; empty for none."""
    return "" if number is None else plain(number)
