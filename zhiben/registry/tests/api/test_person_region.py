"""POST /api/v1/persons/ without `region` (API.md, Registry): supplied by a scope that names one county or one
enterprise, refused on the field for a wider scope."""

from __future__ import annotations

import pytest

from conftest import make_user
from zhiben.registry.factories import ProjectFactory, make_id_number
from zhiben.registry.models import Person

pytestmark = pytest.mark.django_db

URL = "/api/v1/persons/"
NEW_ID = make_id_number(654, region=141122)
NO_REGION = {"name": "钱新人", "id_number": NEW_ID, "phone": "13800002222"}


def register(client):
    return client.post(URL, NO_REGION, format="json")


def registered_region(response) -> str:
    assert response.status_code == 201, response.content
    person = Person.objects.get(id_number=NEW_ID)
    assert response.json()["region"] == f"{person.region_id:06d}"
    return response.json()["region"]


@pytest.mark.parametrize(("role", "region"), [("regulator", "141122"), ("inspector", "141122"),
                                              ("other_regulator", "141102")])
def test_a_county_regulator_registers_in_the_county(role, region, world, client_as):
    assert registered_region(register(client_as(role))) == region


def test_an_enterprise_user_registers_in_the_enterprises_region(world, client_as):
    # The other enterprise is in 离石区: the region comes from the enterprise, not from a default county.
    assert registered_region(register(client_as("other_enterprise_user"))) == "141102"


def test_a_project_user_registers_in_the_projects_region(world, other_county, api):
    # A 交城县 contractor building in 离石区: the project's region, not the contractor's.
    project = ProjectFactory(contractor=world.enterprise, region=other_county, name="离石区体育馆")
    api.force_authenticate(make_user("proj_ls", "project", project=project))
    assert registered_region(register(api)) == "141102"


@pytest.mark.parametrize("role", ["city_regulator", "platform_admin"])
def test_a_wider_scope_must_give_the_region(role, world, client_as):
    response = register(client_as(role))
    assert response.status_code == 400
    body = response.json()
    assert list(body["errors"]) == ["region"] and body["detail"]
    assert not Person.objects.filter(id_number=NEW_ID).exists()


def test_a_wider_scope_that_gives_the_region_registers_there(world, client_as):
    response = client_as("city_regulator").post(URL, {**NO_REGION, "region": "141102"}, format="json")
    assert registered_region(response) == "141102"
