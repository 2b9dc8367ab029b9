"""Bad input never gives a 500: wrong types for ids, absurd numbers, broken paging, malformed JSON."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db

LISTS = ["regions", "enterprises", "projects", "persons", "certificates"]
WRITABLE = ["enterprises", "projects", "persons", "certificates"]
HUGE = "9" * 30


@pytest.fixture
def client(world, client_as):
    return client_as("regulator")


@pytest.mark.parametrize("resource", LISTS)
@pytest.mark.parametrize("query", [
    {"page": "abc"}, {"page": "0"}, {"page": "-1"}, {"page": HUGE}, {"page": "9999"},
    {"page_size": "abc"}, {"page_size": "-5"}, {"page_size": "0"}, {"page_size": HUGE},
    {"region": "abc"}, {"region": HUGE}, {"region": "-1"}, {"region": "1411.5"}, {"parent": HUGE},
    {"contractor": "abc"}, {"contractor": HUGE}, {"person": "NaN"}, {"person": "1e999"}, {"project": "x"},
    {"enterprise": HUGE}, {"status": "nonsense"}, {"level": "galaxy"}, {"expires_before": "2024-02-30"},
    {"q": "\x00"}, {"q": "' OR 1=1 --"}, {"licence": "abc"}, {"employment_kind": "abc"},
])
def test_no_query_string_gives_a_500(resource, query, client):
    response = client.get(f"/api/v1/{resource}/", query)
    assert response.status_code in {200, 400, 404}, response.content
    if response.status_code == 400:
        body = response.json()
        assert set(body) == {"detail", "errors"}
        assert set(body["errors"]) <= set(query)


@pytest.mark.parametrize("resource", LISTS)
@pytest.mark.parametrize("query", [{"page": "abc"}, {"page": "0"}, {"page": "-1"}, {"page": "9999"},
                                   {"page_size": "abc"}, {"page_size": "0"}, {"page_size": "501"}])
def test_bad_paging_is_a_400_naming_the_parameter(resource, query, client):
    response = client.get(f"/api/v1/{resource}/", query)
    assert response.status_code == 400, response.content
    assert list(response.json()["errors"]) == list(query)


@pytest.mark.parametrize("resource", LISTS)
@pytest.mark.parametrize("key", ["abc", "0", "-1", HUGE, "1.5", "%20", "１２"])
def test_a_detail_url_with_a_bad_key_is_a_404(resource, key, client):
    assert client.get(f"/api/v1/{resource}/{key}/").status_code == 404


@pytest.mark.parametrize("resource", WRITABLE)
@pytest.mark.parametrize("body", ['{"name": ', "[1, 2]", '"just a string"', "null", "\xff\xfe", "{}"])
def test_malformed_or_wrong_shaped_json_is_a_400(resource, body, client):
    response = client.generic("POST", f"/api/v1/{resource}/", body.encode("latin-1"),
                              content_type="application/json")
    assert response.status_code == 400, response.content
    assert set(response.json()) == {"detail", "errors"}


ID_FIELDS = {
    "enterprises": ["principal", "actual_controller", "safety_director"],
    "projects": ["contractor", "manager"],
    "certificates": ["person"],
}
BAD_IDS = ["abc", HUGE, int(HUGE), -3, 0, 1.5, True, {"id": 1}, [1], " 1 2"]


@pytest.mark.parametrize("resource", ID_FIELDS)
@pytest.mark.parametrize("bad", BAD_IDS, ids=repr)
def test_a_bad_id_in_a_body_is_a_400_naming_the_field(resource, bad, world, client):
    target = {"enterprises": world.enterprise, "projects": world.project,
              "certificates": world.certificates["worker"]}[resource]
    for field in ID_FIELDS[resource]:
        response = client.patch(f"/api/v1/{resource}/{target.pk}/", {field: bad}, format="json")
        assert response.status_code == 400, (field, response.content)
        assert list(response.json()["errors"]) == [field]


@pytest.mark.parametrize("resource", ["enterprises", "projects", "persons"])
@pytest.mark.parametrize("bad", ["abc", "14112", "1411220", 141122.5, -141122, [141122], {"code": 1}, HUGE, "999999"],
                         ids=repr)
def test_a_bad_region_code_is_a_400_naming_the_field(resource, bad, world, client):
    target = {"enterprises": world.enterprise, "projects": world.project, "persons": world.worker}[resource]
    response = client.patch(f"/api/v1/{resource}/{target.pk}/", {"region": bad}, format="json")
    assert response.status_code == 400, response.content
    assert list(response.json()["errors"]) == ["region"]


def test_a_region_code_may_be_given_as_a_number(world, client):
    response = client.patch(f"/api/v1/persons/{world.worker.pk}/", {"region": 141122}, format="json")
    assert response.status_code == 200
    assert response.json()["region"] == "141122"


@pytest.mark.parametrize("patch", [
    {"safety_licence_expires": "2024-13-45"}, {"safety_licence_expires": 20240101}, {"name": "x" * 500},
    {"name": None}, {"standardization_level": 3}, {"uscc": 12345}, {"uscc": None},
])
def test_wrong_types_and_sizes_are_a_400(patch, world, client):
    response = client.patch(f"/api/v1/enterprises/{world.enterprise.pk}/", patch, format="json")
    assert response.status_code == 400, response.content
    assert list(response.json()["errors"]) == list(patch)


def test_form_encoded_and_multipart_bodies_are_understood_or_refused_cleanly(world, client):
    response = client.post("/api/v1/certificates/", "person=abc", content_type="application/x-www-form-urlencoded")
    assert response.status_code in {400, 415}
    response = client.post("/api/v1/certificates/", "<xml/>", content_type="application/xml")
    assert response.status_code == 415


@pytest.mark.parametrize("resource", LISTS)
def test_options_describes_the_endpoint(resource, world, client):
    assert client.options(f"/api/v1/{resource}/").status_code == 200
    key = {"regions": "141122", "enterprises": world.enterprise.pk, "projects": world.project.pk,
           "persons": world.worker.pk, "certificates": world.certificates["worker"].pk}[resource]
    assert client.options(f"/api/v1/{resource}/{key}/").status_code == 200
