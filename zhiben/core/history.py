"""Append-only, hash-chained histories (decision 0004): the machinery, for any subject that needs one.

A subject (a hazard, a public report, an enforcement case …) has an event model with the chain fields: a
foreign key to the subject, ``seq``, ``action``, ``actor`` (nullable), ``actor_name``, ``at``,
``effective_at``, ``from_status``, ``to_status``, ``data`` (JSON), ``prev_hash`` and ``hash``; the subject has
a stable code (e.g. ``code``) and may keep the newest hash (e.g. ``history_head``) so that a deleted tail is
found too. Each event's hash is SHA-256 over a canonical JSON of the event and the previous event's hash, so
editing, deleting or reordering any event breaks every hash after it.

An app declares its chain once (``HashChain(event_model=…, subject_field=…)``) and calls `append` inside the
transaction that changes the subject, with the subject's row locked; `verify` recomputes a chain.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass

from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone

SYSTEM_ACTOR = "系统"  # the actor name of events no user caused (jobs, imports)


def normalise(data: dict) -> dict:
    """JSON round trip, so what is hashed is exactly what the database stores and returns."""
    return json.loads(json.dumps(data or {}, cls=DjangoJSONEncoder, ensure_ascii=False))


def iso(moment: dt.datetime) -> str:
    """A time as hashed: UTC with microseconds, whatever zone it arrives in."""
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def canonical_hash(payload: dict) -> str:
    """SHA-256 of the canonical JSON of `payload` (sorted keys, no spaces, UTF-8)."""
    canonical = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


@dataclass
class ChainProblem:
    """The first problem found in one subject's chain."""

    subject_id: int
    code: str
    seq: int
    reason: str


@dataclass(frozen=True)
class HashChain:
    """One kind of hash-chained history.

    `subject_field` names the event's foreign key to the subject, `subject_key` the payload key under which the
    subject's code (`code_attr`) is hashed (part of the stored hashes: never change it for an existing chain),
    `head_field` the subject's field holding the newest hash ("" when the subject keeps none).
    """

    event_model: type
    subject_field: str
    subject_key: str = ""
    code_attr: str = "code"
    head_field: str = "history_head"
    problem_class: type = ChainProblem

    def event_hash(self, *, code: str, seq: int, action: str, actor_id: int | None, actor_name: str,
                   at: dt.datetime, effective_at: dt.datetime, from_status: str, to_status: str, data: dict,
                   prev_hash: str) -> str:
        return canonical_hash({
            self.subject_key or self.subject_field: code, "seq": seq, "action": action, "actor": actor_id,
            "actor_name": actor_name, "at": iso(at), "effective_at": iso(effective_at), "from": from_status,
            "to": to_status, "data": data, "prev": prev_hash,
        })

    def hash_of(self, subject, event) -> str:
        """The hash a stored event should carry."""
        return self.event_hash(
            code=getattr(subject, self.code_attr), seq=event.seq, action=event.action, actor_id=event.actor_id,
            actor_name=event.actor_name, at=event.at, effective_at=event.effective_at,
            from_status=event.from_status, to_status=event.to_status, data=event.data, prev_hash=event.prev_hash,
        )

    def append(self, subject, *, action: str, actor=None, from_status: str = "", to_status: str = "",
               data: dict | None = None, effective_at: dt.datetime | None = None, actor_name: str = ""):
        """Append one event; call with the subject's row locked, inside the transaction that changes it."""
        events = self.event_model.objects.filter(**{self.subject_field: subject})
        last = events.order_by("-seq").values("seq", "hash").first()
        seq = (last["seq"] + 1) if last else 1
        prev_hash = last["hash"] if last else ""
        now = timezone.now()
        effective_at = effective_at or now
        actor_id = actor.pk if actor is not None and getattr(actor, "is_authenticated", False) else None
        if actor_id is None:
            actor = None
        actor_name = actor_name or (str(actor) if actor is not None else SYSTEM_ACTOR)
        data = normalise(data or {})
        digest = self.event_hash(
            code=getattr(subject, self.code_attr), seq=seq, action=action, actor_id=actor_id, actor_name=actor_name,
            at=now, effective_at=effective_at, from_status=from_status, to_status=to_status, data=data,
            prev_hash=prev_hash,
        )
        event = self.event_model.objects.create(
            **{self.subject_field: subject}, seq=seq, action=action, actor=actor, actor_name=actor_name, at=now,
            effective_at=effective_at, from_status=from_status, to_status=to_status, data=data,
            prev_hash=prev_hash, hash=digest,
        )
        if self.head_field:
            setattr(subject, self.head_field, digest)
            type(subject).objects.filter(pk=subject.pk).update(**{self.head_field: digest})
        return event

    def verify(self, subject, events: list) -> ChainProblem | None:
        """The first broken link of a subject's events (in seq order), or None. A subject-specific check that the
        subject row still matches its history (e.g. its status) belongs to the app, after this one."""
        problem = self.problem_class
        code = getattr(subject, self.code_attr)
        prev = ""
        for expected_seq, event in enumerate(events, start=1):
            if event.seq != expected_seq:
                return problem(subject.pk, code, event.seq, "missing or reordered event")
            if event.prev_hash != prev:
                return problem(subject.pk, code, event.seq, "previous hash does not match")
            if self.hash_of(subject, event) != event.hash:
                return problem(subject.pk, code, event.seq, "event content altered")
            prev = event.hash
        if not events:
            return problem(subject.pk, code, 0, "history is empty")
        return None

    def verify_head(self, subject, events: list) -> ChainProblem | None:
        """The chain alone cannot show that its last events were deleted: the subject keeps the newest hash."""
        head = getattr(subject, self.head_field, "") if self.head_field else ""
        if head and events and head != events[-1].hash:
            return self.problem_class(subject.pk, getattr(subject, self.code_attr), events[-1].seq,
                                      "latest events missing")
        return None
