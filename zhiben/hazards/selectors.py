"""Scoped reads of the hazard ledger shared by the API, pages, exports and jobs."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery, Value
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


# Uncorrelated subqueries (`pk IN (…)`): PostgreSQL hashes them once per query instead of probing them for each
# hazard row (measured in bench/bench_work_queue.py: the correlated EXISTS form was 2-5× slower).
def _pending_extension() -> Q:
    return Q(pk__in=ExtensionRequest.objects.filter(state=ExtensionRequest.State.PENDING).values("hazard_id"))


def _has_notice() -> Q:
    return Q(pk__in=RectificationNotice.hazards.through.objects.values("hazard_id"))


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
        "extension": live & _pending_extension(),
        # Regulators: a major hazard being rectified without a rectification notice (整改通知书) issued yet.
        "notice": live & Q(level=Level.MAJOR) & ~_has_notice(),
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

    One aggregate query for every count, then one short query per item that has any: at most 1 + len(keys)
    queries. Each of those reads the live hazards in deadline order (partial index `hazard_live_deadline`) and
    stops after `first` rows; a single query numbering each item's hazards with window functions was measured
    3-4× slower at city and province scale (bench/bench_work_queue.py, decision 0015).
    """
    if not keys:
        return {}
    today = today or beijing_today()
    # Every item is about hazards still being rectified: the (region, status, level) index narrows to those first.
    hazards = hazards_visible_to(user).filter(status__in=LIVE)
    conditions = {key: todo_condition(key, today) for key in keys}
    counts = hazards.aggregate(**{f"n_{key}": Count("pk", filter=conditions[key]) for key in keys})
    queue = {}
    for key in keys:
        count = counts[f"n_{key}"]
        items = list(
            hazards.filter(conditions[key]).order_by("deadline", "pk")
            .values("pk", "code", "level", "status", "deadline", "description", "project__name")[:first]
        ) if count else []
        queue[key] = {"count": count, "items": items}
    return queue
