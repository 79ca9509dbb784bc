"""Realistic takedown files for demos, tests and benchmarks (`manage.py generate_filing`).

Distributions: most items are user notices, a minority are removal orders; delays
are log-normal with long tails (orders fast, notices slower); a few removed items
are not preserved; some items are appealed, a share of appeals succeed, some are
still undecided. ``quality`` (0 to 1) moves a company between sloppy and diligent.
``error_rate`` injects invalid rows of many kinds, for validation demos.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import random
from collections.abc import Iterator
from typing import IO

from companies import filing_format as ff

_SOURCES = (("REMOVAL_ORDER", 8), ("REFERRAL", 7), ("TRUSTED_FLAGGER", 15), ("USER_NOTICE", 45),
            ("OWN_INITIATIVE", 25))
_CATEGORIES = (("TERRORIST_CONTENT", 45), ("VIOLENT_EXTREMISM", 30), ("ILLEGAL_ORGANISATION", 10),
               ("INCITEMENT_TO_VIOLENCE", 10), ("OTHER", 5))
_CONTENT = (("TEXT", 30), ("IMAGE", 20), ("VIDEO", 25), ("AUDIO", 3), ("LIVESTREAM", 2), ("LINK", 10),
            ("ACCOUNT", 8), ("OTHER", 2))
_ACTIONS = (("REMOVED", 60), ("DISABLED", 12), ("ACCOUNT_SUSPENDED", 8), ("ACCOUNT_TERMINATED", 5),
            ("RESTRICTED", 5))
_ERRORS = ("bad_enum", "no_offset", "before_received", "missing_order_ref", "outside_period", "bad_id",
           "bad_bool", "duplicate")


def _picker(rng: random.Random, pairs: tuple[tuple[str, int], ...]):
    values = [value for value, _ in pairs]
    cumulative = []
    total = 0
    for _, weight in pairs:
        total += weight
        cumulative.append(total)
    choices = rng.choices

    def pick() -> str:
        return choices(values, cum_weights=cumulative)[0]

    return pick


def _stamp(moment: dt.datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S+00:00")


def generate_rows(*, rows: int, period_start: dt.date, period_end: dt.date, seed: int = 1,
                  quality: float = 0.8, error_rate: float = 0.0, prefix: str = "item") -> Iterator[list[str]]:
    """Yield ``rows`` rows in the canonical field order."""
    rng = random.Random(seed)
    source, category, content, action = (_picker(rng, pairs) for pairs in (_SOURCES, _CATEGORIES, _CONTENT,
                                                                          _ACTIONS))
    start = dt.datetime.combine(period_start, dt.time(1, 0), tzinfo=dt.UTC)
    span = int((dt.datetime.combine(period_end, dt.time(22, 0), tzinfo=dt.UTC) - start).total_seconds())
    # Median delays in minutes: orders fast, notices slower; diligent companies faster.
    order_median = 8 + 50 * (1 - quality) ** 2
    notice_median = 120 + 1200 * (1 - quality) ** 2
    preserve_miss = 0.0005 + 0.04 * (1 - quality) ** 2
    undecided = 0.01 + 0.12 * (1 - quality)
    random_ = rng.random
    lognormvariate = rng.lognormvariate
    for index in range(rows):
        src = source()
        received = start + dt.timedelta(seconds=int(random_() * span))
        if src == "REMOVAL_ORDER":
            act = "REMOVED" if random_() < 0.9 else "DISABLED"
            delay = lognormvariate(math.log(order_median), 0.7)
        else:
            act = "NO_ACTION" if random_() < 0.12 else action()
            delay = lognormvariate(math.log(notice_median), 1.4)
        actioned = received + dt.timedelta(minutes=delay)
        removed = act in ("REMOVED", "DISABLED")
        preserved = removed and random_() >= preserve_miss
        automated = src == "OWN_INITIATIVE" or random_() < 0.2
        row = [
            f"{prefix}-{index + 1:08d}", src, f"RO/{received:%Y}/{index + 1:07d}" if src == "REMOVAL_ORDER" else "",
            category(), content(), _stamp(received), act, "" if act == "NO_ACTION" else _stamp(actioned),
            "" if act == "NO_ACTION" else ("ILLEGAL_CONTENT" if random_() < 0.6 else "TERMS_OF_SERVICE"),
            "true" if automated else "false",
            "FULLY" if automated and random_() < 0.3 else ("PARTIALLY" if automated else "NOT_AUTOMATED"),
            f"{rng.getrandbits(256):064x}" if removed and random_() < 0.7 else "",
            "true" if preserved else "false", f"EV-{index + 1:08d}" if preserved else "",
            (actioned.date() + dt.timedelta(days=190)).isoformat() if preserved else "",
            "true" if random_() < 0.003 else "false", "", "", "", "",
        ]
        if act != "NO_ACTION" and random_() < 0.04:
            appealed = actioned + dt.timedelta(hours=random_() * 72)
            row[16] = _stamp(appealed)
            if random_() >= undecided:
                decided = appealed + dt.timedelta(days=lognormvariate(math.log(3 + 12 * (1 - quality) ** 2), 0.5))
                row[17] = _stamp(decided)
                reversed_ = random_() < 0.2
                row[18] = "REVERSED" if reversed_ else "UPHELD"
                row[19] = "true" if reversed_ else "false"
        if error_rate and random_() < error_rate:
            _break(row, rng.choice(_ERRORS), period_start, prefix)
        yield row


def _break(row: list[str], kind: str, period_start: dt.date, prefix: str) -> None:
    if kind == "bad_enum":
        row[1] = "USER_REPORT"
    elif kind == "no_offset":
        row[5] = row[5][:19]
    elif kind == "before_received":
        row[6], row[7] = "REMOVED", f"{period_start - dt.timedelta(days=1)}T00:00:00+00:00"
        row[8] = row[8] or "ILLEGAL_CONTENT"
    elif kind == "missing_order_ref":
        row[1], row[2] = "REMOVAL_ORDER", ""
    elif kind == "outside_period":
        row[5] = f"{period_start - dt.timedelta(days=3)}T12:00:00+00:00"
    elif kind == "bad_id":
        row[0] = row[0] + " copy"
    elif kind == "bad_bool":
        row[9] = "yes"
    elif kind == "duplicate":
        row[0] = f"{prefix}-00000001"


def write_csv(out: IO[str], rows: Iterator[list[str]]) -> int:
    """Write a header and rows; returns the row count. Values never need quoting here."""
    out.write(",".join(ff.FIELD_NAMES) + "\n")
    count = 0
    batch: list[str] = []
    for row in rows:
        batch.append(",".join(row))
        count += 1
        if len(batch) == 10_000:
            out.write("\n".join(batch) + "\n")
            batch.clear()
    if batch:
        out.write("\n".join(batch) + "\n")
    return count


def write_jsonl(out: IO[str], rows: Iterator[list[str]]) -> int:
    count = 0
    for row in rows:
        record = {name: (value if value else None) for name, value in zip(ff.FIELD_NAMES, row, strict=True)}
        for name in ("automated_detection", "preserved", "law_enforcement_notified", "reinstated"):
            if record[name] is not None:
                record[name] = record[name] == "true"
        out.write(json.dumps(record) + "\n")
        count += 1
    return count
