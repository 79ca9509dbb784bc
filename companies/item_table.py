"""The item table (``companies_takedownitem``): every SQL statement that reads or writes it lives here.

The table is LIST-partitioned by period and has one index, its deferrable primary key
(filing_id, external_id, period_id); every statement below names ``filing_id`` and
``period_id`` so that it reads one partition through that index (docs/DECISIONS.md §5).
Django only reads the table through these statements; the loader writes it with COPY.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection

from companies import filing_format as ff
from companies.choices import FilingStatus
from companies.models import Filing

TABLE = "companies_takedownitem"
COPY_STATEMENT = f"COPY {TABLE} ({', '.join(ff.ITEM_COLUMNS)}) FROM STDIN"


def existing_items(*, filing: Filing, external_ids: list[str]) -> dict[str, int]:
    """external_id → item number, for the given ids already in the filing (one index lookup)."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT external_id, row_no FROM {TABLE} "  # noqa: S608 (a constant)
            "WHERE filing_id = %s AND period_id = %s AND external_id = ANY(%s)",
            [filing.pk, filing.period_id, external_ids],
        )
        return dict(cursor.fetchall())


def filing_totals(*, filing: Filing) -> dict[str, dict[str, int]]:
    """Counts by source, action and category (by their labels) in one grouped pass over the filing's items."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            SELECT source_type, action, category, count(*)
            FROM {TABLE} WHERE filing_id = %s AND period_id = %s
            GROUP BY GROUPING SETS ((source_type), (action), (category))
            """,  # noqa: S608 (a constant)
            [filing.pk, filing.period_id],
        )
        rows = cursor.fetchall()
    totals: dict[str, dict[str, int]] = {"source_type": {}, "action": {}, "category": {}}
    names = {"source_type": ff.labels(ff.SOURCE_TYPES), "action": ff.labels(ff.ACTIONS),
             "category": ff.labels(ff.CATEGORIES)}
    for source, action, category, count in rows:
        for key, code in (("source_type", source), ("action", action), ("category", category)):
            if code is not None:
                totals[key][names[key][code]] = count
    return totals


@dataclass(frozen=True)
class Duplicate:
    """An external_id that occurs more than once in a filing, with the item numbers it has."""

    external_id: str
    row_nos: list[int]


@dataclass(frozen=True)
class Repeats:
    """The repeated external_ids of a filing: the first few, and how many repeated rows there are in all, of
    which how many repeat an item loaded before the current load (``first_row_no``)."""

    listed: list[Duplicate]
    total: int
    of_earlier_loads: int


def duplicates(cursor, *, filing: Filing, only_ids: list[str] | None, limit: int, first_row_no: int) -> Repeats:
    """The first ``limit`` repeated external_ids of the filing (ordered by their second occurrence) and the
    counts of ``Repeats``. ``only_ids`` narrows the search to ids a small load knows."""
    narrow = "AND external_id = ANY(%s)" if only_ids is not None else ""
    params = [first_row_no, filing.pk, filing.period_id] + ([only_ids] if only_ids is not None else []) + [limit]
    cursor.execute(
        f"""
        SELECT external_id, row_nos, sum(cardinality(row_nos) - 1) OVER (),
               coalesce(sum(cardinality(row_nos) - 1) FILTER (WHERE row_nos[1] < %s) OVER (), 0)
        FROM (
            SELECT external_id, array_agg(row_no ORDER BY row_no) AS row_nos
            FROM {TABLE}
            WHERE filing_id = %s AND period_id = %s {narrow}
            GROUP BY external_id
            HAVING count(*) > 1
        ) duplicates
        ORDER BY row_nos[2]
        LIMIT %s
        """,  # noqa: S608 (no user text: the fragments are constants)
        params,
    )
    found = cursor.fetchall()
    return Repeats(listed=[Duplicate(external_id=external_id, row_nos=row_nos) for external_id, row_nos, _, _ in found],
                   total=int(found[0][2]) if found else 0, of_earlier_loads=int(found[0][3]) if found else 0)


# Which filing of a company is scored for a period: its accepted version, else its latest submitted one.
SCORED_STATUSES = (FilingStatus.ACCEPTED, FilingStatus.SUBMITTED)


def period_aggregates_statement(*, attributes: dict[str, str], counts: list[str], values: list[str],
                                value_items: str, only_some: bool) -> str:
    """The scoring statement over one period's items (docs/DECISIONS.md §10).

    Pass 1 counts the chosen filings' items by every combination of ``attributes`` (name → SQL
    expression over an item), then ``counts`` (aggregates over those cells' ``n``) are summed per
    filing. Pass 2 computes ``values`` (aggregates over the items themselves, such as a median) over
    the items ``value_items`` selects. The fragments are constants of the metric registry. Parameters:
    ``period``, ``statuses`` and, when ``only_some``, ``companies``. Each row: company_id, filing_id,
    the first submission time, then the ``counts`` columns c0… and the ``values`` columns v0….
    """
    joined = ",\n                   ".join
    attribute_columns = joined(f"{expression} AS {name}" for name, expression in attributes.items())
    count_columns, value_columns = joined(counts), joined(values) or "NULL AS v0"
    group_by = ", ".join(str(n) for n in range(1, len(attributes) + 2))
    only = "AND f.company_id = ANY(%(companies)s)" if only_some else ""
    outputs = [f"counts.c{n}" for n in range(len(counts))] + [f"item_values.v{n}" for n in range(len(values))]
    return f"""
        WITH chosen AS NOT MATERIALIZED (
            SELECT DISTINCT ON (f.company_id) f.id AS filing_id, f.company_id
            FROM companies_filing f
            WHERE f.period_id = %(period)s AND f.status = ANY(%(statuses)s) {only}
            ORDER BY f.company_id, (f.status = %(accepted)s) DESC, f.version DESC
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
                   {attribute_columns},
                   count(*) AS n
            FROM {TABLE}
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
            FROM {TABLE}
            WHERE period_id = %(period)s AND filing_id IN (SELECT filing_id FROM chosen) AND ({value_items})
            GROUP BY filing_id
        )
        SELECT c.company_id, c.filing_id, s.first_at, {", ".join(outputs)}
        FROM chosen c
        JOIN first_submission s ON s.company_id = c.company_id
        -- A nil return has no items, so no counts and no values.
        LEFT JOIN counts ON counts.filing_id = c.filing_id
        LEFT JOIN item_values ON item_values.filing_id = c.filing_id
    """  # noqa: S608 (the fragments are constants of the metric registry)


def period_aggregates_params(*, period_id: int, company_ids: list[int] | None) -> dict:
    """The parameters of ``period_aggregates_statement``."""
    return {"period": period_id, "companies": company_ids, "statuses": [str(s) for s in SCORED_STATUSES],
            "accepted": str(FilingStatus.ACCEPTED)}
