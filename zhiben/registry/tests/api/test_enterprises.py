"""/api/v1/enterprises/: scope of every role, writes through the services, USCC and lifetime-ban checks."""

from __future__ import annotations

import datetime as dt

import pytest

from zhiben.core.models import AuditLog
from zhiben.core.timeutils import beijing_today
from zhiben.registry.factories import make_uscc
from zhiben.registry.models import Enterprise, LifetimeBan, Qualification
from zhiben.registry.tests.api.conftest import READ_ONLY_ROLES, ROLES, SIGNED_IN, VISIBLE, ids

pytestmark = pytest.mark.django_db

URL = "/api/v1/enterprises/"
EVERY_ENTERPRISE = ["enterprise", "other_enterprise"]


def new_enterprise(**extra) -> dict:
    return {"name": "交城县新建建筑有限公司", "uscc": make_uscc(900), "region": "141122",
            "safety_licence_no": "(晋)JZ安许证字[2024]000900", "safety_licence_expires": "2027-06-30",
            "standardization_level": "qualified", **extra}


@pytest.mark.parametrize("role", SIGNED_IN)
def test_the_list_holds_exactly_the_enterprises_in_the_callers_scope(role, world, client_as):
    expected = {world.get(name).pk for name in VISIBLE[role]["enterprises"]}
    assert ids(client_as(role).get(URL)) == expected


def test_anonymous_callers_get_401(world, client_as):
    client = client_as("anonymous")
    assert client.get(URL).status_code == 401
    assert client.get(f"{URL}{world.enterprise.pk}/").status_code == 401
    assert client.post(URL, new_enterprise(), format="json").status_code == 401
    assert client.patch(f"{URL}{world.enterprise.pk}/", {"name": "x"}, format="json").status_code == 401


@pytest.mark.parametrize("role", SIGNED_IN)
@pytest.mark.parametrize("name", EVERY_ENTERPRISE)
def test_detail_is_200_inside_the_scope_and_404_outside(role, name, world, client_as):
    response = client_as(role).get(f"{URL}{world.get(name).pk}/")
    assert response.status_code == (200 if name in VISIBLE[role]["enterprises"] else 404)
    if response.status_code == 404:
        assert set(response.json()) == {"detail"}


def test_it_returns_the_fields_of_the_contract(world, client_as, regulator):
    principal = world.staff
    world.enterprise.principal = principal
    world.enterprise.actual_controller = world.worker
    world.enterprise.save()
    Qualification.objects.create(enterprise=world.enterprise, category="general", name="建筑工程施工总承包",
                                 grade="二级", certificate_no="D214000001",
                                 expires=beijing_today() + dt.timedelta(days=365))
    body = client_as("regulator").get(f"{URL}{world.enterprise.pk}/").json()
    assert body["id"] == world.enterprise.pk
    assert body["uscc"] == world.enterprise.uscc
    assert body["region"] == "141122"
    assert body["principal"] == principal.pk
    assert body["actual_controller"] == world.worker.pk
    assert body["safety_licence_expires"] == world.enterprise.safety_licence_expires.isoformat()
    assert body["standardization_level"] == "none"
    assert body["licence_status"] == "valid"
    assert body["qualifications"][0]["name"] == "建筑工程施工总承包"
    assert body["qualifications"][0]["status"] == "valid"


def test_filters_of_the_shared_filterset_apply(world, client_as):
    client = client_as("city_regulator")
    assert ids(client.get(URL, {"region": "141102"})) == {world.other_enterprise.pk}
    assert ids(client.get(URL, {"region": "141100"})) == {world.enterprise.pk, world.other_enterprise.pk}
    assert ids(client.get(URL, {"q": "交城"})) == {world.enterprise.pk}
    assert ids(client.get(URL, {"q": world.other_enterprise.uscc})) == {world.other_enterprise.pk}


# --- writes ------------------------------------------------------------------------------------------------

CREATE_STATUS = {
    "regulator": 201, "inspector": 201, "leader": 403, "expert": 403,
    "other_regulator": 400,  # 141122 is outside 离石区
    "city_regulator": 201, "enterprise_user": 403, "other_enterprise_user": 403, "project_user": 403,
    "platform_admin": 201, "anonymous": 401,
}


