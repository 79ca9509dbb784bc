"""API batch benchmark (issue: platform-integration API).

Target: a 1,000-item batch is answered in ≤ 300 ms, median over 50 requests.

Posts 50 batches of 1,000 generated items, one after another, to
``POST /api/v1/filings/{id}/items/`` with an API key, through Django's test client:
the whole server path (middleware, key check, throttle, JSON parsing, validation,
the existing-id lookup, COPY, the duplicate check, the audit event, rendering) but
no network or WSGI server. The filing grows to 50,000 items as it goes, so later
batches also pay for a larger duplicate check.

Everything (company, officer, key, period, filing, items, audit events) is made
inside one transaction that is rolled back at the end, so nothing is left behind;
the audit log refuses deletes, so this is the only clean way. Each request runs in a
savepoint rather than its own transaction, so a real request's commit (one WAL flush,
a few milliseconds) is not in the figures.

Prints one JSON line.
"""

from __future__ import annotations

import json
import os
import statistics
import time
import uuid

from bench.setup import django_setup

REQUESTS = int(os.environ.get("BENCH_API_REQUESTS", "50"))
ITEMS = 1_000
BUDGET_MS = 300
PERIOD = (2000, 2)  # a quarter no real filing uses


class _Rollback(Exception):
    """Raised to leave the benchmark's transaction without committing."""


def _period():
    import datetime as dt

    from companies.models import ReportingPeriod
    from core import calendar

    start, end = calendar.quarter_bounds(*PERIOD)
    period, _ = ReportingPeriod.objects.get_or_create(
        year=PERIOD[0], quarter=PERIOD[1],
        defaults={"code": f"{PERIOD[0]}-Q{PERIOD[1]}", "start": start, "end": end,
                  "due_date": end + dt.timedelta(days=30)},
    )
    return period


def _bodies(period) -> list[str]:
    """The request bodies, encoded before the clock starts: the client's work is not the server's."""
    from companies import filing_format as ff
    from companies.ingest.generate import generate_rows

    rows = generate_rows(rows=REQUESTS * ITEMS, period_start=period.start, period_end=period.end, seed=11,
                         quality=0.8, prefix="bench")
    items = [dict(zip(ff.FIELD_NAMES, row, strict=True)) for row in rows]
    return [json.dumps({"items": items[start:start + ITEMS]}) for start in range(0, len(items), ITEMS)]


def _measure() -> tuple[list[float], list[float]]:
    from django.test import Client

    from companies.models import MemberRole
    from companies.services.api_keys import apikey_create
    from companies.services.filings import filing_start
    from tests.companies.factories import CompanyFactory, MembershipFactory, UserFactory

    tag = uuid.uuid4().hex[:10]
    company = CompanyFactory(slug=f"bench-api-{tag}", legal_name=f"Bench API {tag} Ltd",
                             registration_number=f"BENCH-API-{tag}")
    officer = UserFactory(username=f"bench-api-{tag}@bench.test")
    MembershipFactory(company=company, user=officer, role=MemberRole.OFFICER)
    period = _period()
    filing = filing_start(actor=officer, company=company, period=period)
    _, key = apikey_create(actor=officer, company=company, name="Benchmark")
    bodies = _bodies(period)

    client = Client(HTTP_HOST="127.0.0.1", HTTP_AUTHORIZATION=f"Api-Key {key}")
    url = f"/api/v1/filings/{filing.pk}/items/"
    timings = []
    for body in bodies:
        started = time.perf_counter()
        response = client.post(url, body, content_type="application/json")
        timings.append((time.perf_counter() - started) * 1000)
        if response.status_code != 201 or response.json()["created"] != ITEMS:
            raise RuntimeError(f"batch refused: {response.status_code} {response.content[:500]!r}")
    # Baseline in the same run: the cheapest authenticated request (one external_id look-up),
    # i.e. what any API call costs before it does work of its own.
    first_id = json.loads(bodies[0])["items"][0]["external_id"]
    baseline = []
    for _ in range(len(bodies)):
        started = time.perf_counter()
        response = client.get(f"/api/v1/filings/{filing.pk}/items/{first_id}/")
        baseline.append((time.perf_counter() - started) * 1000)
        if response.status_code != 200:
            raise RuntimeError(f"look-up failed: {response.status_code}")
    return timings, baseline


def main() -> None:
    django_setup()
    from django.db import transaction

    timings: list[float] = []
    baseline: list[float] = []
    try:
        with transaction.atomic():
            timings, baseline = _measure()
            raise _Rollback
    except _Rollback:
        pass
    ordered = sorted(timings)
    print(json.dumps({
        "bench": "api_batch",
        "items_per_batch": ITEMS,
        "requests": len(timings),
        "median_ms": round(statistics.median(ordered), 1),
        "p95_ms": round(statistics.quantiles(ordered, n=20, method="inclusive")[18], 1),
        "min_ms": round(ordered[0], 1),
        "max_ms": round(ordered[-1], 1),
        "budget_ms": BUDGET_MS,
        "baseline_lookup_median_ms": round(statistics.median(baseline), 1),
        "ratio_vs_lookup": round(statistics.median(ordered) / statistics.median(baseline), 1),
    }))


if __name__ == "__main__":
    main()
