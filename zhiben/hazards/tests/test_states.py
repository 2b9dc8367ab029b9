"""The transition table, walked whole: every (status × action) pair, and every action by every member of the cast.

The expectations are written out here, not derived from states.TRANSITIONS, so a change to the table has to be
made in both places on purpose.
"""

from __future__ import annotations

import pytest

from zhiben.core.errors import InvalidTransition
from zhiben.hazards.models import HazardEvent
from zhiben.hazards.states import TRANSITIONS, Status
from zhiben.hazards.tests.conftest import ACTION_BODIES, ROLES, act

pytestmark = pytest.mark.django_db

STATUSES = ["open", "submitted", "closed", "void"]
ACTIONS = list(ACTION_BODIES)
SAME = "same"  # the action keeps the status

# (status, action) → the status afterwards; every pair not listed must be refused with InvalidTransition.
ALLOWED = {
    ("open", "submit"): "submitted",
    ("open", "void"): "void",
    ("open", "request-extension"): SAME,
    ("open", "approve-extension"): SAME,
    ("open", "deny-extension"): SAME,
    ("open", "escalate"): SAME,
    ("open", "acknowledge"): SAME,
    ("submitted", "reject-submission"): "open",
    ("submitted", "close"): "closed",
    ("submitted", "approve-extension"): SAME,
    ("submitted", "deny-extension"): SAME,
    ("submitted", "escalate"): SAME,
    ("submitted", "acknowledge"): SAME,
    ("closed", "reopen"): "open",
    ("closed", "acknowledge"): SAME,
}

# Who carries out each action in the status walk (a role the table allows).
DOER = {
    "submit": "enterprise_user",
    "reject-submission": "inspector",
    "close": "regulator",
    "reopen": "regulator",
    "void": "regulator",
    "request-extension": "project_user",
    "approve-extension": "regulator",
    "deny-extension": "inspector",
    "escalate": "regulator",
    "acknowledge": "principal_user",
}

# The status in which each action is allowed, for the role matrix.
SOURCE = {
    "submit": "open", "reject-submission": "submitted", "close": "submitted", "reopen": "closed", "void": "open",
    "request-extension": "open", "approve-extension": "open", "deny-extension": "submitted", "escalate": "open",
    "acknowledge": "open",
}

REGULATORS = {"regulator", "inspector", "city_regulator", "platform_admin"}
OWNERS = {"enterprise_user", "project_user", "principal_user"}
MAY = {
    "submit": REGULATORS | OWNERS,
    "reject-submission": REGULATORS | {"expert"},
    "close": REGULATORS | {"expert"},
    "reopen": REGULATORS,
    "void": REGULATORS,
    "request-extension": OWNERS,
    "approve-extension": REGULATORS,
    "deny-extension": REGULATORS,
    "escalate": REGULATORS,
    "acknowledge": {"principal_user"},
}
OUT_OF_SCOPE = {"other_regulator", "other_enterprise_user"}


def test_the_written_table_matches_the_code():
    from_code = {(s, a) for a, t in TRANSITIONS.items() for s in t.sources}
    assert from_code == set(ALLOWED)
    for (status, action), target in ALLOWED.items():
        assert TRANSITIONS[action].target == (None if target == SAME else target), (status, action)


def _setup(hazard_in, status: str, action: str):
    # Extension decisions need a pending request; the rest need nothing beyond the status.
    return hazard_in(status, pending_extension=action in {"approve-extension", "deny-extension"})


@pytest.mark.parametrize("status", STATUSES)
@pytest.mark.parametrize("action", ACTIONS)
def test_every_status_and_action_through_the_service(cast, hazard_in, status, action):
    hazard = _setup(hazard_in, status, action)
    events_before = hazard.events.count()
    actor = cast[DOER[action]]
    if (status, action) not in ALLOWED:
        with pytest.raises(InvalidTransition) as caught:
            act(action, actor=actor, hazard=hazard)
        assert str(Status(status).label) in caught.value.message
        hazard.refresh_from_db()
        assert hazard.status == status
        assert hazard.events.count() == events_before
        return
    result = act(action, actor=actor, hazard=hazard)
    expected = status if ALLOWED[status, action] == SAME else ALLOWED[status, action]
    result.refresh_from_db()
    assert result.status == expected
    event = result.events.order_by("-seq").first()
    assert event.action == action
    assert event.actor_id == actor.pk
    if ALLOWED[status, action] == SAME:
        assert (event.from_status, event.to_status) == ("", "")
    else:
        assert (event.from_status, event.to_status) == (status, expected)


