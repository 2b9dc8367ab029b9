"""The dashboard page and the large screen, for every member of the cast: who sees what, the drill-down from the
city to a county, an enterprise, a project and the hazard list, and clear errors for bad parameters."""

from __future__ import annotations

import json
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

from zhiben.hazards.models import Hazard
from zhiben.registry.models import Region

pytestmark = pytest.mark.django_db

URL = reverse("dashboard:campaign")
SCREEN = reverse("dashboard:screen")
APRIL = {"as_of": "2025-04-30", "year": "2025"}
COUNTY_APRIL = {
    "region": "141122", "as_of": "2025-04-30",
    "stock": {"total": 2, "closed": 2, "open": 0},
    "increment": {"total": 9, "closed": 6, "open": 3, "by_year": {"2024": 3, "2025": 6}},
    "open_major": 3, "overdue_major": 2, "escalated_major": 2,
}


def get(client, user, url=URL, **params):
    client.force_login(user)
    return client.get(url, params)


def chart_json(response) -> dict:
    match = re.search(rb'<script id="dashboard-charts" type="application/json">(.*?)</script>', response.content,
                      re.S)
    assert match, "the charts' figures travel in a json_script tag"
    return json.loads(match.group(1))


@pytest.mark.parametrize("role", ["regulator", "inspector", "leader"])
def test_regulators_and_leaders_see_the_county(client, request, ledger, today, role):
    response = get(client, request.getfixturevalue(role), **APRIL)
    assert response.status_code == 200
    figures = response.context["figures"]
    assert figures["campaign"] == COUNTY_APRIL
    assert figures["stock_rate"] == 1.0 and figures["increment_rate"] == 0.6667
    assert [(m["label"], m["found"], m["closed"], m["due"], m["on_time"], m["rate"]) for m in figures["monthly"]] == [
        ("2025-01", 2, 1, 1, 1, 1.0), ("2025-02", 3, 3, 4, 2, 0.5), ("2025-03", 0, 0, 4, 2, 0.5),
        ("2025-04", 1, 1, 5, 3, 0.6)]
    assert figures["on_time"]["rate"] == 0.6
    assert [t["as_of_status"] for t in figures["targets"]] == ["met", "not_met", "not_started"]
    assert [t["deadline_status"] for t in figures["targets"]] == ["not_met", "not_reached", "not_reached"]
    assert figures["regions"] is None  # a county has no sub-regions
    assert [r["name"] for r in figures["rankings_enterprises"]] == ["交城县路桥工程有限公司", "交城县建筑工程有限公司"]
    charts = chart_json(response)
    assert charts["monthly"] == {"found": [2, 3, 0, 1], "closed": [1, 3, 0, 1]}
    assert charts["on_time"] == {"rate": [100.0, 50.0, 50.0, 60.0], "target": 90.0}
    assert charts["escalations"]["values"] == [0, 1, 1]
    assert charts["time_to_close"]["values"] == [0, 1, 2, 0, 2]
    assert [c["value"] for c in charts["channels"]] == [4, 1, 0, 1]
    html = response.content.decode()
    assert 'data-testid="past-notice"' in html
    assert html.count('data-testid="target"') == 3 and html.count('data-testid="formula"') == 3
    assert "vendor/echarts/echarts.min.js" in html and "cdn" not in html.lower()


def test_today_is_the_default_day(client, regulator, ledger, today):
    response = get(client, regulator)
    assert response.status_code == 200
    assert response.context["q"].as_of.isoformat() == "2025-05-10"
    assert response.context["figures"]["campaign"] == {**COUNTY_APRIL, "as_of": "2025-05-10"}
    assert [m["label"] for m in response.context["figures"]["monthly"]][-1] == "2025-05"
    assert 'data-testid="past-notice"' not in response.content.decode()


def test_the_figures_link_to_the_hazard_list_filtered_alike(client, regulator, ledger, world, today):
    response = get(client, regulator)
    links = response.context["figures"]["links"]
    overdue = parse_qs(urlsplit(links["overdue_major"]).query)
    assert overdue == {"level": ["major"], "region": ["141122"], "is_overdue": ["true"]}
    listed = client.get(links["overdue_major"])
    assert {h.code for h in listed.context["page"].object_list} == {ledger["H3"].code, ledger["E3"].code}
    closed = client.get(links["stock_closed"])
    assert {h.code for h in closed.context["page"].object_list} == {ledger["S1"].code, ledger["S2"].code}
    b = response.context["figures"]["rankings_enterprises"][0]
    assert parse_qs(urlsplit(b["overdue_url"]).query) == {
        "level": ["major"], "region": ["141122"], "enterprise": [str(world.b.pk)], "is_overdue": ["true"]}


