"""Escalation (挂牌督办): by hand, and by the periodic job that finds overdue hazards the day after the deadline in
Beijing time and escalates overdue major hazards (county, then city and province after HAZARD_ESCALATION_DAYS)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError

from zhiben.core.errors import InvalidTransition
from zhiben.hazards import services
from zhiben.hazards.models import Hazard
from zhiben.hazards.tests.conftest import beijing
from zhiben.notifications.models import Notification

pytestmark = pytest.mark.django_db

UTC = dt.UTC
DEADLINE = dt.date(2025, 3, 10)
LAST_MINUTE = dt.datetime(2025, 3, 10, 15, 59, tzinfo=UTC)  # 2025-03-10 23:59 in Beijing
NEXT_DAY = dt.datetime(2025, 3, 10, 16, 0, tzinfo=UTC)  # 2025-03-11 00:00 in Beijing


@pytest.fixture
def make(register):
    def _make(**kwargs):
        kwargs.setdefault("deadline", DEADLINE)
        kwargs.setdefault("found_at", beijing(2025, 3, 1, 9))
        with time_machine.travel(beijing(2025, 3, 1, 10), tick=False):
            return register(**kwargs)

    return _make


def run_job_at(moment) -> dict:
    with time_machine.travel(moment, tick=False):
        return services.mark_overdue_and_escalate()


def actions_of(hazard) -> list[str]:
    return list(hazard.events.order_by("seq").values_list("action", flat=True))


# --- By hand -------------------------------------------------------------------------------------------------


def test_a_regulator_escalates_by_hand_and_the_enterprise_is_told(make, regulator, enterprise_user):
    hazard = make()
    hazard = services.hazard_escalate(actor=regulator, hazard_id=hazard.pk, level=2, reason="群众反映强烈")
    assert hazard.escalation_level == 2 and hazard.escalated_at is not None
    event = hazard.events.order_by("-seq").first()
    assert (event.action, event.data) == ("escalate", {"level": [0, 2], "reason": "群众反映强烈"})
    assert Notification.objects.filter(recipient=enterprise_user, kind="hazard.escalated").count() == 1


def test_the_level_must_rise(make, regulator):
    hazard = make()
    services.hazard_escalate(actor=regulator, hazard_id=hazard.pk, level=2, reason="逾期")
    for level in (1, 2):
        with pytest.raises(InvalidTransition):
            services.hazard_escalate(actor=regulator, hazard_id=hazard.pk, level=level, reason="逾期")
    hazard = services.hazard_escalate(actor=regulator, hazard_id=hazard.pk, level="3", reason="逾期")
    assert hazard.escalation_level == 3
    assert "escalate" not in services.allowed_actions(regulator, hazard)


@pytest.mark.parametrize("level", [0, 4, -1, "abc", None, "1.5"])
def test_the_level_is_1_2_or_3(make, regulator, level):
    hazard = make()
    with pytest.raises(ValidationError) as caught:
        services.hazard_escalate(actor=regulator, hazard_id=hazard.pk, level=level, reason="逾期")
    assert "level" in caught.value.message_dict


def test_escalation_needs_a_reason(make, regulator):
    hazard = make()
    with pytest.raises(ValidationError) as caught:
        services.hazard_escalate(actor=regulator, hazard_id=hazard.pk, level=1, reason="")
    assert "reason" in caught.value.message_dict


# --- Overdue detection ---------------------------------------------------------------------------------------


def test_a_hazard_is_overdue_from_the_beijing_day_after_its_deadline(make, api, regulator):
    hazard = make()
    api.force_authenticate(regulator)
    with time_machine.travel(LAST_MINUTE, tick=False):
        assert services.mark_overdue_and_escalate() == {"overdue": 0, "escalated": 0}
        hazard.refresh_from_db()
        assert hazard.is_overdue is False and hazard.overdue_marked_on is None and hazard.escalation_level == 0
        assert api.get(f"/api/v1/hazards/{hazard.pk}/").json()["is_overdue"] is False
        assert api.get("/api/v1/hazards/?is_overdue=true").json()["count"] == 0
    with time_machine.travel(NEXT_DAY, tick=False):
        assert services.mark_overdue_and_escalate() == {"overdue": 1, "escalated": 1}
        hazard.refresh_from_db()
        assert hazard.is_overdue is True
        assert hazard.overdue_marked_on == dt.date(2025, 3, 11)
        assert hazard.escalation_level == 1
        assert api.get(f"/api/v1/hazards/{hazard.pk}/").json()["is_overdue"] is True
        assert api.get("/api/v1/hazards/?is_overdue=true").json()["count"] == 1
    overdue = hazard.events.get(action="overdue")
    assert overdue.actor is None and overdue.data == {"deadline": "2025-03-10", "on": "2025-03-11"}
    assert hazard.events.get(action="escalate").data["level"] == [0, 1]


def test_the_overdue_event_is_recorded_once(make):
    hazard = make()
    for moment in (NEXT_DAY, NEXT_DAY + dt.timedelta(minutes=15), NEXT_DAY + dt.timedelta(days=3)):
        run_job_at(moment)
    assert hazard.events.filter(action="overdue").count() == 1


def test_the_job_is_idempotent(make):
    major, general = make(), make(level="general", description="施工现场临时用电未设漏电保护")
    first = run_job_at(NEXT_DAY)
    events = {h.pk: actions_of(h) for h in (major, general)}
    second = run_job_at(NEXT_DAY)
    assert first == {"overdue": 2, "escalated": 1}
    assert second == {"overdue": 0, "escalated": 0}
    assert {h.pk: actions_of(h) for h in (major, general)} == events


@pytest.mark.parametrize(
    ("day", "level"),
    [
        (dt.date(2025, 3, 11), 1),  # the day after the deadline: the county
        (dt.date(2025, 4, 8), 1),  # 29 days late
        (dt.date(2025, 4, 9), 2),  # 30 days late: the city
        (dt.date(2025, 5, 8), 2),  # 59 days late
        (dt.date(2025, 5, 9), 3),  # 60 days late: the province
    ],
)
def test_major_hazards_escalate_with_the_days_late(make, settings, day, level):
    assert settings.HAZARD_ESCALATION_DAYS == {2: 30, 3: 60}
    hazard = make()
    run_job_at(beijing(day.year, day.month, day.day, 0, 0))
    hazard.refresh_from_db()
    assert hazard.escalation_level == level
    assert hazard.events.filter(action="escalate").count() == 1  # straight to the level due, in one step


def test_each_level_is_reached_once_as_days_pass(make):
    hazard = make()
    for day in range(11, 32):
        run_job_at(beijing(2025, 3, day))
    for day in range(1, 31):
        run_job_at(beijing(2025, 4, day))
    run_job_at(beijing(2025, 5, 9))
    run_job_at(beijing(2025, 5, 10))
    levels = [e.data["level"] for e in hazard.events.filter(action="escalate").order_by("seq")]
    assert levels == [[0, 1], [1, 2], [2, 3]]
    assert hazard.events.filter(action="overdue").count() == 1


def test_the_escalation_days_come_from_settings(make, settings):
    settings.HAZARD_ESCALATION_DAYS = {2: 5, 3: 10}
    hazard = make()
    run_job_at(beijing(2025, 3, 15))
    hazard.refresh_from_db()
    assert hazard.escalation_level == 2


def test_general_hazards_are_marked_overdue_but_not_escalated(make):
    hazard = make(level="general")
    run_job_at(beijing(2025, 6, 1))
    hazard.refresh_from_db()
    assert hazard.overdue_marked_on == dt.date(2025, 6, 1)
    assert hazard.escalation_level == 0
    assert actions_of(hazard) == ["registered", "overdue"]


def test_the_job_never_lowers_a_level_set_by_hand(make, regulator):
    hazard = make()
    services.hazard_escalate(actor=regulator, hazard_id=hazard.pk, level=3, reason="省级督办")
    run_job_at(NEXT_DAY)
    hazard.refresh_from_db()
    assert hazard.escalation_level == 3
    assert hazard.events.filter(action="escalate").count() == 1


def test_submitted_hazards_are_still_overdue(make, enterprise_user):
    hazard = make()
    with time_machine.travel(beijing(2025, 3, 5), tick=False):
        services.hazard_submit(actor=enterprise_user, hazard_id=hazard.pk, note="已整改")
    run_job_at(NEXT_DAY)
    hazard.refresh_from_db()
    assert hazard.overdue_marked_on is not None and hazard.escalation_level == 1


def test_closed_and_void_hazards_are_never_overdue(make, enterprise_user, regulator):
    closed, void = make(), make(description="高支模未经专家论证")
    with time_machine.travel(beijing(2025, 3, 5), tick=False):
        services.hazard_submit(actor=enterprise_user, hazard_id=closed.pk, note="已整改")
        services.hazard_close(actor=regulator, hazard_id=closed.pk)
        services.hazard_void(actor=regulator, hazard_id=void.pk, reason="登记错误")
    assert run_job_at(beijing(2025, 6, 1)) == {"overdue": 0, "escalated": 0}
    assert not Hazard.objects.filter(overdue_marked_on__isnull=False).exists()


def test_the_job_uses_the_beijing_day_when_none_is_given(make):
    hazard = make()
    # 2025-03-10T20:00 in New York is already 2025-03-11 in Beijing (and in UTC).
    run_job_at(dt.datetime(2025, 3, 10, 20, 0, tzinfo=dt.timezone(dt.timedelta(hours=-4))))
    hazard.refresh_from_db()
    assert hazard.overdue_marked_on == dt.date(2025, 3, 11)


def test_the_periodic_task_runs_the_job(make):
    from zhiben.hazards import tasks

    hazard = make()
    assert ("hazards.overdue", "zhiben.hazards.tasks.mark_overdue", 15 * 60) in tasks.PERIODIC_JOBS
    with time_machine.travel(NEXT_DAY, tick=False):
        assert tasks.mark_overdue() == {"overdue": 1, "escalated": 1}
    hazard.refresh_from_db()
    assert hazard.escalation_level == 1


def test_a_deadline_moved_by_a_regulator_clears_the_overdue_mark(make, regulator):
    hazard = make()
    run_job_at(NEXT_DAY)
    with time_machine.travel(NEXT_DAY, tick=False):
        hazard = services.hazard_update(actor=regulator, hazard_id=hazard.pk, deadline=dt.date(2025, 3, 20))
        assert hazard.overdue_marked_on is None and hazard.is_overdue is False
    run_job_at(beijing(2025, 3, 21))
    assert hazard.events.filter(action="overdue").count() == 2  # the new deadline passed too: recorded again
