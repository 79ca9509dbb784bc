"""What the public methodology page explains: each measure in plain words, and a worked example of a score.

The example is computed by the engine itself (``engine.rules_for`` and ``engine.score``) with the thresholds of
the rulebook in force, so the page can never describe arithmetic the portal does not do, nor thresholds it
does not apply.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from regulator import engine
from regulator.metrics import METRICS, Metric

# Each measure as a reader who has never seen a filing would put it: what is counted, and why it matters.
PLAIN_WORDS: dict[str, str] = {
    "order_1h_rate": (
        "When the police or another competent authority orders a platform to take terrorist content down, the law "
        "gives it one hour. This is the share of those orders where the content was removed, or made unreachable, "
        "within 60 minutes of the order arriving."),
    "notice_24h_rate": (
        "Users and trusted organisations (\u201ctrusted flaggers\u201d) report content to the platform. Of the "
        "reports the platform acted on, this is the share it acted on within 24 hours."),
    "median_hours_to_action": (
        "How long the platform typically took to act on anything reported to it or found by it: half of the "
        "items were dealt with faster than this, half slower."),
    "preservation_rate": (
        "Content that is removed may be needed as evidence in a prosecution, so it must be kept safely for at least "
        "six months. This is the share of removed content the platform kept."),
    "complaint_14d_rate": (
        "A person whose content was removed can complain. This is the share of complaints the platform decided "
        "within 14 days; a complaint still waiting counts as late."),
    "filing_on_time": (
        "Whether the platform sent its quarterly report by the deadline: the end of the 30th day after the "
        "quarter, UK time. A correction sent later does not make an on-time report late."),
    "proactive_share": (
        "The share of items the platform found itself, with its own staff or tools, rather than being told about."),
    "automated_decision_share": (
        "Of the items the platform acted on, the share decided by software alone, with no person reviewing it."),
    "reinstatement_rate": (
        "Of the complaints received, the share where the platform put the content back up."),
}


@dataclass(frozen=True)
class ExampleFigures:
    """What the example company reported for one measure, in words and as the engine's figures."""

    story: str
    figures: engine.Figures


# A platform of size tier B that had 100 removal orders and acted on 90 of them within the hour, and received no
# complaints: two core measures fail, one does not apply.
EXAMPLE_TIER = "B"
EXAMPLE: dict[str, ExampleFigures] = {
    "order_1h_rate": ExampleFigures("90 of its 100 removal orders were acted on within the hour",
                                    engine.Figures(90, 100, None)),
    "notice_24h_rate": ExampleFigures("376 of the 400 reports it acted on were dealt with within 24 hours",
                                      engine.Figures(376, 400, None)),
    "median_hours_to_action": ExampleFigures("half of its 500 items took longer than 30 hours",
                                             engine.Figures(None, 500, Decimal(30))),
    "preservation_rate": ExampleFigures("all 450 removed items were kept as evidence",
                                        engine.Figures(450, 450, None)),
    "complaint_14d_rate": ExampleFigures("it received no complaints", engine.Figures(0, 0, None)),
    "filing_on_time": ExampleFigures("it sent its report before the deadline", engine.Figures(1, 1, None)),
}


@dataclass(frozen=True)
class ExampleRow:
    metric: Metric
    story: str
    result: engine.Result


@dataclass(frozen=True)
class WorkedExample:
    tier: str
    rows: list[ExampleRow]  # the core measures, in the registry's order
    counted: list[ExampleRow]  # those that count in the score
    total_weight: Decimal
    score: Decimal | None
    compliant: bool | None
    failed: list[ExampleRow]


def worked_example(thresholds) -> WorkedExample | None:
    """The example company scored by the engine under ``thresholds`` (the rulebook in force); None without any."""
    rules = engine.rules_for(thresholds=thresholds, tier=EXAMPLE_TIER)
    if not rules:
        return None
    aggregates = engine.Aggregates(company_id=0, filing_id=0,
                                   figures={key: example.figures for key, example in EXAMPLE.items()})
    scored = engine.score(aggregates=aggregates, rules=rules)
    by_key = {result.metric: result for result in scored.results}
    rows = [ExampleRow(metric, EXAMPLE[metric.key].story, by_key[metric.key]) for metric in METRICS
            if metric.key in EXAMPLE and by_key[metric.key].rule is not None]
    counted_ids = {id(result) for result in engine.counted_in_score(row.result for row in rows)}
    counted = [row for row in rows if id(row.result) in counted_ids]
    return WorkedExample(
        tier=EXAMPLE_TIER, rows=rows, counted=counted,
        total_weight=sum((row.result.weight for row in counted), start=Decimal(0)),
        score=scored.score, compliant=scored.compliant,
        failed=[row for row in counted if row.result.passed is False],
    )
