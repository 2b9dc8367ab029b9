"""The append-only, hash-chained history: intact after a full life; a changed, deleted or reordered event is found
by `verify_chain` and by `manage.py verify_hazard_history`, which names the hazard and exits non-zero."""

from __future__ import annotations

import datetime as dt
import io
import itertools
import re

import pytest
import time_machine
from django.core.management import CommandError, call_command

from zhiben.core.timeutils import beijing_today
from zhiben.hazards import services
from zhiben.hazards.history import verify_all, verify_chain
from zhiben.hazards.models import HazardEvent
from zhiben.hazards.tests.conftest import beijing

pytestmark = pytest.mark.django_db


@pytest.fixture
def lived(register, regulator, inspector, enterprise_user, principal_user):
    """A major hazard taken through a full life, one action a day."""
    day = iter(range(1, 31))

    def at():
        return time_machine.travel(beijing(2025, 3, next(day), 10), tick=False)

    with at():
        hazard = register(found_at=beijing(2025, 3, 1, 9), deadline=dt.date(2025, 3, 5))
    with at():
        services.hazard_acknowledge(actor=principal_user, hazard_id=hazard.pk)
    with at():
        services.hazard_request_extension(actor=enterprise_user, hazard_id=hazard.pk,
                                          new_deadline=dt.date(2025, 3, 8), reason="材料未到")
    with at():
        services.hazard_deny_extension(actor=regulator, hazard_id=hazard.pk, note="不同意")
    with at():
        services.hazard_submit(actor=enterprise_user, hazard_id=hazard.pk, note="已整改", funds="3000")
    with at():
        services.hazard_reject_submission(actor=inspector, hazard_id=hazard.pk, reason="不彻底")
    with at():
        services.mark_overdue_and_escalate()
    with at():
        services.hazard_escalate(actor=regulator, hazard_id=hazard.pk, level=2, reason="拒不整改")
    with at():
        services.hazard_submit(actor=enterprise_user, hazard_id=hazard.pk, note="再次整改")
    with at():
        services.hazard_close(actor=regulator, hazard_id=hazard.pk, note="合格")
    with at():
        services.hazard_reopen(actor=regulator, hazard_id=hazard.pk, reason="反弹", deadline="2025-03-20")
    hazard.refresh_from_db()
    return hazard


@pytest.fixture
def bystander(register, other_regulator, other_project):
    """A second hazard whose history nobody touches."""
    return register(actor=other_regulator, project_id=other_project.pk, level="general")


def run_verifier() -> tuple[str, CommandError | None]:
    out = io.StringIO()
    try:
        call_command("verify_hazard_history", stdout=out, stderr=out)
    except CommandError as exc:
        return out.getvalue(), exc
    return out.getvalue(), None


def test_the_chain_is_intact_after_a_full_life(lived, bystander):
    events = list(lived.events.order_by("seq"))
    assert [e.action for e in events] == [
        "registered", "notified", "acknowledge", "request-extension", "deny-extension", "submit",
        "reject-submission", "overdue", "escalate", "escalate", "submit", "close", "reopen",
    ]
    assert [e.seq for e in events] == list(range(1, len(events) + 1))
    assert events[0].prev_hash == ""
    for previous, event in itertools.pairwise(events):
        assert event.prev_hash == previous.hash
        assert re.fullmatch(r"[0-9a-f]{64}", event.hash)
    assert verify_chain(lived) is None
    assert list(verify_all()) == []
    output, error = run_verifier()
    assert error is None
    assert "2 hazard histories verified" in output


def assert_found(hazard, seq: int, reason: str):
    hazard.refresh_from_db()
    problem = verify_chain(hazard)
    assert problem is not None
    assert (problem.hazard_id, problem.code, problem.seq, problem.reason) == (hazard.pk, hazard.code, seq, reason)
    assert [p.hazard_id for p in verify_all()] == [hazard.pk]
    output, error = run_verifier()
    assert error is not None  # CommandError: manage.py exits with status 1
    assert "1 of 2 hazard histories fail verification" in str(error)
    assert hazard.code in output and f"event {seq}" in output


def test_changed_data_is_found(lived, bystander):
    event = lived.events.get(action="deny-extension")
    HazardEvent.objects.filter(pk=event.pk).update(data={**event.data, "note": "同意"})
    assert_found(lived, event.seq, "event content altered")


