"""送知: a major hazard is told to the enterprise's principal and actual controller (inbox and SMS); only they
acknowledge; one reminder when the notification is still unacknowledged after 24 hours."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from zhiben.core.errors import Forbidden, InvalidTransition
from zhiben.hazards import services
from zhiben.hazards.tests.conftest import beijing
from zhiben.notifications.models import Notification, OutboundMessage
from zhiben.registry.factories import PersonFactory

pytestmark = pytest.mark.django_db

REGISTERED = beijing(2025, 3, 1, 9, 0)


@pytest.fixture
def controller_user(enterprise):
    """The enterprise's actual controller (实际控制人), with an account."""
    from conftest import make_user

    person = PersonFactory(name="赵实控", phone="13700001111")
    enterprise.actual_controller = person
    enterprise.save()
    user = make_user("sjkzr", "enterprise", enterprise=enterprise)
    user.person = person
    user.save()
    return user


@pytest.fixture
def major(register, principal_user, controller_user, django_capture_on_commit_callbacks):
    with time_machine.travel(REGISTERED, tick=False), django_capture_on_commit_callbacks(execute=True):
        return register(found_at=REGISTERED)


def remind_at(moment, capture) -> int:
    with time_machine.travel(moment, tick=False), capture(execute=True):
        return services.send_acknowledgement_reminders()


def test_a_major_hazard_notifies_the_principal_and_the_actual_controller(major, principal_user, controller_user,
                                                                         enterprise_user):
    assert major.notified_at == REGISTERED
    for user in (principal_user, controller_user):
        note = Notification.objects.get(recipient=user)
        assert (note.kind, note.requires_ack, note.subject_id) == ("hazard.major", True, str(major.pk))
        assert major.code in note.title
    assert not Notification.objects.filter(recipient=enterprise_user).exists()  # staff are not the 送知 recipients
    sms = OutboundMessage.objects.filter(channel="sms", subject_id=str(major.pk))
    assert sorted(sms.values_list("address", flat=True)) == ["13700001111", "13912345678"]
    assert set(sms.values_list("state", flat=True)) == {"recorded"}  # delivered after commit by the outbox
    event = major.events.get(action="notified")
    assert sorted(event.data["users"]) == sorted([principal_user.pk, controller_user.pk])
    assert event.data["sms"] == 2


def test_sms_is_sent_only_after_commit(register, principal_user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        hazard = register()
    assert OutboundMessage.objects.get(subject_id=str(hazard.pk)).state == "queued"
    assert len(callbacks) == 1


def test_a_general_hazard_notifies_nobody(register, principal_user):
    hazard = register(level="general")
    assert hazard.notified_at is None
    assert not Notification.objects.exists() and not OutboundMessage.objects.exists()
    with pytest.raises(InvalidTransition):
        services.hazard_acknowledge(actor=principal_user, hazard_id=hazard.pk)


def test_an_enterprise_without_a_principal_on_record_is_still_recorded_as_notified(register):
    hazard = register()
    assert hazard.notified_at is not None
    assert hazard.events.get(action="notified").data == {"users": [], "sms": 0}


@pytest.mark.parametrize("role", ["enterprise_user", "project_user", "regulator", "platform_admin", "leader"])
def test_only_the_principal_or_actual_controller_acknowledges(request, major, role):
    with pytest.raises(Forbidden):
        services.hazard_acknowledge(actor=request.getfixturevalue(role), hazard_id=major.pk)
    major.refresh_from_db()
    assert major.acknowledged_at is None


def test_the_principal_of_another_enterprise_cannot_even_see_it(major, other_enterprise):
    from conftest import make_user
    from zhiben.core.errors import NotFound

    person = PersonFactory()
    other_enterprise.principal = person
    other_enterprise.save()
    outsider = make_user("fzr2", "enterprise", enterprise=other_enterprise)
    outsider.person = person
    outsider.save()
    with pytest.raises(NotFound):
        services.hazard_acknowledge(actor=outsider, hazard_id=major.pk)


@pytest.mark.parametrize("who", ["principal_user", "controller_user"])
def test_acknowledgement_is_recorded_once(request, major, who):
    user = request.getfixturevalue(who)
    with time_machine.travel(REGISTERED + dt.timedelta(hours=2), tick=False):
        hazard = services.hazard_acknowledge(actor=user, hazard_id=major.pk)
    assert (hazard.acknowledged_at, hazard.acknowledged_by) == (REGISTERED + dt.timedelta(hours=2), user)
    assert Notification.objects.get(recipient=user).acknowledged_at is not None
    assert hazard.events.get(action="acknowledge").data == {"person": user.person_id}
    with pytest.raises(InvalidTransition):
        services.hazard_acknowledge(actor=user, hazard_id=major.pk)


def test_a_reminder_goes_out_after_24_hours_exactly_once(major, principal_user, controller_user,
                                                         django_capture_on_commit_callbacks):
    capture = django_capture_on_commit_callbacks
    assert remind_at(REGISTERED + dt.timedelta(hours=23, minutes=59), capture) == 0
    assert remind_at(REGISTERED + dt.timedelta(hours=24), capture) == 1
    assert remind_at(REGISTERED + dt.timedelta(hours=25), capture) == 0
    assert remind_at(REGISTERED + dt.timedelta(days=7), capture) == 0
    major.refresh_from_db()
    assert major.reminded_at == REGISTERED + dt.timedelta(hours=24)
    assert major.events.filter(action="reminded").count() == 1
    for user in (principal_user, controller_user):
        assert Notification.objects.filter(recipient=user, kind="hazard.reminder").count() == 1
    assert OutboundMessage.objects.filter(subject_id=str(major.pk), state="recorded").count() == 4


def test_no_reminder_after_acknowledgement(major, principal_user, django_capture_on_commit_callbacks):
    with time_machine.travel(REGISTERED + dt.timedelta(hours=23), tick=False):
        services.hazard_acknowledge(actor=principal_user, hazard_id=major.pk)
    assert remind_at(REGISTERED + dt.timedelta(hours=30), django_capture_on_commit_callbacks) == 0
    assert not Notification.objects.filter(kind="hazard.reminder").exists()


def test_no_reminder_for_a_hazard_no_longer_live(major, enterprise_user, regulator,
                                                 django_capture_on_commit_callbacks):
    with time_machine.travel(REGISTERED + dt.timedelta(hours=1), tick=False):
        services.hazard_submit(actor=enterprise_user, hazard_id=major.pk, note="已整改")
        services.hazard_close(actor=regulator, hazard_id=major.pk)
    assert remind_at(REGISTERED + dt.timedelta(hours=30), django_capture_on_commit_callbacks) == 0


def test_the_reminder_task_runs_the_service(major):
    from zhiben.hazards import tasks

    assert ("hazards.ack_reminders", "zhiben.hazards.tasks.ack_reminders", 15 * 60) in tasks.PERIODIC_JOBS
    with time_machine.travel(REGISTERED + dt.timedelta(hours=24, minutes=1), tick=False):
        assert tasks.ack_reminders() == 1
