"""The current-state tallies (HazardTally): derived from the current state intervals, adjusted in the same
transaction whenever a hazard's current interval changes, and recomputable from scratch to prove them equal."""

from __future__ import annotations

import datetime as dt

from django.db import connection, transaction
from django.db.models import Count
from django.db.models.functions import ExtractYear

from zhiben.hazards.models import HazardSpan, HazardTally
from zhiben.hazards.states import LIVE

NO_DEADLINE = dt.date(2000, 1, 1)
KEY = ("region_id", "level", "is_stock", "found_year", "status", "deadline", "escalated")


def tally_key(span: HazardSpan | None) -> tuple | None:
    if span is None:
        return None
    live = span.status in LIVE
    deadline = span.deadline if live else NO_DEADLINE
    if isinstance(deadline, str):
        deadline = dt.date.fromisoformat(deadline)
    found_on = span.found_on if isinstance(span.found_on, dt.date) else dt.date.fromisoformat(str(span.found_on))
    return (span.region_id, span.level, bool(span.is_stock), found_on.year, span.status, deadline,
            bool(live and span.escalation_level > 0))


def adjust(old: tuple | None, new: tuple | None) -> None:
    """Move one hazard from tally `old` to tally `new` (either may be None: created, or nothing current)."""
    if old == new:
        return
    table = HazardTally._meta.db_table
    columns = ", ".join(KEY)
    placeholders = ", ".join(["%s"] * len(KEY))
    changes = [(key, delta) for key, delta in ((old, -1), (new, 1)) if key is not None]
    # Every transaction touches tally rows in the same (key) order, so two of them can never wait on each other
    # in a circle (deadlock) when their hazards move between the same tallies in opposite directions.
    changes.sort(key=lambda change: tuple(str(part) for part in change[0]))
    with connection.cursor() as cursor:
        for key, delta in changes:
            # One statement for insert-or-add, so two transactions touching the same tally never race.
            cursor.execute(
                f"INSERT INTO {table} ({columns}, n) VALUES ({placeholders}, %s) "  # noqa: S608 (fixed names)
                f"ON CONFLICT ({columns}) DO UPDATE SET n = {table}.n + excluded.n",
                [*key, delta],
            )


def add_many(deltas: dict[tuple, int]) -> None:
    """Add `deltas` (tally key → number of hazards) at once, keys in the same order as `adjust` (bulk imports)."""
    table = HazardTally._meta.db_table
    columns = ", ".join(KEY)
    placeholders = ", ".join(["%s"] * len(KEY))
    with connection.cursor() as cursor:
        for key in sorted((k for k in deltas if k is not None), key=lambda k: tuple(str(part) for part in k)):
            if deltas[key]:
                cursor.execute(
                    f"INSERT INTO {table} ({columns}, n) VALUES ({placeholders}, %s) "  # noqa: S608 (fixed names)
                    f"ON CONFLICT ({columns}) DO UPDATE SET n = {table}.n + excluded.n",
                    [*key, deltas[key]],
                )


def computed() -> dict[tuple, int]:
    """The tallies recomputed from the current state intervals."""
    rows = (
        HazardSpan.objects.filter(valid_to__isnull=True)
        .annotate(found_year=ExtractYear("found_on"))
        .values("region_id", "level", "is_stock", "found_year", "status", "deadline", "escalation_level")
        .annotate(n=Count("status"))
    )
    result: dict[tuple, int] = {}
    for row in rows:
        live = row["status"] in LIVE
        key = (row["region_id"], row["level"], row["is_stock"], row["found_year"], row["status"],
               row["deadline"] if live else NO_DEADLINE, bool(live and row["escalation_level"] > 0))
        result[key] = result.get(key, 0) + row["n"]
    return result


def stored() -> dict[tuple, int]:
    return {tuple(row[:-1]): row[-1] for row in HazardTally.objects.exclude(n=0).values_list(*KEY, "n")}


def rebuild() -> int:
    """Replace every tally with the recomputed ones; returns how many tallies there are."""
    with transaction.atomic():
        HazardTally.objects.all().delete()
        rows = [HazardTally(**dict(zip(KEY, key, strict=True)), n=n) for key, n in computed().items()]
        HazardTally.objects.bulk_create(rows, batch_size=2000)
    return len(rows)
