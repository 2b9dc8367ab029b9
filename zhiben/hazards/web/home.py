"""Hazard widgets and work queue (待办) of the home page (collected by zhiben.core.views).

Widgets: three scoped counts in one query. Regulators (and experts) see open major hazards, overdue hazards and
submissions awaiting re-inspection; enterprise and project users their open hazards, overdue ones and
notifications awaiting acknowledgement.

Work queue: what the user has to act on, each item a count linking to the ledger filtered by `todo` and the
first few hazards (selectors.work_queue, two queries). A leader sees the regulators' queue read-only.
"""

from __future__ import annotations

from django.db.models import Count, Q
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from zhiben.core.scoping import scope_of
from zhiben.core.timeutils import beijing_today
from zhiben.hazards import selectors, services
from zhiben.hazards.filters import TODO_CHOICES
from zhiben.hazards.states import LIVE, Level, Status


def _url(query: str = "") -> str:
    return reverse("hazards:list") + (f"?{query}" if query else "")


def _inbox_url() -> str:
    try:
        return reverse("notifications:inbox")
    except NoReverseMatch:
        return _url("status=open")


def widgets(request) -> list[dict]:
    user = request.user
    if not user.is_authenticated:
        return []
    scope = scope_of(user)
    if scope.kind == "none":
        return []
    live = Q(status__in=LIVE)
    overdue = live & Q(deadline__lt=beijing_today())
    hazards = selectors.hazards_visible_to(user)
    if scope.kind in {"region", "all"}:
        counts = hazards.aggregate(
            major=Count("pk", filter=Q(status=Status.OPEN, level=Level.MAJOR)),
            overdue=Count("pk", filter=overdue),
            submitted=Count("pk", filter=Q(status=Status.SUBMITTED)),
        )
        return [
            {"label": _("Open major hazards"), "value": counts["major"], "url": _url("level=major&status=open"),
             "icon": "alert-triangle", "colour": "red" if counts["major"] else "green", "order": 10},
            {"label": _("Overdue hazards"), "value": counts["overdue"], "url": _url("is_overdue=true"),
             "icon": "alarm", "colour": "red" if counts["overdue"] else "green", "order": 11},
            {"label": _("Awaiting re-inspection"), "value": counts["submitted"], "url": _url("status=submitted"),
             "icon": "clipboard-check", "colour": "orange" if counts["submitted"] else "green", "order": 12},
        ]
    counts = hazards.aggregate(
        open=Count("pk", filter=Q(status=Status.OPEN)),
        overdue=Count("pk", filter=overdue),
        unacknowledged=Count("pk", filter=live & Q(notified_at__isnull=False, acknowledged_at__isnull=True)),
    )
    return [
        {"label": _("Open hazards"), "value": counts["open"], "url": _url("status=open"),
         "icon": "alert-triangle", "colour": "orange" if counts["open"] else "green", "order": 10},
        {"label": _("Overdue hazards"), "value": counts["overdue"], "url": _url("is_overdue=true"),
         "icon": "alarm", "colour": "red" if counts["overdue"] else "green", "order": 11},
        {"label": _("Awaiting acknowledgement"), "value": counts["unacknowledged"], "url": _inbox_url(),
         "icon": "checks", "colour": "red" if counts["unacknowledged"] else "green", "order": 12},
    ]


TODO_ICONS = {
    "review": "clipboard-check", "extension": "calendar-time", "notice": "file-certificate", "overdue": "alarm",
    "escalated": "flag", "rectify": "tool", "returned": "arrow-back-up", "acknowledge": "checks",
}
TODO_COLOURS = {"overdue": "red", "escalated": "red", "returned": "orange"}


def work_queue(request) -> list[dict]:
    """The hazard part of the user's 待办: one entry per item, in the order of the queue."""
    user = request.user
    if not user.is_authenticated or scope_of(user).kind == "none":
        return []
    role = services.role_of(user)
    if role in {"platform", "regulator_admin", "inspector", "leader"}:
        keys = selectors.REGULATOR_TODO
    elif role == "expert":
        keys = selectors.EXPERT_TODO
    elif role in {"enterprise", "project"}:
        keys = selectors.OWNER_TODO
    else:
        return []
    labels = dict(TODO_CHOICES)
    today = beijing_today()
    queue = selectors.work_queue(user, keys, today=today)
    return [
        {"key": key, "label": str(labels[key]), "count": queue[key]["count"], "url": _url(f"todo={key}"),
         "items": [{**item, "url": reverse("hazards:detail", args=[item["pk"]]),
                    "overdue": item["deadline"] < today} for item in queue[key]["items"]],
         "icon": TODO_ICONS[key], "colour": TODO_COLOURS.get(key, "orange"),
         "read_only": role == "leader", "order": 10 + index}
        for index, key in enumerate(keys)
    ]
