"""`/api/v1/hazards/` as API.md writes it: the list and every filter, pagination, field names, create and PATCH,
each action with its documented body, the events endpoint, bad input (never a 500) and pinned query counts."""

from __future__ import annotations

import datetime as dt
import itertools
import re

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from zhiben.hazards import search as hazard_search
from zhiben.hazards import services
from zhiben.hazards.models import Hazard
from zhiben.hazards.tests.conftest import ACTION_BODIES, beijing
from zhiben.registry.factories import ProjectFactory
from zhiben.standards.models import StandardItem

pytestmark = pytest.mark.django_db

UTC = dt.UTC
NOW = beijing(2025, 3, 20, 10)
URL = "/api/v1/hazards/"
API_FIELDS = {
    "id", "code", "project", "enterprise", "region", "channel", "level", "standard_item", "description", "location",
    "found_at", "deadline", "status", "is_stock", "is_overdue", "escalation_level", "duplicate_of",
}
EVENT_FIELDS = {"seq", "at", "actor", "action", "data", "hash", "prev_hash"}
HUGE = 2**70


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def as_user(api):
    def _as(user):
        api.force_authenticate(user)
        return api

    return _as


def item(version="2024", code="2024-4.1") -> StandardItem:
    return StandardItem.objects.get(standard__code="hazard-determination", standard__version=version, code=code)


def ids(response) -> set[int]:
    assert response.status_code == 200, response.content
    return {h["id"] for h in response.json()["results"]}


# --- The list and its filters ------------------------------------------------------------------------------------


@pytest.fixture
def ledger(register, regulator, enterprise_user, other_regulator, other_project, project, enterprise):
    """A small ledger in two counties of 吕梁市 with one hazard for each filter value."""
    sibling = ProjectFactory(contractor=enterprise, name="交城县第二中学教学楼")
    h = {}
    h["stock"] = register(found_at=dt.datetime(2023, 12, 31, 15, 59, 59, tzinfo=UTC), deadline=dt.date(2024, 1, 15),
                          description="高大模板支撑系统未经验收即浇筑混凝土", location="门诊楼屋面")
    h["increment"] = register(found_at=dt.datetime(2023, 12, 31, 16, 0, tzinfo=UTC), deadline=dt.date(2025, 12, 31),
                              description="深基坑周边堆载超过设计荷载", location="地下车库东侧")
    h["self"] = register(actor=enterprise_user, channel="self", level="general", found_at=beijing(2025, 3, 1),
                         deadline=dt.date(2025, 3, 30), description="配电箱未设置漏电保护器", location="生活区")
    h["sibling"] = register(project_id=sibling.pk, channel="report", found_at=beijing(2025, 3, 2),
                            deadline=dt.date(2025, 3, 30), description="外脚手架连墙件缺失", location="教学楼北侧")
    h["elsewhere"] = register(actor=other_regulator, project_id=other_project.pk, channel="alarm",
                              found_at=beijing(2025, 3, 3), deadline=dt.date(2025, 3, 30),
                              description="塔式起重机力矩限制器失效", location="3号塔吊")
    services.hazard_submit(actor=enterprise_user, hazard_id=h["self"].pk, note="已整改")
    return h


def test_the_list_is_scoped(as_user, ledger, regulator, city_regulator, enterprise_user, other_enterprise_user,
                            project_user, platform_admin, leader, expert):
    local = {ledger[k].pk for k in ("stock", "increment", "self", "sibling")}
    everything = local | {ledger["elsewhere"].pk}
    assert ids(as_user(regulator).get(URL)) == local
    assert ids(as_user(leader).get(URL)) == local
    assert ids(as_user(expert).get(URL)) == local
    assert ids(as_user(city_regulator).get(URL)) == everything
    assert ids(as_user(platform_admin).get(URL)) == everything
    assert ids(as_user(enterprise_user).get(URL)) == local
    assert ids(as_user(project_user).get(URL)) == {ledger[k].pk for k in ("stock", "increment", "self")}
    assert ids(as_user(other_enterprise_user).get(URL)) == {ledger["elsewhere"].pk}


