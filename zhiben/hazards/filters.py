"""The hazard ledger's one FilterSet (API.md list filters), used by the API, the page and the Excel export."""

from __future__ import annotations

import django_filters as filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from zhiben.core.search import clean_query
from zhiben.core.timeutils import beijing_today
from zhiben.hazards import search as hazard_search
from zhiben.hazards.models import Hazard
from zhiben.hazards.selectors import TODO_KEYS, todo_condition
from zhiben.hazards.states import LIVE, Channel, Level, Status
from zhiben.registry.filters import IdFilter, RegionCodeFilter

BOOLEAN_CHOICES = [("true", _("Yes")), ("false", _("No"))]
# The home page's work queue (待办), item by item (selectors.todo_condition).
TODO_CHOICES = [
    ("review", _("Awaiting re-inspection")),
    ("extension", _("Extension requests to decide")),
    ("notice", _("Major hazards without a rectification notice")),
    ("overdue", _("Overdue")),
    ("escalated", _("Under escalation, not closed out")),
    ("rectify", _("To rectify")),
    ("returned", _("Rectification sent back")),
    ("acknowledge", _("Awaiting acknowledgement")),
]


def _truthy(value) -> bool | None:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in {"true", "1", "yes"}:
        return True
    if text in {"false", "0", "no"}:
        return False
    return None


class HazardFilter(filters.FilterSet):
    region = RegionCodeFilter()
    # IdFilter: a whole number within 64 bits, else a 400 (a huge number used to reach SQLite and give a 500).
    enterprise = IdFilter(label=_("enterprise"), field_name="enterprise_id")
    project = IdFilter(label=_("project"), field_name="project_id")
    level = filters.ChoiceFilter(label=_("level"), choices=Level.choices)
    status = filters.ChoiceFilter(label=_("status"), choices=Status.choices)
    channel = filters.ChoiceFilter(label=_("channel"), choices=Channel.choices)
    is_stock = filters.ChoiceFilter(label=_("stock / increment"), method="filter_stock",
                                    choices=[("true", _("Stock (found by 2023-12-31)")), ("false", _("Increment"))])
    is_overdue = filters.ChoiceFilter(label=_("overdue"), method="filter_overdue", choices=BOOLEAN_CHOICES)
    escalated = filters.ChoiceFilter(label=_("escalated"), method="filter_escalated", choices=BOOLEAN_CHOICES)
    found_from = filters.DateFilter(label=_("found from"), field_name="found_on", lookup_expr="gte")
    found_to = filters.DateFilter(label=_("found until"), field_name="found_on", lookup_expr="lte")
    q = filters.CharFilter(label=_("search"), method="search")
    todo = filters.ChoiceFilter(label=_("to do"), method="filter_todo", choices=TODO_CHOICES)
    ordering = filters.OrderingFilter(
        label=_("sort"),
        fields=(("found_at", "found_at"), ("deadline", "deadline"), ("escalation_level", "escalation_level"),
                ("code", "code")),
        field_labels={"found_at": _("time found"), "deadline": _("deadline"),
                      "escalation_level": _("escalation level"), "code": _("code")},
    )

    class Meta:
        model = Hazard
        fields = ["region", "enterprise", "project", "level", "status", "channel", "is_stock", "is_overdue",
                  "escalated", "found_from", "found_to", "q", "todo"]

    def filter_stock(self, qs, name, value):
        flag = _truthy(value)
        return qs if flag is None else qs.filter(is_stock=flag)

    def filter_overdue(self, qs, name, value):
        flag = _truthy(value)
        if flag is None:
            return qs
        today = beijing_today()
        overdue = Q(status__in=LIVE, deadline__lt=today)
        return qs.filter(overdue) if flag else qs.exclude(overdue)

    def filter_escalated(self, qs, name, value):
        flag = _truthy(value)
        if flag is None:
            return qs
        return qs.filter(escalation_level__gt=0) if flag else qs.filter(escalation_level=0)

    def filter_todo(self, qs, name, value):
        return qs.filter(todo_condition(value)) if value in TODO_KEYS else qs

    def search(self, qs, name, value):
        # A code is matched whole; the text (description, location, project and enterprise name) as a substring,
        # served by the search document's index (hazards/search.py, decision 0011).
        value = clean_query(value)
        if not value:
            return qs
        return qs.filter(Q(code=value.upper()) | hazard_search.matching(value, using=qs.db))
