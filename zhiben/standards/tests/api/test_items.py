"""`/api/v1/standards/{id}/items/` and `/api/v1/standards/items-in-force/`."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

pytestmark = pytest.mark.django_db

URL = "/api/v1/standards/"
ITEM_FIELDS = {"id", "code", "category", "text", "level", "legal_source", "verified", "extra", "position",
               "standard"}


def test_items_have_the_fields_of_api_md(api, project_user, v2024):
    api.force_authenticate(project_user)
    body = api.get(f"{URL}{v2024.pk}/items/").json()
    assert body["count"] == 53
    first = body["results"][0]
    assert set(first) == ITEM_FIELDS
    assert first | {"extra": None} == {
        "id": first["id"], "code": "2024-4.1", "category": "施工安全管理", "level": "major",
        "text": "建筑施工企业未取得安全生产许可证擅自从事建筑施工活动或超（无）资质承揽工程",
        "legal_source": "建质规〔2024〕5号 第四条第（一）项", "verified": True, "extra": None, "position": 1,
        "standard": v2024.pk,
    }


@pytest.mark.parametrize(("params", "count"), [
    ({"level": "major"}, 12),
    ({"level": "general"}, 10),
    ({"category": "钢结构与构件安装"}, None),
    ({"q": "FG-0"}, 9),
    ({"q": "安全带"}, None),
    ({"verified": "false"}, None),
])
def test_items_filter(api, inspector, campaign, params, count):
    api.force_authenticate(inspector)
    response = api.get(f"{URL}{campaign.pk}/items/", {**params, "page_size": 100})
    assert response.status_code == 200
    rows = response.json()["results"]
    assert rows
    expected = campaign.items.all()
    if "level" in params:
        expected = expected.filter(level=params["level"])
    if "category" in params:
        expected = expected.filter(category=params["category"])
    if "verified" in params:
        expected = expected.filter(verified=False)
    if "q" in params:
        expected = [i for i in expected if params["q"] in i.code + i.text + i.category + i.legal_source]
    assert sorted(r["code"] for r in rows) == sorted(i.code for i in expected)
    if count is not None and "level" not in params:
        assert len(rows) == count


def test_item_levels_add_up(api, inspector, campaign):
    api.force_authenticate(inspector)
    major = api.get(f"{URL}{campaign.pk}/items/", {"level": "major"}).json()["count"]
    general = api.get(f"{URL}{campaign.pk}/items/", {"level": "general"}).json()["count"]
    assert (major, major + general) == (16, 30)


def test_a_bad_level_filter_is_400(api, inspector, campaign):
    api.force_authenticate(inspector)
    response = api.get(f"{URL}{campaign.pk}/items/", {"level": "severe"})
    assert response.status_code == 400
    assert "level" in response.json()["errors"]


def test_the_item_list_takes_the_same_queries_for_5_and_50_rows(api, inspector, django_assert_num_queries):
    from zhiben.standards.models import Standard

    jgj = Standard.objects.get(code="jgj59")
    api.force_authenticate(inspector)
    with django_assert_num_queries(3):  # the standard, the count, the page
        assert len(api.get(f"{URL}{jgj.pk}/items/", {"page_size": 5}).json()["results"]) == 5
    with django_assert_num_queries(3):
        assert len(api.get(f"{URL}{jgj.pk}/items/", {"page_size": 50}).json()["results"]) == 50


def test_one_item_and_an_item_of_another_version_404(api, inspector, v2022, v2024):
    api.force_authenticate(inspector)
    item = v2024.items.first()
    assert api.get(f"{URL}{v2024.pk}/items/{item.pk}/").json()["code"] == item.code
    assert api.get(f"{URL}{v2022.pk}/items/{item.pk}/").status_code == 404


# --- items in force ------------------------------------------------------------------------------------------

IN_FORCE = f"{URL}items-in-force/"


def versions(response) -> set[tuple[str, str]]:
    return {(r["standard"]["code"], r["standard"]["version"]) for r in response.json()["results"]}


def test_a_hazard_found_on_2024_12_12_may_refer_to_2022_items(api, enterprise_user):
    api.force_authenticate(enterprise_user)
    response = api.get(IN_FORCE, {"found_on": "2024-12-12", "kind": "determination", "page_size": 100})
    assert response.status_code == 200
    assert versions(response) == {("hazard-determination", "2022")}
    assert response.json()["count"] == 34
    row = response.json()["results"][0]
    assert set(row) == ITEM_FIELDS
    assert set(row["standard"]) == {"id", "code", "title", "version", "kind"}


def test_a_hazard_found_on_2024_12_13_may_refer_to_2024_items(api, enterprise_user):
    api.force_authenticate(enterprise_user)
    response = api.get(IN_FORCE, {"found_on": "2024-12-13", "kind": "determination", "page_size": 100})
    assert versions(response) == {("hazard-determination", "2024")}
    assert response.json()["count"] == 53


def test_every_kind_a_hazard_may_cite_is_offered(api, inspector):
    api.force_authenticate(inspector)
    response = api.get(IN_FORCE, {"found_on": "2024-12-13", "page_size": 500})
    assert versions(response) == {("hazard-determination", "2024"), ("eliminated-catalogue-batch1", "batch1"),
                                  ("anti-falling-campaign", "2024")}
    assert response.json()["count"] == 53 + 19 + 30


@time_machine.travel(dt.datetime(2024, 12, 12, 16, 30, tzinfo=dt.UTC))  # 2024-12-13 00:30 in Beijing
def test_found_on_defaults_to_today_in_beijing(api, inspector):
    api.force_authenticate(inspector)
    assert versions(api.get(IN_FORCE, {"kind": "determination"})) == {("hazard-determination", "2024")}


def test_the_region_of_the_project_picks_the_countys_own_version(api, inspector, county_version):
    api.force_authenticate(inspector)
    response = api.get(IN_FORCE, {"found_on": "2025-06-01", "kind": "campaign", "region": "141122"})
    assert versions(response) == {("anti-falling-campaign", "2025-交城")}


@pytest.mark.parametrize("params", [{"found_on": "2024-12-32"}, {"region": "14112"}, {"kind": "score_table"},
                                    {"level": "severe"}])
def test_bad_parameters_are_400(api, inspector, params):
    api.force_authenticate(inspector)
    response = api.get(IN_FORCE, params)
    assert response.status_code == 400
    assert set(response.json()["errors"]) == set(params)


def test_items_in_force_takes_the_same_queries_for_5_and_50_rows(api, inspector, django_assert_num_queries):
    api.force_authenticate(inspector)
    with django_assert_num_queries(2):
        assert len(api.get(IN_FORCE, {"found_on": "2025-01-01", "page_size": 5}).json()["results"]) == 5
    with django_assert_num_queries(2):
        assert len(api.get(IN_FORCE, {"found_on": "2025-01-01", "page_size": 50}).json()["results"]) == 50
