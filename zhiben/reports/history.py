"""The report's hash-chained history. The chain itself (canonical JSON, SHA-256 over the entry and the previous
hash) is the ledger's; this module only says which row and fields it covers."""

from __future__ import annotations

import datetime as dt
import hashlib
import json

from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone

from zhiben.reports.models import Report, ReportEvent


def _canonical(payload: dict) -> str:
    return json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"), cls=DjangoJSONEncoder)


def _normalise(data: dict) -> dict:
    return json.loads(json.dumps(data or {}, cls=DjangoJSONEncoder, ensure_ascii=False))


def event_hash(*, code: str, seq: int, action: str, actor_id, actor_name: str, at, from_status: str,
               to_status: str, data: dict, prev_hash: str) -> str:
    payload = {"report": code, "seq": seq, "action": action, "actor": actor_id, "actor_name": actor_name,
               "at": at.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ"), "from": from_status,
               "to": to_status, "data": data, "prev": prev_hash}
    return hashlib.sha256(_canonical(payload).encode("utf-8")).hexdigest()


def append_event(report: Report, *, action: str, actor=None, from_status: str = "", to_status: str = "",
                 data: dict | None = None, actor_name: str = "") -> ReportEvent:
    """Append one entry; call with the report row locked, inside the transaction that changes it."""
    last = ReportEvent.objects.filter(report=report).order_by("-seq").values("seq", "hash").first()
    seq = (last["seq"] + 1) if last else 1
    prev_hash = last["hash"] if last else ""
    now = timezone.now()
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    actor_name = actor_name or (str(actor) if actor is not None else "系统")
    data = _normalise(data or {})
    digest = event_hash(code=report.receipt_code, seq=seq, action=action, actor_id=actor.pk if actor else None,
                        actor_name=actor_name, at=now, from_status=from_status, to_status=to_status, data=data,
                        prev_hash=prev_hash)
    event = ReportEvent.objects.create(report=report, seq=seq, action=action, actor=actor, actor_name=actor_name,
                                       at=now, from_status=from_status, to_status=to_status, data=data,
                                       prev_hash=prev_hash, hash=digest)
    Report.objects.filter(pk=report.pk).update(history_head=digest)
    report.history_head = digest
    return event


def verify_chain(report: Report) -> str | None:
    """The first problem in a report's history, or None when it is intact."""
    events = list(report.events.order_by("seq"))
    if not events:
        return "history is empty"
    prev = ""
    for expected, event in enumerate(events, start=1):
        if event.seq != expected or event.prev_hash != prev:
            return f"event {event.seq}: missing or reordered"
        digest = event_hash(code=report.receipt_code, seq=event.seq, action=event.action, actor_id=event.actor_id,
                            actor_name=event.actor_name, at=event.at, from_status=event.from_status,
                            to_status=event.to_status, data=event.data, prev_hash=event.prev_hash)
        if digest != event.hash:
            return f"event {event.seq}: content altered"
        prev = event.hash
    if report.history_head != events[-1].hash:
        return "latest events missing"
    return None
