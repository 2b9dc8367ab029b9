"""/api/v1/persons/: scope of every role, resident ID check digit on write, masking on read, audited reveals."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission

from zhiben.core.models import AuditLog
from zhiben.registry.factories import make_id_number
from zhiben.registry.models import Employment, Person
from zhiben.registry.tests.api.conftest import READ_ONLY_ROLES, ROLES, SIGNED_IN, VISIBLE, ids

pytestmark = pytest.mark.django_db

URL = "/api/v1/persons/"
EVERY_PERSON = ["worker", "staff", "resident", "outsider"]
NEW_ID = make_id_number(321, region=141122)


def new_person(**extra) -> dict:
    return {"name": "孙新人", "id_number": NEW_ID, "phone": "13800001111", "region": "141122", **extra}


def grant_reveal(user) -> None:
    user.user_permissions.add(Permission.objects.get(codename="view_sensitive_person"))


@pytest.mark.parametrize("role", SIGNED_IN)
def test_the_list_holds_exactly_the_persons_in_the_callers_scope(role, world, client_as):
    expected = {world.get(name).pk for name in VISIBLE[role]["persons"]}
    assert ids(client_as(role).get(URL)) == expected


def test_anonymous_callers_get_401(world, client_as):
    client = client_as("anonymous")
    assert client.get(URL).status_code == 401
    assert client.get(f"{URL}{world.worker.pk}/").status_code == 401
    assert client.post(URL, new_person(), format="json").status_code == 401
    assert client.patch(f"{URL}{world.worker.pk}/", {"name": "x"}, format="json").status_code == 401


@pytest.mark.parametrize("role", SIGNED_IN)
@pytest.mark.parametrize("name", EVERY_PERSON)
def test_detail_is_200_inside_the_scope_and_404_outside(role, name, world, client_as):
    response = client_as(role).get(f"{URL}{world.get(name).pk}/")
    assert response.status_code == (200 if name in VISIBLE[role]["persons"] else 404)


# --- masking ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["regulator", "inspector", "leader", "enterprise_user", "project_user"])
def test_id_numbers_and_phones_are_masked_without_the_permission(role, world, client_as):
    number = world.worker.id_number
    client = client_as(role)
    listed = next(row for row in client.get(URL).json()["results"] if row["id"] == world.worker.pk)
    detail = client.get(f"{URL}{world.worker.pk}/").json()
    for body in (listed, detail):
        assert body["id_number"] == number[:4] + "*" * 10 + number[-4:]
        assert body["phone"] == "139****5678"
        assert body["gender"] == ""  # digit 17 of the number: masked with it
    assert not AuditLog.objects.filter(event="person.revealed").exists()


def test_the_detail_shows_the_employments_the_caller_sees_and_the_certificates(world, client_as):
    body = client_as("regulator").get(f"{URL}{world.worker.pk}/").json()
    assert [(e["enterprise"], e["project"]) for e in body["employments"]] == [
        (world.enterprise.pk, world.project.pk)
    ]
    assert [c["id"] for c in body["certificates"]] == [world.certificates["worker"].pk]
    assert body["region"] == "141122"


def test_a_permitted_caller_sees_them_whole_and_each_response_is_audited(world, client_as, regulator):
    grant_reveal(regulator)
    world.worker.full_clean()  # derives the gender from the number
    world.worker.save()
    client = client_as("regulator")
    listed = client.get(URL).json()["results"]
    assert {row["id_number"] for row in listed} == {
        world.worker.id_number, world.staff.id_number, world.resident.id_number
    }
    list_audit = AuditLog.objects.get(event="person.revealed")
    assert list_audit.actor == regulator
    assert list_audit.data["ids"] == sorted([world.worker.pk, world.staff.pk, world.resident.pk])

    detail = client.get(f"{URL}{world.worker.pk}/").json()
    assert (detail["id_number"], detail["phone"]) == (world.worker.id_number, "13912345678")
    assert detail["gender"] == world.worker.gender != ""
    detail_audit = AuditLog.objects.filter(event="person.revealed").order_by("id").last()
    assert detail_audit.object_id == str(world.worker.pk)
    assert AuditLog.objects.filter(event="person.revealed").count() == 2


def test_platform_administrators_see_them_whole_and_are_audited_too(world, client_as):
    body = client_as("platform_admin").get(f"{URL}{world.outsider.pk}/").json()
    assert body["id_number"] == world.outsider.id_number
    assert AuditLog.objects.filter(event="person.revealed", object_id=str(world.outsider.pk)).exists()


def test_an_error_response_is_not_audited_as_a_reveal(world, client_as, regulator):
    grant_reveal(regulator)
    assert client_as("regulator").get(f"{URL}{world.outsider.pk}/").status_code == 404
    assert not AuditLog.objects.filter(event="person.revealed").exists()


def test_the_search_matches_a_whole_id_number_only(world, client_as):
    client = client_as("regulator")
    assert ids(client.get(URL, {"q": world.worker.id_number})) == {world.worker.pk}
    assert ids(client.get(URL, {"q": world.worker.id_number[:10]})) == set()
    assert ids(client.get(URL, {"project": world.project.pk})) == {world.worker.pk}


# --- writes ------------------------------------------------------------------------------------------------

CREATE_STATUS = {
    "regulator": 201, "inspector": 201, "leader": 403, "expert": 403,
    "other_regulator": 400,  # 141122 is outside 离石区
    "city_regulator": 201, "enterprise_user": 201, "other_enterprise_user": 201, "project_user": 201,
    "platform_admin": 201, "anonymous": 401,
}


@pytest.mark.parametrize("role", ROLES)
def test_registering_a_person_follows_role_and_scope(role, world, client_as):
    response = client_as(role).post(URL, new_person(), format="json")
    assert response.status_code == CREATE_STATUS[role], response.content
    if response.status_code == 201:
        body = response.json()
        assert body["id_number"] == NEW_ID[:4] + "*" * 10 + NEW_ID[-4:] or role == "platform_admin"
        person = Person.objects.get(pk=body["id"])
        assert person.id_number == NEW_ID
        assert AuditLog.objects.filter(event="person.registered", object_id=str(person.pk)).exists()
    elif response.status_code == 400:
        assert list(response.json()["errors"]) == ["region"]
    if response.status_code != 201:
        assert not Person.objects.filter(id_number=NEW_ID).exists()


def test_an_enterprise_user_registering_a_known_person_records_the_employment(world, client_as):
    response = client_as("enterprise_user").post(
        URL, new_person(id_number=world.outsider.id_number, employment_kind="dispatched"), format="json"
    )
    assert response.status_code == 201, response.content
    assert response.json()["id"] == world.outsider.pk
    assert Employment.objects.filter(person=world.outsider, enterprise=world.enterprise, kind="dispatched").exists()


def test_a_regulator_cannot_register_a_resident_id_twice(world, client_as):
    response = client_as("regulator").post(URL, new_person(id_number=world.resident.id_number), format="json")
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["id_number"]


@pytest.mark.parametrize("bad", [NEW_ID[:-1] + ("0" if NEW_ID[-1] != "0" else "1"), "14112219850601", "abc"])
def test_a_resident_id_with_a_wrong_check_digit_or_format_is_refused_on_the_field(bad, world, client_as):
    response = client_as("regulator").post(URL, new_person(id_number=bad), format="json")
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["id_number"]
    response = client_as("regulator").patch(f"{URL}{world.worker.pk}/", {"id_number": bad}, format="json")
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["id_number"]


def test_a_lower_case_x_check_digit_is_accepted(world, client_as):
    number = next(make_id_number(n) for n in range(400, 500) if make_id_number(n).endswith("X"))
    response = client_as("regulator").post(URL, new_person(id_number=number.lower()), format="json")
    assert response.status_code == 201, response.content
    assert Person.objects.get(pk=response.json()["id"]).id_number == number


def test_a_bad_phone_is_refused_on_the_field(world, client_as):
    response = client_as("regulator").post(URL, new_person(phone="12345"), format="json")
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["phone"]


PATCH_STATUS = {
    "regulator": 200, "inspector": 200, "leader": 403, "expert": 403, "other_regulator": 404,
    "city_regulator": 200, "enterprise_user": 200, "other_enterprise_user": 404, "project_user": 200,
    "platform_admin": 200, "anonymous": 401,
}


@pytest.mark.parametrize("role", ROLES)
def test_changing_a_person_follows_role_and_scope(role, world, client_as):
    response = client_as(role).patch(f"{URL}{world.worker.pk}/", {"phone": "13700002222"}, format="json")
    assert response.status_code == PATCH_STATUS[role], response.content
    world.worker.refresh_from_db()
    assert (world.worker.phone == "13700002222") is (response.status_code == 200)


@pytest.mark.parametrize("role", READ_ONLY_ROLES)
def test_read_only_roles_get_403_even_for_persons_outside_their_scope(role, world, client_as):
    response = client_as(role).patch(f"{URL}{world.outsider.pk}/", {"name": "x"}, format="json")
    assert response.status_code == 403


def test_a_regulator_cannot_move_a_person_to_a_region_outside_its_own(world, client_as):
    response = client_as("regulator").patch(f"{URL}{world.worker.pk}/", {"region": "141102"}, format="json")
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["region"]


def test_the_list_has_a_stable_order_across_pages(world, client_as):
    client = client_as("platform_admin")
    first = client.get(URL, {"page_size": 2}).json()
    second = client.get(URL, {"page_size": 2, "page": 2}).json()
    names = [row["name"] for row in first["results"] + second["results"]]
    assert len(set(names)) == 4  # every person exactly once over the two pages
