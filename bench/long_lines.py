"""Memory of rejecting a file with one runaway line, against loading a normal file of the same size.

Each run is a fresh child process (its peak RSS is its own) that processes one stored upload end to end, as the
worker does: the 20 MB line is refused by its field (external_id) and the normal file is loaded. Prints one JSON
line. Rows go to the ingestion benchmark's scratch period, truncated afterwards.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time

from bench.ingest import _fixtures, _new_filing, _truncate
from bench.setup import CACHE, django_setup

LINE_CHARS = int(os.environ.get("BENCH_LONG_LINE_CHARS", "20000000"))


def _files(period) -> dict[str, str]:
    from companies import filing_format as ff
    from companies.ingest.generate import generate_rows, write_csv

    CACHE.mkdir(parents=True, exist_ok=True)
    long_path, normal_path = CACHE / f"long_line_{LINE_CHARS}.csv", CACHE / f"long_line_{LINE_CHARS}_normal.csv"
    if not long_path.exists():
        rows = list(generate_rows(rows=3, period_start=period.start, period_end=period.end, seed=5, prefix="long"))
        rows[1][0] = "x" * LINE_CHARS
        with open(long_path, "w", encoding="utf-8", newline="") as out:
            write_csv(out, iter(rows))
    if not normal_path.exists():
        size = long_path.stat().st_size
        with open(normal_path, "w", encoding="utf-8", newline="") as out:
            out.write(",".join(ff.FIELD_NAMES) + "\n")
            for row in generate_rows(rows=size // 150, period_start=period.start, period_end=period.end, seed=6,
                                     prefix="normal"):
                if out.tell() >= size:
                    break
                out.write(",".join(row) + "\n")
    return {"long_line": str(long_path), "normal": str(normal_path)}


def _peak_rss_mb() -> float:
    """This process's own peak RSS (VmHWM). Not getrusage's ru_maxrss: Linux carries that over from the parent
    through fork and exec, so a parent that generated a big file would show in the child's figure."""
    with open("/proc/self/status") as status:
        line = next(line for line in status if line.startswith("VmHWM:"))
    return round(int(line.split()[1]) / 1024, 1)


def child(kind: str) -> None:
    django_setup()
    from django.core.files.storage import default_storage

    from companies.models import FilingUpload
    from companies.services.uploads import upload_process

    company, period = _fixtures()
    path = _files(period)[kind]
    filing = _new_filing(company, period)
    name = f"filings/bench-long-{filing.pk}.csv"
    os.makedirs(os.path.dirname(default_storage.path(name)), exist_ok=True)
    shutil.copyfile(path, default_storage.path(name))
    upload = FilingUpload.objects.create(filing=filing, format="csv", original_name=os.path.basename(path), file=name)
    before_mb = _peak_rss_mb()
    started = time.perf_counter()
    result = upload_process(upload_id=upload.pk)
    seconds = time.perf_counter() - started
    upload.file.delete(save=False)
    peak_mb = _peak_rss_mb()
    print(json.dumps({"kind": kind, "bytes": os.path.getsize(path), "status": result.status,
                      "rows_loaded": result.rows_loaded, "first_error": result.errors[:1], "seconds": round(seconds, 2),
                      "peak_rss_mb": peak_mb, "rss_before_mb": before_mb,
                      "growth_mb": round(peak_mb - before_mb, 1)}))


def _run_child(kind: str) -> dict:
    completed = subprocess.run([sys.executable, "-m", "bench.long_lines", "--child", kind],
                               capture_output=True, text=True, check=True)
    return json.loads([line for line in completed.stdout.splitlines() if line.startswith("{")][-1])


def main() -> None:
    django_setup()
    _company, period = _fixtures()
    _files(period)
    try:
        long_line = _run_child("long_line")
        normal = _run_child("normal")
    finally:
        _truncate(period)
    print(json.dumps({"bench": "long_lines", "long_line": long_line, "normal": normal,
                      "rss_ratio": round(long_line["peak_rss_mb"] / normal["peak_rss_mb"], 2)}))


if __name__ == "__main__":
    if sys.argv[1:2] == ["--child"]:
        child(sys.argv[2])
    else:
        main()
