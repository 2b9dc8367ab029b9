"""The outbox of outbound messages: regulator administrators see the messages about subjects in their region,
platform administrators every message; phones are masked; other roles are refused."""

from __future__ import annotations

import pytest
from django.urls import reverse

from zhiben.hazards import services as hazards
from zhiben.notifications import services
from zhiben.notifications.models import OutboundMessage
from zhiben.registry.factories import PersonFactory

pytestmark = pytest.mark.django_db

OUTBOX = reverse("notifications:outbox")


@pytest.fixture
def messages(regulator, other_regulator, enterprise, other_enterprise, project, other_project,
             django_capture_on_commit_callbacks):
    """A major hazard in each county, each texted to its enterprise's principal; and one message with no subject."""
    for company, phone in ((enterprise, "13912345678"), (other_enterprise, "13700001111")):
        company.principal = PersonFactory(name=f"{company.name[:3]}负责人", phone=phone)
        company.save()
    with django_capture_on_commit_callbacks(execute=True):
        home = hazards.hazard_register(actor=regulator, project_id=project.pk, channel="inspection", level="major",
                                       description="塔吊附着失效")
        other = hazards.hazard_register(actor=other_regulator, project_id=other_project.pk, channel="inspection",
                                        level="major", description="外架连墙件缺失")
        services.notify(recipients=[], kind="system", title="平台维护通知", sms_to=[("值班员", "13600002222")])
    return {"home": home, "other": other}


def shown(response) -> set[str]:
    return {m.subject_id for m in response.context["page"].object_list}


def test_a_regulator_administrator_sees_the_messages_of_their_region(client, regulator, messages):
    client.force_login(regulator)
    response = client.get(OUTBOX)
    assert response.status_code == 200
    assert shown(response) == {str(messages["home"].pk)}
    body = response.content.decode()
    assert "139****5678" in body and "13912345678" not in body
    assert "13700001111" not in body and "137****1111" not in body


def test_the_platform_administrator_sees_everything(client, platform_admin, messages):
    client.force_login(platform_admin)
    response = client.get(OUTBOX)
    assert shown(response) == {str(messages["home"].pk), str(messages["other"].pk), ""}
    assert OutboundMessage.objects.filter(state="recorded").count() == 3


def test_filters_by_channel_and_state(client, platform_admin, messages):
    client.force_login(platform_admin)
    assert len(client.get(OUTBOX, {"state": "failed"}).context["page"].object_list) == 0
    assert len(client.get(OUTBOX, {"channel": "sms", "state": "recorded"}).context["page"].object_list) == 3
    assert client.get(OUTBOX, {"channel": "pigeon", "page": "x"}).status_code == 200


@pytest.mark.parametrize("user", ["inspector", "leader", "expert", "enterprise_user", "project_user"])
def test_other_roles_may_not_read_the_outbox(client, request, messages, user):
    client.force_login(request.getfixturevalue(user))
    assert client.get(OUTBOX).status_code == 403
