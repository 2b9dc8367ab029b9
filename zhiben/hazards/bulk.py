"""Importing a large ledger at once (the Excel import of up to 10^5 rows, hazards/excel/ledger.py).

`services.hazard_import` registers one row with a few dozen queries; a county's ledger of 10^5 rows would take
hours that way. `hazard_import_many` makes the same records — each hazard with its code, its hash-chained
events (imported, possible-duplicate flag, 送知 of a live major hazard, the historical submit/close/void and
escalation, in the service's order and with the service's data), its state intervals and the tallies — with
the same checks, but computed in Python and written with `bulk_create` in batches. `check_many` runs those
checks alone (no writes), so an import validates every row before it writes any.

Two deliberate differences, both about rows of the same file: a possible duplicate is looked for among the
hazards the ledger held before the import (the file's own exact duplicates are refused by the import), and the
events of one import share one recording time.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter as Tally
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhiben.core.errors import Forbidden
from zhiben.core.models import Counter
from zhiben.core.timeutils import beijing_date
from zhiben.hazards import duplicates, notify, search, snapshots, tallies
from zhiben.hazards.history import event_hash, normalise
from zhiben.hazards.models import STOCK_CUTOFF, Hazard, HazardEvent, HazardSpan
from zhiben.hazards.spans import spans_from_events
from zhiben.hazards.states import LIVE, Channel, Level, Status

IMPORTERS = {"regulator_admin", "inspector", "platform"}
BATCH = 1000


@dataclass
class Entry:
    """One ledger row, its references already resolved within the importer's scope (project with its
    contractor, standard item in force on the day found). `errors` collects {field: [messages]}."""

    number: int
    project: Any
    channel: str
    level: str
    description: str
    found_at: dt.datetime
    item: Any = None
    location: str = ""
    deadline: dt.date | None = None
    status: str = Status.OPEN
    status_at: dt.datetime | None = None
    escalation_level: int = 0
    note: str = ""
    source_ref: str = ""
    errors: dict[str, list[str]] = field(default_factory=dict)
    found_on: dt.date | None = None
    changed_at: dt.datetime | None = None

    def error(self, name: str, message: str) -> None:
        self.errors.setdefault(name, []).append(str(message))


def _check(entry: Entry, now: dt.datetime) -> None:
    """The checks of `hazard_register` and `hazard_import` for one row, without a query."""
    if entry.found_at > now + dt.timedelta(minutes=5):
        entry.error("found_at", _("The time found cannot be in the future."))
    entry.found_on = found_on = beijing_date(entry.found_at)
    if entry.channel not in Channel.values:
        entry.error("channel", _("Unknown channel."))
    if entry.level not in Level.values:
        entry.error("level", _("Choose major or general."))
    item = entry.item
    if (item is not None and item.level == Level.MAJOR and entry.level == Level.GENERAL
            and item.standard.kind == "determination"):
        entry.error("level", _("An item of the major hazard determination standard makes this a major hazard."))
    if not (entry.description or "").strip():
        entry.error("description", _("Describe the hazard."))
    if entry.deadline is None and entry.level in Level.values:
        entry.deadline = found_on + dt.timedelta(days=settings.HAZARD_DEFAULT_DAYS[entry.level])
    if entry.deadline is not None and entry.deadline < found_on:
        entry.error("deadline", _("The deadline cannot be before the day the hazard was found."))
    if entry.status not in {Status.OPEN, Status.SUBMITTED, Status.CLOSED, Status.VOID}:
        entry.error("status", _("Unknown status."))
    if entry.status != Status.OPEN:
        changed = entry.status_at
        if not changed:
            entry.error("status_at", _("Give the date of the status (closed, voided or submitted)."))
            return
        if changed < entry.found_at:
            changed = entry.found_at + dt.timedelta(minutes=1) if beijing_date(changed) >= found_on else None
            if changed is None:
                entry.error("status_at", _("The status date cannot be before the day found."))
                return
        if changed > now:
            entry.error("status_at", _("The status date cannot be in the future."))
        entry.changed_at = changed
    if entry.escalation_level not in (0, 1, 2, 3):
        entry.error("escalation_level", _("Choose level 0, 1, 2 or 3."))


def _require(actor) -> None:
    from zhiben.hazards.services import role_of

    if role_of(actor) not in IMPORTERS:
        raise Forbidden(_("Only regulators import hazard ledgers."))


def check_many(*, actor, entries: list[Entry]) -> list[Entry]:
    """Check every entry as the service would; returns the entries with errors (nothing is written)."""
    _require(actor)
    now = timezone.now()
    for entry in entries:
        _check(entry, now)
    return [e for e in entries if e.errors]


class _Chain:
    """The events of one new hazard, hashed in order as `history.append_event` would."""

    def __init__(self, hazard: Hazard, at: dt.datetime):
        self.hazard, self.at, self.events = hazard, at, []

    def add(self, action: str, *, actor=None, from_status: str = "", to_status: str = "", data: dict | None = None,
            effective_at: dt.datetime | None = None) -> None:
        actor_id = actor.pk if actor is not None else None
        actor_name = str(actor) if actor is not None else "系统"
        data = normalise(data or {})
        effective_at = effective_at or self.at
        prev_hash = self.events[-1].hash if self.events else ""
        seq = len(self.events) + 1
        digest = event_hash(code=self.hazard.code, seq=seq, action=action, actor_id=actor_id, actor_name=actor_name,
                            at=self.at, effective_at=effective_at, from_status=from_status, to_status=to_status,
                            data=data, prev_hash=prev_hash)
        self.events.append(HazardEvent(
            hazard=self.hazard, seq=seq, action=action, actor_id=actor_id, actor_name=actor_name, at=self.at,
            effective_at=effective_at, from_status=from_status, to_status=to_status, data=data,
            prev_hash=prev_hash, hash=digest))


def _codes(entries: list[Entry]) -> list[str]:
    """One hazard code per entry, from the same counters as `services._next_code`, a block per region and year."""
    wanted: dict[tuple[int, int], int] = Tally((e.project.region_id, e.found_on.year) for e in entries)
    last: dict[tuple[int, int], int] = {}
    for (region, year), n in sorted(wanted.items()):
        key = f"hazard:{region}:{year}"
        Counter.objects.get_or_create(key=key)
        counter = Counter.objects.select_for_update().get(key=key)
        counter.value += n
        counter.save(update_fields=["value"])
        last[(region, year)] = counter.value - n
    codes = []
    for entry in entries:
        key = (entry.project.region_id, entry.found_on.year)
        last[key] += 1
        codes.append(f"YH{key[0]}{key[1]}{last[key]:06d}")
    return codes


def _duplicate_candidates(project_ids: set[int]) -> dict[int, _Candidates]:
    """The live hazards each project held before the import (newest first), for the possible-duplicate flag."""
    found: dict[int, list[Hazard]] = defaultdict(list)
    for other in (Hazard.objects.filter(project_id__in=project_ids, status__in=LIVE)
                  .only("pk", "project_id", "standard_item_id", "description", "location", "code", "found_at")
                  .order_by("-found_at")):
        found[other.project_id].append(other)
    return defaultdict(lambda: _Candidates([]), {pk: _Candidates(hazards) for pk, hazards in found.items()})


class _Candidates:
    """The live hazards a project held before the import, each text prepared once for comparison: the same
    scores as `duplicates.similarity` (the new hazard's text first), with difflib's cheap upper bounds tried
    before the full ratio."""

    def __init__(self, hazards: list[Hazard]):
        from difflib import SequenceMatcher

        self.hazards = hazards
        self.matchers = []
        for other in hazards[:duplicates.CANDIDATES]:
            matcher = SequenceMatcher(None)
            matcher.set_seq2(duplicates._norm(f"{other.description} {other.location}"))
            self.matchers.append((other, matcher))

    def match(self, hazard: Hazard) -> Hazard | None:
        """`duplicates.find_possible_duplicate` over these candidates."""
        if hazard.standard_item_id:
            same = [o for o in self.hazards if o.standard_item_id == hazard.standard_item_id]
            if same:
                return min(same, key=lambda o: o.found_at)
        text = duplicates._norm(f"{hazard.description} {hazard.location}")
        best, best_score = None, duplicates.SIMILARITY
        if not text:
            return None
        for other, matcher in self.matchers:
            if not matcher.b:
                continue
            matcher.set_seq1(text)
            if matcher.real_quick_ratio() < best_score or matcher.quick_ratio() < best_score:
                continue
            score = matcher.ratio()
            if score >= best_score:
                best, best_score = other, score
        return best


@transaction.atomic
def hazard_import_many(*, actor, entries: list[Entry]) -> int:
    """Register every entry (checked first: any error raises BulkInvalid and nothing is written) with the records
    `services.hazard_import` makes for one row. Returns the number of hazards created."""
    bad = check_many(actor=actor, entries=entries)
    if bad:
        raise BulkInvalid(bad)
    now = timezone.now()
    candidates = _duplicate_candidates({e.project.pk for e in entries})
    recipients: dict[int, notify.Recipients] = {}
    tally = Tally()
    for start in range(0, len(entries), BATCH):
        batch = entries[start:start + BATCH]
        hazards = [_hazard(entry, code, actor) for entry, code in zip(batch, _codes(batch), strict=True)]
        # The events depend on the hazard's code, not its id: the whole history is made before the insert, so the
        # hazard row is written once, already in its final state.
        chains = []
        for entry, hazard in zip(batch, hazards, strict=True):
            chain = _Chain(hazard, now)
            _events(chain, entry, hazard, actor, now, candidates, recipients)
            chains.append(chain)
        Hazard.objects.bulk_create(hazards, batch_size=BATCH)
        HazardEvent.objects.bulk_create([e for c in chains for e in c.events], batch_size=BATCH)
        spans = [s for c in chains for s in spans_from_events(c.hazard, c.events)]
        HazardSpan.objects.bulk_create(spans, batch_size=BATCH)
        snapshots.adjust([], spans)  # an old ledger reaches back into stored past days (decision 0012)
        tally.update(tallies.tally_key(s) for s in spans if s.valid_to is None)
        for hazard in hazards:  # 送知 of live major hazards, now that they have ids to link to
            if hazard.notified_at is not None:
                notify.send_major_hazard_notice(hazard, recipients[hazard.enterprise_id])
    tallies.add_many(tally)
    return len(entries)


def _hazard(entry: Entry, code: str, actor) -> Hazard:
    project = entry.project
    hazard = Hazard(
        code=code, project=project, enterprise=project.contractor, region_id=project.region_id,
        channel=entry.channel, level=entry.level, standard_item=entry.item, description=entry.description.strip(),
        location=(entry.location or "").strip(), found_at=entry.found_at, found_on=entry.found_on,
        is_stock=entry.found_on <= STOCK_CUTOFF, deadline=entry.deadline, original_deadline=entry.deadline,
        status=Status.OPEN, first_channel=entry.channel, first_found_at=entry.found_at,
        source_ref=entry.source_ref or "", created_by=actor,
    )
    search.fill(hazard)  # the search document, as the service fills it (decision 0011)
    return hazard


def _events(chain: _Chain, entry: Entry, hazard: Hazard, actor, now, candidates, recipients) -> None:
    """The events of `services.hazard_import` for one row, in its order; sets the hazard's fields to match."""
    item = entry.item
    chain.add("imported", actor=actor, to_status=Status.OPEN, effective_at=entry.found_at, data={
        "channel": entry.channel, "level": entry.level, "project": entry.project.pk,
        "standard_item": item.pk if item else None, "description": hazard.description,
        "location": hazard.location, "deadline": entry.deadline, "found_at": entry.found_at,
        "source_ref": hazard.source_ref,
    })
    match = candidates[hazard.project_id].match(hazard)
    if match is not None:
        hazard.possible_duplicate_of = match
        chain.add("duplicate-flagged", data={"hazard": match.pk, "code": match.code})
    status, changed_at = entry.status, entry.changed_at
    if status in LIVE and entry.level == Level.MAJOR:  # 送知, as the service does for a live major hazard
        enterprise_id = hazard.enterprise_id
        if enterprise_id not in recipients:
            recipients[enterprise_id] = notify.principal_recipients(hazard)
        hazard.notified_at = now  # the notice itself is sent once the hazard is saved
        chain.add("notified", data={"users": [u.pk for u in recipients[enterprise_id].users],
                                    "sms": len(recipients[enterprise_id].sms)})
    historical = {"historical": True, "note": entry.note or ""}
    if status in {Status.SUBMITTED, Status.CLOSED}:
        submitted_at = changed_at if status == Status.SUBMITTED else changed_at - dt.timedelta(seconds=1)
        chain.add("submit", actor=actor, from_status=Status.OPEN, to_status=Status.SUBMITTED,
                  effective_at=max(submitted_at, entry.found_at), data=historical)
        hazard.status = Status.SUBMITTED
    if status == Status.CLOSED:
        chain.add("close", actor=actor, from_status=Status.SUBMITTED, to_status=Status.CLOSED,
                  effective_at=changed_at, data={**historical, "on_time": beijing_date(changed_at) <= hazard.deadline})
        hazard.status, hazard.closed_at = Status.CLOSED, changed_at
    if status == Status.VOID:
        chain.add("void", actor=actor, from_status=Status.OPEN, to_status=Status.VOID, effective_at=changed_at,
                  data={**historical, "reason": entry.note or _("Voided in the old ledger.")})
        hazard.status = Status.VOID
    if entry.escalation_level and hazard.status in LIVE:
        chain.add("escalate", actor=actor, data={"level": [0, entry.escalation_level], **historical})
        hazard.escalation_level, hazard.escalated_at = entry.escalation_level, now
    hazard.history_head = chain.events[-1].hash


class BulkInvalid(Exception):
    """Some entries fail the checks; `entries` carry their errors."""

    def __init__(self, entries: list[Entry]):
        super().__init__("invalid ledger rows")
        self.entries = entries
