"""Scoped reads of the hazard ledger shared by the API, pages, exports and jobs."""

from __future__ import annotations

import datetime as dt
import operator
from functools import reduce

from django.db.models import Case, Count, Exists, F, OuterRef, Prefetch, Q, QuerySet, Subquery, Value, When, Window
from django.db.models.functions import Least, RowNumber
from django.db.models.lookups import Exact

from zhiben.core.timeutils import beijing_today
from zhiben.hazards.models import (
    Attachment,
    ExtensionRequest,
    Hazard,
    HazardEvent,
    Rectification,
    RectificationNotice,
)
from zhiben.hazards.states import LIVE, Level, Status


def hazards_visible_to(user) -> QuerySet[Hazard]:
    return Hazard.objects.visible_to(user)


def hazard_list(user) -> QuerySet[Hazard]:
    return hazards_visible_to(user).select_related("project", "enterprise")


def hazard_detail(user, pk: int) -> Hazard:
    return (
        hazards_visible_to(user)
        .select_related("project", "enterprise", "enterprise__principal", "enterprise__actual_controller", "region",
                        "standard_item__standard", "duplicate_of", "possible_duplicate_of", "created_by",
                        "acknowledged_by")
        .prefetch_related(
            Prefetch("events", queryset=HazardEvent.objects.order_by("seq")),
            Prefetch("attachments", queryset=Attachment.objects.order_by("uploaded_at")),
            Prefetch("rectifications", queryset=Rectification.objects.select_related("submitted_by", "reviewed_by")
                     .order_by("submitted_at")),
            Prefetch("extensions", queryset=ExtensionRequest.objects.select_related("requested_by", "decided_by")
                     .order_by("requested_at")),
        )
        .get(pk=pk)
    )


def attachments_visible_to(user) -> QuerySet[Attachment]:
    return Attachment.objects.visible_to(user)


# --- Work queue (待办) -------------------------------------------------------------------------------------
# What each kind of user has to act on, as conditions on the hazard row: the home page counts them and lists the
# first few, and the ledger's `todo` filter shows the whole of each (so the two never disagree).


def _pending_extension():
    return Exists(ExtensionRequest.objects.filter(hazard_id=OuterRef("pk"), state=ExtensionRequest.State.PENDING))


def _has_notice():
    return Exists(RectificationNotice.hazards.through.objects.filter(hazard_id=OuterRef("pk")))


def _last_rectification_rejected():
    latest = (Rectification.objects.filter(hazard_id=OuterRef("pk")).order_by("-submitted_at", "-id")
              .values("outcome")[:1])
    return Exact(Subquery(latest), Value(Rectification.Outcome.REJECTED))


def todo_condition(key: str, today: dt.date | None = None) -> Q:
    """The condition on a hazard of work-queue item `key` (a key of TODO_KEYS)."""
    today = today or beijing_today()
    live = Q(status__in=LIVE)
    conditions = {
        # Regulators: rectifications handed in, waiting for re-inspection (close-out or rejection).
        "review": Q(status=Status.SUBMITTED),
        # Regulators: an extension request waiting for a decision.
        "extension": live & Q(_pending_extension()),
        # Regulators: a major hazard being rectified without a rectification notice (整改通知书) issued yet.
        "notice": live & Q(level=Level.MAJOR) & ~Q(_has_notice()),
        # Everyone: past the deadline and not closed out.
        "overdue": live & Q(deadline__lt=today),
        # Regulators: under escalation (挂牌督办) and not closed out yet.
        "escalated": live & Q(escalation_level__gt=0),
        # Enterprise and project users: to rectify; of those, the ones whose rectification was sent back.
        "rectify": Q(status=Status.OPEN),
        "returned": Q(status=Status.OPEN) & Q(_last_rectification_rejected()),
        # The principal and actual controller: a notification not acknowledged yet (送知).
        "acknowledge": live & Q(notified_at__isnull=False, acknowledged_at__isnull=True),
    }
    return conditions[key]


TODO_KEYS = ("review", "extension", "notice", "overdue", "escalated", "rectify", "returned", "acknowledge")
REGULATOR_TODO = ("review", "extension", "notice", "overdue", "escalated")
EXPERT_TODO = ("review",)
OWNER_TODO = ("rectify", "returned", "acknowledge", "overdue")


def work_queue(user, keys: tuple[str, ...], *, first: int = 3, today: dt.date | None = None) -> dict[str, dict]:
    """For each key: how many of the user's visible hazards it holds and the first few (earliest deadline first).

    Two queries whatever the number of keys: one aggregate for the counts, and one for the items, which numbers
    each item's hazards by deadline (a window per item) and keeps those within the first few of any item.
    """
    if not keys:
        return {}
    today = today or beijing_today()
    hazards = hazards_visible_to(user)
    conditions = {key: todo_condition(key, today) for key in keys}
    counts = hazards.aggregate(**{f"n_{key}": Count("pk", filter=conditions[key]) for key in keys})
    wanted = [key for key in keys if counts[f"n_{key}"]]
    items: dict[str, list[dict]] = {key: [] for key in keys}
    if wanted:
        flags = {f"is_{key}": Case(When(conditions[key], then=Value(1)), default=Value(0)) for key in wanted}
        ranks = {f"rank_{key}": Window(RowNumber(), partition_by=[F(f"is_{key}")], order_by=[F("deadline"), F("pk")])
                 for key in wanted}
        best = [Case(When(**{f"is_{key}": 1}, then=F(f"rank_{key}")), default=Value(first + 1)) for key in wanted]
        rows = (hazards.filter(reduce(operator.or_, (conditions[key] for key in wanted)))
                .annotate(**flags).annotate(**ranks)
                .annotate(best=Least(*best) if len(best) > 1 else best[0])
                .filter(best__lte=first).order_by("deadline", "pk")
                .values("pk", "code", "level", "status", "deadline", "description", "project__name",
                        *flags, *ranks))
        for row in rows:
            for key in wanted:
                if row[f"is_{key}"] and row[f"rank_{key}"] <= first:
                    items[key].append(row)
    return {key: {"count": counts[f"n_{key}"], "items": items[key]} for key in keys}
