"""Number formatting for templates."""

from __future__ import annotations

from decimal import Decimal

from django import template

register = template.Library()


@register.filter
def plain(number: Decimal | int | float | None) -> str:
    """A stored decimal as written, without padding zeros or an exponent (0.9500 → 0.95, 24.0000 → 24)."""
    if number is None or number == "":
        return "—"
    return f"{Decimal(str(number)).normalize():f}"
