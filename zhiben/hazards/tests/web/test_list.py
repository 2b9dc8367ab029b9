"""The ledger list: every filter of API.md, sorting, pagination, badges, and a query count that does not grow
with the rows."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from zhiben.core.timeutils import beijing_today
from zhiben.hazards import services
from zhiben.hazards.tests.conftest import beijing
from zhiben.registry.factories import ProjectFactory

pytestmark = pytest.mark.django_db

URL = reverse("hazards:list")


def codes(response) -> list[str]:
    return [h.code for h in response.context["page"].object_list]


def _closed(regulator, hazard):
    services.hazard_submit(actor=regulator, hazard_id=hazard.pk, note="已整改")
    return services.hazard_close(actor=regulator, hazard_id=hazard.pk, note="复查合格")


@pytest.fixture
def ledger(register, enterprise, project, regulator):
    """Five hazards of 交城县 that differ in one property each (the stock one is closed, so not overdue)."""
    second_project = ProjectFactory(contractor=enterprise, name="交城县第三中学宿舍楼")
    today = beijing_today()
    found_long_ago = beijing(2023, 11, 2)
    return {
        "stock": _closed(regulator, register(found_at=found_long_ago, deadline=dt.date(2023, 11, 20),
                                             level="general", description="存量：配电箱无漏电保护")),
        "overdue": register(found_at=beijing(today.year - 1, 3, 1), deadline=today - dt.timedelta(days=3),
                            description="逾期：卸料平台钢丝绳锈蚀"),
        "self": register(actor=None, channel="self", project_id=second_project.pk, level="general",
                         description="自查：楼梯口临边无防护"),
        "submitted": services.hazard_submit(
            actor=regulator, hazard_id=register(description="已提交：模板支架立杆悬空").pk, note="已整改"),
        "escalated": services.hazard_escalate(
            actor=regulator, hazard_id=register(description="督办：深基坑无监测").pk, level=2, reason="重大"),
    }


def test_every_filter_narrows_the_list(client, regulator, ledger, enterprise, project):
    client.force_login(regulator)
    everything = set(codes(client.get(URL)))
    assert everything == {h.code for h in ledger.values()}
    cases = {
        "level=general": {"stock", "self"},
        "status=submitted": {"submitted"},
        "status=closed": {"stock"},
        "is_overdue=false": set(ledger) - {"overdue"},
        "escalated=false": set(ledger) - {"escalated"},
        "channel=self": {"self"},
        "is_stock=true": {"stock"},
        "is_stock=false": set(ledger) - {"stock"},
        "is_overdue=true": {"overdue"},
        "escalated=true": {"escalated"},
        "found_to=2023-12-31": {"stock"},
        "found_from=2024-01-01": set(ledger) - {"stock"},
        "q=钢丝绳": {"overdue"},
        f"q={ledger['self'].code.lower()}": {"self"},
        f"project={project.pk}": set(ledger) - {"self"},
        f"enterprise={enterprise.pk}": set(ledger),
        "region=141122": set(ledger),
        "region=141102": set(),
    }
    for query, expected in cases.items():
        response = client.get(f"{URL}?{query}")
        assert response.status_code == 200
        assert set(codes(response)) == {ledger[k].code for k in expected}, query


def test_a_project_filter_from_a_link_is_named_above_the_list(client, regulator, ledger, project):
    client.force_login(regulator)
    body = client.get(URL, {"project": project.pk}).content.decode()
    assert 'data-testid="filtered-by"' in body and project.name in body


def test_a_city_regulator_may_pick_a_county(client, city_regulator, ledger, world):
    client.force_login(city_regulator)
    response = client.get(URL)
    assert 'name="region"' in response.content.decode() and "<select" in str(response.context["filter"].form["region"])
    assert world.other.code in codes(response)
    assert world.other.code not in codes(client.get(URL, {"region": 141122}))


def test_bad_filter_values_are_ignored_not_fatal(client, regulator, ledger):
    client.force_login(regulator)
    for query in ["project=99999999999999999999999", "enterprise=-4", "region=1", "found_from=2024-02-30",
                  "is_overdue=maybe", "ordering=password", "page=999", "page=x", "level=catastrophic"]:
        assert client.get(f"{URL}?{query}").status_code == 200, query


def test_badges_tell_level_status_stock_overdue_and_escalation(client, regulator, ledger):
    client.force_login(regulator)
    body = client.get(URL).content.decode()
    rows = {h.code: h for h in client.get(URL).context["page"].object_list}
    overdue = rows[ledger["overdue"].code]
    assert overdue.days_overdue == 3 and "3" in overdue.overdue_label
    assert rows[ledger["escalated"].code].escalation_label
    assert rows[ledger["stock"].code].days_overdue == 0  # past its deadline, but closed
    assert 'data-testid="stock"' in body and 'data-testid="increment"' in body
    assert 'bg-red-lt" data-testid="level" data-level="major"' in body
    assert 'bg-yellow-lt" data-testid="level" data-level="general"' in body
    assert 'data-testid="overdue" data-days="3"' in body
    assert 'data-testid="escalation" data-level="2"' in body
    assert 'data-status="submitted"' in body and 'data-status="closed"' in body


def test_a_possible_duplicate_is_flagged(client, regulator, register):
    first = register(description="塔吊标准节螺栓松动")
    second = register(description="塔吊标准节螺栓松动。")
    assert second.possible_duplicate_of == first
    client.force_login(regulator)
    body = client.get(URL).content.decode()
    assert body.count('data-testid="possible-duplicate"') == 1
    assert reverse("hazards:detail", args=[first.pk]) in body


def test_columns_sort_both_ways(client, regulator, ledger):
    client.force_login(regulator)
    deadlines = sorted(h.deadline for h in ledger.values())
    assert [h.deadline for h in client.get(URL, {"ordering": "deadline"}).context["page"]] == deadlines
    assert [h.deadline for h in client.get(URL, {"ordering": "-deadline"}).context["page"]] == deadlines[::-1]
    assert codes(client.get(URL, {"ordering": "code"})) == sorted(h.code for h in ledger.values())
    assert codes(client.get(URL, {"ordering": "-escalation_level"}))[0] == ledger["escalated"].code
    sort = client.get(URL, {"ordering": "deadline", "level": "major"}).context["sort"]
    assert sort["deadline"]["direction"] == "asc" and "ordering=-deadline" in sort["deadline"]["query"]
    assert "level=major" in sort["deadline"]["query"] and sort["code"]["direction"] == ""


def many(register, count: int, project) -> None:
    for n in range(count):
        register(level="general", project_id=project.pk, description=f"第{n}号问题：{'甲乙丙丁戊己庚辛'[n % 8]}" * 3,
                 notify_principal=False)


def test_pages_of_twenty_keep_the_filters(client, regulator, register, project):
    many(register, 25, project)
    client.force_login(regulator)
    first = client.get(URL, {"level": "general"})
    assert len(first.context["page"].object_list) == 20
    assert "level=general&amp;page=2" in first.content.decode()
    second = client.get(URL, {"level": "general", "page": 2})
    assert len(second.context["page"].object_list) == 5


def _count(client, params=None) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(URL, params or {}).status_code == 200
    return len(queries)


@pytest.mark.parametrize("user", ["regulator", "city_regulator", "enterprise_user"])
def test_the_query_count_does_not_grow_with_the_rows(client, cast, register, project, user):
    client.force_login(cast(user))
    many(register, 20, project)
    twenty = _count(client)
    many(register, 80, project)
    hundred = _count(client)
    assert twenty == hundred
    # session, user, count, rows, scope label, session refresh (3: savepoint, update, release)
    # (+ the region choices for a city regulator)
    assert hundred == {"regulator": 8, "city_regulator": 9, "enterprise_user": 8}[user]
    assert _count(client, {"project": project.pk}) == hundred + 1  # the project named above the list


def test_the_filter_form_folds_away_on_phones_until_a_filter_is_used(client, regulator, world):
    client.force_login(regulator)
    html = client.get(reverse("hazards:list")).content.decode()
    assert 'data-testid="filters-toggle"' in html and 'class="collapse d-md-block"' in html
    html = client.get(reverse("hazards:list"), {"status": "open", "ordering": "deadline"}).content.decode()
    assert 'class="collapse d-md-block show"' in html
