"""Ingestion benchmark (issue: quarterly filings).

Measures, on the same generated rows and the same partitioned, indexed item table:
- the portal's end-to-end upload processing (stream, validate, COPY, duplicate check, commit),
  in a fresh child process per size so its peak RSS is its own (1M and 3M rows);
- a raw COPY of the already-validated rows (the physical limit for that table);
- Django's bulk_create of the same rows (on the first 20,000 rows; it is slow).

Prints one JSON line. Rows live in a bench-only period partition that is truncated afterwards.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import resource
import shutil
import subprocess
import sys
import time

from bench.setup import CACHE, django_setup

ROWS = int(os.environ.get("BENCH_INGEST_ROWS", "1000000"))
BIG_ROWS = int(os.environ.get("BENCH_INGEST_BIG_ROWS", str(3 * ROWS)))
BULK_CREATE_ROWS = min(ROWS, 20_000)  # bulk_create is slow; its rate does not depend on the count
PERIOD = (2000, 1)  # a quarter no real filing uses: its partition is the bench's scratch space


def _fixtures():
    from companies.models import Company, ReportingPeriod
    from core import calendar
    from tests.companies.factories import CompanyFactory

    company = Company.objects.filter(slug="bench-ingest").first() or CompanyFactory(
        slug="bench-ingest", legal_name="Bench Ingest Ltd", registration_number="BENCH-INGEST")
    start, end = calendar.quarter_bounds(*PERIOD)
    period, _ = ReportingPeriod.objects.get_or_create(
        year=PERIOD[0], quarter=PERIOD[1],
        defaults={"code": f"{PERIOD[0]}-Q{PERIOD[1]}", "start": start, "end": end,
                  "due_date": end + dt.timedelta(days=30)},
    )
    return company, period


def _new_filing(company, period):
    from django.db.models import Max

    from companies.models import Filing

    Filing.objects.filter(company=company, period=period, status="draft").update(status="abandoned")
    last = Filing.objects.filter(company=company, period=period).aggregate(m=Max("version"))["m"] or 0
    return Filing.objects.create(company=company, period=period, version=last + 1,
                                 correction_reason="benchmark" if last else "")


def _csv_path(rows: int, period) -> str:
    from companies.ingest.generate import generate_rows, write_csv

    CACHE.mkdir(parents=True, exist_ok=True)
    path = CACHE / f"ingest_{rows}.csv"
    if not path.exists():
        tmp = path.with_suffix(".tmp")
        with open(tmp, "w", encoding="utf-8", newline="") as out:
            write_csv(out, generate_rows(rows=rows, period_start=period.start, period_end=period.end, seed=42,
                                         quality=0.8, prefix="bench"))
        tmp.rename(path)
    return str(path)


def _truncate(period) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE companies_takedownitem_p{int(period.pk)}")


def child(rows: int) -> None:
    """One end-to-end upload processing run; prints its timing and peak RSS."""
    django_setup()
    from companies.models import FilingUpload
    from companies.services.uploads import upload_process

    company, period = _fixtures()
    path = _csv_path(rows, period)
    filing = _new_filing(company, period)
    # The file is copied into storage by the kernel (no reading into this process), so the
    # peak RSS measured below is the processing's own.
    from django.core.files.storage import default_storage

    name = f"filings/bench-{filing.pk}.csv"
    os.makedirs(os.path.dirname(default_storage.path(name)), exist_ok=True)
    shutil.copyfile(path, default_storage.path(name))
    upload = FilingUpload.objects.create(filing=filing, format="csv", original_name=os.path.basename(path),
                                         file=name)
    before_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    result = upload_process(upload_id=upload.pk)
    seconds = time.perf_counter() - started
    assert result.status == "loaded", result.errors[:5]
    upload.file.delete(save=False)
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"rows": result.rows_loaded, "seconds": seconds, "peak_rss_mb": round(peak_kb / 1024, 1),
                      "rss_before_mb": round(before_kb / 1024, 1)}))


def _run_child(rows: int) -> dict:
    completed = subprocess.run([sys.executable, "-m", "bench.ingest", "--child", str(rows)],
                               capture_output=True, text=True, check=True)
    return json.loads([line for line in completed.stdout.splitlines() if line.startswith("{")][-1])


def raw_copy(company, period, rows: int) -> float:
    """COPY of the validated rows into the same table; returns rows per second."""
    from django.db import connection, transaction

    from companies import filing_format as ff
    from companies.ingest.load import period_bounds
    from companies.ingest.validate import ErrorLog, RowChecker, csv_rows

    filing = _new_filing(company, period)
    start, end = period_bounds(period)
    checker = RowChecker(filing_id=filing.pk, period_id=period.pk, company_id=company.pk, period_start=start,
                         period_end=end, errors=ErrorLog())
    copy_text = CACHE / f"ingest_{rows}.copy"
    with open(_csv_path(rows, period), "rb") as source, open(copy_text, "w") as out:
        for row, values in csv_rows(source, ErrorLog()):
            out.write(checker.check(values, row, row))
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor, open(copy_text, "rb") as data:
        columns = ", ".join(ff.ITEM_COLUMNS)
        with cursor.cursor.copy(f"COPY companies_takedownitem ({columns}) FROM STDIN") as copy:
            while chunk := data.read(1 << 20):
                copy.write(chunk)
    seconds = time.perf_counter() - started
    copy_text.unlink()
    return rows / seconds


def bulk_create(company, period, rows: int) -> float:
    """Django's bulk_create of the same rows (batches of 1,000); returns rows per second."""
    import datetime as dt

    from django.db import transaction

    from companies import filing_format as ff
    from companies.ingest.load import period_bounds
    from companies.ingest.validate import ErrorLog, RowChecker, csv_rows
    from companies.models import TakedownItem

    filing = _new_filing(company, period)
    start, end = period_bounds(period)
    checker = RowChecker(filing_id=filing.pk, period_id=period.pk, company_id=company.pk, period_start=start,
                         period_end=end, errors=ErrorLog())
    names = ff.ITEM_COLUMNS
    ints = {"period_id", "filing_id", "company_id", "row_no", "source_type", "category", "content_type", "action",
            "decision_ground", "automated_decision", "appeal_outcome"}
    times = {"received_at", "actioned_at", "appeal_received_at", "appeal_decided_at"}
    bools = {"automated_detection", "preserved", "law_enforcement_notified", "reinstated"}
    items = []
    with open(_csv_path(ROWS, period), "rb") as source:
        for row, values in csv_rows(source, ErrorLog()):
            if row > rows:
                break
            fields = {}
            for name, text in zip(names, checker.check(values, row, row).rstrip("\n").split("\t"), strict=True):
                if text == "\\N":
                    fields[name] = None
                elif name in ints:
                    fields[name] = int(text)
                elif name in times:
                    fields[name] = dt.datetime.fromisoformat(text)
                elif name in bools:
                    fields[name] = text == "t"
                elif name == "preserved_until":
                    fields[name] = dt.date.fromisoformat(text)
                elif name == "content_sha256":
                    fields[name] = bytes.fromhex(text[3:])
                else:
                    fields[name] = text
            items.append(TakedownItem(**fields))
    started = time.perf_counter()
    with transaction.atomic():
        TakedownItem.objects.bulk_create(items, batch_size=1_000)
    return rows / (time.perf_counter() - started)


