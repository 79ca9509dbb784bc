"""Pages for everyone, signed in or not."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from regulator.metrics import DELAY_BUCKETS, ITEM_ATTRIBUTES, METRICS
from regulator.selectors import rulebook_in_force


def methodology(request: HttpRequest) -> HttpResponse:
    """How companies are scored: every metric of the registry, the thresholds in force and the arithmetic."""
    rulebook, thresholds = rulebook_in_force(on=timezone.localdate())
    metrics = [{"metric": metric, "thresholds": thresholds.get(metric.key, [])} for metric in METRICS]
    buckets, lower = [], None
    for bucket in DELAY_BUCKETS:
        buckets.append((bucket.name, lower, bucket.hours))
        lower = bucket.hours
    return render(request, "regulator/methodology.html", {
        "rulebook": rulebook, "metrics": metrics, "buckets": buckets, "attributes": ITEM_ATTRIBUTES,
    })
