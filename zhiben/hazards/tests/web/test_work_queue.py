"""The home page's work queue (待办): what each user has to act on, counted and listed from their own scope, each
item linking to the ledger filtered to exactly those hazards."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from zhiben.core.timeutils import beijing_today
from zhiben.hazards import selectors, services
from zhiben.hazards.notices import notice_issue
from zhiben.hazards.web.home import work_queue

pytestmark = pytest.mark.django_db


@pytest.fixture
def queue_world(register, regulator, enterprise_user, principal_user, other_regulator, other_project,
                django_capture_on_commit_callbacks):
    """One hazard in each state a queue item is about, in 交城县, plus one of each kind in the other county."""
    today = beijing_today()
    long_ago = timezone.now() - dt.timedelta(days=40)
    with django_capture_on_commit_callbacks(execute=True):
        submitted = register(description="卸料平台限位装置缺失")
        services.hazard_submit(actor=enterprise_user, hazard_id=submitted.pk, note="已整改")
        extension = register(level="general", description="临时用电未设漏电保护")
        services.hazard_request_extension(actor=enterprise_user, hazard_id=extension.pk,
                                          new_deadline=extension.deadline + dt.timedelta(days=10), reason="雨季停工")
        overdue = register(found_at=long_ago, deadline=today - dt.timedelta(days=1), description="深基坑未监测")
        services.hazard_escalate(actor=regulator, hazard_id=overdue.pk, level=1, reason="逾期未整改")
        noticed = register(description="脚手架连墙件缺失")
        notice_issue(actor=regulator, hazard_ids=[noticed.pk])
        returned = register(level="general", description="安全网破损")
        services.hazard_submit(actor=enterprise_user, hazard_id=returned.pk, note="已更换")
        services.hazard_reject_submission(actor=regulator, hazard_id=returned.pk, reason="仍有破损")
        closed = register(description="塔吊限位失灵")
        services.hazard_submit(actor=enterprise_user, hazard_id=closed.pk, note="已修复")
        services.hazard_close(actor=regulator, hazard_id=closed.pk, note="复查合格")
        # The other county: one of everything a regulator there would be asked to do.
        elsewhere = [register(actor=other_regulator, project_id=other_project.pk, found_at=long_ago,
                              deadline=today - dt.timedelta(days=1), description="外架连墙件缺失")]
        elsewhere.append(register(actor=other_regulator, project_id=other_project.pk, description="洞口未防护"))
        services.hazard_submit(actor=other_regulator, hazard_id=elsewhere[1].pk, note="已整改")
    return SimpleNamespace(submitted=submitted, extension=extension, overdue=overdue, noticed=noticed,
                           returned=returned, closed=closed, elsewhere=elsewhere)


def codes(queue: dict, key: str) -> set[str]:
    return {item["code"] for item in queue[key]["items"]}


def test_a_regulator_sees_each_item_of_the_county(regulator, queue_world):
    w = queue_world
    queue = selectors.work_queue(regulator, selectors.REGULATOR_TODO)
    assert {key: entry["count"] for key, entry in queue.items()} == {
        "review": 1, "extension": 1, "notice": 2, "overdue": 1, "escalated": 1}
    assert codes(queue, "review") == {w.submitted.code}
    assert codes(queue, "extension") == {w.extension.code}
    # Major, being rectified, no notice yet: the submitted and the overdue ones (not the one with a notice, not
    # the general ones, not the closed one).
    assert codes(queue, "notice") == {w.submitted.code, w.overdue.code}
    assert codes(queue, "overdue") == {w.overdue.code}
    assert codes(queue, "escalated") == {w.overdue.code}


def test_a_regulator_of_another_county_sees_none_of_these(other_regulator, queue_world):
    queue = selectors.work_queue(other_regulator, selectors.REGULATOR_TODO)
    ours = {h.code for h in vars(queue_world).values() if hasattr(h, "code")}
    assert not any(codes(queue, key) & ours for key in queue)
    assert {key: entry["count"] for key, entry in queue.items()} == {
        "review": 1, "extension": 0, "notice": 2, "overdue": 1, "escalated": 0}


def test_a_city_regulator_sees_both_counties(city_regulator, queue_world):
    queue = selectors.work_queue(city_regulator, selectors.REGULATOR_TODO)
    assert queue["review"]["count"] == 2 and queue["overdue"]["count"] == 2


def test_the_enterprise_sees_what_it_has_to_rectify_and_acknowledge(enterprise_user, queue_world):
    w = queue_world
    queue = selectors.work_queue(enterprise_user, selectors.OWNER_TODO, first=10)
    assert codes(queue, "rectify") == {w.extension.code, w.overdue.code, w.noticed.code, w.returned.code}
    assert codes(queue, "returned") == {w.returned.code}
    assert codes(queue, "overdue") == {w.overdue.code}
    # Major hazards still live were notified to the principal and not acknowledged yet.
    assert codes(queue, "acknowledge") == {w.submitted.code, w.overdue.code, w.noticed.code}


def test_acknowledging_and_resubmitting_take_items_off(enterprise_user, principal_user, queue_world):
    w = queue_world
    services.hazard_acknowledge(actor=principal_user, hazard_id=w.overdue.pk)
    services.hazard_submit(actor=enterprise_user, hazard_id=w.returned.pk, note="已全部更换")
    queue = selectors.work_queue(enterprise_user, selectors.OWNER_TODO, first=10)
    assert w.overdue.code not in codes(queue, "acknowledge")
    assert queue["returned"]["count"] == 0 and w.returned.code not in codes(queue, "rectify")


def test_the_other_enterprise_and_the_project_see_only_their_own(other_enterprise_user, project_user, queue_world):
    queue = selectors.work_queue(other_enterprise_user, selectors.OWNER_TODO)
    assert queue["rectify"]["count"] == 1 and codes(queue, "rectify") == {queue_world.elsewhere[0].code}
    assert selectors.work_queue(project_user, selectors.OWNER_TODO)["rectify"]["count"] == 4


def test_only_the_first_few_are_listed_earliest_deadline_first(regulator, register):
    today = beijing_today()
    hazards = [register(deadline=today + dt.timedelta(days=days)) for days in (9, 3, 6, 1, 12)]
    queue = selectors.work_queue(regulator, ("notice",), first=3)
    assert queue["notice"]["count"] == 5
    assert [item["code"] for item in queue["notice"]["items"]] == [hazards[i].code for i in (3, 1, 2)]


def test_one_query_for_the_counts_and_one_per_item_whatever_the_hazards(regulator, queue_world, register,
                                                                          django_assert_num_queries):
    with django_assert_num_queries(1 + len(selectors.REGULATOR_TODO)):
        selectors.work_queue(regulator, selectors.REGULATOR_TODO)
    for _ in range(6):
        register()
    with django_assert_num_queries(1 + len(selectors.REGULATOR_TODO)):
        selectors.work_queue(regulator, selectors.REGULATOR_TODO)


def test_the_home_pages_hazard_queue_costs_the_same(regulator, queue_world, django_assert_num_queries):
    with django_assert_num_queries(1 + len(selectors.REGULATOR_TODO)):
        _home_queue(regulator)


def test_an_empty_queue_costs_one_query(other_enterprise_user, django_assert_num_queries):
    with django_assert_num_queries(1):
        queue = selectors.work_queue(other_enterprise_user, selectors.OWNER_TODO)
    assert all(entry == {"count": 0, "items": []} for entry in queue.values())


@pytest.mark.parametrize("key", selectors.TODO_KEYS)
def test_each_item_links_to_the_ledger_filtered_to_exactly_its_hazards(client, regulator, queue_world, key):
    client.force_login(regulator)
    response = client.get(reverse("hazards:list"), {"todo": key})
    assert response.status_code == 200
    shown = {h.code for h in response.context["page"].object_list}
    expected = selectors.work_queue(regulator, (key,), first=100)[key]
    assert shown == {item["code"] for item in expected["items"]}
    assert response.context["page"].paginator.count == expected["count"]


def test_the_api_ledger_takes_the_same_filter(api, regulator, queue_world):
    api.force_authenticate(regulator)
    response = api.get("/api/v1/hazards/", {"todo": "review"})
    assert response.status_code == 200
    assert [row["code"] for row in response.json()["results"]] == [queue_world.submitted.code]


def test_an_unknown_item_is_a_clear_400_in_the_api(api, regulator):
    api.force_authenticate(regulator)
    response = api.get("/api/v1/hazards/", {"todo": "everything"})
    assert response.status_code == 400 and "todo" in response.json()["errors"]


def _home_queue(user) -> dict[str, dict]:
    request = RequestFactory().get("/")
    request.user = user
    return {entry["key"]: entry for entry in work_queue(request)}


def test_each_role_gets_its_own_queue(regulator, inspector, leader, expert, enterprise_user, project_user,
                                      platform_admin, queue_world):
    assert list(_home_queue(regulator)) == list(selectors.REGULATOR_TODO)
    assert list(_home_queue(inspector)) == list(selectors.REGULATOR_TODO)
    assert list(_home_queue(platform_admin)) == list(selectors.REGULATOR_TODO)
    assert list(_home_queue(expert)) == ["review"]
    assert list(_home_queue(enterprise_user)) == list(selectors.OWNER_TODO)
    assert list(_home_queue(project_user)) == list(selectors.OWNER_TODO)
    leader_queue = _home_queue(leader)
    assert list(leader_queue) == list(selectors.REGULATOR_TODO)
    assert all(entry["read_only"] for entry in leader_queue.values())
    assert not any(entry["read_only"] for entry in _home_queue(regulator).values())


def test_an_entry_carries_its_link_and_items(regulator, queue_world):
    entry = _home_queue(regulator)["review"]
    assert entry["url"] == reverse("hazards:list") + "?todo=review"
    assert entry["count"] == 1
    assert entry["items"][0]["url"] == reverse("hazards:detail", args=[queue_world.submitted.pk])


def test_the_home_page_shows_the_queue(client, regulator, leader, queue_world):
    client.force_login(regulator)
    html = client.get(reverse("core:home")).content.decode()
    assert 'data-testid="work-queue"' in html and 'data-testid="todo-review"' in html
    assert queue_world.submitted.code in html and "?todo=extension" in html
    assert 'data-testid="work-queue-read-only"' not in html
    client.force_login(leader)
    html = client.get(reverse("core:home")).content.decode()
    assert 'data-testid="work-queue-read-only"' in html


def test_the_home_page_of_another_county_lists_none_of_ours(client, other_regulator, queue_world):
    client.force_login(other_regulator)
    html = client.get(reverse("core:home")).content.decode()
    assert queue_world.submitted.code not in html and queue_world.overdue.code not in html


def test_the_excel_export_takes_the_same_filter(client, regulator, queue_world):
    client.force_login(regulator)
    response = client.get(reverse("hazards:export"), {"todo": "review"})
    assert response.status_code == 200
    assert client.get(reverse("hazards:export"), {"todo": "everything"}).status_code == 400
