"""The action panel's one view: each action through its form and service; forbidden actions refused (403 for
the wrong role, 409 in the wrong state); bad input kept on the form with nothing written."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from zhiben.core.timeutils import beijing_today
from zhiben.hazards import services
from zhiben.hazards.models import Attachment, ExtensionRequest, Rectification
from zhiben.hazards.tests.web.conftest import exe_as_jpg, photo, png_bytes, too_large_message
from zhiben.hazards.web.actions import SUCCESS

pytestmark = pytest.mark.django_db


def act(client, user, hazard, action, data=None, **kwargs):
    client.force_login(user)
    return client.post(reverse("hazards:act", args=[hazard.pk, action]), data or {}, **kwargs)


def five_fixes(**overrides) -> dict:
    data = {
        "measures": "拆除锈蚀钢丝绳并更换", "responsible_person": "张安全", "funds": "1800",
        "completed_on": beijing_today().isoformat(), "contingency_plan": "每日班前检查", "note": "请复查",
        "evidence": [photo("after.png")],
    }
    data.update(overrides)
    return data


def fresh(hazard):
    hazard.refresh_from_db()
    return hazard


def events(hazard) -> list[str]:
    return list(hazard.events.order_by("seq").values_list("action", flat=True))


# --- Success ----------------------------------------------------------------------------------------------


def test_submitting_the_five_fixes_with_evidence(client, enterprise_user, world):
    response = act(client, enterprise_user, world.home, "submit", five_fixes())
    assert response.status_code == 302
    assert response["Location"] == reverse("hazards:detail", args=[world.home.pk]) + "#timeline"
    assert fresh(world.home).status == "submitted"
    rectification = Rectification.objects.get(hazard=world.home)
    assert (rectification.measures, rectification.responsible_person, str(rectification.funds)) == (
        "拆除锈蚀钢丝绳并更换", "张安全", "1800.00")
    assert [a.original_name for a in rectification.attachments.all()] == ["after.png"]
    assert events(world.home)[-2:] == ["attachment-added", "submit"]
    body = client.get(response["Location"]).content.decode()
    assert str(SUCCESS["submit"]) in body


def test_reject_close_and_reopen(client, regulator, expert, enterprise_user, world):
    services.hazard_submit(actor=enterprise_user, hazard_id=world.home.pk, note="已整改")
    assert act(client, expert, world.home, "reject-submission", {"reason": "复查不合格"}).status_code == 302
    assert fresh(world.home).status == "open"
    services.hazard_submit(actor=enterprise_user, hazard_id=world.home.pk, note="再次整改")
    assert act(client, regulator, world.home, "close", {"note": "复查合格"}).status_code == 302
    assert fresh(world.home).status == "closed"
    later = (beijing_today() + dt.timedelta(days=10)).isoformat()
    assert act(client, regulator, world.home, "reopen", {"reason": "隐患反弹", "deadline": later}).status_code == 302
    hazard = fresh(world.home)
    assert hazard.status == "open" and hazard.deadline.isoformat() == later


def test_extension_requested_then_approved_or_denied(client, regulator, enterprise_user, world):
    new = world.home.deadline + dt.timedelta(days=20)
    response = act(client, enterprise_user, world.home, "request-extension",
                   {"new_deadline": new.isoformat(), "reason": "材料未到场"})
    assert response.status_code == 302
    assert act(client, regulator, world.home, "deny-extension", {"note": "理由不足"}).status_code == 302
    assert fresh(world.home).deadline != new
    act(client, enterprise_user, world.home, "request-extension", {"new_deadline": new.isoformat(), "reason": "再申请"})
    assert act(client, regulator, world.home, "approve-extension", {"note": "同意"}).status_code == 302
    assert fresh(world.home).deadline == new
    assert list(ExtensionRequest.objects.order_by("pk").values_list("state", flat=True)) == ["denied", "approved"]


def test_escalation_offers_only_higher_levels(client, regulator, world):
    assert act(client, regulator, world.home, "escalate", {"level": "2", "reason": "市级督办"}).status_code == 302
    assert fresh(world.home).escalation_level == 2
    response = act(client, regulator, world.home, "escalate", {"level": "1", "reason": "降级"})
    assert response.status_code == 200 and "level" in response.context["action_forms"][-1]["form"].errors
    assert fresh(world.home).escalation_level == 2


def test_void_as_a_duplicate_is_prefilled_and_merges(client, regulator, register):
    first = register(description="外脚手架剪刀撑未连续设置")
    second = register(description="外脚手架剪刀撑未连续设置！")
    client.force_login(regulator)
    form = next(a["form"] for a in client.get(reverse("hazards:detail", args=[second.pk])).context["action_forms"]
                if a["name"] == "void")
    assert form["duplicate_of"].value() == first.code
    response = act(client, regulator, second, "void", {"reason": "重复登记", "duplicate_of": first.code.lower()})
    assert response.status_code == 302
    assert fresh(second).status == "void" and second.duplicate_of == first
    assert "duplicate-merged" in events(first)


def test_void_with_an_unknown_or_invisible_duplicate_is_a_form_error(client, regulator, world):
    for code in ("YH000", world.other.code):
        response = act(client, regulator, world.home, "void", {"reason": "重复", "duplicate_of": code})
        assert response.status_code == 200
        assert "duplicate_of" in response.context["action_forms"][1]["form"].errors
    assert fresh(world.home).status == "open"


def test_adding_evidence(client, project_user, world):
    client.force_login(project_user)
    url = reverse("hazards:evidence", args=[world.home.pk])
    response = client.post(url, {"files": [photo("a.png"), photo("b.png")]})
    assert response.status_code == 302 and response["Location"].endswith("#evidence")
    assert world.home.attachments.count() == 2


# --- Refusals ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("user", "action", "data"), [
    ("enterprise_user", "void", {"reason": "不是隐患"}),
    ("enterprise_user", "escalate", {"level": "1", "reason": "x"}),
    ("project_user", "void", {"reason": ""}),
    ("leader", "escalate", {"level": "1", "reason": "x"}),
    ("leader", "submit", five_fixes),
    ("expert", "void", {"reason": "x"}),
    ("regulator", "acknowledge", {}),
    ("enterprise_user", "acknowledge", {}),  # an enterprise user who is not the principal
    ("enterprise_user", "approve-extension", {"note": ""}),
])
def test_an_action_of_another_role_is_403_and_writes_nothing(client, cast, world, user, action, data):
    before = events(world.home)
    response = act(client, cast(user), world.home, action, data() if callable(data) else data)
    assert response.status_code == 403
    assert events(world.home) == before and fresh(world.home).status == "open"
    assert not Attachment.objects.exists()


@pytest.mark.parametrize(("action", "data"), [
    ("close", {"note": "x"}),
    ("reject-submission", {"reason": "x"}),
    ("reject-submission", {"reason": ""}),
    ("reopen", {"reason": "x"}),
    ("approve-extension", {"note": ""}),
])
def test_an_action_the_state_does_not_allow_is_409_with_the_message(client, regulator, world, action, data):
    before = events(world.home)
    response = act(client, regulator, world.home, action, data)
    assert response.status_code == 409
    assert response.context["action_error"]
    assert 'data-testid="action-error"' in response.content.decode()
    assert events(world.home) == before


def test_submitting_twice_is_409_and_keeps_no_evidence(client, enterprise_user, world):
    act(client, enterprise_user, world.home, "submit", five_fixes())
    before = Attachment.objects.count()
    response = act(client, enterprise_user, world.home, "submit", five_fixes())
    assert response.status_code == 409
    assert Attachment.objects.count() == before


def test_acknowledging_twice_is_409(client, principal_user, world):
    assert act(client, principal_user, world.home, "acknowledge").status_code == 302
    assert fresh(world.home).acknowledged_by == principal_user
    assert act(client, principal_user, world.home, "acknowledge").status_code == 409


# --- Bad input --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("missing", ["measures", "responsible_person", "funds", "completed_on", "contingency_plan",
                                     "evidence"])
def test_the_submission_needs_all_five_fixes_and_evidence(client, enterprise_user, world, missing):
    response = act(client, enterprise_user, world.home, "submit", five_fixes(**{missing: ""}))
    assert response.status_code == 200
    assert missing in response.context["action_forms"][0]["form"].errors
    assert response.context["open_action"] == "submit"
    assert fresh(world.home).status == "open" and not Attachment.objects.exists()


def test_bad_values_in_the_submission(client, enterprise_user, world):
    future = (beijing_today() + dt.timedelta(days=2)).isoformat()
    for data in (five_fixes(funds="-5"), five_fixes(funds="lots"), five_fixes(completed_on=future),
                 five_fixes(completed_on="2024-02-30")):
        assert act(client, enterprise_user, world.home, "submit", data).status_code == 200
    assert fresh(world.home).status == "open" and not Attachment.objects.exists()


def test_oversized_evidence_is_413_and_a_renamed_program_refused(client, enterprise_user, world, settings):
    def big():
        return photo("big.png", png_bytes() + b"\x00" * settings.UPLOAD_MAX_BYTES)

    response = act(client, enterprise_user, world.home, "submit", five_fixes(evidence=[big()]))
    assert response.status_code == 413
    assert too_large_message() in str(response.context["action_forms"][0]["form"].errors["evidence"])
    response = act(client, enterprise_user, world.home, "submit", five_fixes(evidence=[exe_as_jpg()]))
    assert response.status_code == 200 and "evidence" in response.context["action_forms"][0]["form"].errors
    client.force_login(enterprise_user)
    url = reverse("hazards:evidence", args=[world.home.pk])
    assert client.post(url, {"files": [photo("ok.png"), big()]}).status_code == 413
    response = client.post(url, {"files": [exe_as_jpg()]})
    assert response.status_code == 200 and response.context["evidence_form"].errors["files"]
    assert fresh(world.home).status == "open" and not Attachment.objects.exists()


def test_evidence_refused_to_leaders_and_on_void_hazards(client, leader, regulator, world):
    client.force_login(leader)
    url = reverse("hazards:evidence", args=[world.home.pk])
    assert client.post(url, {"files": [photo()]}).status_code == 403
    assert client.post(url, {}).status_code == 403
    services.hazard_void(actor=regulator, hazard_id=world.home.pk, reason="登记错误")
    client.force_login(regulator)
    assert client.post(url, {"files": [photo()]}).status_code == 409
    assert not Attachment.objects.exists()


def test_reasons_are_required(client, regulator, enterprise_user, world):
    for action, data in [("void", {"reason": "  "}), ("escalate", {"level": "1", "reason": ""})]:
        response = act(client, regulator, world.home, action, data)
        assert response.status_code == 200 and response.context["open_action"] == action
    new = (world.home.deadline - dt.timedelta(days=1)).isoformat()
    response = act(client, enterprise_user, world.home, "request-extension", {"new_deadline": new, "reason": "x"})
    assert response.status_code == 200
    past = (beijing_today() - dt.timedelta(days=1)).isoformat()
    services.hazard_submit(actor=regulator, hazard_id=world.home.pk, note="x")
    services.hazard_close(actor=regulator, hazard_id=world.home.pk)
    response = act(client, regulator, world.home, "reopen", {"reason": "反弹", "deadline": past})
    assert response.status_code == 200 and fresh(world.home).status == "closed"
    assert events(world.home)[-1] == "close"
