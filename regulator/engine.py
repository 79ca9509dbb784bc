"""The metric engine: every metric of every company in a period in one SQL pass, then the score.

``period_aggregates`` runs one statement over the item partition of the period (counts
by attribute, sums with FILTER, ``percentile_cont``); nothing item-level reaches Python.
``score`` turns one company's aggregates and the applicable thresholds into metric
results and a score with the arithmetic of docs/DESIGN.md §4.1; it is pure, so tests can
check it against hand-worked examples and a reference implementation.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from typing import NamedTuple, Protocol, TypeVar

from django.conf import settings
from django.db import connection, transaction

from companies import item_table
from companies.deadlines import days_late_for
from companies.models import Company, ReportingPeriod
from regulator.choices import Comparator, MetricKind
from regulator.metrics import ACTIONED, BAND, ITEM_ATTRIBUTES, METRICS, METRICS_BY_KEY

HUNDRED = Decimal(100)


class ResultLike(Protocol):
    """What ``counted_in_score`` reads of a result: an engine Result or a stored MetricResult."""

    kind: str
    applicable: bool
    weight: Decimal | None


class Figures(NamedTuple):
    """A metric's raw figures: the counts above and below the line, or a value computed directly (a median)."""

    numerator: int | None
    denominator: int | None
    value: Decimal | None


@dataclass
class Aggregates:
    """One company's raw figures for a period, by metric."""

    company_id: int
    filing_id: int
    figures: dict[str, Figures] = field(default_factory=dict)
    buckets: dict[str, int] = field(default_factory=dict)
    days_late: int = 0


@dataclass(frozen=True)
class Column:
    """What one output column of the scoring statement holds: a metric's numerator, denominator or value, or a
    delay bucket's count."""

    key: str  # a metric key, or a delay bucket's name
    role: str  # "numerator", "denominator", "value" or "bucket"


def _statement(*, only_some: bool) -> tuple[str, list[Column]]:
    """The scoring statement (companies/item_table.py) with the registry's fragments, and what each of its
    output columns holds, in order."""
    counts: list[str] = []
    values: list[str] = []
    count_columns: list[Column] = []
    value_columns: list[Column] = []
    for metric in METRICS:
        for role in ("numerator", "denominator"):
            condition = getattr(metric, role)
            if condition:
                counts.append(f"sum(n) FILTER (WHERE {condition}) AS c{len(counts)}")
                count_columns.append(Column(metric.key, role))
        if metric.value:
            values.append(f"{metric.value} FILTER (WHERE {metric.denominator}) AS v{len(values)}")
            value_columns.append(Column(metric.key, "value"))
    for name, band in BAND.items():
        counts.append(f"sum(n) FILTER (WHERE {ACTIONED} AND delay_band = {band}) AS c{len(counts)}")
        count_columns.append(Column(name, "bucket"))
    value_items = " OR ".join(f"({m.denominator})" for m in METRICS if m.value) or "false"
    sql = item_table.period_aggregates_statement(attributes=ITEM_ATTRIBUTES, counts=counts, values=values,
                                                 value_items=value_items, only_some=only_some)
    return sql, count_columns + value_columns


PLANNER_SETTINGS = ("work_mem", "parallel_setup_cost", "parallel_tuple_cost")


@contextmanager
def planner_settings(cursor) -> Iterator[None]:
    """Settings that let the scoring statement use the machine, for that statement only.

    The sort for the medians fits in memory instead of spilling to disk, and both passes
    over the items run in parallel workers: with default costs the planner keeps them in one
    process, about 1.4× slower on 10M items (docs/BENCHMARKS.md, scoring). Call inside a
    transaction; the previous values come back afterwards, so the rest of the transaction
    plans as usual. The caller's statement must run in a savepoint or transaction of its own.
    """
    cursor.execute("SELECT " + ", ".join(f"current_setting('{name}')" for name in PLANNER_SETTINGS))
    before = cursor.fetchone()
    _set_local(cursor, (settings.PORTAL_SCORING_WORK_MEM, "0", "0.001"))
    yield
    # Only on success: after an error the transaction is aborted, and rolling back the
    # savepoint or the transaction undoes these transaction-local settings anyway.
    _set_local(cursor, before)


def _set_local(cursor, values) -> None:
    """All the planner settings in one round trip, for the rest of the transaction."""
    cursor.execute("SELECT " + ", ".join("set_config(%s, %s, true)" for _ in PLANNER_SETTINGS),
                   [part for pair in zip(PLANNER_SETTINGS, values, strict=True) for part in pair])


