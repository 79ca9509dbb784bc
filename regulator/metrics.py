"""The compliance metrics (DESIGN §4.1), defined once.

Each metric names its SQL numerator and denominator (aggregates with FILTER over one
filing's items) so the engine computes every metric of every company in one pass, and
the methodology page, the API and the PDFs read the same label, description and unit.
Enumeration codes come from companies/filing_format.py.
"""

from __future__ import annotations

from dataclasses import dataclass

from companies import filing_format as ff

_SOURCE = ff.codes(ff.SOURCE_TYPES)
_ACTION = ff.codes(ff.ACTIONS)
_AUTOMATED = ff.codes(ff.AUTOMATED_DECISIONS)
_OUTCOME = ff.codes(ff.APPEAL_OUTCOMES)

ACTIONED = f"action <> {_ACTION['NO_ACTION']}"
REMOVED = f"action IN ({_ACTION['REMOVED']}, {_ACTION['DISABLED']})"
# Seconds from receipt to action, computed once per row by the engine's inner query.
DELAY = "delay_s"


@dataclass(frozen=True)
class Metric:
    key: str
    label: str
    description: str
    unit: str  # "ratio", "hours", "flag"
    kind: str  # "core" or "info"
    numerator: str | None = None  # SQL aggregate over the filing's items
    denominator: str | None = None
    value: str | None = None  # SQL aggregate giving the value directly (a median)

    @property
    def higher_is_better(self) -> bool:
        return self.key != "median_hours_to_action"


METRICS: tuple[Metric, ...] = (
    Metric(
        "order_1h_rate", "Removal orders acted on within 1 hour",
        "Removal orders whose content was removed or disabled within 60 minutes of receipt, as a share of all "
        "removal orders (TCO Art 3(3)). Exactly 60 minutes passes.", "ratio", "core",
        numerator=f"count(*) FILTER (WHERE source_type = {_SOURCE['REMOVAL_ORDER']} AND {REMOVED} "
                  f"AND {DELAY} <= 3600)",
        denominator=f"count(*) FILTER (WHERE source_type = {_SOURCE['REMOVAL_ORDER']})",
    ),
    Metric(
        "notice_24h_rate", "Notices acted on within 24 hours",
        "User notices and trusted-flagger notices that were actioned within 24 hours, as a share of those "
        "notices that were actioned.", "ratio", "core",
        numerator=f"count(*) FILTER (WHERE source_type IN ({_SOURCE['USER_NOTICE']}, "
                  f"{_SOURCE['TRUSTED_FLAGGER']}) AND {ACTIONED} AND {DELAY} <= 86400)",
        denominator=f"count(*) FILTER (WHERE source_type IN ({_SOURCE['USER_NOTICE']}, "
                    f"{_SOURCE['TRUSTED_FLAGGER']}) AND {ACTIONED})",
    ),
    Metric(
        "median_hours_to_action", "Median hours to action",
        "The median time from receipt to action over all actioned items, in hours.", "hours", "core",
        value=f"percentile_cont(0.5) WITHIN GROUP (ORDER BY {DELAY} / 3600.0) "
              f"FILTER (WHERE {ACTIONED})",
        denominator=f"count(*) FILTER (WHERE {ACTIONED})",
    ),
    Metric(
        "preservation_rate", "Removed content preserved",
        "Removed or disabled items whose content was preserved as evidence, as a share of removed items "
        "(TCO Art 6).", "ratio", "core",
        numerator=f"count(*) FILTER (WHERE {REMOVED} AND preserved)",
        denominator=f"count(*) FILTER (WHERE {REMOVED})",
    ),
    Metric(
        "complaint_14d_rate", "Complaints decided within 14 days",
        "Complaints decided within 14 days of receipt, as a share of all complaints received; a complaint not "
        "yet decided counts against.", "ratio", "core",
        numerator="count(*) FILTER (WHERE appeal_received_at IS NOT NULL AND appeal_decided_at IS NOT NULL "
                  "AND appeal_decided_at - appeal_received_at <= interval '14 days')",
        denominator="count(*) FILTER (WHERE appeal_received_at IS NOT NULL)",
    ),
    Metric(
        "filing_on_time", "Report filed on time",
        "1 when the first submitted version arrived by the end of the due date (regulator's time zone), else 0.",
        "flag", "core",
    ),
    Metric(
        "proactive_share", "Found on the platform's own initiative",
        "Items found by the platform itself, as a share of all items.", "ratio", "info",
        numerator=f"count(*) FILTER (WHERE source_type = {_SOURCE['OWN_INITIATIVE']})",
        denominator="count(row_no)",  # not count(*): a nil return has one all-NULL joined row
    ),
    Metric(
        "automated_decision_share", "Decisions fully automated",
        "Actioned items decided without human review, as a share of actioned items.", "ratio", "info",
        numerator=f"count(*) FILTER (WHERE {ACTIONED} AND automated_decision = {_AUTOMATED['FULLY']})",
        denominator=f"count(*) FILTER (WHERE {ACTIONED})",
    ),
    Metric(
        "reinstatement_rate", "Content reinstated after a complaint",
        "Items reinstated after a complaint, as a share of complaints.", "ratio", "info",
        numerator="count(*) FILTER (WHERE appeal_received_at IS NOT NULL AND reinstated)",
        denominator="count(*) FILTER (WHERE appeal_received_at IS NOT NULL)",
    ),
)

# Time-to-action buckets (informational): counts of actioned items by delay.
DELAY_BUCKETS: tuple[tuple[str, str], ...] = (
    ("within_1h", f"{DELAY} <= 3600"),
    ("within_24h", f"{DELAY} > 3600 AND {DELAY} <= 86400"),
    ("within_48h", f"{DELAY} > 86400 AND {DELAY} <= 172800"),
    ("within_7d", f"{DELAY} > 172800 AND {DELAY} <= 604800"),
    ("later", f"{DELAY} > 604800"),
)

METRICS_BY_KEY = {metric.key: metric for metric in METRICS}
CORE_KEYS = tuple(metric.key for metric in METRICS if metric.kind == "core")
