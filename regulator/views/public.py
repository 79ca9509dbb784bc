"""Pages for everyone, signed in or not."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from regulator.choices import MetricKind
from regulator.methodology import PLAIN_WORDS, worked_example
from regulator.metrics import DELAY_BUCKETS, ITEM_ATTRIBUTES, METRICS
from regulator.selectors import rulebook_in_force


def methodology(request: HttpRequest) -> HttpResponse:
    """How companies are scored, for citizens and journalists: each measure in plain words with its threshold in
    force, a worked example computed by the engine, what "not applicable" means and how to contest a result; the
    registry's SQL folded away as each measure's technical definition."""
    rulebook, thresholds = rulebook_in_force(on=timezone.localdate())
    metrics = [{"metric": metric, "plain": PLAIN_WORDS.get(metric.key, metric.description),
                "thresholds": thresholds.get(metric.key, [])} for metric in METRICS]
    buckets, lower = [], None
    for bucket in DELAY_BUCKETS:
        buckets.append((bucket, lower))
        lower = bucket.hours
    return render(request, "regulator/methodology.html", {
        "rulebook": rulebook, "buckets": buckets, "attributes": ITEM_ATTRIBUTES,
        "core_metrics": [entry for entry in metrics if entry["metric"].kind == MetricKind.CORE],
        "info_metrics": [entry for entry in metrics if entry["metric"].kind != MetricKind.CORE],
        "example": worked_example([t for group in thresholds.values() for t in group]),
    })
