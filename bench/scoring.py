"""Scoring benchmark (issue: compliance scoring).

Builds 1,000 companies with one accepted filing each in two bench-only periods (2000-Q3
with 1,000 items per company = 1M items, 2000-Q4 with 10,000 per company = 10M), the items
generated inside PostgreSQL (generate_series and random(), realistic shares and delays), and
kept between runs. Then, per size, in the same run:

- ``assessments_run`` for the whole period: the registry-built SQL pass, the scoring and the
  set-based writes of 1,000 assessments and their metric results (rolled back afterwards);
- the hand-written SQL aggregate that computes the same figures (the physical floor);
- the analysts' period overview page (median of 20 renders through Django's test client).

Prints one JSON line.
"""

from __future__ import annotations

import json
import os
import statistics
import time

from bench.setup import django_setup

COMPANIES = int(os.environ.get("BENCH_SCORING_COMPANIES", "1000"))
# Items per company of each size, one bench period per size from 2000-Q3 on. The headline figures are
# the second size's (10M items with the defaults); BENCH_SCORING_PER_COMPANY=1000,10000,100000 adds a
# 100M-item period (about 10 GB) to see the growth further.
PER_COMPANY = [int(n) for n in os.environ.get("BENCH_SCORING_PER_COMPANY", "1000,10000").split(",")]
SIZES = {(2000 + (2 + n) // 4, (2 + n) % 4 + 1): per_company for n, per_company in enumerate(PER_COMPANY)}

# The baselines: the same figures from hand-written SQL, measured with the same session settings.
# NAIVE is the textbook single pass (docs/DESIGN.md §4.1: FILTER aggregates over the items);
# TWO_PASS is what the engine does, written out by hand (counts by attribute, then sums,
# plus the medians), so the ratio against it is the cost of the registry and the writes.
NAIVE = """
SELECT f.company_id,
  count(*) FILTER (WHERE source_type = 1 AND action IN (1, 2) AND d <= 3600),
  count(*) FILTER (WHERE source_type = 1),
  count(*) FILTER (WHERE source_type IN (3, 4) AND action <> 6 AND d <= 86400),
  count(*) FILTER (WHERE source_type IN (3, 4) AND action <> 6),
  percentile_cont(0.5) WITHIN GROUP (ORDER BY d / 3600.0) FILTER (WHERE action <> 6),
  count(*) FILTER (WHERE action <> 6),
  count(*) FILTER (WHERE action IN (1, 2) AND preserved),
  count(*) FILTER (WHERE action IN (1, 2)),
  count(*) FILTER (WHERE appeal_received_at IS NOT NULL AND appeal_decided_at IS NOT NULL
                   AND appeal_decided_at - appeal_received_at <= interval '14 days'),
  count(*) FILTER (WHERE appeal_received_at IS NOT NULL),
  count(*) FILTER (WHERE source_type = 5), count(*),
  count(*) FILTER (WHERE action <> 6 AND automated_decision = 1),
  count(*) FILTER (WHERE appeal_received_at IS NOT NULL AND reinstated),
  count(*) FILTER (WHERE action <> 6 AND d <= 3600),
  count(*) FILTER (WHERE action <> 6 AND d > 3600 AND d <= 86400),
  count(*) FILTER (WHERE action <> 6 AND d > 86400 AND d <= 172800),
  count(*) FILTER (WHERE action <> 6 AND d > 172800 AND d <= 604800),
  count(*) FILTER (WHERE action <> 6 AND d > 604800)
FROM companies_filing f
JOIN (SELECT *, date_part('epoch', actioned_at - received_at) AS d
      FROM companies_takedownitem WHERE period_id = %(period)s) i ON i.filing_id = f.id
WHERE f.period_id = %(period)s AND f.status = 'accepted'
GROUP BY f.company_id
"""

TWO_PASS = """
WITH cells AS (
    SELECT filing_id, source_type AS s, action AS a, preserved AS p, automated_decision AS ad,
           reinstated AS r,
           CASE WHEN actioned_at IS NULL THEN 0 WHEN actioned_at <= received_at + interval '1 hour' THEN 1
                WHEN actioned_at <= received_at + interval '24 hours' THEN 2
                WHEN actioned_at <= received_at + interval '48 hours' THEN 3
                WHEN actioned_at <= received_at + interval '168 hours' THEN 4 ELSE 5 END AS b,
           CASE WHEN appeal_received_at IS NULL THEN 0
                WHEN appeal_decided_at <= appeal_received_at + interval '336 hours' THEN 2 ELSE 1 END AS ap,
           count(*) AS n
    FROM companies_takedownitem
    WHERE period_id = %(period)s
      AND filing_id IN (SELECT id FROM companies_filing WHERE period_id = %(period)s AND status = 'accepted')
    GROUP BY 1, 2, 3, 4, 5, 6, 7, 8
), counts AS (
    SELECT filing_id,
      sum(n) FILTER (WHERE s = 1 AND a IN (1, 2) AND b = 1) AS order_1h, sum(n) FILTER (WHERE s = 1) AS orders,
      sum(n) FILTER (WHERE s IN (3, 4) AND a <> 6 AND b <= 2) AS notice_24h,
      sum(n) FILTER (WHERE s IN (3, 4) AND a <> 6) AS notices,
      sum(n) FILTER (WHERE a <> 6) AS actioned,
      sum(n) FILTER (WHERE a IN (1, 2) AND p) AS preserved, sum(n) FILTER (WHERE a IN (1, 2)) AS removed,
      sum(n) FILTER (WHERE ap = 2) AS appeals_14d, sum(n) FILTER (WHERE ap <> 0) AS appeals,
      sum(n) FILTER (WHERE s = 5) AS proactive, sum(n) AS items,
      sum(n) FILTER (WHERE a <> 6 AND ad = 1) AS automated, sum(n) FILTER (WHERE ap <> 0 AND r) AS reinstated,
      sum(n) FILTER (WHERE a <> 6 AND b = 1) AS b1, sum(n) FILTER (WHERE a <> 6 AND b = 2) AS b2,
      sum(n) FILTER (WHERE a <> 6 AND b = 3) AS b3, sum(n) FILTER (WHERE a <> 6 AND b = 4) AS b4,
      sum(n) FILTER (WHERE a <> 6 AND b = 5) AS b5
    FROM cells GROUP BY filing_id
), medians AS (
    SELECT filing_id,
           percentile_cont(0.5) WITHIN GROUP (ORDER BY date_part('epoch', actioned_at - received_at) / 3600.0) AS m
    FROM companies_takedownitem
    WHERE period_id = %(period)s AND action <> 6
      AND filing_id IN (SELECT id FROM companies_filing WHERE period_id = %(period)s AND status = 'accepted')
    GROUP BY filing_id
)
SELECT f.company_id, counts.*, medians.m
FROM companies_filing f
LEFT JOIN counts ON counts.filing_id = f.id
LEFT JOIN medians ON medians.filing_id = f.id
WHERE f.period_id = %(period)s AND f.status = 'accepted'
"""

# Kept data is reused only when it was made by this version of GENERATE.
GENERATOR = "bench-scoring v2: items drawn independently"

GENERATE = """
INSERT INTO companies_takedownitem (period_id, filing_id, company_id, row_no, external_id, received_at,
    actioned_at, source_type, category, content_type, action, decision_ground, automated_detection,
    automated_decision, preserved, law_enforcement_notified, appeal_received_at, appeal_decided_at,
    appeal_outcome, reinstated, preserved_until)
SELECT %(period)s, f.id, f.company_id, g, 'b' || g, r.received,
       CASE WHEN r.action = 6 THEN NULL ELSE r.received + r.delay END,
       r.source, 1 + (g %% 5), 1 + (g %% 8), r.action, CASE WHEN r.action = 6 THEN NULL ELSE 1 END,
       r.source = 5, CASE WHEN r.source = 5 THEN 1 ELSE 3 END,
       r.action IN (1, 2) AND random() > 0.02, false,
       CASE WHEN r.appeal THEN r.received + r.delay + interval '2 hours' END,
       CASE WHEN r.appeal AND random() > 0.1 THEN r.received + r.delay + random() * interval '20 days' END,
       NULL, NULL,
       CASE WHEN r.action IN (1, 2) THEN (r.received + r.delay)::date + 200 END
FROM companies_filing f
CROSS JOIN generate_series(1, %(per_company)s) g
CROSS JOIN LATERAL (
    SELECT %(start)s::timestamptz + random() * interval '88 days' AS received,
           (ARRAY[1, 2, 3, 4, 4, 4, 5, 5])[1 + floor(random() * 8)::int] AS source,
           CASE WHEN random() < 0.1 THEN 6 ELSE (ARRAY[1, 1, 1, 2, 3, 5])[1 + floor(random() * 6)::int] END AS action,
           exp(ln(30 + f.company_id %% 200) + random() * 3) * interval '1 minute' AS delay,
           random() < 0.04 AS appeal
    -- The reference to g makes PostgreSQL draw new values for every item; without it the
    -- uncorrelated subquery is evaluated once per filing and every item of a company is the same.
    WHERE g IS NOT NULL
) r
WHERE f.period_id = %(period)s
"""


def _build(period_key: tuple[int, int], per_company: int):
    """The bench period with COMPANIES accepted filings of per_company items (reused when present)."""
    import datetime as dt

    from django.db import connection
    from django.utils import timezone

    from companies.models import Company, Filing, ReportingPeriod
    from core import calendar

    start, end = calendar.quarter_bounds(*period_key)
    period, _ = ReportingPeriod.objects.get_or_create(
        year=period_key[0], quarter=period_key[1],
        defaults={"code": f"{period_key[0]}-Q{period_key[1]}", "start": start, "end": end,
                  "due_date": end + dt.timedelta(days=30)})
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*), obj_description('companies_takedownitem_p{int(period.pk)}'::regclass) "
                       f"FROM companies_takedownitem_p{int(period.pk)}")
        if cursor.fetchone() == (COMPANIES * per_company, GENERATOR):
            return period
        cursor.execute(f"TRUNCATE companies_takedownitem_p{int(period.pk)}")
    existing = set(Company.objects.filter(slug__startswith="bench-score-").values_list("slug", flat=True))
    Company.objects.bulk_create([
        Company(legal_name=f"Bench Scoring {n:04d} Ltd", slug=f"bench-score-{n:04d}",
                registration_number=f"BENCH-SCORE-{n:04d}", country="GB", website="https://bench.example",
                service_type="OTHER", monthly_active_users=[30_000_000, 8_000_000, 500_000][n % 3],
                size_tier="ABC"[n % 3], global_turnover=1_000_000, turnover_currency="GBP",
                financial_year_end=dt.date(2025, 12, 31), contact_email="x@bench.example", contact_phone="0",
                contact_address="-", registered_on=dt.date(2020, 1, 1))
        for n in range(COMPANIES) if f"bench-score-{n:04d}" not in existing
    ])
    companies = list(Company.objects.filter(slug__startswith="bench-score-").order_by("slug")[:COMPANIES])
    have = set(Filing.objects.filter(period=period).values_list("company_id", flat=True))
    submitted = timezone.make_aware(dt.datetime.combine(period.due_date, dt.time(9)))
    Filing.objects.bulk_create([
        Filing(company=c, period=period, version=1, status="accepted", submitted_at=submitted, days_late=0,
               measures_taken="-", areas_for_improvement="-")
        for c in companies if c.pk not in have
    ])
    with connection.cursor() as cursor:
        cursor.execute(GENERATE, {"period": period.pk, "per_company": per_company,
                                  "start": dt.datetime.combine(start, dt.time(1), tzinfo=dt.UTC)})
        cursor.execute(f"COMMENT ON TABLE companies_takedownitem_p{int(period.pk)} IS %s", [GENERATOR])
        cursor.execute(f"VACUUM ANALYZE companies_takedownitem_p{int(period.pk)}")
    return period


