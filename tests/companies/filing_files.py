"""Building takedown files for tests."""

from __future__ import annotations

import io
import json

from companies import filing_format as ff
from companies.ingest.generate import generate_rows
from companies.models import ReportingPeriod


def good_rows(period: ReportingPeriod, n: int = 20, seed: int = 7, prefix: str = "item") -> list[dict[str, str]]:
    """``n`` valid rows for ``period`` as dicts keyed by field name."""
    rows = generate_rows(rows=n, period_start=period.start, period_end=period.end, seed=seed, quality=0.9,
                         prefix=prefix)
    return [dict(zip(ff.FIELD_NAMES, row, strict=True)) for row in rows]


def csv_bytes(rows: list[dict[str, str]], *, header: list[str] | None = None, newline: str = "\n") -> bytes:
    header = header or list(ff.FIELD_NAMES)
    out = io.StringIO()
    import csv

    writer = csv.writer(out, lineterminator=newline)
    writer.writerow(header)
    for row in rows:
        writer.writerow([row.get(name, "") for name in header])
    return out.getvalue().encode()


def jsonl_bytes(rows: list[dict]) -> bytes:
    return "".join(json.dumps(row) + "\n" for row in rows).encode()