@pytest.mark.parametrize("role", ROLES)
def test_registering_an_enterprise_is_for_regulators_inside_their_region(role, world, client_as):
    response = client_as(role).post(URL, new_enterprise(), format="json")
    assert response.status_code == CREATE_STATUS[role], response.content
    if response.status_code == 201:
        body = response.json()
        assert body["region"] == "141122"
        assert Enterprise.objects.get(pk=body["id"]).name == "交城县新建建筑有限公司"
        assert AuditLog.objects.filter(event="enterprise.saved", object_id=str(body["id"])).exists()
    elif response.status_code == 400:
        assert "region" in response.json()["errors"]
    else:
        assert not Enterprise.objects.filter(uscc=make_uscc(900)).exists()


PATCH_STATUS = {
    "regulator": 200, "inspector": 200, "leader": 403, "expert": 403, "other_regulator": 404,
    "city_regulator": 200, "enterprise_user": 200, "other_enterprise_user": 404,
    "project_user": 403,  # sees its contractor, may not change it
    "platform_admin": 200, "anonymous": 401,
}


@pytest.mark.parametrize("role", ROLES)
def test_changing_an_enterprise_follows_role_and_scope(role, world, client_as):
    response = client_as(role).patch(f"{URL}{world.enterprise.pk}/", {"standardization_level": "exemplary"},
                                     format="json")
    assert response.status_code == PATCH_STATUS[role], response.content
    world.enterprise.refresh_from_db()
    changed = response.status_code == 200
    assert (world.enterprise.standardization_level == "exemplary") is changed
    if changed:
        assert response.json()["standardization_level"] == "exemplary"


@pytest.mark.parametrize("role", READ_ONLY_ROLES)
def test_read_only_roles_get_403_even_for_enterprises_outside_their_scope(role, world, client_as):
    response = client_as(role).patch(f"{URL}{world.other_enterprise.pk}/", {"name": "x"}, format="json")
    assert response.status_code == 403


def test_a_uscc_with_a_wrong_check_character_is_refused_on_the_field(world, client_as):
    good = make_uscc(901)
    bad = good[:-1] + ("0" if good[-1] != "0" else "1")
    response = client_as("regulator").post(URL, new_enterprise(uscc=bad), format="json")
    assert response.status_code == 400
    body = response.json()
    assert set(body) == {"detail", "errors"}
    assert list(body["errors"]) == ["uscc"]


def test_a_uscc_is_normalised_before_it_is_checked(world, client_as):
    response = client_as("regulator").post(URL, new_enterprise(uscc=f" {make_uscc(902).lower()} "), format="json")
    assert response.status_code == 201, response.content
    assert response.json()["uscc"] == make_uscc(902)


def test_a_duplicate_uscc_is_refused_on_the_field(world, client_as):
    response = client_as("regulator").post(URL, new_enterprise(uscc=world.enterprise.uscc), format="json")
    assert response.status_code == 400
    assert "uscc" in response.json()["errors"]


@pytest.mark.parametrize("field", ["principal", "actual_controller"])
def test_a_person_under_a_lifetime_ban_cannot_be_named(field, world, client_as):
    LifetimeBan.objects.create(person=world.staff, reason="重大事故责任人", decided_on=dt.date(2024, 3, 1))
    client = client_as("regulator")
    response = client.patch(f"{URL}{world.enterprise.pk}/", {field: world.staff.pk}, format="json")
    assert response.status_code == 400
    assert list(response.json()["errors"]) == [field]
    response = client.post(URL, new_enterprise(**{field: world.staff.pk}), format="json")
    assert response.status_code == 400
    assert list(response.json()["errors"]) == [field]
    world.enterprise.refresh_from_db()
    assert getattr(world.enterprise, f"{field}_id") is None


def test_a_lifted_ban_no_longer_blocks(world, client_as):
    LifetimeBan.objects.create(person=world.staff, reason="已撤销", decided_on=dt.date(2020, 1, 1), lifted=True)
    response = client_as("enterprise_user").patch(f"{URL}{world.enterprise.pk}/", {"principal": world.staff.pk},
                                                  format="json")
    assert response.status_code == 200, response.content
    assert response.json()["principal"] == world.staff.pk


def test_a_principal_must_be_a_person_the_caller_sees(world, client_as):
    response = client_as("regulator").patch(f"{URL}{world.enterprise.pk}/", {"principal": world.outsider.pk},
                                            format="json")
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["principal"]


def test_an_enterprise_user_cannot_move_its_enterprise_to_another_region(world, client_as):
    client = client_as("enterprise_user")
    response = client.patch(f"{URL}{world.enterprise.pk}/", {"region": "141102"}, format="json")
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["region"]
    assert client.patch(f"{URL}{world.enterprise.pk}/", {"region": "141122"}, format="json").status_code == 200
    world.enterprise.refresh_from_db()
    assert world.enterprise.region_id == 141122
