"""The append-only, hash-chained history of a hazard.

Each event's hash is SHA-256 over a canonical JSON of the event (hazard code, seq, action, actor, both times,
status change, data) and the previous event's hash. Editing, deleting or reordering any event breaks every hash
after it; `verify_chain` recomputes a hazard's chain and reports the first broken event.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass

from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone

from zhiben.hazards.models import Hazard, HazardEvent

# Events that change a hazard's state without changing its status (see spans.py).
STATE_ACTIONS = frozenset({"approve-extension", "escalate", "updated", "reopen"})


def normalise(data: dict) -> dict:
    """JSON round trip, so what is hashed is exactly what the database stores and returns."""
    return json.loads(json.dumps(data or {}, cls=DjangoJSONEncoder, ensure_ascii=False))


def _iso(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def event_hash(*, code: str, seq: int, action: str, actor_id: int | None, actor_name: str, at: dt.datetime,
               effective_at: dt.datetime, from_status: str, to_status: str, data: dict, prev_hash: str) -> str:
    payload = {
        "hazard": code, "seq": seq, "action": action, "actor": actor_id, "actor_name": actor_name,
        "at": _iso(at), "effective_at": _iso(effective_at), "from": from_status, "to": to_status,
        "data": data, "prev": prev_hash,
    }
    canonical = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def append_event(
    hazard: Hazard, *, action: str, actor=None, from_status: str = "", to_status: str = "",
    data: dict | None = None, effective_at: dt.datetime | None = None, actor_name: str = "",
) -> HazardEvent:
    """Append one event; call with the hazard row locked, inside the transaction that changes it."""
    last = HazardEvent.objects.filter(hazard=hazard).order_by("-seq").values("seq", "hash").first()
    seq = (last["seq"] + 1) if last else 1
    prev_hash = last["hash"] if last else ""
    now = timezone.now()
    effective_at = effective_at or now
    actor_id = actor.pk if actor is not None and getattr(actor, "is_authenticated", False) else None
    if actor_id is None:
        actor = None
    actor_name = actor_name or (str(actor) if actor is not None else "系统")
    data = normalise(data or {})
    digest = event_hash(
        code=hazard.code, seq=seq, action=action, actor_id=actor_id, actor_name=actor_name, at=now,
        effective_at=effective_at, from_status=from_status, to_status=to_status, data=data, prev_hash=prev_hash,
    )
    event = HazardEvent.objects.create(
        hazard=hazard, seq=seq, action=action, actor=actor, actor_name=actor_name, at=now,
        effective_at=effective_at, from_status=from_status, to_status=to_status, data=data,
        prev_hash=prev_hash, hash=digest,
    )
    hazard.history_head = digest
    Hazard.objects.filter(pk=hazard.pk).update(history_head=digest)
    if event.to_status or action in STATE_ACTIONS:
        from zhiben.hazards.spans import rebuild_spans

        rebuild_spans(hazard)
    return event


@dataclass
class ChainProblem:
    hazard_id: int
    code: str
    seq: int
    reason: str


def verify_chain(hazard: Hazard, events: list[HazardEvent] | None = None) -> ChainProblem | None:
    """The first problem in a hazard's history, or None if the chain is intact."""
    events = events if events is not None else list(hazard.events.order_by("seq"))
    prev = ""
    for expected_seq, event in enumerate(events, start=1):
        if event.seq != expected_seq:
            return ChainProblem(hazard.pk, hazard.code, event.seq, "missing or reordered event")
        if event.prev_hash != prev:
            return ChainProblem(hazard.pk, hazard.code, event.seq, "previous hash does not match")
        digest = event_hash(
            code=hazard.code, seq=event.seq, action=event.action, actor_id=event.actor_id,
            actor_name=event.actor_name, at=event.at, effective_at=event.effective_at,
            from_status=event.from_status, to_status=event.to_status, data=event.data, prev_hash=event.prev_hash,
        )
        if digest != event.hash:
            return ChainProblem(hazard.pk, hazard.code, event.seq, "event content altered")
        prev = event.hash
    if not events:
        return ChainProblem(hazard.pk, hazard.code, 0, "history is empty")
    # The chain alone cannot show that its last events were deleted: the hazard row keeps the hash of the newest
    # event, and must still be what its history says (last status change, last escalation).
    status = next((e.to_status for e in reversed(events) if e.to_status), "")
    escalation = next((e.data["level"][-1] for e in reversed(events)
                       if e.action == "escalate" and isinstance(e.data.get("level"), list)), 0)
    if status != hazard.status or escalation != hazard.escalation_level:
        return ChainProblem(hazard.pk, hazard.code, events[-1].seq, "history does not match the hazard")
    if hazard.history_head and hazard.history_head != events[-1].hash:
        return ChainProblem(hazard.pk, hazard.code, events[-1].seq, "latest events missing")
    return None


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
