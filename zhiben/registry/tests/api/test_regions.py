"""/api/v1/regions/: read-only division codes as strings; regulators are offered their own region and below."""

from __future__ import annotations

import pytest

from zhiben.registry.models import Region
from zhiben.registry.tests.api.conftest import ROLES, SIGNED_IN

pytestmark = pytest.mark.django_db

URL = "/api/v1/regions/"

LOCAL = {"regulator", "inspector", "leader", "expert"}
# Codes each role must and must not find.
SEES = {
    **dict.fromkeys(LOCAL, ({"141122"}, {"141100", "141102", "140000"})),
    "other_regulator": ({"141102"}, {"141122", "141100"}),
    "city_regulator": ({"141100", "141122", "141102"}, {"140000", "141000"}),
    **dict.fromkeys(["enterprise_user", "other_enterprise_user", "project_user", "platform_admin"],
                    ({"140000", "141100", "141122", "141102", "110000"}, set())),
}


def codes(response) -> set[str]:
    assert response.status_code == 200, response.content
    return {row["code"] for row in response.json()["results"]}


@pytest.mark.parametrize("role", SIGNED_IN)
def test_the_list_offers_the_regions_of_the_callers_scope(role, client_as):
    found = codes(client_as(role).get(URL, {"page_size": 500, "q": ""}))
    found |= codes(client_as(role).get(URL, {"page_size": 500, "parent": "141100"}))
    found |= codes(client_as(role).get(URL, {"page_size": 500, "level": "province"}))
    must, must_not = SEES[role]
    assert must <= found
    assert not (must_not & found)


@pytest.mark.parametrize("role", SIGNED_IN)
@pytest.mark.parametrize("code", ["141122", "141102", "141100", "140000"])
def test_detail_is_200_inside_the_scope_and_404_outside(role, code, client_as):
    must, must_not = SEES[role]
    response = client_as(role).get(f"{URL}{code}/")
    if code in must:
        assert response.status_code == 200
    if code in must_not:
        assert response.status_code == 404


def test_a_region_reads_as_code_strings(client_as):
    body = client_as("regulator").get(f"{URL}141122/").json()
    assert body == {"code": "141122", "name": Region.objects.get(code=141122).name, "level": "county",
                    "parent": "141100"}
    province = client_as("platform_admin").get(f"{URL}140000/").json()
    assert province == {"code": "140000", "name": "山西省", "level": "province", "parent": None}


def test_it_filters_by_parent_and_level(client_as):
    client = client_as("platform_admin")
    children = client.get(URL, {"parent": "141100", "page_size": 100}).json()["results"]
    assert "141122" in {row["code"] for row in children}
    assert {row["parent"] for row in children} == {"141100"}
    assert {row["level"] for row in children} == {"county"}
    provinces = client.get(URL, {"level": "province", "page_size": 100}).json()
    assert {row["level"] for row in provinces["results"]} == {"province"}
    assert provinces["count"] >= 31


@pytest.mark.parametrize("role", ROLES)
def test_regions_cannot_be_written(role, client_as):
    client = client_as(role)
    expected = 401 if role == "anonymous" else 405
    assert client.post(URL, {"code": "141199", "name": "x", "level": "county"}, format="json").status_code == expected
    assert client.patch(f"{URL}141122/", {"name": "x"}, format="json").status_code == expected
    assert Region.objects.get(code=141122).name != "x"
