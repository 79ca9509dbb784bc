"""The compliance metrics (docs/DESIGN.md §4.1), defined once.

Each metric is written as SQL conditions on a takedown item: the items its numerator
counts and the items its denominator counts (or, for the median, an aggregate over the
items themselves). The engine evaluates them for every company of a period in one
statement, and the methodology page, the API and the PDFs read the same label,
description and unit. Enumeration codes come from companies/filing_format.py.

Numerator and denominator conditions may use the item's own coded columns
(``source_type``, ``action``, ``preserved``, ``automated_decision``, ``reinstated``) and
the derived attributes of ``ITEM_ATTRIBUTES`` (``delay_band``, ``appeal_state``), which
the engine computes once per item. A ``value`` metric (an aggregate over the items
themselves, such as the median) is read from the item table directly: its denominator,
which selects the items it aggregates, may use the item's own columns only.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from companies import filing_format as ff
from regulator.choices import MetricKind

_SOURCE = ff.codes(ff.SOURCE_TYPES)
_ACTION = ff.codes(ff.ACTIONS)
_AUTOMATED = ff.codes(ff.AUTOMATED_DECISIONS)
_OUTCOME = ff.codes(ff.APPEAL_OUTCOMES)

ACTIONED = f"action <> {_ACTION['NO_ACTION']}"
REMOVED = f"action IN ({_ACTION['REMOVED']}, {_ACTION['DISABLED']})"

@dataclass(frozen=True)
class DelayBucket:
    """A time-to-action bucket: items acted on within ``hours`` of receipt (inclusive) and after the bucket
    before it; ``hours`` is None for the last ("later")."""

    name: str
    hours: int | None
    label: str  # what pages, charts and PDFs call it


# In order: their numbers are the values of ``delay_band`` (1 is within an hour, 5 is later than a week).
DELAY_BUCKETS: tuple[DelayBucket, ...] = (
    DelayBucket("within_1h", 1, "Within 1 hour"), DelayBucket("within_24h", 24, "1 to 24 hours"),
    DelayBucket("within_48h", 48, "24 to 48 hours"), DelayBucket("within_7d", 168, "2 to 7 days"),
    DelayBucket("later", None, "More than 7 days"),
)
BAND = {bucket.name: number for number, bucket in enumerate(DELAY_BUCKETS, start=1)}

# Bounds are inclusive (exactly 60 minutes passes). Intervals are in hours, never days,
# so that adding them to a timestamptz is exact arithmetic whatever the time zone's DST.
_BANDS = " ".join(f"WHEN actioned_at <= received_at + interval '{bucket.hours} hours' THEN {BAND[bucket.name]}"
                  for bucket in DELAY_BUCKETS if bucket.hours is not None)
APPEAL_NONE, APPEAL_OPEN_OR_LATE, APPEAL_WITHIN_14D = 0, 1, 2


def _within(bucket: str) -> str:
    """Items acted on within a bucket's bound; an item without an action time (band 0) never is."""
    return f"delay_band BETWEEN 1 AND {BAND[bucket]}"

# Attributes derived from an item's columns, computed once per item (name → SQL expression).
ITEM_ATTRIBUTES: dict[str, str] = {
    "source_type": "source_type",
    "action": "action",
    "preserved": "preserved",
    "automated_decision": "automated_decision",
    "reinstated": "reinstated",
    "delay_band": f"CASE WHEN actioned_at IS NULL THEN 0 {_BANDS} ELSE {BAND['later']} END",
    "appeal_state": f"CASE WHEN appeal_received_at IS NULL THEN {APPEAL_NONE} "
                    f"WHEN appeal_decided_at <= appeal_received_at + interval '336 hours' THEN {APPEAL_WITHIN_14D} "
                    f"ELSE {APPEAL_OPEN_OR_LATE} END",
}
APPEALED = f"appeal_state <> {APPEAL_NONE}"
# An item's delay in hours, for aggregates over the items themselves (date_part gives a
# double precision number; extract() would give a slower numeric).
DELAY_HOURS = "date_part('epoch', actioned_at - received_at) / 3600.0"


