"""The append-only, hash-chained history of a hazard, on the shared machinery of `zhiben.core.history`.

Each event's hash is SHA-256 over a canonical JSON of the event (hazard code, seq, action, actor, both times,
status change, data) and the previous event's hash. Editing, deleting or reordering any event breaks every hash
after it; `verify_chain` recomputes a hazard's chain and reports the first broken event.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from zhiben.core.history import ChainProblem as _ChainProblem
from zhiben.core.history import HashChain, normalise
from zhiben.hazards.models import Hazard, HazardEvent

__all__ = ["STATE_ACTIONS", "ChainProblem", "append_event", "event_hash", "normalise", "verify_all", "verify_chain"]

# Events that change a hazard's state without changing its status (see spans.py).
STATE_ACTIONS = frozenset({"approve-extension", "escalate", "updated", "reopen"})


@dataclass
class ChainProblem(_ChainProblem):
    @property
    def hazard_id(self) -> int:
        return self.subject_id


# The hazard's code is hashed under "hazard": part of every stored hash, never to be renamed.
CHAIN = HashChain(event_model=HazardEvent, subject_field="hazard", code_attr="code", head_field="history_head",
                  problem_class=ChainProblem)
event_hash = CHAIN.event_hash


def append_event(
    hazard: Hazard, *, action: str, actor=None, from_status: str = "", to_status: str = "",
    data: dict | None = None, effective_at: dt.datetime | None = None, actor_name: str = "",
) -> HazardEvent:
    """Append one event; call with the hazard row locked, inside the transaction that changes it."""
    event = CHAIN.append(hazard, action=action, actor=actor, from_status=from_status, to_status=to_status,
                         data=data, effective_at=effective_at, actor_name=actor_name)
    if event.to_status or action in STATE_ACTIONS:
        from zhiben.hazards.spans import rebuild_spans

        rebuild_spans(hazard)
    return event


def verify_chain(hazard: Hazard, events: list[HazardEvent] | None = None) -> ChainProblem | None:
    """The first problem in a hazard's history, or None if the chain is intact."""
    events = events if events is not None else list(hazard.events.order_by("seq"))
    problem = CHAIN.verify(hazard, events)
    if problem:
        return problem
    # The chain alone cannot show that its last events were deleted: the hazard row keeps the hash of the newest
    # event, and must still be what its history says (last status change, last escalation).
    status = next((e.to_status for e in reversed(events) if e.to_status), "")
    escalation = next((e.data["level"][-1] for e in reversed(events)
                       if e.action == "escalate" and isinstance(e.data.get("level"), list)), 0)
    if status != hazard.status or escalation != hazard.escalation_level:
        return ChainProblem(hazard.pk, hazard.code, events[-1].seq, "history does not match the hazard")
    return CHAIN.verify_head(hazard, events)


def verify_all(batch_size: int = 2000):
    """Yield every problem across all hazards, reading events in batches of hazards."""
    ids = list(Hazard.objects.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), batch_size):
        chunk = ids[start:start + batch_size]
        hazards = {
            h.pk: h
            for h in Hazard.objects.filter(pk__in=chunk).only("pk", "code", "status", "escalation_level",
                                                               "history_head")
        }
        grouped: dict[int, list[HazardEvent]] = {pk: [] for pk in chunk}
        for event in HazardEvent.objects.filter(hazard_id__in=chunk).order_by("hazard_id", "seq"):
            grouped[event.hazard_id].append(event)
        for pk in chunk:
            problem = verify_chain(hazards[pk], grouped[pk])
            if problem:
                yield problem


def integrity_check():
    """Every hazard's chain, as a core integrity check (`zhiben.core.integrity`, run by `manage.py restore`)."""
    from zhiben.core.integrity import CheckResult

    problems = [f"{p.code} (id {p.hazard_id}): event {p.seq}: {p.reason}" for p in verify_all()]
    return CheckResult(name="hazard_history", checked=Hazard.objects.count(), problems=problems)