def test_the_public_gets_401(api):
    assert api.get(URL).status_code == 401
    assert api.post(URL, {}, format="json").status_code == 401


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("region=141100", {"stock", "increment", "self", "sibling", "elsewhere"}),  # city: its counties too
        ("region=140000", {"stock", "increment", "self", "sibling", "elsewhere"}),  # the province
        ("region=141122", {"stock", "increment", "self", "sibling"}),
        ("region=141102", {"elsewhere"}),
        ("region=110000", set()),
        ("level=general", {"self"}),
        ("level=major", {"stock", "increment", "sibling", "elsewhere"}),
        ("status=submitted", {"self"}),
        ("status=open", {"stock", "increment", "sibling", "elsewhere"}),
        ("status=closed", set()),
        ("channel=self", {"self"}),
        ("channel=report", {"sibling"}),
        ("channel=alarm", {"elsewhere"}),
        ("channel=inspection", {"stock", "increment"}),
        ("is_stock=true", {"stock"}),
        ("is_stock=false", {"increment", "self", "sibling", "elsewhere"}),
        ("is_overdue=true", {"stock"}),
        ("is_overdue=false", {"increment", "self", "sibling", "elsewhere"}),
        # found_from / found_to are Beijing dates: 2023-12-31T16:00Z is 2024-01-01.
        ("found_to=2023-12-31", {"stock"}),
        ("found_from=2024-01-01&found_to=2024-01-01", {"increment"}),
        ("found_from=2025-03-02", {"sibling", "elsewhere"}),
        ("found_from=2025-03-01&found_to=2025-03-02", {"self", "sibling"}),
        ("q=漏电", {"self"}),  # description
        ("q=3号塔吊", {"elsewhere"}),  # location
        ("q=第二中学", {"sibling"}),  # project name
        ("q=没有这样的隐患", set()),
        ("level=major&region=141122&is_stock=false", {"increment", "sibling"}),
    ],
)
def test_every_filter_of_api_md(as_user, ledger, city_regulator, query, expected):
    assert ids(as_user(city_regulator).get(f"{URL}?{query}")) == {ledger[k].pk for k in expected}


def test_filters_by_enterprise_and_project(as_user, ledger, city_regulator, enterprise, project, other_enterprise):
    client = as_user(city_regulator)
    assert ids(client.get(f"{URL}?enterprise={enterprise.pk}")) == {
        ledger[k].pk for k in ("stock", "increment", "self", "sibling")}
    assert ids(client.get(f"{URL}?enterprise={other_enterprise.pk}")) == {ledger["elsewhere"].pk}
    assert ids(client.get(f"{URL}?project={project.pk}")) == {ledger[k].pk for k in ("stock", "increment", "self")}


def test_a_filter_never_widens_the_scope(as_user, ledger, regulator, other_enterprise):
    client = as_user(regulator)
    assert ids(client.get(f"{URL}?region=141102")) == set()
    assert ids(client.get(f"{URL}?enterprise={other_enterprise.pk}")) == set()


def test_q_finds_a_code(as_user, ledger, regulator):
    code = ledger["sibling"].code
    assert ids(as_user(regulator).get(f"{URL}?q={code}")) == {ledger["sibling"].pk}
    assert ids(as_user(regulator).get(f"{URL}?q={code.lower()}")) == {ledger["sibling"].pk}


@pytest.mark.parametrize(
    "query",
    [
        "region=abc", "region=14112", "region=99999999999999999999", "level=huge", "status=done", "channel=fax",
        "found_from=2025-13-01", "found_to=yesterday", "enterprise=abc", "project=1.5", f"enterprise={HUGE}",
        f"project={HUGE}", "project=-1", "is_stock=maybe", "is_overdue=2",
    ],
)
def test_a_malformed_filter_is_a_400(as_user, ledger, regulator, query):
    response = as_user(regulator).get(f"{URL}?{query}")
    assert response.status_code == 400, (query, response.status_code, response.content[:300])
    body = response.json()
    assert body["detail"] and body["errors"]


