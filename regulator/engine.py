"""The metric engine: every metric of every company in a period in one SQL pass, then the score.

``period_aggregates`` runs one statement over the item partition of the period (counts
by attribute, sums with FILTER, ``percentile_cont``); nothing item-level reaches Python.
``score`` turns one company's aggregates and the applicable thresholds into metric
results and a score with the arithmetic of DESIGN §4.1; it is pure, so tests can
check it against hand-worked examples and a reference implementation.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db import connection, transaction

from companies.deadlines import days_late_for
from companies.models import ReportingPeriod
from regulator.metrics import ACTIONED, BAND, ITEM_ATTRIBUTES, METRICS, METRICS_BY_KEY

HUNDRED = Decimal(100)


@dataclass
class Aggregates:
    """One company's raw figures for a period: (numerator, denominator, value) per metric."""

    company_id: int
    filing_id: int
    figures: dict[str, tuple[int | None, int | None, Decimal | None]] = field(default_factory=dict)
    buckets: dict[str, int] = field(default_factory=dict)
    days_late: int = 0


def _columns() -> tuple[list[str], list[str], list[tuple[str, str]]]:
    """The two passes' output columns: sums over the count cells, aggregates over the items.

    Returns (count expressions, item aggregate expressions, (metric, role) of each column in
    that order).
    """
    counts: list[str] = []
    values: list[str] = []
    count_roles: list[tuple[str, str]] = []
    value_roles: list[tuple[str, str]] = []
    for metric in METRICS:
        for role in ("numerator", "denominator"):
            condition = getattr(metric, role)
            if condition:
                counts.append(f"sum(n) FILTER (WHERE {condition}) AS c{len(counts)}")
                count_roles.append((metric.key, role))
        if metric.value:
            values.append(f"{metric.value} FILTER (WHERE {metric.denominator}) AS v{len(values)}")
            value_roles.append((metric.key, "value"))
    for name, band in BAND.items():
        counts.append(f"sum(n) FILTER (WHERE {ACTIONED} AND delay_band = {band}) AS c{len(counts)}")
        count_roles.append((name, "bucket"))
    return counts, values, count_roles + value_roles


def _statement(*, only_some: bool) -> tuple[str, list[tuple[str, str]]]:
    counts, values, roles = _columns()
    joined = ",\n                   ".join
    attributes = joined(f"{expression} AS {name}" for name, expression in ITEM_ATTRIBUTES.items())
    count_columns, value_columns = joined(counts), joined(values) or "NULL AS v0"
    group_by = ", ".join(str(n) for n in range(1, len(ITEM_ATTRIBUTES) + 2))
    value_items = " OR ".join(f"({m.denominator})" for m in METRICS if m.value) or "false"
    only = "AND f.company_id = ANY(%(companies)s)" if only_some else ""
    outputs = [f"counts.c{n}" for n in range(len(counts))] + [f"item_values.v{n}" for n in range(len(values))]
    sql = f"""
        WITH chosen AS NOT MATERIALIZED (
            SELECT DISTINCT ON (f.company_id) f.id AS filing_id, f.company_id
            FROM companies_filing f
            WHERE f.period_id = %(period)s AND f.status IN ('accepted', 'submitted') {only}
            ORDER BY f.company_id, (f.status = 'accepted') DESC, f.version DESC
        ),
        first_submission AS (
            SELECT company_id, min(submitted_at) AS first_at
            FROM companies_filing
            WHERE period_id = %(period)s AND submitted_at IS NOT NULL
            GROUP BY company_id
        ),
        cells AS (
            -- Pass 1: items counted by every combination of their attributes, per filing
            -- (hundreds of cells per filing, whatever the number of items).
            SELECT filing_id,
                   {attributes},
                   count(*) AS n
            FROM companies_takedownitem
            WHERE period_id = %(period)s AND filing_id IN (SELECT filing_id FROM chosen)
            GROUP BY {group_by}
        ),
        counts AS (
            SELECT filing_id,
                   {count_columns}
            FROM cells
            GROUP BY filing_id
        ),
        item_values AS (
            -- Pass 2: aggregates that need the items themselves (the median), over the items they read.
            SELECT filing_id,
                   {value_columns}
            FROM companies_takedownitem
            WHERE period_id = %(period)s AND filing_id IN (SELECT filing_id FROM chosen) AND ({value_items})
            GROUP BY filing_id
        )
        SELECT c.company_id, c.filing_id, s.first_at, {", ".join(outputs)}
        FROM chosen c
        JOIN first_submission s ON s.company_id = c.company_id
        -- A nil return has no items, so no counts and no values.
        LEFT JOIN counts ON counts.filing_id = c.filing_id
        LEFT JOIN item_values ON item_values.filing_id = c.filing_id
    """  # noqa: S608 (the fragments are constants of regulator/metrics.py)
    return sql, roles


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
    sql, roles = _statement(only_some=company_ids is not None)
    with transaction.atomic(), connection.cursor() as cursor, planner_settings(cursor):
        cursor.execute(sql, {"period": period.pk, "companies": company_ids})
        rows = cursor.fetchall()
    result: dict[int, Aggregates] = {}
    for company_id, filing_id, first_at, *values in rows:
        aggregates = Aggregates(company_id=company_id, filing_id=filing_id,
                                days_late=days_late_for(period=period, submitted_at=first_at))
        parts: dict[str, dict[str, object]] = {}
        for (key, role), value in zip(roles, values, strict=True):
            if value is None and role != "value":
                value = 0  # a nil return: every count is zero
            if role == "bucket":
                aggregates.buckets[key] = int(value)
            else:
                parts.setdefault(key, {})[role] = int(value) if role != "value" else value
        for key, part in parts.items():
            value = part.get("value")
            aggregates.figures[key] = (part.get("numerator"), part.get("denominator"),
                                       Decimal(repr(value)) if value is not None else None)
        on_time = 1 if aggregates.days_late == 0 else 0
        aggregates.figures["filing_on_time"] = (on_time, 1, None)
        result[company_id] = aggregates
    return result


@dataclass(frozen=True)
class Rule:
    """A threshold as the engine uses it (a snapshot of a Threshold row)."""

    metric: str
    comparator: str  # "gte" or "lte"
    value: Decimal
    weight: Decimal
    kind: str  # "core" or "info"


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
    """(passed, attainment) of one applicable value against its rule (DESIGN §4.1)."""
    if rule.comparator == "gte":
        passed = value >= rule.value
        ratio = Decimal(1) if passed or rule.value == 0 else value / rule.value
    else:
        passed = value <= rule.value
        ratio = Decimal(1) if passed else (rule.value / value if value else Decimal(1))
    return passed, min(Decimal(1), max(Decimal(0), ratio))


def total(results: list[Result]) -> tuple[Decimal | None, bool | None]:
    """Score and verdict over the applicable core results, weights renormalised."""
    core = [r for r in results if r.rule is not None and r.rule.kind == "core" and r.applicable]
    weights = sum((r.rule.weight for r in core), start=Decimal(0))
    if not core or weights == 0:
        return None, None
    weighted = sum((r.rule.weight * r.attainment for r in core), start=Decimal(0))
    return HUNDRED * weighted / weights, all(r.passed for r in core)


def score(*, aggregates: Aggregates, rules: dict[str, Rule],
          overrides: dict[str, Decimal] | None = None) -> Scored:
    """Apply DESIGN §4.1: attainment per applicable core metric, weights renormalised.

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


def rounded(score_value: Decimal | None) -> str:
    """Scores are shown to one decimal; comparisons use the unrounded value."""
    return "—" if score_value is None else f"{score_value.quantize(Decimal('0.1'))}"



