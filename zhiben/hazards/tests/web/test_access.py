"""Every hazard page against the fixed cast: in scope 200, out of scope 404 (both directions), the public sent
to the login page."""

from __future__ import annotations

import pytest
from django.urls import reverse

from zhiben.hazards import services
from zhiben.hazards.tests.web.conftest import CAST, SEES, photo

pytestmark = pytest.mark.django_db

REGISTRARS = set(CAST) - {"leader"}


@pytest.mark.parametrize("user", CAST)
def test_the_list_opens_for_everyone_and_shows_only_their_scope(client, cast, world, user):
    client.force_login(cast(user))
    body = client.get(reverse("hazards:list")).content.decode()
    for side in ("home", "other"):
        assert (getattr(world, side).code in body) == (side in SEES[user])


@pytest.mark.parametrize("user", CAST)
@pytest.mark.parametrize("side", ["home", "other"])
def test_the_detail_page_answers_by_scope(client, cast, world, user, side):
    client.force_login(cast(user))
    response = client.get(reverse("hazards:detail", args=[getattr(world, side).pk]))
    assert response.status_code == (200 if side in SEES[user] else 404)


@pytest.mark.parametrize("user", CAST)
@pytest.mark.parametrize("side", ["home", "other"])
def test_evidence_downloads_only_in_scope(client, cast, world, regulator, other_regulator, user, side):
    owner = regulator if side == "home" else other_regulator
    attachment = services.attachment_add(actor=owner, hazard_id=getattr(world, side).pk, upload=photo())
    client.force_login(cast(user))
    response = client.get(reverse("hazards:attachment", args=[attachment.pk]))
    assert response.status_code == (200 if side in SEES[user] else 404)
    if response.status_code == 200:
        assert response["Content-Type"] == "image/png"
        assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("user", CAST)
def test_the_report_page_opens_for_every_role_that_registers(client, cast, world, user):
    client.force_login(cast(user))
    response = client.get(reverse("hazards:create"))
    assert response.status_code == (200 if user in REGISTRARS else 403)


@pytest.mark.parametrize("user", CAST)
@pytest.mark.parametrize("side", ["home", "other"])
def test_posting_to_a_hazard_out_of_scope_is_not_found(client, cast, world, user, side):
    if side in SEES[user]:
        pytest.skip("in scope")
    hazard = getattr(world, side)
    client.force_login(cast(user))
    for url, data in [
        (reverse("hazards:act", args=[hazard.pk, "close"]), {"note": "x"}),
        (reverse("hazards:act", args=[hazard.pk, "escalate"]), {"level": "1", "reason": "x"}),
        (reverse("hazards:evidence", args=[hazard.pk]), {"files": photo()}),
    ]:
        assert client.post(url, data).status_code == 404
    hazard.refresh_from_db()
    assert hazard.status == "open" and hazard.escalation_level == 0 and not hazard.attachments.exists()


def test_an_unknown_action_or_a_get_is_refused(client, regulator, world):
    client.force_login(regulator)
    assert client.post(reverse("hazards:act", args=[world.home.pk, "delete"])).status_code == 404
    assert client.get(reverse("hazards:act", args=[world.home.pk, "close"])).status_code == 405


def test_a_missing_hazard_is_not_found(client, regulator, world):
    client.force_login(regulator)
    assert client.get(reverse("hazards:detail", args=[99999999])).status_code == 404
    assert client.get(reverse("hazards:attachment", args=[99999999])).status_code == 404


def test_the_public_is_sent_to_the_login_page(client, world):
    attachment = services.attachment_add(actor=world.home.created_by, hazard_id=world.home.pk, upload=photo())
    urls = [
        reverse("hazards:list"), reverse("hazards:create"), reverse("hazards:item_options"),
        reverse("hazards:detail", args=[world.home.pk]), reverse("hazards:attachment", args=[attachment.pk]),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302 and reverse("accounts:login") in response["Location"], url
    for url in [reverse("hazards:act", args=[world.home.pk, "close"]),
                reverse("hazards:evidence", args=[world.home.pk])]:
        response = client.post(url, {"note": "x"})
        assert response.status_code == 302 and reverse("accounts:login") in response["Location"], url
    world.home.refresh_from_db()
    assert world.home.status == "open"


def test_absurd_ids_are_not_found(client, regulator, world):
    client.force_login(regulator)
    huge = 10**30
    assert client.get(f"/hazards/{huge}/").status_code == 404
    assert client.get(f"/hazards/attachments/{huge}/").status_code == 404
    assert client.post(f"/hazards/{huge}/act/close/", {"note": "x"}).status_code == 404
    assert client.post(f"/hazards/{huge}/evidence/").status_code == 404