# --- Pagination and field names --------------------------------------------------------------------------------


def test_the_page_shape(as_user, ledger, city_regulator):
    client = as_user(city_regulator)
    first = client.get(f"{URL}?page_size=2").json()
    assert set(first) == {"count", "next", "previous", "results"}
    assert (first["count"], len(first["results"]), first["previous"]) == (5, 2, None)
    assert "page=2" in first["next"] and "page_size=2" in first["next"]
    last = client.get(f"{URL}?page_size=2&page=3").json()
    assert last["next"] is None and len(last["results"]) == 1
    # Newest found first; the three pages hold each hazard once.
    pages = [client.get(f"{URL}?page_size=2&page={n}").json()["results"] for n in (1, 2, 3)]
    found = [h["found_at"] for h in itertools.chain(*pages)]
    assert found == sorted(found, reverse=True) and len({h["id"] for h in itertools.chain(*pages)}) == 5


def test_page_size_is_at_most_500(as_user, regulator, project):
    bulk_hazards(project, 501)
    response = as_user(regulator).get(f"{URL}?page_size=500")
    assert response.status_code == 200
    assert len(response.json()["results"]) == 500


@pytest.mark.parametrize("query", ["page_size=501", "page_size=1000", "page_size=abc", "page_size=0", "page_size=-3",
                                   "page_size=1.5", f"page_size={HUGE}"])
def test_a_page_size_outside_1_to_500_is_a_400_on_the_field(as_user, regulator, query):
    response = as_user(regulator).get(f"{URL}?{query}")
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["page_size"]


@pytest.mark.parametrize("page", ["abc", "0", "99", "-1", "1.5", str(HUGE)])
def test_a_page_that_does_not_exist_is_a_400_on_the_field(as_user, ledger, regulator, page):
    response = as_user(regulator).get(f"{URL}?page={page}")
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["page"]


def test_field_names_and_types_are_as_written(as_user, ledger, city_regulator, enterprise, project):
    hazard = ledger["stock"]
    for response in (as_user(city_regulator).get(f"{URL}?q={hazard.code}"),
                     as_user(city_regulator).get(f"{URL}{hazard.pk}/")):
        assert response.status_code == 200
        body = response.json()
        body = body["results"][0] if "results" in body else body
        assert set(body) >= API_FIELDS
        assert body["id"] == hazard.pk
        assert re.fullmatch(r"YH141122\d{10}", body["code"])
        assert (body["project"], body["enterprise"], body["region"]) == (project.pk, enterprise.pk, "141122")
        assert (body["channel"], body["level"], body["status"]) == ("inspection", "major", "open")
        assert body["standard_item"] is None and body["duplicate_of"] is None
        assert body["found_at"] == "2023-12-31T23:59:59+08:00"  # ISO 8601 with offset, Beijing time
        assert body["deadline"] == "2024-01-15"
        assert body["is_stock"] is True and body["is_overdue"] is True
        assert body["escalation_level"] == 0
        assert body["description"] == "高大模板支撑系统未经验收即浇筑混凝土" and body["location"] == "门诊楼屋面"


def test_the_detail_of_a_hidden_or_unknown_hazard_is_404(as_user, ledger, other_enterprise_user):
    client = as_user(other_enterprise_user)
    for pk in (ledger["stock"].pk, 10**9, HUGE, "abc", "-1", "0"):
        response = client.get(f"{URL}{pk}/")
        assert response.status_code == 404, pk
    assert client.get(f"{URL}{ledger['stock'].pk}/").json() == client.get(f"{URL}{10**9}/").json()


# --- Create ------------------------------------------------------------------------------------------------------


