"""The detail page: every field, the standard item with its legal source and version, the enterprise's principal
and actual controller by name, the notification state, rectifications, extensions, evidence and the timeline,
and an action panel that offers exactly what the caller may do."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from zhiben.hazards import services
from zhiben.hazards.tests.conftest import beijing
from zhiben.hazards.tests.web.conftest import photo
from zhiben.registry.factories import PersonFactory
from zhiben.standards.models import StandardItem

pytestmark = pytest.mark.django_db


def page(client, user, hazard):
    client.force_login(user)
    response = client.get(reverse("hazards:detail", args=[hazard.pk]))
    assert response.status_code == 200
    return response


def offered(response) -> list[str]:
    return [a["name"] for a in response.context["action_forms"]]


@pytest.fixture
def determined(register, enterprise):
    """A backfilled major hazard determined against item 4.1 of the 2022 standard, on an enterprise with a
    principal and an actual controller."""
    enterprise.principal = PersonFactory(name="王建国", phone="13912345678")
    enterprise.actual_controller = PersonFactory(name="李实控", phone="13812345678")
    enterprise.save()
    item = StandardItem.objects.get(standard__code="hazard-determination", standard__version="2022",
                                    standard__region__isnull=True, code="2022-4.1")
    return register(found_at=beijing(2024, 6, 1, 9, 30), standard_item_id=item.pk, location="2号塔吊")


def test_the_page_shows_the_hazard_its_item_and_whom_it_was_told(client, regulator, determined):
    body = page(client, regulator, determined).content.decode()
    item = determined.standard_item
    assert determined.code in body and determined.description in body and "2号塔吊" in body
    assert item.legal_source and item.legal_source in body
    assert 'data-testid="standard-version">2022' in body
    assert "王建国" in body and "李实控" in body
    assert "13912345678" not in body and "13812345678" not in body  # names only
    assert "2024-06-01 09:30" in body and "2024-06-16" in body


def test_the_timeline_lists_every_event_with_its_hash(client, regulator, determined):
    services.hazard_escalate(actor=regulator, hazard_id=determined.pk, level=1, reason="县级挂牌督办")
    response = page(client, regulator, determined)
    body = response.content.decode()
    events = list(determined.events.order_by("seq"))
    assert re.findall(r'data-action="([a-z-]+)" data-seq="(\d+)"', body) == [(e.action, str(e.seq)) for e in events]
    for event in events:
        assert f'title="{event.hash}"' in body and f"{event.hash[:10]}…" in body
    entries = response.context["timeline"]
    assert entries[0].recorded_at is not None  # backfilled: recorded long after it took effect
    assert all(entry.recorded_at is None for entry in entries[1:])
    assert "县级挂牌督办" in body and entries[-1].label and entries[-1].details


def test_the_principal_is_offered_the_acknowledgement(client, principal_user, register):
    hazard = register()
    assert "acknowledge" in offered(page(client, principal_user, hazard))
    body = page(client, principal_user, hazard).content.decode()
    assert 'data-testid="action-acknowledge"' in body and 'data-testid="awaiting-ack"' in body
    services.hazard_acknowledge(actor=principal_user, hazard_id=hazard.pk)
    assert "acknowledge" not in offered(page(client, principal_user, hazard))


@pytest.mark.parametrize(("user", "expected"), [
    ("regulator", ["submit", "void", "escalate"]),
    ("inspector", ["submit", "void", "escalate"]),
    ("city_regulator", ["submit", "void", "escalate"]),
    ("enterprise_user", ["submit", "request-extension"]),
    ("project_user", ["submit", "request-extension"]),
    ("leader", []),
    ("expert", []),
])
def test_the_action_panel_offers_what_the_caller_may_do_on_an_open_hazard(client, cast, world, user, expected):
    assert offered(page(client, cast(user), world.home)) == expected


@pytest.mark.parametrize(("user", "expected"), [
    ("regulator", ["reject-submission", "close", "escalate"]),
    ("expert", ["reject-submission", "close"]),
    ("enterprise_user", []),
    ("leader", []),
])
def test_the_action_panel_on_a_submitted_hazard(client, cast, world, regulator, user, expected):
    services.hazard_submit(actor=regulator, hazard_id=world.home.pk, note="已整改")
    response = page(client, cast(user), world.home)
    assert offered(response) == expected
    if not expected:
        assert 'data-testid="no-actions"' in response.content.decode()


def test_leaders_get_no_evidence_form_and_void_hazards_take_none(client, leader, regulator, world):
    assert page(client, leader, world.home).context["evidence_form"] is None
    assert page(client, regulator, world.home).context["evidence_form"] is not None
    services.hazard_void(actor=regulator, hazard_id=world.home.pk, reason="登记错误")
    assert page(client, regulator, world.home).context["evidence_form"] is None


def test_rectifications_show_the_five_fixes_and_their_evidence(client, regulator, enterprise_user, world):
    evidence = services.attachment_add(actor=enterprise_user, hazard_id=world.home.pk, upload=photo("after.png"))
    services.hazard_submit(
        actor=enterprise_user, hazard_id=world.home.pk, note="请复查", measures="增设临边防护栏杆",
        responsible_person="张安全", funds="3200.50", completed_on=world.home.found_on,
        contingency_plan="每日巡查", attachments=[evidence.pk],
    )
    services.hazard_reject_submission(actor=regulator, hazard_id=world.home.pk, reason="栏杆高度不足")
    response = page(client, regulator, world.home)
    body = response.content.decode()
    for text in ("增设临边防护栏杆", "张安全", "3200.50", "每日巡查", "请复查", "栏杆高度不足"):
        assert text in body
    assert 'data-outcome="rejected"' in body
    (rectification,) = response.context["rectifications"]
    assert rectification.files == [evidence]
    assert response.context["attachments"] == []  # evidence of a submission is shown with it
    assert f'src="{reverse("hazards:attachment", args=[evidence.pk])}"' in body


def test_the_deadline_history_shows_extensions(client, regulator, enterprise_user, world):
    new = world.home.deadline.replace(year=world.home.deadline.year + 1)
    services.hazard_request_extension(actor=enterprise_user, hazard_id=world.home.pk, new_deadline=new,
                                      reason="冬季停工")
    services.hazard_approve_extension(actor=regulator, hazard_id=world.home.pk, note="同意")
    body = page(client, regulator, world.home).content.decode()
    assert "冬季停工" in body and "同意" in body and new.isoformat() in body
    assert f"{world.home.deadline.isoformat()} → {new.isoformat()}" in body


def test_the_page_reads_a_fixed_number_of_queries(client, regulator, world, django_assert_max_num_queries):
    client.force_login(regulator)
    for n in range(10):
        services.attachment_add(actor=regulator, hazard_id=world.home.pk, upload=photo(f"p{n}.png"))
    with django_assert_max_num_queries(20):
        client.get(reverse("hazards:detail", args=[world.home.pk]))