class _Rollback(Exception):
    pass


def _measure(period) -> dict:
    from django.db import connection, transaction
    from django.test import Client

    from regulator.engine import planner_settings
    from regulator.services.assessments import assessments_run
    from tests.companies.factories import UserFactory
    from tests.conftest import pass_second_factor

    references = {}
    for name, sql in (("naive", NAIVE), ("two_pass", TWO_PASS)):
        # The settings the engine gives itself, so the comparison is like for like.
        with transaction.atomic(), connection.cursor() as cursor, planner_settings(cursor):
            started = time.perf_counter()
            cursor.execute(sql, {"period": period.pk})
            rows = cursor.fetchall()
            references[name] = time.perf_counter() - started
        assert len(rows) == COMPANIES, (name, len(rows))
    overview: list[float] = []
    try:
        with transaction.atomic():
            started = time.perf_counter()
            touched = assessments_run(actor=None, period=period)
            seconds = time.perf_counter() - started
            assert len(touched) == COMPANIES
            analyst = UserFactory(username=f"bench-analyst-{period.pk}@bench.test", groups=["analyst"])
            client = Client(HTTP_HOST="127.0.0.1")
            client.force_login(analyst, backend="django.contrib.auth.backends.ModelBackend")
            pass_second_factor(client, analyst)  # when PORTAL_STAFF_TOTP_REQUIRED is on
            for _ in range(20):
                started = time.perf_counter()
                response = client.get(f"/regulator/assessments/?period={period.code}")
                overview.append((time.perf_counter() - started) * 1000)
                assert response.status_code == 200
            raise _Rollback
    except _Rollback:
        pass
    return {"seconds": seconds, "reference_sql_seconds": min(references.values()),
            "naive_sql_seconds": references["naive"], "two_pass_sql_seconds": references["two_pass"],
            "overview_ms": statistics.median(overview), "overview_ms_min": min(overview),
            "overview_ms_max": max(overview)}


