"""Loading validated rows into the partitioned item table with COPY, all or nothing.

The caller holds a transaction and a lock on the filing row. Rows stream from a
reader through the validator straight into ``COPY … FROM STDIN``; PostgreSQL
parses and indexes on the other core while Python validates the next rows. At the
first invalid row the COPY is abandoned (nothing of the file is kept) but
validation goes on to the end, so the report lists every error in one pass.
"""

from __future__ import annotations

import datetime as dt
import queue
from collections.abc import Callable, Iterable

from django.db import IntegrityError, connection, transaction
from psycopg.copy import QueuedLibpqWriter

from companies import item_table
from companies.ingest import columnar
from companies.ingest.validate import ErrorLog, FileProblem, RowChecker
from companies.models import Filing, ReportingPeriod
from core import calendar

CHUNK_BYTES = 64 * 1024  # COPY data is sent in chunks of about this size
PROGRESS_EVERY = 50_000  # rows between progress reports
QUEUED_CHUNKS = 64  # chunks of at most 128 KiB waiting for the COPY writer thread

ProgressFn = Callable[[int, int, int], None]  # rows validated, rows loaded, errors so far


class _QueuedWriter(QueuedLibpqWriter):
    """psycopg's COPY writer thread, with a short queue.

    Arrow validates the next batch with the GIL released while this thread sends the
    previous one, so PostgreSQL and the validator work at the same time. psycopg's
    default queue holds 1,024 chunks (up to 128 MiB); a short one keeps memory flat
    when PostgreSQL is the slower side.
    """

    def __init__(self, cursor) -> None:
        super().__init__(cursor)
        self._queue = queue.Queue(maxsize=QUEUED_CHUNKS)


class Rejected(Exception):
    """The rows had errors; the transaction must roll back. The ErrorLog holds the report."""


def period_bounds(period: ReportingPeriod) -> tuple[dt.datetime, dt.datetime]:
    """The period as a half-open range of aware datetimes in the regulator's time zone."""
    return calendar.local_range(period.start, period.end)


def copy_rows(
    *, filing: Filing, rows: Iterable[tuple[int, list[str]]], errors: ErrorLog, first_row_no: int,
    progress: ProgressFn | None = None, only_ids: list[str] | None = None,
) -> int:
    """Validate ``rows`` and COPY them into the filing's partition. Returns rows loaded.

    Raises ``Rejected`` when any row (or the file itself) had an error; the caller's
    transaction must then roll back. Then checks, in one query, that no external_id
    occurs twice in the filing (this file, or this file and an earlier load). A small
    load that knows its ids (an API batch) passes them as ``only_ids`` so the check
    reads those ids through the index instead of the whole filing.
    """
    start, end = period_bounds(filing.period)
    checker = RowChecker(filing_id=filing.pk, period_id=filing.period_id, company_id=filing.company_id,
                         period_start=start, period_end=end, errors=errors)
    check = checker.check
    loaded = 0
    validated = 0
    next_report = PROGRESS_EVERY
    with connection.cursor() as cursor:
        raw = cursor.cursor  # psycopg's own cursor, for COPY
        copying = True
        with raw.copy(item_table.COPY_STATEMENT) as copy:
            buffer: list[str] = []
            size = 0
            for row, values in rows:
                validated += 1
                line = check(values, row, first_row_no + row - 1)
                if line is not None and copying:
                    buffer.append(line)
                    size += len(line)
                    if size >= CHUNK_BYTES:
                        copy.write("".join(buffer))
                        loaded += len(buffer)
                        buffer.clear()
                        size = 0
                elif line is None and copying:
                    copying = False  # keep validating; nothing more is sent
                    buffer.clear()
                if progress is not None and validated >= next_report:
                    progress(validated, loaded, errors.count)
                    next_report += PROGRESS_EVERY
            if errors.count or errors.fatal:
                # Leaving the block with an exception makes psycopg send COPY FAIL.
                raise Rejected
            if buffer:
                copy.write("".join(buffer))
                loaded += len(buffer)
        if progress is not None:
            progress(validated, loaded, errors.count)
        _check_duplicates(cursor, filing=filing, first_row_no=first_row_no, errors=errors, only_ids=only_ids)
    if errors.count:
        raise Rejected
    return loaded


def copy_csv_columnar(
    *, filing: Filing, binary, errors: ErrorLog, first_row_no: int, progress: ProgressFn | None = None,
) -> tuple[int, int]:
    """Validate a CSV file with Arrow, batch by batch, and COPY its rows. Returns (validated, loaded).

    The same contract as ``copy_rows``: raises ``Rejected`` after any error, ``FileProblem``
    for an unusable header, and ``columnar.Unreadable`` when Arrow cannot parse the file
    (the caller then falls back to ``copy_rows``, which reports where it breaks).
    """
    if columnar.has_quotes(binary):
        raise columnar.Unreadable("quoted fields are read row by row")
    header = columnar.read_header(binary)
    start, end = period_bounds(filing.period)
    checker = RowChecker(filing_id=filing.pk, period_id=filing.period_id, company_id=filing.company_id,
                         period_start=start, period_end=end, errors=errors)
    batch_checker = columnar.BatchChecker(checker, period_start=start, period_end=end)
    with connection.cursor() as cursor:
        with cursor.cursor.copy(item_table.COPY_STATEMENT, writer=_QueuedWriter(cursor.cursor)) as copy:
            validated, loaded = columnar.validate_batches(
                reader=columnar.csv_batches(binary, header), batch_checker=batch_checker, errors=errors,
                first_row_no=first_row_no, write=copy.write, progress=progress, every=PROGRESS_EVERY,
            )
            if errors.count or errors.fatal:
                raise Rejected
        if validated == 0:
            raise FileProblem("The file has a header but no rows. If you had nothing to report, file a nil return.")
        _check_duplicates(cursor, filing=filing, first_row_no=first_row_no, errors=errors, only_ids=None)
    if errors.count:
        raise Rejected
    return validated, loaded


def _check_duplicates(cursor, *, filing: Filing, first_row_no: int, errors: ErrorLog,
                      only_ids: list[str] | None) -> None:
    """Report every repeated external_id of the filing; cheap when there is none.

    The primary key is deferred, so PostgreSQL has already noted every row that might
    clash; SET CONSTRAINTS … IMMEDIATE rechecks just those, which costs nothing when the
    load has no duplicate. Only when it finds one is the filing grouped by external_id
    to list them all.
    """
    try:
        with transaction.atomic():
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        return
    except IntegrityError:
        pass
    repeats = item_table.duplicates(cursor, filing=filing, only_ids=only_ids, limit=errors.cap,
                                    first_row_no=first_row_no)
    listed = earlier = 0
    for duplicate in repeats.listed:
        external_id, first = duplicate.external_id, duplicate.row_nos[0]
        for row_no in duplicate.row_nos[1:]:
            row = row_no - first_row_no + 1
            if first >= first_row_no:
                message = f"repeats the external_id of row {first - first_row_no + 1} of this file"
            else:
                message = f"is already in this filing (item {first}, loaded earlier)"
                earlier += 1
            errors.add(row, "external_id", external_id, message)
            listed += 1
    # Repeats beyond the listed ids are counted too, by kind, so the totals stay true.
    if repeats.of_earlier_loads > earlier:
        errors.count_more("external_id", "is already in this filing (item 1, loaded earlier)",
                          repeats.of_earlier_loads - earlier)
    if repeats.total - repeats.of_earlier_loads > listed - earlier:
        errors.count_more("external_id", "repeats the external_id of row 1 of this file",
                          repeats.total - repeats.of_earlier_loads - (listed - earlier))