@pytest.mark.parametrize("status", STATUSES)
@pytest.mark.parametrize("action", ACTIONS)
def test_every_status_and_action_through_the_api(api, cast, hazard_in, status, action):
    hazard = _setup(hazard_in, status, action)
    events_before = hazard.events.count()
    api.force_authenticate(cast[DOER[action]])
    response = api.post(f"/api/v1/hazards/{hazard.pk}/{action}/", ACTION_BODIES[action], format="json")
    if (status, action) in ALLOWED:
        assert response.status_code == 200, response.content
        expected = status if ALLOWED[status, action] == SAME else ALLOWED[status, action]
        assert response.json()["status"] == expected
        assert HazardEvent.objects.filter(hazard=hazard).order_by("-seq").first().action == action
        return
    assert response.status_code == 409, response.content
    assert response["Content-Type"] == "application/json"
    detail = response.content.decode("utf-8")  # UTF-8 JSON: a Chinese message passes through unescaped
    assert str(Status(status).label) in response.json()["detail"]
    assert "\\u" not in detail
    assert HazardEvent.objects.filter(hazard=hazard).count() == events_before


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", ACTIONS)
def test_every_action_by_every_role(api, cast, hazard_in, role, action):
    """Allowed → 200; a role the table refuses → 403; a caller who cannot see the hazard → 404 (never 403)."""
    status = SOURCE[action]
    hazard = _setup(hazard_in, status, action)
    events_before = hazard.events.count()
    api.force_authenticate(cast[role])
    response = api.post(f"/api/v1/hazards/{hazard.pk}/{action}/", ACTION_BODIES[action], format="json")
    if role in OUT_OF_SCOPE:
        assert response.status_code == 404, response.content
        assert response.json() == {"detail": response.json()["detail"]}
    elif role in MAY[action]:
        assert response.status_code == 200, response.content
        assert HazardEvent.objects.filter(hazard=hazard).order_by("-seq").first().action == action
        return
    else:
        assert response.status_code == 403, response.content
    assert HazardEvent.objects.filter(hazard=hazard).count() == events_before


def test_an_unknown_hazard_and_an_out_of_scope_one_get_the_same_answer(api, cast, hazard_in):
    hazard = hazard_in("open")
    api.force_authenticate(cast["other_regulator"])
    hidden = api.post(f"/api/v1/hazards/{hazard.pk}/escalate/", ACTION_BODIES["escalate"], format="json")
    missing = api.post(f"/api/v1/hazards/{hazard.pk + 1000}/escalate/", ACTION_BODIES["escalate"], format="json")
    assert hidden.status_code == missing.status_code == 404
    assert hidden.json() == missing.json()


@pytest.mark.parametrize("action", ACTIONS)
def test_the_public_gets_401(api, hazard_in, action):
    hazard = hazard_in("open")
    response = api.post(f"/api/v1/hazards/{hazard.pk}/{action}/", ACTION_BODIES[action], format="json")
    assert response.status_code == 401


def test_the_detail_offers_exactly_the_actions_the_caller_may_take(api, cast, hazard_in):
    hazard = hazard_in("open")
    expected = {
        "regulator": ["submit", "void", "escalate"],
        "enterprise_user": ["submit", "request-extension"],
        "principal_user": ["submit", "request-extension", "acknowledge"],
        "leader": [],
        "expert": [],
    }
    for role, actions in expected.items():
        api.force_authenticate(cast[role])
        response = api.get(f"/api/v1/hazards/{hazard.pk}/")
        assert response.status_code == 200
        assert sorted(response.json()["actions"]) == sorted(actions), role
