"""Template helpers used across apps."""

from __future__ import annotations

from django import template

from zhiben.core.forms import style_fields

register = template.Library()


@register.simple_tag(takes_context=True)
def query_replace(context, **kwargs) -> str:
    """The current query string with some parameters replaced (pagination keeps the filters)."""
    query = context["request"].GET.copy()
    for key, value in kwargs.items():
        query[key] = value
    return query.urlencode()


@register.filter
def styled(form):
    """Apply Tabler classes to a (filter) form's widgets in place."""
    style_fields(form.fields)
    return form


STATUS_COLOURS = {
    "valid": "green", "expiring": "orange", "expired": "red", "revoked": "secondary", "unknown": "secondary",
}


@register.inclusion_tag("includes/status_badge.html")
def expiry_badge(status: str):
    return {"status": status, "colour": STATUS_COLOURS.get(status, "secondary")}