def main() -> None:
    django_setup()
    results = {}
    for key, per_company in SIZES.items():
        period = _build(key, per_company)
        results[COMPANIES * per_company] = _measure(period)
    sizes = sorted(results)
    small, large = sizes[0], sizes[1] if len(sizes) > 1 else sizes[0]
    print(json.dumps({
        "bench": "scoring",
        "companies": COMPANIES,
        "items": large,
        "seconds": round(results[large]["seconds"], 2),
        "reference_sql_seconds": round(results[large]["reference_sql_seconds"], 2),
        "ratio_vs_sql": round(results[large]["seconds"] / results[large]["reference_sql_seconds"], 2),
        "naive_sql_seconds": round(results[large]["naive_sql_seconds"], 2),
        "two_pass_sql_seconds": round(results[large]["two_pass_sql_seconds"], 2),
        "overview_ms": round(results[large]["overview_ms"], 1),
        "overview_ms_min": round(results[large]["overview_ms_min"], 1),
        "overview_ms_max": round(results[large]["overview_ms_max"], 1),
        "small_items": small,
        "small_seconds": round(results[small]["seconds"], 2),
        "small_reference_sql_seconds": round(results[small]["reference_sql_seconds"], 2),
        "growth_1m_to_10m": round(results[large]["seconds"] / results[small]["seconds"], 2),
        "by_size": {str(items): {name: round(value, 2) for name, value in figures.items()}
                    for items, figures in sorted(results.items())},
    }))


if __name__ == "__main__":
    main()
