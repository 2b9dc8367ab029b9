"""Formatting of dashboard figures in templates (no computing: the figures come from selectors.py)."""

from __future__ import annotations

from django import template

from zhiben.dashboard.presentation import percent as format_percent

register = template.Library()


@register.filter
def percent(value) -> str:
    """A share as a percentage with two decimals (0.5 → 50.00%); "—" when there is none."""
    return format_percent(value)


@register.filter
def measure(value, kind: str) -> str:
    """A target's measure by its kind: rate → percentage, avg → two decimals, else the count."""
    if value is None:
        return "—"
    if kind == "rate":
        return format_percent(value)
    if kind == "avg":
        return f"{value:.2f}"
    return str(value)