def main() -> None:
    django_setup()
    company, period = _fixtures()
    _csv_path(ROWS, period)
    _csv_path(BIG_ROWS, period)
    _truncate(period)
    try:
        small = _run_child(ROWS)
        raw = raw_copy(company, period, ROWS)
        orm = bulk_create(company, period, BULK_CREATE_ROWS)
        _truncate(period)
        big = _run_child(BIG_ROWS)
    finally:
        _truncate(period)
    rate = small["rows"] / small["seconds"]
    print(json.dumps({
        "bench": "ingest",
        "rows": small["rows"],
        "seconds": round(small["seconds"], 2),
        "rows_per_s": round(rate),
        "raw_copy_rows_per_s": round(raw),
        "ratio_vs_copy": round(rate / raw, 3),
        "bulk_create_rows_per_s": round(orm),
        "bulk_create_rows": BULK_CREATE_ROWS,
        "ratio_vs_bulk_create": round(rate / orm, 2),
        "peak_rss_mb": small["peak_rss_mb"],
        "big_rows": big["rows"],
        "big_rows_per_s": round(big["rows"] / big["seconds"]),
        "big_peak_rss_mb": big["peak_rss_mb"],
        "rss_growth": round(big["peak_rss_mb"] / small["peak_rss_mb"] - 1, 3),
        "children": [small, big],
    }))


if __name__ == "__main__":
    if sys.argv[1:2] == ["--child"]:
        child(int(sys.argv[2]))
    else:
        main()
