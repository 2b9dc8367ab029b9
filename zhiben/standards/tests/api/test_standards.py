"""`/api/v1/standards/`: field names of API.md, filters, scope, pinned query counts."""

from __future__ import annotations

import pytest

from zhiben.standards import services
from zhiben.standards.models import Standard

pytestmark = pytest.mark.django_db

URL = "/api/v1/standards/"
API_MD_FIELDS = {"id", "code", "title", "version", "effective_from"}
FIELDS = API_MD_FIELDS | {"kind", "effective_to", "document_no", "issuer", "status", "trust", "region",
                          "item_count", "unverified_item_count", "source", "notes", "published_on", "based_on"}


def test_it_lists_the_shipped_versions_with_the_fields_of_api_md(api, enterprise_user, v2024):
    api.force_authenticate(enterprise_user)
    response = api.get(URL, {"page_size": 50})
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"count", "next", "previous", "results"}
    assert body["count"] == 6
    row = next(r for r in body["results"] if r["id"] == v2024.pk)
    assert set(row) == FIELDS
    assert row == row | {
        "code": "hazard-determination", "version": "2024", "effective_from": "2024-12-13", "effective_to": None,
        "kind": "determination", "document_no": "建质规〔2024〕5号", "status": "published", "trust": "verbatim",
        "region": None, "item_count": 53, "unverified_item_count": 0,
    }


def test_the_detail_adds_the_rules(api, inspector, v2022):
    api.force_authenticate(inspector)
    body = api.get(f"{URL}{v2022.pk}/").json()
    assert set(body) == FIELDS | {"rules"}
    assert (body["version"], body["item_count"], body["unverified_item_count"]) == ("2022", 34, 20)
    assert body["effective_to"] == "2024-12-12"
    assert body["rules"]["superseded_by"]["version"] == "2024"


@pytest.mark.parametrize(("params", "expected"), [
    ({"code": "hazard-determination"}, {("hazard-determination", "2022"), ("hazard-determination", "2024")}),
    ({"kind": "catalogue"}, {("eliminated-catalogue-batch1", "batch1"), ("eliminated-catalogue-batch2", "batch2")}),
    ({"in_force_on": "2024-12-12", "kind": "determination"}, {("hazard-determination", "2022")}),
    ({"in_force_on": "2024-12-13", "kind": "determination"}, {("hazard-determination", "2024")}),
    ({"in_force_on": "2012-06-30"}, set()),
    ({"in_force_on": "2012-07-01"}, {("jgj59", "2011")}),
    ({"status": "draft"}, set()),
])
def test_it_filters(api, inspector, params, expected):
    api.force_authenticate(inspector)
    response = api.get(URL, params)
    assert response.status_code == 200
    assert {(r["code"], r["version"]) for r in response.json()["results"]} == expected


@pytest.mark.parametrize("params", [{"in_force_on": "2024-13-01"}, {"kind": "law"}, {"status": "gone"}])
def test_bad_filters_are_400_with_field_errors(api, inspector, params):
    api.force_authenticate(inspector)
    response = api.get(URL, params)
    assert response.status_code == 400
    assert set(response.json()["errors"]) == set(params)
    assert response.json()["detail"]


def test_the_list_takes_the_same_queries_for_5_and_50_rows(api, enterprise_user, django_assert_num_queries):
    api.force_authenticate(enterprise_user)
    with django_assert_num_queries(3):  # the enterprise's region, the count, the page
        assert len(api.get(URL, {"page_size": 5}).json()["results"]) == 5
    with django_assert_num_queries(3):
        assert len(api.get(URL, {"page_size": 50}).json()["results"]) == 6


def test_a_countys_version_is_seen_in_the_county_and_above_only(
    api, county_version, regulator, inspector, enterprise_user, project_user, city_regulator, other_regulator,
    other_enterprise_user,
):
    url = f"{URL}{county_version.pk}/"
    for user in (regulator, inspector, enterprise_user, project_user, city_regulator):
        api.force_authenticate(user)
        response = api.get(url)
        assert response.status_code == 200, user
        assert response.json()["region"] == "141122"
    for user in (other_regulator, other_enterprise_user):
        api.force_authenticate(user)
        assert api.get(url).status_code == 404
        assert api.get(f"{url}items/").status_code == 404
        assert county_version.pk not in {r["id"] for r in api.get(URL, {"page_size": 50}).json()["results"]}


def test_drafts_are_seen_only_by_their_editors(
    api, county_draft, regulator, inspector, enterprise_user, platform_admin,
):
    url = f"{URL}{county_draft.pk}/"
    for user in (regulator, platform_admin):
        api.force_authenticate(user)
        assert api.get(url).json()["status"] == "draft"
    for user in (inspector, enterprise_user):
        api.force_authenticate(user)
        assert api.get(url).status_code == 404


def test_unknown_and_absurd_ids_are_404(api, inspector):
    api.force_authenticate(inspector)
    assert api.get(f"{URL}999999/").status_code == 404
    assert api.get(f"{URL}{2**70}/").status_code == 404
    assert api.get(f"{URL}{2**70}/items/").status_code == 404


def test_anonymous_callers_get_nothing(api, v2024):
    # 401 once token authentication answers the challenge first (settings); never any data.
    for url in (URL, f"{URL}{v2024.pk}/", f"{URL}{v2024.pk}/items/", f"{URL}items-in-force/"):
        response = api.get(url)
        assert response.status_code in (401, 403)
        assert "results" not in response.json() and "code" not in response.json()


def test_the_schema_documents_the_standards_endpoints(api, inspector):
    api.force_authenticate(inspector)
    response = api.get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    paths = response.json()["paths"]
    for path in ("/api/v1/standards/", "/api/v1/standards/{id}/", "/api/v1/standards/{id}/copy/",
                 "/api/v1/standards/{id}/publish/", "/api/v1/standards/{standard_pk}/items/",
                 "/api/v1/standards/items-in-force/"):
        assert path in paths, path


def test_created_versions_are_listed_with_their_counts(api, regulator, county_version):
    api.force_authenticate(regulator)
    rows = api.get(URL, {"code": "anti-falling-campaign"}).json()["results"]
    assert {(r["version"], r["region"], r["item_count"]) for r in rows} == {("2024", None, 30),
                                                                              ("2025-交城", "141122", 31)}
    assert Standard.objects.filter(code="anti-falling-campaign").count() == 2
    assert services.can_edit_standard(regulator, county_version)
