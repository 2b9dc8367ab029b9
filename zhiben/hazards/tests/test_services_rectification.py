"""Rectification (the five fixes and evidence), re-inspection, close-out, reopening, voiding and changes while open."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from zhiben.core.errors import Forbidden, InvalidTransition
from zhiben.hazards import services
from zhiben.hazards.models import Rectification
from zhiben.hazards.tests.conftest import beijing

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(beijing(2025, 3, 1, 10), tick=False):
        yield


def photo(name="现场.png"):
    return SimpleUploadedFile(name, PNG, content_type="image/png")


def test_a_submission_records_the_five_fixes_and_its_evidence(register, enterprise_user):
    hazard = register(found_at=beijing(2025, 2, 20))
    evidence = services.attachment_add(actor=enterprise_user, hazard_id=hazard.pk, upload=photo())
    hazard = services.hazard_submit(
        actor=enterprise_user, hazard_id=hazard.pk, note="已整改", measures="重新浇筑塔吊基础并设置排水",
        responsible_person="李强", funds="12000.50", completed_on=dt.date(2025, 2, 28),
        contingency_plan="暴雨时停止塔吊作业", attachments=[evidence.pk],
    )
    assert hazard.status == "submitted"
    rectification = hazard.rectifications.get()
    assert rectification.outcome == Rectification.Outcome.PENDING
    assert rectification.measures == "重新浇筑塔吊基础并设置排水"
    assert rectification.responsible_person == "李强"
    assert rectification.funds == Decimal("12000.50")
    assert rectification.completed_on == dt.date(2025, 2, 28)
    assert rectification.contingency_plan == "暴雨时停止塔吊作业"
    assert rectification.submitted_by == enterprise_user
    assert list(rectification.attachments.all()) == [evidence]
    event = hazard.events.get(action="submit")
    assert event.data["rectification"] == rectification.pk
    assert event.data["funds"] == "12000.50"
    assert event.data["attachments"] == [evidence.pk]
    assert (event.from_status, event.to_status) == ("open", "submitted")


def test_a_submission_says_what_was_done(register, enterprise_user):
    hazard = register()
    with pytest.raises(ValidationError) as caught:
        services.hazard_submit(actor=enterprise_user, hazard_id=hazard.pk, note="  ")
    assert "note" in caught.value.message_dict


def test_the_work_cannot_be_completed_in_the_future(register, enterprise_user):
    hazard = register()
    with pytest.raises(ValidationError) as caught:
        services.hazard_submit(actor=enterprise_user, hazard_id=hazard.pk, note="已整改",
                               completed_on=dt.date(2025, 3, 2))
    assert "completed_on" in caught.value.message_dict


@pytest.mark.parametrize("funds", ["-1", "abc", "NaN"])
def test_funds_must_be_an_amount(register, enterprise_user, funds):
    hazard = register()
    with pytest.raises(ValidationError) as caught:
        services.hazard_submit(actor=enterprise_user, hazard_id=hazard.pk, note="已整改", funds=funds)
    assert "funds" in caught.value.message_dict


def test_evidence_of_another_hazard_cannot_be_handed_in(register, enterprise_user):
    first, second = register(description="脚手架连墙件缺失"), register(description="深基坑未按方案支护")
    evidence = services.attachment_add(actor=enterprise_user, hazard_id=first.pk, upload=photo())
    with pytest.raises(ValidationError) as caught:
        services.hazard_submit(actor=enterprise_user, hazard_id=second.pk, note="已整改", attachments=[evidence.pk])
    assert "attachments" in caught.value.message_dict
    second.refresh_from_db()
    assert second.status == "open"


def test_evidence_handed_in_once_is_not_handed_in_again(register, enterprise_user, regulator):
    hazard = register()
    evidence = services.attachment_add(actor=enterprise_user, hazard_id=hazard.pk, upload=photo())
    services.hazard_submit(actor=enterprise_user, hazard_id=hazard.pk, note="已整改", attachments=[evidence.pk])
    services.hazard_reject_submission(actor=regulator, hazard_id=hazard.pk, reason="整改不彻底")
    with pytest.raises(ValidationError):
        services.hazard_submit(actor=enterprise_user, hazard_id=hazard.pk, note="再次整改", attachments=[evidence.pk])


def test_a_failed_reinspection_reopens_with_the_reason(register, enterprise_user, inspector):
    hazard = register()
    services.hazard_submit(actor=enterprise_user, hazard_id=hazard.pk, note="已整改")
    hazard = services.hazard_reject_submission(actor=inspector, hazard_id=hazard.pk, reason="附着装置未复核")
    assert hazard.status == "open"
    rectification = hazard.rectifications.get()
    assert rectification.outcome == "rejected"
    assert (rectification.reviewed_by, rectification.review_note) == (inspector, "附着装置未复核")
    assert hazard.events.order_by("-seq").first().data["reason"] == "附着装置未复核"


def test_a_rejection_needs_a_reason(register, enterprise_user, inspector):
    hazard = register()
    services.hazard_submit(actor=enterprise_user, hazard_id=hazard.pk, note="已整改")
    with pytest.raises(ValidationError) as caught:
        services.hazard_reject_submission(actor=inspector, hazard_id=hazard.pk, reason="")
    assert "reason" in caught.value.message_dict


def test_each_submission_is_kept(register, enterprise_user, regulator):
    hazard = register()
    services.hazard_submit(actor=enterprise_user, hazard_id=hazard.pk, note="第一次")
    services.hazard_reject_submission(actor=regulator, hazard_id=hazard.pk, reason="不合格")
    services.hazard_submit(actor=enterprise_user, hazard_id=hazard.pk, note="第二次")
    services.hazard_close(actor=regulator, hazard_id=hazard.pk, note="合格")
    assert list(hazard.rectifications.order_by("id").values_list("note", "outcome")) == [
        ("第一次", "rejected"), ("第二次", "accepted"),
    ]


@pytest.mark.parametrize(("closed_on", "on_time"), [(beijing(2025, 3, 10, 23, 59), True),
                                                    (beijing(2025, 3, 11, 0, 0), False)])
def test_close_out_records_whether_it_was_on_time_in_beijing_days(register, enterprise_user, expert, closed_on,
                                                                  on_time):
    hazard = register(found_at=beijing(2025, 3, 1, 9), deadline=dt.date(2025, 3, 10))
    services.hazard_submit(actor=enterprise_user, hazard_id=hazard.pk, note="已整改")
    with time_machine.travel(closed_on, tick=False):
        hazard = services.hazard_close(actor=expert, hazard_id=hazard.pk, note="复查合格")
    assert hazard.status == "closed" and hazard.closed_at == closed_on
    assert hazard.rectifications.get().outcome == "accepted"
    assert hazard.events.order_by("-seq").first().data["on_time"] is on_time
    assert hazard.is_overdue is False


def test_a_regulator_reopens_with_a_reason_and_may_set_a_new_deadline(register, enterprise_user, regulator):
    hazard = register()
    services.hazard_submit(actor=enterprise_user, hazard_id=hazard.pk, note="已整改")
    services.hazard_close(actor=regulator, hazard_id=hazard.pk)
    with pytest.raises(ValidationError):
        services.hazard_reopen(actor=regulator, hazard_id=hazard.pk, reason=" ")
    with pytest.raises(ValidationError) as caught:
        services.hazard_reopen(actor=regulator, hazard_id=hazard.pk, reason="隐患反弹", deadline="2025-02-28")
    assert "deadline" in caught.value.message_dict
    hazard = services.hazard_reopen(actor=regulator, hazard_id=hazard.pk, reason="隐患反弹", deadline="2025-03-20")
    assert (hazard.status, hazard.closed_at, hazard.deadline) == ("open", None, dt.date(2025, 3, 20))
    assert hazard.events.order_by("-seq").first().data == {"reason": "隐患反弹", "deadline": ["2025-03-16",
                                                                                              "2025-03-20"]}


def test_void_needs_a_reason(register, regulator):
    hazard = register()
    with pytest.raises(ValidationError):
        services.hazard_void(actor=regulator, hazard_id=hazard.pk, reason="")
    hazard = services.hazard_void(actor=regulator, hazard_id=hazard.pk, reason="登记错误")
    assert hazard.status == "void" and hazard.duplicate_of is None


# --- Changes while open ---------------------------------------------------------------------------------------


def test_an_open_hazard_can_be_changed_and_the_change_is_recorded(register, regulator):
    hazard = register(level="general", location="1号楼")
    hazard = services.hazard_update(actor=regulator, hazard_id=hazard.pk, location="2号楼",
                                    deadline=dt.date(2025, 3, 30))
    assert (hazard.location, hazard.deadline) == ("2号楼", dt.date(2025, 3, 30))
    assert hazard.original_deadline == dt.date(2025, 3, 8)
    assert hazard.events.order_by("-seq").first().data == {"changes": {
        "location": ["1号楼", "2号楼"], "deadline": ["2025-03-08", "2025-03-30"]}}


def test_an_unchanged_patch_records_nothing(register, regulator):
    hazard = register(location="1号楼")
    count = hazard.events.count()
    services.hazard_update(actor=regulator, hazard_id=hazard.pk, location="1号楼")
    assert hazard.events.count() == count


@pytest.mark.parametrize("status", ["submitted", "closed", "void"])
def test_only_an_open_hazard_can_be_changed(hazard_in, regulator, status):
    hazard = hazard_in(status)
    with pytest.raises(InvalidTransition):
        services.hazard_update(actor=regulator, hazard_id=hazard.pk, location="别处")


def test_owners_change_their_own_self_inspection_hazards_but_not_the_deadline(register, enterprise_user):
    own = register(actor=enterprise_user, channel="self")
    assert services.hazard_update(actor=enterprise_user, hazard_id=own.pk, location="3号楼").location == "3号楼"
    with pytest.raises(ValidationError) as caught:
        services.hazard_update(actor=enterprise_user, hazard_id=own.pk, deadline=dt.date(2025, 6, 1))
    assert "deadline" in caught.value.message_dict
    found_by_regulator = register(channel="inspection", description="深基坑支护变形")
    with pytest.raises(Forbidden):
        services.hazard_update(actor=enterprise_user, hazard_id=found_by_regulator.pk, location="3号楼")


@pytest.mark.parametrize("role", ["leader", "expert"])
def test_leaders_and_experts_change_nothing(request, register, role):
    hazard = register()
    with pytest.raises(Forbidden):
        services.hazard_update(actor=request.getfixturevalue(role), hazard_id=hazard.pk, location="别处")


def test_raising_a_general_hazard_to_major_notifies_the_principal(register, regulator, principal_user):
    hazard = register(level="general")
    assert hazard.notified_at is None
    hazard = services.hazard_update(actor=regulator, hazard_id=hazard.pk, level="major")
    assert hazard.notified_at is not None
    assert principal_user.notifications.filter(kind="hazard.major").count() == 1


def test_a_change_keeps_the_rules_of_registration(register, regulator):
    hazard = register(found_at=beijing(2025, 2, 20), level="general")
    with pytest.raises(ValidationError):
        services.hazard_update(actor=regulator, hazard_id=hazard.pk, deadline=dt.date(2025, 2, 19))
    with pytest.raises(ValidationError):
        services.hazard_update(actor=regulator, hazard_id=hazard.pk, description="  ")
    with pytest.raises(ValidationError):
        services.hazard_update(actor=regulator, hazard_id=hazard.pk, level="huge")


def test_an_enterprise_cannot_lower_its_major_hazard_to_general(register, enterprise_user, regulator):
    from django.core.exceptions import ValidationError

    hazard = register(actor=enterprise_user, channel="self", level="major")
    with pytest.raises(ValidationError) as error:
        services.hazard_update(actor=enterprise_user, hazard_id=hazard.pk, level="general")
    assert "level" in error.value.message_dict
    assert services.hazard_update(actor=regulator, hazard_id=hazard.pk, level="general").level == "general"
