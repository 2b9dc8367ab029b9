"""Two workers running the overdue job at the same moment do each hazard once (row locks with SKIP LOCKED).

PostgreSQL only: SQLite has no row locks (it serialises whole write transactions), so the race this test
provokes cannot happen there. CI runs it in its PostgreSQL suite; on SQLite the marker deselects it.
"""

from __future__ import annotations

import datetime as dt
import threading

import pytest
import time_machine
from django.db import connection

from zhiben.hazards import services
from zhiben.hazards.models import Hazard, HazardEvent
from zhiben.hazards.tests.conftest import beijing

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

WORKERS = 2
HAZARDS = 40


def test_two_workers_at_once_record_each_overdue_hazard_and_escalation_once(register):
    with time_machine.travel(beijing(2025, 3, 1, 10), tick=False):
        hazards = [
            register(found_at=beijing(2025, 3, 1, 9), deadline=dt.date(2025, 3, 10), level="major",
                     description=f"第{n}号塔吊附着装置未按方案设置，编号{n * 7919}")
            for n in range(HAZARDS)
        ]
    start = threading.Barrier(WORKERS)
    results: list[dict] = []
    errors: list[BaseException] = []

    def worker():
        try:
            start.wait(timeout=30)
            results.append(services.mark_overdue_and_escalate(today=dt.date(2025, 3, 11)))
        except BaseException as exc:  # reported in the main thread
            errors.append(exc)
        finally:
            connection.close()  # each thread has its own connection; leave none open for the teardown

    threads = [threading.Thread(target=worker) for _ in range(WORKERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(t.is_alive() for t in threads)
    assert errors == []
    assert sum(r["overdue"] for r in results) == HAZARDS
    assert sum(r["escalated"] for r in results) == HAZARDS
    ids = [h.pk for h in hazards]
    for action in ("overdue", "escalate"):
        per_hazard = dict.fromkeys(ids, 0)
        for hazard_id in HazardEvent.objects.filter(hazard_id__in=ids, action=action).values_list("hazard_id",
                                                                                                  flat=True):
            per_hazard[hazard_id] += 1
        assert set(per_hazard.values()) == {1}, action
    assert set(Hazard.objects.filter(pk__in=ids).values_list("escalation_level", flat=True)) == {1}
    from zhiben.hazards.history import verify_all

    assert list(verify_all()) == []
    # A second pass by both finds nothing left to do.
    assert services.mark_overdue_and_escalate(today=dt.date(2025, 3, 11)) == {"overdue": 0, "escalated": 0}
