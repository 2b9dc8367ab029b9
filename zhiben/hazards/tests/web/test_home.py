"""Hazard widgets of the home page: regulators see open major hazards, overdue ones and submissions waiting for
re-inspection; enterprise and project users their open hazards, overdue ones and those awaiting acknowledgement."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from zhiben.core.timeutils import beijing_today
from zhiben.hazards import services
from zhiben.hazards.tests.conftest import beijing

pytestmark = pytest.mark.django_db


@pytest.fixture
def hazards(register, regulator, world):
    today = beijing_today()
    overdue = register(found_at=beijing(2025, 1, 2), deadline=today - dt.timedelta(days=1), level="general")
    submitted = services.hazard_submit(actor=regulator, hazard_id=register().pk, note="已整改")
    return {"overdue": overdue, "submitted": submitted, "open": world.home}


# Widgets by their place on the page (labels are translated).
REGULATOR_KEYS = {10: "major", 11: "overdue", 12: "submitted"}
OWNER_KEYS = {10: "open", 11: "overdue", 12: "unacknowledged"}


def widgets(client, user, keys) -> dict[str, dict]:
    client.force_login(user)
    response = client.get(reverse("core:home"))
    assert response.status_code == 200
    return {keys[w["order"]]: w for w in response.context["widgets"] if w["order"] in keys}


def test_a_regulator_sees_the_county_figures(client, regulator, hazards):
    shown = widgets(client, regulator, REGULATOR_KEYS)
    assert shown["major"]["value"] == 1  # the other major one is submitted
    assert shown["overdue"]["value"] == 1
    assert shown["submitted"]["value"] == 1
    assert shown["overdue"]["url"] == reverse("hazards:list") + "?is_overdue=true"
    assert shown["submitted"]["url"] == reverse("hazards:list") + "?status=submitted"


def test_another_county_sees_its_own(client, other_regulator, hazards):
    shown = widgets(client, other_regulator, REGULATOR_KEYS)
    assert shown["major"]["value"] == 1 and shown["overdue"]["value"] == 0


def test_an_enterprise_user_sees_their_open_overdue_and_unacknowledged(client, enterprise_user, principal_user,
                                                                        hazards):
    shown = widgets(client, enterprise_user, OWNER_KEYS)
    assert shown["open"]["value"] == 2
    assert shown["overdue"]["value"] == 1
    assert shown["unacknowledged"]["value"] == 2  # the two major ones were notified
    services.hazard_acknowledge(actor=principal_user, hazard_id=hazards["open"].pk)
    assert widgets(client, principal_user, OWNER_KEYS)["unacknowledged"]["value"] == 1


def test_the_other_enterprise_sees_nothing_of_ours(client, other_enterprise_user, hazards):
    shown = widgets(client, other_enterprise_user, OWNER_KEYS)
    assert shown["open"]["value"] == 1 and shown["overdue"]["value"] == 0
