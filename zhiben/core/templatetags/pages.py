"""Template helpers of the declared list page (templates/pages/list.html, zhiben.core.pages.Column)."""

from __future__ import annotations

from django import template
from django.template.loader import render_to_string
from django.utils.html import conditional_escape, format_html

register = template.Library()

# Classes that style a cell's content rather than the column (the header keeps only the responsive ones).
CELL_ONLY = {"masked"}


@register.simple_tag(takes_context=True)
def cell(context, column, row) -> str:
    """One cell: the column's template with ``row`` and ``value``, or the value, linked when the column links."""
    value = column.value(row) if column.attr else None
    if column.template:
        return render_to_string(column.template, {"row": row, "value": value}, request=context.get("request"))
    url = column.url(row)
    return format_html('<a href="{}">{}</a>', url, value) if url else conditional_escape(value)


@register.filter
def header_classes(classes: str) -> str:
    return " ".join(c for c in classes.split() if c not in CELL_ONLY)
