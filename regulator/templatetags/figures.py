"""Template filters for the regulator's figures; each is one call to regulator/formatting.py."""

from __future__ import annotations

from decimal import Decimal

from django import template

from core.templatetags.numbers import plain
from regulator import formatting
from regulator.metrics import METRICS_BY_KEY

register = template.Library()


@register.filter
def score(value: Decimal | None) -> str:
    """``{{ assessment.score|score }}`` → 87.4"""
    return formatting.score_text(value)


@register.filter
def metric_input(value: Decimal | None, key: str) -> str:
    """A stored value as a person types it in a form: a ratio as a percentage (0.955 → 95.5); empty for none."""
    if value is None:
        return ""
    metric = METRICS_BY_KEY.get(key)
    if metric is not None and metric.entered_as_percentage:
        value = Decimal(value) * 100
    return plain(value)


@register.filter
def metric_value(value: Decimal | None, key: str) -> str:
    """``{{ result.value|metric_value:result.metric }}`` → 0.9512, 12.50 h or yes."""
    metric = METRICS_BY_KEY.get(key)
    return formatting.metric_value_text(value, metric.unit if metric else None)


@register.filter
def metric_label(key: str) -> str:
    """A metric's name from its key (``order_1h_rate`` → "Removal orders acted on within 1 hour")."""
    metric = METRICS_BY_KEY.get(key)
    return metric.label if metric else key


@register.filter
def metric_unit(key: str) -> str:
    """The unit a person types a metric's threshold in: "%", "hours" or "" (a yes/no flag)."""
    metric = METRICS_BY_KEY.get(key)
    if metric is None:
        return ""
    return {"ratio": "%", "hours": "hours"}.get(metric.unit, "")