def test_create(as_user, enterprise_user, project):
    response = as_user(enterprise_user).post(URL, {
        "project": project.pk, "channel": "self", "level": "major", "standard_item": item().pk,
        "description": "深基坑未按方案开挖", "location": "地下车库", "found_at": "2025-03-19T09:30:00+08:00",
        "deadline": "2025-04-01",
    }, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    hazard = Hazard.objects.get(pk=body["id"])
    assert (body["status"], body["channel"], body["standard_item"], body["deadline"]) == (
        "open", "self", item().pk, "2025-04-01")
    assert body["found_at"] == "2025-03-19T09:30:00+08:00"
    assert (body["is_stock"], body["is_overdue"], body["escalation_level"]) == (False, False, 0)
    assert hazard.created_by == enterprise_user
    assert set(body["actions"]) == {"submit", "request-extension"}


def test_create_defaults(as_user, regulator, project):
    body = as_user(regulator).post(URL, {"project": project.pk, "level": "general", "description": "未戴安全帽"},
                                   format="json").json()
    assert body["channel"] == "self"
    assert body["found_at"] == "2025-03-20T10:00:00+08:00"
    assert body["deadline"] == "2025-03-27"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"project": "abc"}, "project"),
        ({"project": HUGE}, "project"),
        ({"project": 10**12}, "project"),
        ({"project": None}, "project"),
        ({"level": 5}, "level"),
        ({"level": "huge"}, "level"),
        ({"channel": "fax"}, "channel"),
        ({"description": ""}, "description"),
        ({"description": ["a list"]}, "description"),
        ({"found_at": "yesterday"}, "found_at"),
        ({"found_at": "2025-03-21T10:00:00+08:00"}, "found_at"),  # tomorrow
        ({"deadline": "2025-02-30"}, "deadline"),
        ({"deadline": "2025-03-18"}, "deadline"),  # before the day found
        ({"standard_item": "x"}, "standard_item"),
        ({"standard_item": HUGE}, "standard_item"),
        ({"standard_item": 10**12}, "standard_item"),
        ({"standard_item": "2022"}, "standard_item"),
        ({"level": "general", "standard_item": "2024"}, "level"),  # a determination item makes it major
    ],
)
def test_bad_input_on_create_is_a_400_on_the_field(as_user, regulator, project, changes, field):
    body = {"project": project.pk, "channel": "inspection", "level": "major", "description": "塔吊附着未设置",
            "found_at": "2025-03-19T09:30:00+08:00"}
    body.update(changes)
    if body.get("standard_item") in {"2022", "2024"}:
        body["standard_item"] = item(body["standard_item"], f"{body['standard_item']}-4.1").pk
    response = as_user(regulator).post(URL, body, format="json")
    assert response.status_code == 400, response.content
    assert field in response.json()["errors"], response.json()
    assert not Hazard.objects.exists()


def test_an_enterprise_registers_only_self_inspection_on_its_own_projects(as_user, enterprise_user, other_project,
                                                                          project):
    client = as_user(enterprise_user)
    base = {"level": "general", "description": "安全网破损"}
    response = client.post(URL, {**base, "project": project.pk, "channel": "inspection"}, format="json")
    assert response.status_code == 400 and "channel" in response.json()["errors"]
    response = client.post(URL, {**base, "project": other_project.pk, "channel": "self"}, format="json")
    assert response.status_code == 400 and "project" in response.json()["errors"]


def test_a_leader_may_not_register(as_user, leader, project):
    response = as_user(leader).post(URL, {"project": project.pk, "level": "general", "description": "安全网破损"},
                                    format="json")
    assert response.status_code == 403


@pytest.mark.parametrize("payload", ["not json", "[1, 2]", "null", '"text"', "{"])
def test_malformed_json_is_a_400(as_user, regulator, payload):
    response = as_user(regulator).generic("POST", URL, payload, content_type="application/json")
    assert response.status_code == 400, response.content
    assert "detail" in response.json()


