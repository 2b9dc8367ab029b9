"""/api/v1/certificates/: scope of every role (it follows the person), writes through the services."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from zhiben.core.models import AuditLog
from zhiben.registry.models import Certificate
from zhiben.registry.tests.api.conftest import READ_ONLY_ROLES, ROLES, SIGNED_IN, VISIBLE, ids

pytestmark = pytest.mark.django_db

URL = "/api/v1/certificates/"
EVERY_HOLDER = ["worker", "staff", "resident", "outsider"]


def new_certificate(person, **extra) -> dict:
    return {"person": person.pk, "kind": "electrician", "number": "晋J042024000123", "issued": "2024-05-01",
            "expires": "2030-04-30", **extra}


@pytest.mark.parametrize("role", SIGNED_IN)
def test_the_list_holds_exactly_the_certificates_of_the_persons_in_scope(role, world, client_as):
    expected = {world.certificates[name].pk for name in VISIBLE[role]["certificates"]}
    assert ids(client_as(role).get(URL)) == expected


def test_anonymous_callers_get_401(world, client_as):
    client = client_as("anonymous")
    certificate = world.certificates["worker"]
    assert client.get(URL).status_code == 401
    assert client.get(f"{URL}{certificate.pk}/").status_code == 401
    assert client.post(URL, new_certificate(world.worker), format="json").status_code == 401
    assert client.patch(f"{URL}{certificate.pk}/", {"revoked": True}, format="json").status_code == 401


@pytest.mark.parametrize("role", SIGNED_IN)
@pytest.mark.parametrize("holder", EVERY_HOLDER)
def test_detail_is_200_inside_the_scope_and_404_outside(role, holder, world, client_as):
    response = client_as(role).get(f"{URL}{world.certificates[holder].pk}/")
    assert response.status_code == (200 if holder in VISIBLE[role]["certificates"] else 404)


@time_machine.travel(dt.datetime(2026, 12, 10, 12, tzinfo=dt.UTC), tick=False)
def test_it_returns_the_fields_of_the_contract_with_the_derived_status(world, client_as):
    # Dated for the frozen day: worker, staff and resident expire 2027-01-01, within 30 days of 2026-12-10.
    expiring = [world.certificates[n].pk for n in ("worker", "staff", "resident")]
    Certificate.objects.filter(pk__in=expiring).update(issued=dt.date(2024, 1, 1), expires=dt.date(2027, 1, 1))
    certificate = world.certificates["worker"]
    body = client_as("regulator").get(f"{URL}{certificate.pk}/").json()
    assert {k: body[k] for k in ("id", "person", "kind", "number", "issued", "expires", "status")} == {
        "id": certificate.pk, "person": world.worker.pk, "kind": "C2", "number": certificate.number,
        "issued": "2024-01-01", "expires": "2027-01-01", "status": "expiring",
    }
    assert body["person_name"] == "张工人"
    client = client_as("regulator")
    assert ids(client.get(URL, {"status": "expiring"})) == {
        world.certificates[n].pk for n in ("worker", "staff", "resident")
    }
    assert ids(client.get(URL, {"status": "valid"})) == set()
    assert ids(client.get(URL, {"person": world.staff.pk})) == {world.certificates["staff"].pk}


# --- writes ------------------------------------------------------------------------------------------------

CREATE_STATUS = {
    "regulator": 201, "inspector": 201, "leader": 403, "expert": 403,
    "other_regulator": 400,  # the person is not theirs to name
    "city_regulator": 201, "enterprise_user": 201, "other_enterprise_user": 400, "project_user": 201,
    "platform_admin": 201, "anonymous": 401,
}


@pytest.mark.parametrize("role", ROLES)
def test_recording_a_certificate_follows_role_and_scope(role, world, client_as):
    response = client_as(role).post(URL, new_certificate(world.worker), format="json")
    assert response.status_code == CREATE_STATUS[role], response.content
    if response.status_code == 201:
        body = response.json()
        assert (body["person"], body["status"]) == (world.worker.pk, "valid")
        assert AuditLog.objects.filter(event="certificate.saved", object_id=str(body["id"])).exists()
    elif response.status_code == 400:
        assert list(response.json()["errors"]) == ["person"]
    if response.status_code != 201:
        assert not Certificate.objects.filter(number="晋J042024000123").exists()


PATCH_STATUS = {
    "regulator": 200, "inspector": 200, "leader": 403, "expert": 403, "other_regulator": 404,
    "city_regulator": 200, "enterprise_user": 200, "other_enterprise_user": 404, "project_user": 200,
    "platform_admin": 200, "anonymous": 401,
}


@pytest.mark.parametrize("role", ROLES)
def test_changing_a_certificate_follows_role_and_scope(role, world, client_as):
    certificate = world.certificates["worker"]
    response = client_as(role).patch(f"{URL}{certificate.pk}/", {"revoked": True}, format="json")
    assert response.status_code == PATCH_STATUS[role], response.content
    certificate.refresh_from_db()
    assert certificate.revoked is (response.status_code == 200)
    if response.status_code == 200:
        assert response.json()["status"] == "revoked"


@pytest.mark.parametrize("role", READ_ONLY_ROLES)
def test_read_only_roles_get_403_even_for_certificates_outside_their_scope(role, world, client_as):
    response = client_as(role).patch(f"{URL}{world.certificates['outsider'].pk}/", {"revoked": True},
                                     format="json")
    assert response.status_code == 403


def test_an_expiry_before_the_issue_date_is_refused_on_the_field(world, client_as):
    response = client_as("regulator").post(URL, new_certificate(world.worker, expires="2020-01-01"), format="json")
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["expires"]
    certificate = world.certificates["worker"]
    after_expiry = (certificate.expires + dt.timedelta(days=1)).isoformat()
    response = client_as("regulator").patch(f"{URL}{certificate.pk}/", {"issued": after_expiry}, format="json")
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["expires"]


def test_a_certificate_number_is_unique_per_kind(world, client_as):
    existing = world.certificates["staff"]
    response = client_as("regulator").post(
        URL, new_certificate(world.worker, kind=existing.kind, number=existing.number), format="json"
    )
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["non_field_errors"]


def test_a_certificate_cannot_be_moved_to_a_person_out_of_scope(world, client_as):
    certificate = world.certificates["worker"]
    response = client_as("enterprise_user").patch(f"{URL}{certificate.pk}/", {"person": world.outsider.pk},
                                                  format="json")
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["person"]