def test_the_city_drills_down_to_a_county_an_enterprise_a_project_and_the_list(client, city_regulator, ledger,
                                                                             world, today):
    city = get(client, city_regulator, **APRIL)
    assert city.status_code == 200
    assert city.context["q"].region.pk == 141100
    regions = city.context["figures"]["regions"]
    assert len(regions) == Region.objects.filter(parent_id=141100).count() == 13
    row = next(r for r in regions if r["code"] == "141122")
    assert (row["increment"]["total"], row["open_major"], row["overdue_major"]) == (9, 3, 2)
    assert city.context["figures"]["campaign"]["increment"]["total"] == 11
    html = city.content.decode()
    assert html.count('data-testid="region-row"') == 13

    county = client.get(row["drill_url"])
    assert county.status_code == 200
    assert county.context["figures"]["campaign"] == COUNTY_APRIL
    assert [r.pk for r in [s["region"] for s in county.context["trail"]]] == [141100, 141122]

    enterprise_row = county.context["figures"]["rankings_enterprises"][0]
    assert enterprise_row["id"] == world.b.pk
    enterprise = client.get(enterprise_row["drill_url"])
    assert enterprise.status_code == 200
    assert enterprise.context["enterprise"] == world.b
    assert enterprise.context["figures"]["campaign"]["increment"] == {
        "total": 2, "closed": 0, "open": 2, "by_year": {"2024": 1, "2025": 1}}
    assert enterprise.context["figures"]["rankings_enterprises"] == []
    assert "交城县路桥工程有限公司" in enterprise.content.decode()

    project_row = enterprise.context["figures"]["rankings_projects"][0]
    project = client.get(project_row["drill_url"])
    assert project.status_code == 200
    assert project.context["project"] == world.p3
    assert project.context["figures"]["rankings_projects"] == []
    assert 'data-testid="project-lists"' in project.content.decode()
    listed = client.get(project.context["figures"]["links"]["open_major"])
    assert {h.code for h in listed.context["page"].object_list} == {ledger["H3"].code, ledger["E3"].code}


def test_an_enterprise_user_sees_only_its_own_enterprise(client, enterprise_user, ledger, world, today):
    response = get(client, enterprise_user, **APRIL)
    assert response.status_code == 200
    figures = response.context["figures"]
    assert figures["campaign"]["stock"] == {"total": 1, "closed": 1, "open": 0}
    assert figures["campaign"]["increment"]["total"] == 7
    assert figures["regions"] is None and figures["rankings_enterprises"] == []
    assert [r["name"] for r in figures["rankings_projects"]] == ["交城县第三中学宿舍楼"]
    assert response.context["enterprise"] == world.a
    html = response.content.decode()
    assert "交城县路桥工程有限公司" not in html
    assert 'data-testid="report-form"' not in html and 'data-testid="screen-link"' not in html
    assert get(client, enterprise_user, enterprise=str(world.a.pk)).status_code == 200
    assert get(client, enterprise_user, enterprise=str(world.b.pk)).status_code == 404
    assert get(client, enterprise_user, project=str(world.p3.pk)).status_code == 404


def test_a_project_user_sees_its_project(client, project_user, ledger, world, today):
    response = get(client, project_user, **APRIL)
    assert response.status_code == 200
    assert response.context["project"] == world.p1
    assert response.context["figures"]["campaign"]["increment"]["total"] == 4
    assert get(client, project_user, project=str(world.p2.pk)).status_code == 404


def test_other_counties_and_enterprises_get_not_found(client, other_regulator, other_enterprise_user, regulator,
                                                      ledger, world, today):
    assert get(client, other_regulator, region="141122").status_code == 404
    assert get(client, other_regulator, enterprise=str(world.a.pk)).status_code == 404
    assert get(client, regulator, region="141100").status_code == 404  # a county cannot look at its city
    assert get(client, regulator, enterprise=str(world.c.pk)).status_code == 404
    assert get(client, regulator, region="141122", enterprise="999999999").status_code == 404
    own = get(client, other_regulator, **APRIL)
    assert own.context["figures"]["campaign"]["increment"]["total"] == 1  # O1
    theirs = get(client, other_enterprise_user)  # the other county's enterprise: only its own O1
    assert theirs.status_code == 200 and theirs.context["figures"]["campaign"]["increment"]["total"] == 1
    assert theirs.context["figures"]["campaign"]["stock"]["total"] == 0


def test_roles_without_a_dashboard_get_not_found(client, expert, ledger, today):
    assert get(client, expert).status_code == 404
    assert get(client, expert, SCREEN).status_code == 404