# --- PATCH while open ----------------------------------------------------------------------------------------------


def test_patch_while_open(as_user, register, regulator):
    hazard = register(level="general")
    response = as_user(regulator).patch(f"{URL}{hazard.pk}/", {"location": "5号楼", "deadline": "2025-04-30",
                                                               "level": "major", "standard_item": item().pk},
                                        format="json")
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["location"], body["deadline"], body["level"], body["standard_item"]) == (
        "5号楼", "2025-04-30", "major", item().pk)
    assert hazard.events.filter(action="updated").count() == 1


@pytest.mark.parametrize("status", ["submitted", "closed", "void"])
def test_patch_is_refused_unless_open(as_user, hazard_in, regulator, status):
    hazard = hazard_in(status)
    response = as_user(regulator).patch(f"{URL}{hazard.pk}/", {"location": "5号楼"}, format="json")
    assert response.status_code == 409
    assert response.json()["detail"]


@pytest.mark.parametrize(("role", "status"), [("leader", 403), ("expert", 403), ("other_regulator", 404),
                                              ("other_enterprise_user", 404), ("city_regulator", 200)])
def test_who_may_patch(request, as_user, register, role, status):
    hazard = register()
    response = as_user(request.getfixturevalue(role)).patch(f"{URL}{hazard.pk}/", {"location": "5号楼"}, format="json")
    assert response.status_code == status


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"deadline": "someday"}, "deadline"),
        ({"deadline": "2025-03-01"}, "deadline"),  # before the day found
        ({"level": "huge"}, "level"),
        ({"standard_item": 10**12}, "standard_item"),
        ({"standard_item": HUGE}, "standard_item"),
        ({"description": ""}, "description"),
    ],
)
def test_bad_input_on_patch_is_a_400(as_user, register, regulator, body, field):
    hazard = register(found_at=beijing(2025, 3, 19))
    response = as_user(regulator).patch(f"{URL}{hazard.pk}/", body, format="json")
    assert response.status_code == 400, response.content
    assert field in response.json()["errors"]


def test_patch_of_an_unknown_hazard_is_404(as_user, regulator):
    for pk in (10**9, HUGE, "abc"):
        assert as_user(regulator).patch(f"{URL}{pk}/", {"location": "x"}, format="json").status_code == 404


# --- Actions with their documented bodies ------------------------------------------------------------------------


