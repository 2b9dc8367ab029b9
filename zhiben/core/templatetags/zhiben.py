"""Template helpers used across apps."""

from __future__ import annotations

from django import template
from django.template.loader import render_to_string

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


# --- Filter panel: collapsed on phones unless a filter is in use -------------------------------------------

# Query parameters that are not filters (paging, sorting).
NOT_FILTERS = frozenset({"page", "ordering", "per_page"})


def active_filter_count(source) -> int:
    """How many filters are in use: the visible fields of a FilterSet's form that have a value in its data, or
    the non-empty parameters of a query dict."""
    form = getattr(source, "form", None)
    if form is not None:
        data = source.data or {}
        names = [field.name for field in form.visible_fields() if field.name not in NOT_FILTERS]
        return sum(1 for name in names if any(str(v).strip() for v in _values(data, name)))
    if hasattr(source, "keys"):
        return sum(1 for name in source if name not in NOT_FILTERS and any(
            str(v).strip() for v in _values(source, name)))
    return int(source or 0)


def _values(data, name: str) -> list:
    if hasattr(data, "getlist"):
        return data.getlist(name)
    value = data.get(name)
    return [] if value is None else list(value) if isinstance(value, list | tuple) else [value]


class FilterPanelNode(template.Node):
    def __init__(self, nodelist, source, panel_id):
        self.nodelist, self.source, self.panel_id = nodelist, source, panel_id

    def render(self, context):
        panel_id = self.panel_id.resolve(context) if self.panel_id else "filter-panel"
        return render_to_string("includes/filter_panel.html", {
            "body": self.nodelist.render(context),
            "active": active_filter_count(self.source.resolve(context)),
            "panel_id": panel_id,
        })


@register.tag
def filter_panel(parser, token):
    """`{% filter_panel filterset_or_query ["panel-id"] %}…form…{% endfilter_panel %}`: the filter form of a list
    page, shown as it is from the md breakpoint up and collapsed behind a "筛选" button on phones, open there when
    a filter is in use (so the first screen of a phone shows the list, not the form)."""
    bits = token.split_contents()
    if len(bits) not in (2, 3):
        raise template.TemplateSyntaxError("filter_panel takes a FilterSet (or query dict) and an optional id")
    nodelist = parser.parse(("endfilter_panel",))
    parser.delete_first_token()
    return FilterPanelNode(nodelist, parser.compile_filter(bits[1]),
                           parser.compile_filter(bits[2]) if len(bits) == 3 else None)
