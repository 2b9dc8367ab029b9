"""The whole story through the pages: an enterprise user reports a major hazard with a photo, the regulator
sees it, the principal acknowledges from the inbox, the enterprise submits, the regulator rejects once and then
closes it, and the timeline lists every step with an intact hash chain."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from zhiben.core.timeutils import beijing_today
from zhiben.hazards.history import verify_chain
from zhiben.hazards.models import Hazard
from zhiben.hazards.tests.web.conftest import photo

pytestmark = pytest.mark.django_db


def test_a_hazard_from_report_to_close_out(client, enterprise_user, principal_user, regulator, project):
    # The enterprise reports it, with a photo.
    client.force_login(enterprise_user)
    today = beijing_today().isoformat()
    found = timezone.localtime(timezone.now() - dt.timedelta(minutes=1))  # never in the future, even at 00:00
    response = client.post(reverse("hazards:create"), {
        "project": project.pk, "channel": "self", "level": "major", "found_at": f"{found:%Y-%m-%dT%H:%M}",
        "description": "塔吊回转限位失效", "location": "1号塔吊", "photos": [photo("crane.png")],
    })
    hazard = Hazard.objects.get()
    detail = reverse("hazards:detail", args=[hazard.pk])
    assert response.status_code == 302 and response["Location"] == detail

    # The regulator finds it in the ledger, with its photo.
    client.force_login(regulator)
    assert hazard.code in client.get(reverse("hazards:list")).content.decode()
    body = client.get(detail).content.decode()
    photo_url = reverse("hazards:attachment", args=[hazard.attachments.get().pk])
    assert f'src="{photo_url}"' in body
    assert client.get(photo_url).status_code == 200

    # The principal reads the notification in the inbox, follows it and acknowledges receipt.
    client.force_login(principal_user)
    inbox = client.get(reverse("notifications:inbox")).content.decode()
    assert hazard.code in inbox and 'data-testid="ack-required"' in inbox
    notification = principal_user.notifications.get()
    response = client.post(reverse("notifications:read", args=[notification.pk]), {"open": "1"})
    assert response["Location"] == detail
    assert 'data-testid="action-acknowledge"' in client.get(detail).content.decode()
    assert client.post(reverse("hazards:act", args=[hazard.pk, "acknowledge"])).status_code == 302
    assert 'data-testid="acknowledged"' in client.get(reverse("notifications:inbox")).content.decode()

    # The enterprise submits the rectification; the regulator rejects it once.
    fixes = {
        "measures": "更换回转限位器", "responsible_person": "张安全", "funds": "2600",
        "completed_on": today, "contingency_plan": "停用塔吊直至复查", "note": "请复查",
    }
    client.force_login(enterprise_user)
    act = reverse("hazards:act", args=[hazard.pk, "submit"])
    assert client.post(act, {**fixes, "evidence": [photo("fixed.png")]}).status_code == 302
    client.force_login(regulator)
    reject = reverse("hazards:act", args=[hazard.pk, "reject-submission"])
    assert client.post(reject, {"reason": "限位器未调试"}).status_code == 302

    # Submitted again, then closed out.
    client.force_login(enterprise_user)
    assert client.post(act, {**fixes, "note": "已调试", "evidence": [photo("tested.png")]}).status_code == 302
    client.force_login(regulator)
    response = client.post(reverse("hazards:act", args=[hazard.pk, "close"]), {"note": "复查合格，准予销号"},
                           follow=True)
    assert response.status_code == 200
    hazard.refresh_from_db()
    assert hazard.status == "closed"

    # The timeline lists every step, in order, and the chain holds.
    steps = [e.action for e in response.context["timeline"]]
    assert steps == [
        "registered", "notified", "attachment-added", "acknowledge", "attachment-added", "submit",
        "reject-submission", "attachment-added", "submit", "close",
    ]
    body = response.content.decode()
    for text in ("限位器未调试", "复查合格，准予销号", "更换回转限位器", "停用塔吊直至复查"):
        assert text in body
    assert verify_chain(hazard) is None
    assert [r.outcome for r in response.context["rectifications"]] == ["rejected", "accepted"]