@dataclass(frozen=True)
class Metric:
    key: str
    label: str
    description: str
    unit: str  # "ratio", "hours", "flag" (regulator/formatting.py shows each)
    kind: str  # MetricKind: core or informational
    numerator: str | None = None  # SQL condition: the items counted above the line
    denominator: str | None = None  # SQL condition: the items counted below the line
    value: str | None = None  # SQL aggregate over the items giving the value directly (a median)

    @property
    def higher_is_better(self) -> bool:
        return self.key != "median_hours_to_action"

    @property
    def direction(self) -> str:
        return "higher" if self.higher_is_better else "lower"

    @property
    def entered_as_percentage(self) -> bool:
        """A ratio is read and typed by people as a percentage (95 for 0.95)."""
        return self.unit == "ratio"

    def value_problem(self, value: Decimal) -> str | None:
        """Why ``value`` (as stored: a ratio as a fraction) cannot be this metric's value, or None."""
        if self.unit == "ratio" and not Decimal(0) <= value <= Decimal(1):
            return f"{self.label} is a share: between 0 % and 100 %."
        if self.unit == "hours" and value < 0:
            return f"{self.label} is a number of hours: 0 or more."
        if self.unit == "flag" and value not in (Decimal(0), Decimal(1)):
            return f"{self.label} is yes (1) or no (0)."
        return None


METRICS: tuple[Metric, ...] = (
    Metric(
        "order_1h_rate", "Removal orders acted on within 1 hour",
        "Removal orders whose content was removed or disabled within 60 minutes of receipt, as a share of all "
        "removal orders (TCO Art 3(3)). Exactly 60 minutes passes.", "ratio", MetricKind.CORE,
        numerator=f"source_type = {_SOURCE['REMOVAL_ORDER']} AND {REMOVED} AND {_within('within_1h')}",
        denominator=f"source_type = {_SOURCE['REMOVAL_ORDER']}",
    ),
    Metric(
        "notice_24h_rate", "Notices acted on within 24 hours",
        "User notices and trusted-flagger notices that were actioned within 24 hours, as a share of those "
        "notices that were actioned.", "ratio", MetricKind.CORE,
        numerator=f"source_type IN ({_SOURCE['USER_NOTICE']}, {_SOURCE['TRUSTED_FLAGGER']}) AND {ACTIONED} "
                  f"AND {_within('within_24h')}",
        denominator=f"source_type IN ({_SOURCE['USER_NOTICE']}, {_SOURCE['TRUSTED_FLAGGER']}) AND {ACTIONED}",
    ),
    Metric(
        "median_hours_to_action", "Median hours to action",
        "The median time from receipt to action over all actioned items, in hours.", "hours", MetricKind.CORE,
        value=f"percentile_cont(0.5) WITHIN GROUP (ORDER BY {DELAY_HOURS})",
        denominator=ACTIONED,  # the value aggregates these items
    ),
    Metric(
        "preservation_rate", "Removed content preserved",
        "Removed or disabled items whose content was preserved as evidence, as a share of removed items "
        "(TCO Art 6).", "ratio", MetricKind.CORE,
        numerator=f"{REMOVED} AND preserved",
        denominator=REMOVED,
    ),
    Metric(
        "complaint_14d_rate", "Complaints decided within 14 days",
        "Complaints decided within 14 days of receipt, as a share of all complaints received; a complaint not "
        "yet decided counts against.", "ratio", MetricKind.CORE,
        numerator=f"appeal_state = {APPEAL_WITHIN_14D}",
        denominator=APPEALED,
    ),
    Metric(
        "filing_on_time", "Report filed on time",
        "1 when the first submitted version arrived by the end of the due date (regulator's time zone), else 0.",
        "flag", MetricKind.CORE,
    ),
    Metric(
        "proactive_share", "Found on the platform's own initiative",
        "Items found by the platform itself, as a share of all items.", "ratio", MetricKind.INFO,
        numerator=f"source_type = {_SOURCE['OWN_INITIATIVE']}",
        denominator="true",
    ),
    Metric(
        "automated_decision_share", "Decisions fully automated",
        "Actioned items decided without human review, as a share of actioned items.", "ratio", MetricKind.INFO,
        numerator=f"{ACTIONED} AND automated_decision = {_AUTOMATED['FULLY']}",
        denominator=ACTIONED,
    ),
    Metric(
        "reinstatement_rate", "Content reinstated after a complaint",
        "Items reinstated after a complaint, as a share of complaints.", "ratio", MetricKind.INFO,
        numerator=f"{APPEALED} AND reinstated",
        denominator=APPEALED,
    ),
)

METRICS_BY_KEY = {metric.key: metric for metric in METRICS}
CORE_KEYS = tuple(metric.key for metric in METRICS if metric.kind == MetricKind.CORE)
INFO_KEYS = tuple(metric.key for metric in METRICS if metric.kind == MetricKind.INFO)
