"""Closing tallies of past days (HazardSnapshot): the current-state tallies as they stood at the end of each
completed Beijing day, with the deadline folded into `overdue` as of that day (decision 0012).

Three things keep them equal to the state intervals:
- `build` writes whole days from the intervals (the periodic job for each completed day, the command for a range);
- `adjust` runs in the same transaction as every rebuild of a hazard's intervals (spans.rebuild_spans) and moves
  the hazard between snapshot rows on every stored day whose closing state changed (a back-dated event, an edit of
  the found date or region, an import of an old ledger), so a stored day is never stale;
- `check` recomputes stored days from the intervals (`manage.py rebuild_hazard_spans` proves and repairs them).

A builder and an adjuster must not interleave (a builder reading the intervals before a back-dated change commits,
and the change looking for stored days before the builder's day is committed, would lose the change). On
PostgreSQL, builders take a transaction-level advisory lock exclusively and adjusters take it shared, only when a
change reaches back before today; SQLite serialises every write transaction already (IMMEDIATE mode).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from contextlib import contextmanager

from django.db import connection, transaction
from django.db.models import Count, Q
from django.db.models.functions import ExtractYear, TruncDate
from django.utils import timezone

from zhiben.core.timeutils import BEIJING, beijing_date, beijing_today, end_of_beijing_day
from zhiben.hazards.models import HazardSnapshot, HazardSnapshotDay, HazardSpan
from zhiben.hazards.states import LIVE

KEY = ("region_id", "level", "is_stock", "found_year", "status", "overdue", "escalated")
LOCK_ID = 0x7A68_0012  # pg_advisory lock shared by builders (exclusive) and adjusters (shared)
WRITE_BATCH = 500
CHUNK_DAYS = 92  # days built per transaction


def _lock(*, shared: bool) -> None:
    if connection.vendor != "postgresql":
        return
    function = "pg_advisory_xact_lock_shared" if shared else "pg_advisory_xact_lock"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {function}(%s)", [LOCK_ID])


def _date(value) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


# --- Expected figures, from the intervals --------------------------------------------------------------------


def expected(first: dt.date, last: dt.date):
    """Yield (day, {key: n}) for each day from `first` to `last`, computed from the state intervals.

    One grouped scan: each group of intervals with the same state (deadline kept) and the same first and last
    Beijing day enters the running tally on its first day and leaves it on the day it ends; each day's running
    tally is then folded into snapshot keys (overdue as of that day)."""
    start, stop = end_of_beijing_day(first), end_of_beijing_day(last)
    groups = (
        HazardSpan.objects.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=start), valid_from__lt=stop)
        .annotate(found_year=ExtractYear("found_on"), since=TruncDate("valid_from", tzinfo=BEIJING),
                  until=TruncDate("valid_to", tzinfo=BEIJING))
        .values_list("region_id", "level", "is_stock", "found_year", "status", "deadline", "escalation_level",
                     "since", "until")
        .annotate(n=Count("status")).order_by()
    )
    enters: dict[dt.date, dict] = defaultdict(lambda: defaultdict(int))
    leaves: dict[dt.date, dict] = defaultdict(lambda: defaultdict(int))
    for region, level, stock, year, status, deadline, escalation, since, until, n in groups.iterator(2000):
        live = status in LIVE
        state = (region, level, bool(stock), int(year), status, _date(deadline) if live else None,
                 bool(live and escalation > 0))
        enters[max(_date(since), first)][state] += n
        if until is not None and _date(until) <= last:
            leaves[_date(until)][state] += n
    running: dict[tuple, int] = defaultdict(int)
    day = first
    while day <= last:
        for state, n in enters.pop(day, {}).items():
            running[state] += n
        for state, n in leaves.pop(day, {}).items():
            running[state] -= n
        folded: dict[tuple, int] = defaultdict(int)
        for (region, level, stock, year, status, deadline, escalated), n in running.items():
            if n:
                folded[(region, level, stock, year, status, deadline is not None and deadline < day, escalated)] += n
        yield day, {key: n for key, n in folded.items() if n}
        day += dt.timedelta(days=1)


def stored(day: dt.date) -> dict[tuple, int]:
    return {tuple(row[:-1]): row[-1] for row in
            HazardSnapshot.objects.filter(day=day).exclude(n=0).values_list(*KEY, "n")}


# --- Writing ---------------------------------------------------------------------------------------------------


def _write(day: dt.date, figures: dict[tuple, int]) -> None:
    HazardSnapshot.objects.filter(day=day).delete()
    HazardSnapshot.objects.bulk_create(
        [HazardSnapshot(day=day, **dict(zip(KEY, key, strict=True)), n=n) for key, n in figures.items()],
        batch_size=2000,
    )
    HazardSnapshotDay.objects.update_or_create(day=day, defaults={"built_at": timezone.now()})


def build(first: dt.date, last: dt.date, *, only_missing: bool = False) -> list[dt.date]:
    """(Re)write the snapshots of the completed days from `first` to `last` (today and later are never stored);
    returns the days written. One transaction per CHUNK_DAYS days, each holding the builders' lock (a
    back-dated change waits for at most one chunk)."""
    last = min(last, beijing_today() - dt.timedelta(days=1))
    written: list[dt.date] = []
    while first <= last:
        stop = min(last, first + dt.timedelta(days=CHUNK_DAYS - 1))
        with transaction.atomic():
            _lock(shared=False)
            have = set(HazardSnapshotDay.objects.filter(day__range=(first, stop)).values_list("day", flat=True))
            if not (only_missing and len(have) == (stop - first).days + 1):
                for day, figures in expected(first, stop):
                    if only_missing and day in have:
                        continue
                    _write(day, figures)
                    written.append(day)
        first = stop + dt.timedelta(days=1)
    return written


def build_missing() -> list[dt.date]:
    """The periodic job: store every completed day after the last stored one (from the first day of the ledger
    when none is stored yet). Days before the first stored one are left to `manage.py build_hazard_snapshots`."""
    yesterday = beijing_today() - dt.timedelta(days=1)
    latest = HazardSnapshotDay.objects.order_by("-day").values_list("day", flat=True).first()
    if latest is not None:
        first = latest + dt.timedelta(days=1)
    else:
        earliest = HazardSpan.objects.order_by("valid_from").values_list("valid_from", flat=True).first()
        if earliest is None:
            return []
        first = beijing_date(earliest)
    return build(first, yesterday, only_missing=True) if first <= yesterday else []


def check(*, repair: bool = False) -> list[dt.date]:
    """The stored days whose snapshots differ from the intervals; with `repair`, rewrite them."""
    days = sorted(HazardSnapshotDay.objects.values_list("day", flat=True))
    if not days:
        return []
    wanted = set(days)
    bad = [day for day, figures in expected(days[0], days[-1]) if day in wanted and figures != stored(day)]
    if repair:
        for day in bad:
            build(day, day)
    return bad


# --- Keeping stored days right when history changes ----------------------------------------------------------


def closing_ranges(spans, since: dt.date, until: dt.date):
    """(key, first day, day after the last) for each run of days in [since, until) on which the hazard closes
    under the same snapshot key: an interval covers the end of day d when date(valid_from) <= d < date(valid_to),
    and a live interval turns overdue on the day after its deadline."""
    for span in spans:
        first = max(beijing_date(span.valid_from), since)
        stop = min(beijing_date(span.valid_to), until) if span.valid_to is not None else until
        if first >= stop:
            continue
        live = span.status in LIVE
        base = (span.region_id, span.level, bool(span.is_stock), _date(span.found_on).year, span.status)
        escalated = bool(live and span.escalation_level > 0)
        if not live:
            yield (*base, False, False), first, stop
            continue
        turn = min(max(_date(span.deadline) + dt.timedelta(days=1), first), stop)
        if first < turn:
            yield (*base, False, escalated), first, turn
        if turn < stop:
            yield (*base, True, escalated), turn, stop


class _Pending:
    """Day-range changes per snapshot key (a difference array), turned into row deltas on the stored days."""

    def __init__(self):
        self.changes: dict[tuple, dict[dt.date, int]] = defaultdict(lambda: defaultdict(int))
        self.first: dt.date | None = None

    def add(self, spans, sign: int, since: dt.date, until: dt.date) -> None:
        for key, first, stop in closing_ranges(spans, since, until):
            self.changes[key][first] += sign
            self.changes[key][stop] -= sign
        self.first = since if self.first is None else min(self.first, since)

    def flush(self) -> int:
        """Apply the changes to the stored days; returns how many (day, key) rows changed."""
        if self.first is None:
            return 0
        days = list(HazardSnapshotDay.objects.filter(day__gte=self.first).order_by("day")
                    .values_list("day", flat=True))
        deltas: dict[tuple, int] = {}
        for key, points in self.changes.items():
            running, marks, index = 0, sorted(points.items()), 0
            for day in days:
                while index < len(marks) and marks[index][0] <= day:
                    running += marks[index][1]
                    index += 1
                if running:
                    deltas[(day, *key)] = running
        self.changes.clear()
        self.first = None
        _apply(deltas)
        return len(deltas)


_deferred: list[_Pending] = []


@contextmanager
def deferred():
    """Inside a transaction that amends the history of many hazards (a bulk import of an old ledger), gather the
    changes to stored days and apply them once, summed, on leaving the block."""
    pending = _Pending()
    _deferred.append(pending)
    try:
        yield pending
    finally:
        _deferred.remove(pending)
    pending.flush()


def adjust(old_spans: list[HazardSpan], new_spans: list[HazardSpan]) -> int:
    """Move one hazard between snapshot rows on every stored day whose closing state differs between its old and
    new intervals (inside the caller's transaction). Returns how many snapshot rows changed (0 when deferred).

    An ordinary event takes effect now, after every completed day: nothing to do, no lock taken."""
    from zhiben.hazards.spans import span_key

    old_keys = {span_key(s) for s in old_spans}
    new_keys = {span_key(s) for s in new_spans}
    changed = [s for s in old_spans if span_key(s) not in new_keys] + \
              [s for s in new_spans if span_key(s) not in old_keys]
    if not changed:
        return 0
    first = beijing_date(min(s.valid_from for s in changed))
    today = beijing_today()
    if first >= today:
        return 0
    _lock(shared=True)
    pending = _deferred[-1] if _deferred else _Pending()
    pending.add(old_spans, -1, first, today)
    pending.add(new_spans, +1, first, today)
    return 0 if _deferred else pending.flush()


def _apply(deltas: dict[tuple, int]) -> None:
    """Insert-or-add each (day, key) delta; rows in key order, like the tallies, so two transactions never wait on
    each other in a circle."""
    deltas = {key: n for key, n in deltas.items() if n}
    if not deltas:
        return
    table = HazardSnapshot._meta.db_table
    columns = ", ".join(("day", *KEY))
    row = "(" + ", ".join(["%s"] * (len(KEY) + 2)) + ")"
    items = sorted(deltas.items(), key=lambda item: tuple(str(part) for part in item[0]))
    with connection.cursor() as cursor:
        for start in range(0, len(items), WRITE_BATCH):
            batch = items[start:start + WRITE_BATCH]
            cursor.execute(
                f"INSERT INTO {table} ({columns}, n) VALUES {', '.join([row] * len(batch))} "  # noqa: S608
                f"ON CONFLICT ({columns}) DO UPDATE SET n = {table}.n + excluded.n",
                [value for key, n in batch for value in (*key, n)],
            )
