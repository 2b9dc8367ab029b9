"""Deriving a hazard's state intervals (HazardSpan) from its event history.

The history is the truth; spans are a maintained aggregate for "as of" questions (the campaign dashboard).
`spans_from_events` is the one derivation: the service layer uses it after every event, the repair command
and the consistency test use it to compare.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from zhiben.hazards.models import Hazard, HazardEvent, HazardSpan


@dataclass(frozen=True)
class State:
    status: str
    level: str
    deadline: str  # ISO date
    escalation_level: int


def _new(value):
    """Changes are stored as [old, new] pairs."""
    return value[1] if isinstance(value, list) and len(value) == 2 else value


def apply_event(state: State | None, event: HazardEvent) -> State | None:
    data = event.data or {}
    if state is None:
        if not event.to_status:
            return None
        return State(event.to_status, data.get("level", ""), str(data.get("deadline", "")), 0)
    if event.to_status:
        state = replace(state, status=event.to_status)
    if "deadline" in data and event.action in {"approve-extension", "reopen"}:
        state = replace(state, deadline=str(_new(data["deadline"])))
    if event.action == "escalate" and "level" in data:
        state = replace(state, escalation_level=int(_new(data["level"])))
    if event.action == "updated":
        changes = data.get("changes", {})
        if "level" in changes:
            state = replace(state, level=str(_new(changes["level"])))
        if "deadline" in changes:
            state = replace(state, deadline=str(_new(changes["deadline"])))
    return state


def derive_intervals(events) -> list[tuple[State, object, object]]:
    """(state, valid_from, valid_to) for a hazard's events (objects with seq, action, to_status, effective_at,
    data), ordered by when each change took effect; valid_to is None for the current state."""
    ordered = sorted(events, key=lambda e: (e.effective_at, e.seq))
    intervals: list[list] = []
    state: State | None = None
    for event in ordered:
        new_state = apply_event(state, event)
        if new_state == state or new_state is None:
            continue
        if intervals:
            if intervals[-1][1] == event.effective_at:
                intervals.pop()  # a change at the same instant replaces the zero-length interval
            else:
                intervals[-1][2] = event.effective_at
        intervals.append([new_state, event.effective_at, None])
        state = new_state
    return [tuple(i) for i in intervals]


def spans_from_events(hazard: Hazard, events: list[HazardEvent]) -> list[HazardSpan]:
    """The state intervals of a hazard as HazardSpan rows (not saved)."""
    return [
        HazardSpan(
            hazard_id=hazard.pk, region_id=hazard.region_id, enterprise_id=hazard.enterprise_id,
            project_id=hazard.project_id, is_stock=hazard.is_stock, found_on=hazard.found_on,
            level=state.level or hazard.level, status=state.status, deadline=state.deadline or hazard.deadline,
            escalation_level=state.escalation_level, valid_from=valid_from, valid_to=valid_to,
        )
        for state, valid_from, valid_to in derive_intervals(events)
    ]


def rebuild_spans(hazard: Hazard) -> list[HazardSpan]:
    """Replace the hazard's spans with those derived from its events, and adjust the current-state tallies and
    the stored closing tallies of past days accordingly (inside the caller's transaction)."""
    from zhiben.hazards import snapshots, tallies

    spans = spans_from_events(hazard, list(HazardEvent.objects.filter(hazard=hazard)))
    old = list(HazardSpan.objects.filter(hazard=hazard))
    before = next((s for s in old if s.valid_to is None), None)
    HazardSpan.objects.filter(hazard=hazard).delete()
    created = HazardSpan.objects.bulk_create(spans)
    current = next((s for s in created if s.valid_to is None), None)
    tallies.adjust(tallies.tally_key(before), tallies.tally_key(current))
    snapshots.adjust(old, created)  # stored past days this change reaches back into (back-dated events)
    return created


def span_key(span: HazardSpan) -> tuple:
    return (span.hazard_id, span.region_id, span.enterprise_id, span.project_id, span.is_stock, span.found_on,
            span.level, span.status, str(span.deadline), span.escalation_level, span.valid_from, span.valid_to)


def check_spans(hazard_ids=None, *, repair: bool = False, batch: int = 2000):
    """Yield ids of hazards whose stored spans differ from their history; with `repair`, fix them."""
    from django.db import transaction

    qs = Hazard.objects.order_by("pk")
    if hazard_ids is not None:
        qs = qs.filter(pk__in=hazard_ids)
    ids = list(qs.values_list("pk", flat=True))
    for start in range(0, len(ids), batch):
        chunk = ids[start:start + batch]
        hazards = {h.pk: h for h in Hazard.objects.filter(pk__in=chunk)}
        events: dict[int, list] = {pk: [] for pk in chunk}
        for event in HazardEvent.objects.filter(hazard_id__in=chunk):
            events[event.hazard_id].append(event)
        stored: dict[int, list] = {pk: [] for pk in chunk}
        for span in HazardSpan.objects.filter(hazard_id__in=chunk).order_by("valid_from", "pk"):
            stored[span.hazard_id].append(span)
        for pk in chunk:
            expected = [span_key(s) for s in spans_from_events(hazards[pk], events[pk])]
            if expected != [span_key(s) for s in stored[pk]]:
                if repair:
                    with transaction.atomic():
                        rebuild_spans(hazards[pk])
                yield pk
