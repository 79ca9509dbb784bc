"""Number formatting for templates; each filter is one call to core/formatting.py or writes a stored decimal."""

from __future__ import annotations

from decimal import Decimal

from django import template

from core.formatting import count_text, money_text

register = template.Library()


@register.filter
def plain(number: Decimal | int | float | None) -> str:
    """A stored decimal as written, without padding zeros or an exponent (0.9500 → 0.95, 24.0000 → 24)."""
    if number is None or number == "":
        return "—"
    return f"{Decimal(str(number)).normalize():f}"


@register.filter
def count(number: int | None) -> str:
    """``{{ filing.item_count|count }}`` → 1,234 (core.formatting.count_text)."""
    return count_text(number)


@register.filter
def money(amount: Decimal | None, currency: str = "") -> str:
    """``{{ company.global_turnover|money:company.turnover_currency }}`` → GBP 7,140,707.30"""
    return money_text(amount, currency)