@pytest.mark.parametrize("field", ["actor_name", "at", "action", "to_status"])
def test_a_changed_field_is_found(lived, bystander, field):
    event = lived.events.get(action="close")
    value = {"actor_name": "别人", "at": event.at + dt.timedelta(seconds=1), "action": "reopen",
             "to_status": "open"}[field]
    HazardEvent.objects.filter(pk=event.pk).update(**{field: value})
    assert_found(lived, event.seq, "event content altered")


def test_a_recomputed_hash_still_breaks_the_next_link(lived, bystander):
    from zhiben.hazards.history import event_hash

    event = lived.events.get(action="escalate", data__level=[1, 2])
    event.data = {**event.data, "reason": "已改"}
    event.hash = event_hash(code=lived.code, seq=event.seq, action=event.action, actor_id=event.actor_id,
                            actor_name=event.actor_name, at=event.at, effective_at=event.effective_at,
                            from_status=event.from_status, to_status=event.to_status, data=event.data,
                            prev_hash=event.prev_hash)
    event.save()
    assert_found(lived, event.seq + 1, "previous hash does not match")


def test_a_deleted_event_is_found(lived, bystander):
    event = lived.events.get(action="reject-submission")
    event.delete()
    assert_found(lived, event.seq + 1, "missing or reordered event")


def test_a_deleted_first_event_is_found(lived, bystander):
    lived.events.get(seq=1).delete()
    assert_found(lived, 2, "missing or reordered event")


def test_a_deleted_last_event_is_found(lived, bystander):
    # The chain of what is left is intact; the hazard row (open) no longer matches its history (closed).
    last = lived.events.order_by("-seq").first()
    assert last.action == "reopen"
    last.delete()
    assert_found(lived, last.seq - 1, "history does not match the hazard")


def test_a_deleted_last_escalation_is_found(register, regulator, bystander):
    hazard = register()
    services.hazard_escalate(actor=regulator, hazard_id=hazard.pk, level=1, reason="逾期")
    last = hazard.events.order_by("-seq").first()
    last.delete()
    assert_found(hazard, last.seq - 1, "history does not match the hazard")


def test_reordered_events_are_found(lived, bystander):
    a, b = lived.events.get(action="submit", data__note="已整改"), lived.events.get(action="reject-submission")
    HazardEvent.objects.filter(pk=a.pk).update(seq=10_000)
    HazardEvent.objects.filter(pk=b.pk).update(seq=a.seq)
    HazardEvent.objects.filter(pk=a.pk).update(seq=b.seq)
    assert_found(lived, a.seq, "previous hash does not match")


def test_an_emptied_history_is_found(register, bystander):
    hazard = register(level="general")
    hazard.events.all().delete()
    assert_found(hazard, 0, "history is empty")


def test_the_verifier_reads_every_hazard_in_batches(register, bystander):
    hazards = [register(level="general", description=f"隐患{n}号，位置各不相同") for n in range(5)]
    HazardEvent.objects.filter(hazard=hazards[3]).update(actor_name="篡改")
    assert [p.hazard_id for p in verify_all(batch_size=2)] == [hazards[3].pk]


def test_deleting_the_newest_event_is_detected_even_when_it_changed_no_status(register, enterprise_user):
    """An extension request changes no status; removing it must still break verification (the hazard row keeps
    the hash of its newest event)."""
    import datetime as dt

    from django.core.management import CommandError, call_command

    from zhiben.hazards import services
    from zhiben.hazards.history import verify_chain
    from zhiben.hazards.models import Hazard, HazardEvent

    hazard = register(deadline=beijing_today() + dt.timedelta(days=5))
    services.hazard_request_extension(actor=enterprise_user, hazard_id=hazard.pk,
                                      new_deadline=beijing_today() + dt.timedelta(days=20), reason="等待材料")
    hazard.refresh_from_db()
    assert verify_chain(hazard) is None
    HazardEvent.objects.filter(hazard=hazard, action="request-extension").delete()
    problem = verify_chain(Hazard.objects.get(pk=hazard.pk))
    assert problem is not None and problem.reason == "latest events missing"
    with pytest.raises(CommandError):
        call_command("verify_hazard_history")
