"""Extension requests: asked by the enterprise or project, decided by a regulator, one pending at a time; an
approval moves the deadline and clears an overdue mark."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError

from zhiben.core.errors import Forbidden, InvalidTransition
from zhiben.core.timeutils import beijing_today
from zhiben.hazards import services
from zhiben.hazards.models import ExtensionRequest
from zhiben.hazards.tests.conftest import beijing

pytestmark = pytest.mark.django_db

DEADLINE = dt.date(2025, 3, 10)


@pytest.fixture
def hazard(register):
    with time_machine.travel(beijing(2025, 3, 1), tick=False):
        return register(found_at=beijing(2025, 3, 1, 9), deadline=DEADLINE)


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(beijing(2025, 3, 5), tick=False):
        yield


def ask(actor, hazard, new_deadline=dt.date(2025, 3, 25), reason="雨季停工"):
    return services.hazard_request_extension(actor=actor, hazard_id=hazard.pk, new_deadline=new_deadline,
                                             reason=reason)


def test_a_request_waits_for_a_decision_and_leaves_the_deadline(hazard, project_user):
    ask(project_user, hazard)
    hazard.refresh_from_db()
    assert hazard.deadline == DEADLINE
    request = hazard.extensions.get()
    assert (request.state, request.old_deadline, request.new_deadline, request.requested_by) == (
        "pending", DEADLINE, dt.date(2025, 3, 25), project_user)
    event = hazard.events.order_by("-seq").first()
    assert (event.action, event.data["new_deadline"], event.data["old_deadline"]) == (
        "request-extension", "2025-03-25", "2025-03-10")


@pytest.mark.parametrize("new_deadline", [DEADLINE, dt.date(2025, 3, 9)])
def test_the_requested_deadline_must_be_later(hazard, enterprise_user, new_deadline):
    with pytest.raises(ValidationError) as caught:
        ask(enterprise_user, hazard, new_deadline)
    assert "new_deadline" in caught.value.message_dict


@pytest.mark.parametrize("value", ["2025-13-01", "tomorrow", None])
def test_a_malformed_date_is_refused(hazard, enterprise_user, value):
    with pytest.raises(ValidationError):
        ask(enterprise_user, hazard, value)


def test_a_request_needs_a_reason(hazard, enterprise_user):
    with pytest.raises(ValidationError) as caught:
        ask(enterprise_user, hazard, reason="")
    assert "reason" in caught.value.message_dict


def test_one_request_pending_at_a_time(hazard, enterprise_user, project_user, regulator):
    ask(enterprise_user, hazard)
    with pytest.raises(InvalidTransition):
        ask(project_user, hazard, dt.date(2025, 4, 1))
    assert services.allowed_actions(enterprise_user, hazard) == ["submit"]
    services.hazard_deny_extension(actor=regulator, hazard_id=hazard.pk, note="理由不充分")
    ask(project_user, hazard, dt.date(2025, 4, 1))  # decided: a new request may follow
    assert hazard.extensions.filter(state="pending").count() == 1


@pytest.mark.parametrize("role", ["enterprise_user", "project_user", "principal_user", "expert", "leader"])
def test_only_regulators_decide(request, hazard, enterprise_user, role):
    ask(enterprise_user, hazard)
    for decide in (services.hazard_approve_extension, services.hazard_deny_extension):
        with pytest.raises(Forbidden):
            decide(actor=request.getfixturevalue(role), hazard_id=hazard.pk)
    assert hazard.extensions.get().state == "pending"


def test_the_requester_never_decides_their_own_request(hazard, enterprise_user, project_user, regulator):
    ask(project_user, hazard)
    for actor in (project_user, enterprise_user):
        with pytest.raises(Forbidden):
            services.hazard_approve_extension(actor=actor, hazard_id=hazard.pk)
    # Regulators cannot ask (the table), and even a request recorded in a regulator's name (e.g. imported from
    # the old ledger) is not decided by them.
    ExtensionRequest.objects.filter(hazard=hazard).update(requested_by=regulator)
    with pytest.raises(Forbidden):
        services.hazard_approve_extension(actor=regulator, hazard_id=hazard.pk)
    assert hazard.extensions.get().state == "pending"


def test_approval_moves_the_deadline(hazard, enterprise_user, inspector):
    ask(enterprise_user, hazard)
    hazard = services.hazard_approve_extension(actor=inspector, hazard_id=hazard.pk, note="同意")
    assert hazard.deadline == dt.date(2025, 3, 25)
    assert hazard.original_deadline == DEADLINE
    request = hazard.extensions.get()
    assert (request.state, request.decided_by, request.decision_note) == ("approved", inspector, "同意")
    assert hazard.events.order_by("-seq").first().data["deadline"] == ["2025-03-10", "2025-03-25"]


def test_denial_keeps_the_deadline(hazard, enterprise_user, regulator):
    ask(enterprise_user, hazard)
    hazard = services.hazard_deny_extension(actor=regulator, hazard_id=hazard.pk, note="不同意")
    assert hazard.deadline == DEADLINE
    assert hazard.extensions.get().state == "denied"
    assert "deadline" not in hazard.events.order_by("-seq").first().data


def test_no_decision_without_a_request(hazard, regulator):
    with pytest.raises(InvalidTransition):
        services.hazard_approve_extension(actor=regulator, hazard_id=hazard.pk)


def test_approval_clears_an_overdue_mark(hazard, enterprise_user, regulator):
    with time_machine.travel(beijing(2025, 3, 12), tick=False):
        services.mark_overdue_and_escalate()
        hazard.refresh_from_db()
        assert hazard.overdue_marked_on == dt.date(2025, 3, 12) and hazard.is_overdue
        ask(enterprise_user, hazard)
        hazard = services.hazard_approve_extension(actor=regulator, hazard_id=hazard.pk)
        assert hazard.overdue_marked_on is None and not hazard.is_overdue
        services.mark_overdue_and_escalate()  # no longer overdue: nothing new recorded
        assert hazard.events.filter(action="overdue").count() == 1
    with time_machine.travel(beijing(2025, 3, 26), tick=False):
        services.mark_overdue_and_escalate()  # the new deadline passed too: recorded again
        assert hazard.events.filter(action="overdue").count() == 2


def test_an_approved_deadline_already_past_keeps_the_overdue_mark(hazard, enterprise_user, regulator):
    with time_machine.travel(beijing(2025, 3, 12), tick=False):
        ask(enterprise_user, hazard, dt.date(2025, 3, 11))
    with time_machine.travel(beijing(2025, 3, 20), tick=False):
        services.mark_overdue_and_escalate()
        hazard = services.hazard_approve_extension(actor=regulator, hazard_id=hazard.pk)
        assert hazard.deadline == dt.date(2025, 3, 11)
        assert hazard.overdue_marked_on == dt.date(2025, 3, 20) and hazard.is_overdue


def test_a_pending_request_may_be_decided_after_submission(hazard, enterprise_user, regulator):
    ask(enterprise_user, hazard)
    services.hazard_submit(actor=enterprise_user, hazard_id=hazard.pk, note="已整改")
    hazard = services.hazard_approve_extension(actor=regulator, hazard_id=hazard.pk)
    assert (hazard.status, hazard.deadline) == ("submitted", dt.date(2025, 3, 25))


def test_closing_a_hazard_closes_its_pending_extension_request(register, regulator, enterprise_user):
    import datetime as dt

    from zhiben.hazards.models import ExtensionRequest

    hazard = register(deadline=beijing_today() + dt.timedelta(days=3))
    services.hazard_request_extension(actor=enterprise_user, hazard_id=hazard.pk,
                                      new_deadline=beijing_today() + dt.timedelta(days=30), reason="材料未到")
    services.hazard_submit(actor=enterprise_user, hazard_id=hazard.pk, note="已整改")
    services.hazard_close(actor=regulator, hazard_id=hazard.pk)
    assert ExtensionRequest.objects.get(hazard=hazard).state == "denied"
    services.hazard_reopen(actor=regulator, hazard_id=hazard.pk, reason="复发")
    assert "approve-extension" not in services.allowed_actions(regulator, hazard.__class__.objects.get(pk=hazard.pk))