def test_the_life_of_a_hazard_through_the_api(as_user, register, regulator, inspector, enterprise_user,
                                              principal_user):
    hazard = register(found_at=beijing(2025, 3, 10), deadline=dt.date(2025, 3, 25))
    url = f"{URL}{hazard.pk}"

    response = as_user(principal_user).post(f"{url}/acknowledge/", {}, format="json")
    assert response.status_code == 200 and response.json()["acknowledged_at"] is not None

    owner = as_user(enterprise_user)
    photo = SimpleUploadedFile("a.png", b"\x89PNG\r\n\x1a\n" + b"0" * 10)
    evidence = owner.post(f"{url}/attachments/", {"file": photo}, format="multipart").json()
    response = owner.post(f"{url}/request-extension/", {"new_deadline": "2025-04-10", "reason": "雨季"},
                          format="json")
    assert response.status_code == 200 and response.json()["deadline"] == "2025-03-25"
    response = owner.post(f"{url}/submit/", {"note": "已整改", "attachments": [evidence["id"]]}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "submitted"

    reg = as_user(regulator)
    response = reg.post(f"{url}/approve-extension/", {}, format="json")
    assert response.status_code == 200 and response.json()["deadline"] == "2025-04-10"
    response = reg.post(f"{url}/reject-submission/", {"reason": "不彻底"}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "open"
    response = reg.post(f"{url}/escalate/", {"level": 2, "reason": "拒不整改"}, format="json")
    assert response.status_code == 200 and response.json()["escalation_level"] == 2

    owner = as_user(enterprise_user)
    assert owner.post(f"{url}/request-extension/", {"new_deadline": "2025-04-20", "reason": "再延"},
                      format="json").status_code == 200
    assert owner.post(f"{url}/submit/", {"note": "再次整改"}, format="json").status_code == 200
    reg = as_user(inspector)
    response = reg.post(f"{url}/deny-extension/", {}, format="json")
    assert response.status_code == 200 and response.json()["deadline"] == "2025-04-10"
    response = reg.post(f"{url}/close/", {"note": "复查合格"}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "closed"
    assert response.json()["closed_at"] is not None
    response = reg.post(f"{url}/reopen/", {"reason": "反弹"}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "open"
    duplicate = register(description="另一条重复登记")
    response = reg.post(f"{URL}{duplicate.pk}/void/", {"reason": "重复", "duplicate_of": hazard.pk}, format="json")
    assert response.status_code == 200
    assert (response.json()["status"], response.json()["duplicate_of"]) == ("void", hazard.pk)

    events = as_user(regulator).get(f"{url}/events/").json()["results"]
    assert [e["action"] for e in events] == [
        "registered", "notified", "acknowledge", "attachment-added", "request-extension", "submit",
        "approve-extension", "reject-submission", "escalate", "request-extension", "submit", "deny-extension",
        "close", "reopen", "duplicate-merged",
    ]


@pytest.mark.parametrize(
    ("action", "body", "field"),
    [
        ("escalate", {"level": "abc", "reason": "x"}, "level"),
        ("escalate", {"level": 4, "reason": "x"}, "level"),
        ("escalate", {"level": 0, "reason": "x"}, "level"),
        ("escalate", {"level": 1}, "reason"),
        ("escalate", {"level": HUGE, "reason": "x"}, "level"),
        ("request-extension", {"new_deadline": "2025-02-30", "reason": "x"}, "new_deadline"),
        ("request-extension", {"new_deadline": 20250401, "reason": "x"}, "new_deadline"),
        ("request-extension", {"new_deadline": "2025-03-01", "reason": "x"}, "new_deadline"),  # not later
        ("request-extension", {"new_deadline": "2025-05-01"}, "reason"),
        ("void", {"reason": "x", "duplicate_of": "abc"}, "duplicate_of"),
        ("void", {"reason": "x", "duplicate_of": HUGE}, "duplicate_of"),
        ("void", {"reason": "x", "duplicate_of": 10**12}, "duplicate_of"),
        ("void", {"duplicate_of": None}, "reason"),
        ("void", {"reason": ""}, "reason"),
        ("submit", {"note": "x", "attachments": ["a"]}, "attachments"),
        ("submit", {"note": "x", "attachments": [HUGE]}, "attachments"),
        ("submit", {"note": "x", "attachments": [10**12]}, "attachments"),
        ("submit", {"note": "x", "attachments": "1,2"}, "attachments"),
        ("submit", {"note": ""}, "note"),
        ("submit", {"note": "x", "funds": "lots"}, "funds"),
        ("submit", {"note": "x", "completed_on": "2025-03-21"}, "completed_on"),  # tomorrow
    ],
)
def test_bad_action_bodies_are_a_400_on_the_field(as_user, register, regulator, enterprise_user, action, body,
                                                  field):
    hazard = register(found_at=beijing(2025, 3, 1), deadline=dt.date(2025, 3, 16))
    events = hazard.events.count()
    actor = enterprise_user if action in {"submit", "request-extension"} else regulator
    response = as_user(actor).post(f"{URL}{hazard.pk}/{action}/", body, format="json")
    assert response.status_code == 400, response.content
    assert field in response.json()["errors"], response.json()
    assert hazard.events.count() == events


@pytest.mark.parametrize("action", ["submit", "close", "escalate", "acknowledge", "events"])
def test_actions_on_an_unknown_hazard_are_404(as_user, regulator, action):
    client = as_user(regulator)
    for pk in (10**9, HUGE, "abc"):
        if action == "events":
            response = client.get(f"{URL}{pk}/events/")
        else:
            response = client.post(f"{URL}{pk}/{action}/", ACTION_BODIES[action], format="json")
        assert response.status_code == 404, (pk, response.content)


def test_actions_answer_get_with_405(as_user, register, regulator):
    hazard = register()
    assert as_user(regulator).get(f"{URL}{hazard.pk}/close/").status_code == 405


# --- Events --------------------------------------------------------------------------------------------------------


def test_the_events_endpoint(as_user, register, regulator, enterprise_user, other_regulator):
    with time_machine.travel(beijing(2025, 3, 10, 9), tick=False):
        hazard = register(found_at=beijing(2025, 3, 9, 15), level="general")
    services.hazard_submit(actor=enterprise_user, hazard_id=hazard.pk, note="已整改")
    response = as_user(enterprise_user).get(f"{URL}{hazard.pk}/events/")
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"count", "next", "previous", "results"} and body["count"] == 2
    registered, submitted = body["results"]
    assert set(registered) >= EVENT_FIELDS
    assert (registered["seq"], registered["action"], registered["actor"]) == (1, "registered", "reg")
    assert registered["at"] == "2025-03-10T09:00:00+08:00"
    assert registered["prev_hash"] == "" and re.fullmatch(r"[0-9a-f]{64}", registered["hash"])
    assert dt.datetime.fromisoformat(registered["data"]["found_at"]) == beijing(2025, 3, 9, 15)
    assert (submitted["seq"], submitted["action"], submitted["actor"]) == (2, "submit", "ent")
    assert submitted["prev_hash"] == registered["hash"]
    assert submitted["data"]["note"] == "已整改"
    assert as_user(other_regulator).get(f"{URL}{hazard.pk}/events/").status_code == 404


def test_system_events_name_the_system_as_actor(as_user, register, regulator):
    hazard = register(found_at=beijing(2025, 3, 1), deadline=dt.date(2025, 3, 2))
    services.mark_overdue_and_escalate()
    events = as_user(regulator).get(f"{URL}{hazard.pk}/events/?page_size=50").json()["results"]
    overdue = next(e for e in events if e["action"] == "overdue")
    assert overdue["actor"] == "系统"


# --- Query counts ----------------------------------------------------------------------------------------------------


def bulk_hazards(project, n: int, **fields) -> list[Hazard]:
    """Incidental ledger rows, written directly (their history is not under test here)."""
    found = beijing(2025, 3, 1)
    rows = [
        Hazard(code=f"TEST{project.pk:04d}{i:06d}", project=project, enterprise_id=project.contractor_id,
               region_id=project.region_id, channel="inspection", level="major" if i % 2 else "general",
               description=f"批量隐患{i}", found_at=found - dt.timedelta(hours=i), found_on=found.date(),
               is_stock=False, deadline=dt.date(2025, 3, 15), original_deadline=dt.date(2025, 3, 15),
               first_channel="inspection", first_found_at=found, **fields)
        for i in range(n)
    ]
    for row in rows:
        hazard_search.fill(row)  # a direct write fills the search document as the services do
    return Hazard.objects.bulk_create(rows)


@pytest.mark.parametrize("role", ["regulator", "enterprise_user", "project_user", "platform_admin"])
def test_the_list_runs_a_fixed_number_of_queries(as_user, request, project, enterprise, django_assert_num_queries,
                                                 role):
    bulk_hazards(project, 200)
    bulk_hazards(ProjectFactory(contractor=enterprise), 20)
    client = as_user(request.getfixturevalue(role))
    for size in (20, 200):
        with django_assert_num_queries(2):  # the count and one page, with project and enterprise joined
            response = client.get(f"{URL}?page_size={size}&level=major&is_overdue=true&q=批量")
        assert response.status_code == 200
        assert len(response.json()["results"]) == min(size, 100 if role == "project_user" else 110)
