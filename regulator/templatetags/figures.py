"""Template filters and tags for the regulator's figures; each is one call to regulator/formatting.py."""

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
    """``{{ result.value|metric_value:result.metric }}`` → 95.1 %, 12.5 hours or yes."""
    return formatting.metric_value_text(value, formatting.metric_unit(key))


@register.simple_tag
def metric_text(value: Decimal | None, key: str, threshold: Decimal | None = None) -> str:
    """``{% metric_text result.value result.metric result.threshold %}``: the value in its unit, with enough
    decimals that it never looks like the threshold beside it when it is not (94.96 %, not 95.0 %)."""
    return formatting.metric_value_text(value, formatting.metric_unit(key), threshold)


@register.simple_tag
def rule(comparator: str, value: Decimal | None, key: str) -> str:
    """``{% rule threshold.comparator threshold.value threshold.metric %}`` → at least 95 %."""
    return formatting.threshold_text(comparator, value, formatting.metric_unit(key))


@register.filter
def metric_label(key: str) -> str:
    """``{{ result.metric|metric_label }}`` → Removal orders acted on within 1 hour."""
    return formatting.metric_label(key)


@register.filter
def metric_unit(key: str) -> str:
    """The unit a person types a metric's threshold in: "%", "hours" or "" (a yes/no flag)."""
    metric = METRICS_BY_KEY.get(key)
    if metric is None:
        return ""
    return {"ratio": "%", "hours": "hours"}.get(metric.unit, "")


@register.filter
def tiers(letters: str) -> str:
    """``{{ threshold.tiers|tiers }}`` → every size tier, tier A, tiers B and C."""
    return formatting.tiers_text(letters)


@register.filter
def kind(code: str) -> str:
    """``{{ change.after.kind|kind }}`` → Core"""
    return formatting.kind_text(code)


@register.filter
def percent(ratio: Decimal | float | None) -> str:
    """``{{ summary.rate|percent }}`` → 60.6 %"""
    return formatting.percent_text(ratio)