def period_aggregates(*, period: ReportingPeriod, company_ids: list[int] | None = None) -> dict[int, Aggregates]:
    """Aggregates of every company with a submitted filing for the period, in one statement.

    Each company's filing is its accepted version, else its latest submitted one. The
    statement reads the period's items twice: once to count them by their attributes
    (a parallel hash aggregate), once for the medians (a sort per filing); every metric's
    numerator and denominator is then a sum over a few hundred counts per filing.
    """
    sql, columns = _statement(only_some=company_ids is not None)
    with transaction.atomic(), connection.cursor() as cursor, planner_settings(cursor):
        cursor.execute(sql, item_table.period_aggregates_params(period_id=period.pk, company_ids=company_ids))
        rows = cursor.fetchall()
    # Lateness counts only for a period the company was expected to file (registered by its end).
    expected = set(Company.objects.filter(pk__in=[row[0] for row in rows]).expected_to_file(period)
                   .values_list("pk", flat=True))
    result: dict[int, Aggregates] = {}
    for company_id, filing_id, first_at, *values in rows:
        aggregates = Aggregates(company_id=company_id, filing_id=filing_id,
                                days_late=days_late_for(period=period, submitted_at=first_at))
        parts: dict[str, dict[str, object]] = {}
        for column, value in zip(columns, values, strict=True):
            if value is None and column.role != "value":
                value = 0  # a nil return: every count is zero
            if column.role == "bucket":
                aggregates.buckets[column.key] = int(value)
            else:
                parts.setdefault(column.key, {})[column.role] = int(value) if column.role != "value" else value
        for key, part in parts.items():
            value = part.get("value")
            aggregates.figures[key] = Figures(part.get("numerator"), part.get("denominator"),
                                              Decimal(repr(value)) if value is not None else None)
        if company_id in expected:
            aggregates.figures["filing_on_time"] = Figures(1 if aggregates.days_late == 0 else 0, 1, None)
        else:
            aggregates.figures["filing_on_time"] = Figures(0, 0, None)  # not applicable: nothing was due
        result[company_id] = aggregates
    return result


@dataclass(frozen=True)
class Rule:
    """A threshold as the engine uses it (a snapshot of a Threshold row)."""

    metric: str
    comparator: str  # Comparator
    value: Decimal
    weight: Decimal
    kind: str  # MetricKind


@dataclass
class Result:
    metric: str
    kind: str
    value: Decimal | None
    numerator: int | None
    denominator: int | None
    rule: Rule | None
    applicable: bool
    passed: bool | None
    attainment: Decimal | None

    @property
    def weight(self) -> Decimal | None:
        return self.rule.weight if self.rule is not None else None


@dataclass
class Scored:
    results: list[Result]
    score: Decimal | None  # unrounded, 0–100; None when no core metric applies
    compliant: bool | None


def metric_value(key: str, numerator: int | None, denominator: int | None, value: Decimal | None) -> Decimal | None:
    """The metric's value, or None when it is not applicable (a zero denominator)."""
    if not denominator:
        return None
    if value is not None:
        return value
    return Decimal(numerator or 0) / Decimal(denominator)


def judge(value: Decimal, rule: Rule) -> tuple[bool, Decimal]:
    """(passed, attainment) of one applicable value against its rule (docs/DESIGN.md §4.1)."""
    if rule.comparator == Comparator.AT_LEAST:
        passed = value >= rule.value
        ratio = Decimal(1) if passed or rule.value == 0 else value / rule.value
    else:
        passed = value <= rule.value
        ratio = Decimal(1) if passed else (rule.value / value if value else Decimal(1))
    return passed, min(Decimal(1), max(Decimal(0), ratio))


R = TypeVar("R", bound=ResultLike)


def counted_in_score(results: Iterable[R]) -> list[R]:
    """The results a score is made of: core metrics that apply and have a weight (engine results or stored
    MetricResult rows alike). Pages, the PDF and ``total`` all read this."""
    return [r for r in results if r.kind == MetricKind.CORE and r.applicable and r.weight is not None]


def total(results: list[Result]) -> tuple[Decimal | None, bool | None]:
    """Score and verdict over the applicable core results, weights renormalised."""
    core = counted_in_score(results)
    weights = sum((r.weight for r in core), start=Decimal(0))
    if not core or weights == 0:
        return None, None
    weighted = sum((r.weight * r.attainment for r in core), start=Decimal(0))
    return HUNDRED * weighted / weights, all(r.passed for r in core)


def score(*, aggregates: Aggregates, rules: dict[str, Rule],
          overrides: dict[str, Decimal] | None = None) -> Scored:
    """Apply docs/DESIGN.md §4.1: attainment per applicable core metric, weights renormalised.

    ``overrides`` replaces computed values (an analyst's override, once justified).
    """
    results: list[Result] = []
    for metric in METRICS:
        numerator, denominator, raw = aggregates.figures.get(metric.key, (None, None, None))
        value = metric_value(metric.key, numerator, denominator, raw)
        if overrides and metric.key in overrides:
            value = overrides[metric.key]
        rule = rules.get(metric.key)
        applicable = value is not None
        passed = attainment = None
        if applicable and rule is not None:
            passed, attainment = judge(value, rule)
        results.append(Result(metric=metric.key, kind=rule.kind if rule else metric.kind, value=value,
                              numerator=numerator, denominator=denominator, rule=rule, applicable=applicable,
                              passed=passed, attainment=attainment))
    score_value, compliant = total(results)
    return Scored(results=results, score=score_value, compliant=compliant)


def rules_for(*, thresholds, tier: str) -> dict[str, Rule]:
    """The thresholds of a rulebook that apply to a size tier, by metric."""
    rules: dict[str, Rule] = {}
    for threshold in thresholds:
        if tier in threshold.tiers and threshold.metric in METRICS_BY_KEY:
            rules[threshold.metric] = Rule(metric=threshold.metric, comparator=threshold.comparator,
                                           value=threshold.value, weight=threshold.weight, kind=threshold.kind)
    return rules
