"""Template filters for the regulator's figures; each is one call to regulator/formatting.py."""

from __future__ import annotations

from decimal import Decimal

from django import template

from regulator import formatting
from regulator.metrics import METRICS_BY_KEY

register = template.Library()


@register.filter
def score(value: Decimal | None) -> str:
    """``{{ assessment.score|score }}`` → 87.4"""
    return formatting.score_text(value)


@register.filter
def metric_value(value: Decimal | None, key: str) -> str:
    """``{{ result.value|metric_value:result.metric }}`` → 0.9512, 12.50 h or yes."""
    metric = METRICS_BY_KEY.get(key)
    return formatting.metric_value_text(value, metric.unit if metric else None)