@pytest.mark.parametrize("url", [URL, SCREEN, reverse("dashboard:export"), reverse("dashboard:monthly_report")])
def test_the_public_is_sent_to_the_login_page(client, url):
    response = client.get(url)
    assert response.status_code == 302 and response.url.startswith(reverse("accounts:login"))


@pytest.mark.parametrize(("params", "field"), [
    ({"as_of": "2024-13-01"}, "as_of"),
    ({"as_of": "2099-01-01"}, "as_of"),
    ({"as_of": "yesterday"}, "as_of"),
    ({"region": "abc"}, "region"),
    ({"region": "1411220"}, "region"),
    ({"year": "abc"}, "year"),
    ({"year": "2026"}, "year"),  # after the as-of day
    ({"enterprise": "abc"}, "enterprise"),
    ({"project": "-1"}, "project"),
])
def test_bad_parameters_are_explained_not_a_500(client, regulator, ledger, today, params, field):
    response = get(client, regulator, **params)
    assert response.status_code == 400
    errors = response.context["errors"]
    assert list(errors) == [field] and all(errors[field])
    assert f'data-field="{field}"' in response.content.decode()
    assert "figures" not in response.context


def test_the_large_screen(client, leader, ledger, today):
    response = get(client, leader, SCREEN)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-bs-theme="dark"' in html
    assert 'hx-trigger="every 300s"' in html and 'hx-select="#screen"' in html
    assert "navbar-vertical" not in html  # no navigation chrome
    figures = response.context["figures"]
    assert figures["campaign"] == {**COUNTY_APRIL, "as_of": "2025-05-10"}
    assert response.context["found_this_year"] == 6
    assert len(figures["rankings_enterprises"]) <= 5
    assert chart_json(response)["monthly"]["found"] == [2, 3, 0, 1, 0]
    assert 'data-testid="screen-overdue">2<' in html


def test_the_large_screen_is_the_bureaus(client, city_regulator, regulator, enterprise_user, ledger, today):
    assert get(client, enterprise_user, SCREEN).status_code == 404
    assert get(client, regulator, SCREEN, region="141102").status_code == 404
    assert get(client, regulator, SCREEN, region="abc").status_code == 400
    county = get(client, city_regulator, SCREEN, region="141122")
    assert county.status_code == 200 and county.context["q"].region.pk == 141122


def test_the_menu_offers_the_screen_to_regulators_only(client, regulator, enterprise_user, project_user, today):
    assert SCREEN in get(client, regulator).content.decode()
    page = get(client, enterprise_user).content.decode()
    assert URL in page and SCREEN not in page
    assert URL in get(client, project_user).content.decode()


def test_the_page_runs_a_bounded_number_of_queries(client, regulator, ledger, today, django_assert_max_num_queries):
    client.force_login(regulator)
    with django_assert_max_num_queries(40):
        assert client.get(URL, APRIL).status_code == 200
    assert Hazard.objects.count() == 16


def test_every_table_on_the_page_exports(client, city_regulator, ledger, today):
    page = get(client, city_regulator, **APRIL).content.decode()
    links = re.findall(r'href="([^"]*/dashboard/export/[^"]*)" data-testid="export-([a-z_]+)"', page)
    assert sorted(table for _link, table in links) == [
        "monthly", "rankings_enterprises", "rankings_projects", "regions", "summary", "targets"]
    for link, table in links:
        url = link.replace("&amp;", "&")
        assert parse_qs(urlsplit(url).query)["table"] == [table]
        response = client.get(url)
        assert response.status_code == 200, table
        assert f"campaign-{table}-141100-2025-04-30.xlsx" in response["Content-Disposition"]


def test_the_platform_sees_every_province(client, platform_admin, ledger, today):
    response = get(client, platform_admin, **APRIL)
    assert response.status_code == 200
    regions = response.context["figures"]["regions"]
    assert len(regions) == Region.objects.filter(parent__isnull=True).count()
    shanxi = next(r for r in regions if r["code"] == "140000")
    assert (shanxi["stock"]["total"], shanxi["increment"]["total"], shanxi["overdue_major"]) == (2, 11, 4)
    assert sum(r["increment"]["total"] for r in regions) == 11


def test_the_targets_read_the_on_time_target_as_a_figure_never_a_setting_name(client, regulator, ledger, today,
                                                                                settings):
    settings.CAMPAIGN_ON_TIME_TARGET = 0.85
    html = get(client, regulator, **APRIL).content.decode()
    formulas = re.findall(r'data-testid="formula">(.*?)</p>', html, re.S)
    assert "CAMPAIGN_ON_TIME_TARGET" not in html
    assert "85.00%" in formulas[1]
