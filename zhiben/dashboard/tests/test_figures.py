"""Every figure behind the dashboard, checked exactly against the hand-built ledger of conftest.py: monthly series,
on-time rate and its trend, time to close, channel mix, escalations, rankings, sub-regions, the overdue list,
the three targets, and the Beijing midnight edges."""

from __future__ import annotations

import datetime as dt

import pytest

from zhiben.core.errors import NotFound
from zhiben.dashboard import selectors
from zhiben.dashboard.presentation import collect
from zhiben.dashboard.selectors import Query
from zhiben.dashboard.tests.conftest import at, bj
from zhiben.hazards import services
from zhiben.registry.factories import ProjectFactory, county
from zhiben.registry.models import Region

pytestmark = pytest.mark.django_db

APRIL = dt.date(2025, 4, 30)


def jiaocheng_q(user, day=APRIL, **kwargs):
    return Query(user=user, region=Region.objects.get(pk=141122), as_of=day, **kwargs)


def test_the_campaign_figures_at_the_end_of_april(ledger, regulator, today):
    assert selectors.campaign(jiaocheng_q(regulator)) == {
        "region": "141122", "as_of": "2025-04-30",
        "stock": {"total": 2, "closed": 2, "open": 0},
        "increment": {"total": 9, "closed": 6, "open": 3, "by_year": {"2024": 3, "2025": 6}},
        "open_major": 3, "overdue_major": 2, "escalated_major": 2,
    }


def test_the_monthly_series_counts_closures_by_the_beijing_month(ledger, regulator, today):
    # S2 and E2 were closed at 2025-01-31T16:30Z, i.e. 00:30 on 1 February in Beijing; E8 was found then.
    assert selectors.monthly(jiaocheng_q(regulator), 2025) == [
        {"month": 1, "found": 2, "closed": 1},
        {"month": 2, "found": 3, "closed": 3},
        {"month": 3, "found": 0, "closed": 0},
        {"month": 4, "found": 1, "closed": 1},
    ]
    assert selectors.monthly(jiaocheng_q(regulator), 2024) == [
        {"month": m, "found": {3: 1, 6: 1, 11: 1}.get(m, 0), "closed": {2: 1, 3: 1, 7: 1}.get(m, 0)}
        for m in range(1, 13)
    ]
    assert selectors.monthly(jiaocheng_q(regulator), 2026) == []


def test_the_midnight_edge_of_january(ledger, regulator, today):
    end_of_january = selectors.monthly(jiaocheng_q(regulator, dt.date(2025, 1, 31)), 2025)
    assert end_of_january == [{"month": 1, "found": 2, "closed": 1}]
    first_of_february = selectors.monthly(jiaocheng_q(regulator, dt.date(2025, 2, 1)), 2025)
    assert first_of_february == [{"month": 1, "found": 2, "closed": 1}, {"month": 2, "found": 1, "closed": 2}]
    assert selectors.campaign(jiaocheng_q(regulator, dt.date(2025, 1, 31)))["stock"] == {
        "total": 2, "closed": 1, "open": 1}
    assert selectors.campaign(jiaocheng_q(regulator, dt.date(2025, 2, 1)))["stock"] == {
        "total": 2, "closed": 2, "open": 0}


def test_the_on_time_rate_uses_the_deadline_in_force_when_closed(ledger, regulator, today):
    # E1, E8 on time; E2 closed 00:30 on the day after its deadline: late; E4 closed 2025-04-20, after its
    # original deadline (03-31) but before the extended one (04-30): on time; E3 open past its deadline: due;
    # E9 not yet due.
    assert selectors.on_time(jiaocheng_q(regulator), 2025) == {
        "found": 6, "due": 5, "on_time": 3, "closed": 4, "closed_late": 1, "rate": 0.6}
    assert selectors.on_time(jiaocheng_q(regulator), 2024) == {
        "found": 3, "due": 3, "on_time": 1, "closed": 2, "closed_late": 1, "rate": 0.3333}


def test_the_on_time_trend_is_the_year_to_date_rate_at_each_month_end(ledger, regulator, today):
    assert selectors.on_time_trend(jiaocheng_q(regulator), 2025) == [
        {"month": 1, "due": 1, "on_time": 1, "rate": 1.0},   # E2's deadline is the last day: not due yet
        {"month": 2, "due": 4, "on_time": 2, "rate": 0.5},
        {"month": 3, "due": 4, "on_time": 2, "rate": 0.5},   # E4's deadline moved to 04-30 before 03-31
        {"month": 4, "due": 5, "on_time": 3, "rate": 0.6},
    ]


def test_time_to_close_counts_days_between_beijing_dates(ledger, regulator, today):
    # Closed in 2025: E1 10 days, E8 18, E2 22 (found 01-10, closed 02-01 Beijing), E4 74, S2 398.
    assert selectors.time_to_close(jiaocheng_q(regulator), 2025) == {
        "count": 5, "average": 104.4, "median": 22,
        "buckets": [{"label": "0–7", "count": 0}, {"label": "8–15", "count": 1}, {"label": "16–30", "count": 2},
                    {"label": "31–60", "count": 0}, {"label": "61+", "count": 2}],
    }
    february = selectors.time_to_close(jiaocheng_q(regulator, dt.date(2025, 2, 28)), 2025)
    assert (february["count"], february["average"], february["median"]) == (4, 112.0, 20.0)


def test_the_channel_mix_and_the_self_inspection_share(ledger, regulator, today):
    assert selectors.channel_mix(jiaocheng_q(regulator), 2025) == {"self": 4, "inspection": 1, "alarm": 1}
    assert selectors.channel_mix(jiaocheng_q(regulator), 2024) == {"inspection": 1, "self": 1, "report": 1}
    figures = collect(jiaocheng_q(regulator), 2025)
    assert figures["self_share"] == 0.6667
    assert [(c["code"], c["count"], c["share"]) for c in figures["channels"]] == [
        ("self", 4, 0.6667), ("inspection", 1, 0.1667), ("report", 0, 0.0), ("alarm", 1, 0.1667)]


def test_escalations_by_level(ledger, regulator, today):
    assert selectors.escalations(jiaocheng_q(regulator)) == {"2": 1, "3": 1}
    assert selectors.escalations(jiaocheng_q(regulator, dt.date(2025, 3, 30))) == {"1": 1, "3": 1}
    assert selectors.escalations(jiaocheng_q(regulator, dt.date(2025, 2, 10))) == {}


def test_rankings_order_by_overdue_then_open(ledger, regulator, world, today):
    assert selectors.rankings(jiaocheng_q(regulator), by="enterprise") == [
        {"id": world.b.pk, "name": "交城县路桥工程有限公司", "open": 2, "overdue": 2, "escalated": 2},
        {"id": world.a.pk, "name": "交城县建筑工程有限公司", "open": 1, "overdue": 0, "escalated": 0},
    ]
    assert selectors.rankings(jiaocheng_q(regulator), by="project") == [
        {"id": world.p3.pk, "name": "交城县滨河路改造工程", "open": 2, "overdue": 2, "escalated": 2},
        {"id": world.p2.pk, "name": "交城县第三中学宿舍楼", "open": 1, "overdue": 0, "escalated": 0},
    ]
    # On 2025-02-28 E4 (P1) is open and not yet due.
    assert [(r["name"], r["open"], r["overdue"]) for r in
            selectors.rankings(jiaocheng_q(regulator, dt.date(2025, 2, 28)), by="project")] == [
        ("交城县滨河路改造工程", 2, 2), ("交城县人民医院门诊楼", 1, 0)]


def test_the_city_sees_each_county(ledger, city_regulator, today):
    q = Query(user=city_regulator, region=Region.objects.get(pk=141100), as_of=APRIL)
    rows = selectors.by_region(q)
    assert [r["code"] for r in rows] == [f"{r.pk:06d}" for r in Region.objects.filter(parent_id=141100)]
    by_code = {r["code"]: r for r in rows}
    assert by_code["141122"]["stock"] == {"total": 2, "closed": 2, "open": 0, "rate": 1.0}
    assert by_code["141122"]["increment"] == {"total": 9, "closed": 6, "open": 3}
    assert (by_code["141122"]["open_major"], by_code["141122"]["overdue_major"],
            by_code["141122"]["escalated_major"]) == (3, 2, 2)
    for code in ("141102", "141121"):  # O1 in 离石区, E5 in 文水县: open, overdue, escalated
        assert by_code[code]["increment"] == {"total": 1, "closed": 0, "open": 1}
        assert (by_code[code]["open_major"], by_code[code]["overdue_major"], by_code[code]["escalated_major"]) == (
            1, 1, 1)
        assert by_code[code]["stock"]["rate"] is None
    assert by_code["141123"]["increment"]["total"] == 0
    assert sum(r["increment"]["total"] for r in rows) == selectors.campaign(q)["increment"]["total"] == 11


def test_the_overdue_and_escalated_list(ledger, regulator, today):
    listed = selectors.overdue_and_escalated(jiaocheng_q(regulator, dt.date(2025, 2, 28)))
    assert listed["total"] == 2
    assert [(r["code"], r["description"], r["days_overdue"], r["escalation_level"]) for r in listed["rows"]] == [
        (ledger["H3"].code, "外脚手架连墙件缺失", 100, 3),
        (ledger["E3"].code, "基坑支护变形超限", 18, 1),
    ]
    assert selectors.overdue_and_escalated(jiaocheng_q(regulator, dt.date(2025, 2, 28)), limit=1)["total"] == 2


def test_the_three_targets(ledger, regulator, today):
    targets = {t["code"]: t for t in selectors.targets(jiaocheng_q(regulator))}
    assert targets["stock"]["on_deadline"] == {"total": 2, "closed": 1, "open": 1, "rate": 0.5, "met": False}
    assert targets["stock"]["as_of"] == {"total": 2, "closed": 2, "open": 0, "rate": 1.0, "met": True}
    assert targets["increment"]["on_deadline"] is None
    assert targets["increment"]["as_of"] == {
        "found_2024": 3, "found_2025": 6, "monthly_2024": 0.25, "monthly_2025": 1.5, "on_time_rate_2025": 0.6,
        "on_time_target": 0.9, "met": False}
    assert targets["zeroing"]["on_deadline"] is None
    assert targets["zeroing"]["as_of"] == {"overdue_major": 2, "closed_late_2026": 0, "on_time_rate_2026": None,
                                           "met": False}


def test_target_statuses_in_words(ledger, regulator, today):
    rows = {t["code"]: t for t in collect(jiaocheng_q(regulator), 2025)["targets"]}
    assert (rows["stock"]["deadline_status"], rows["stock"]["as_of_status"]) == ("not_met", "met")
    assert (rows["increment"]["deadline_status"], rows["increment"]["as_of_status"]) == ("not_reached", "not_met")
    assert (rows["zeroing"]["deadline_status"], rows["zeroing"]["as_of_status"]) == ("not_reached", "not_started")
    early = {t["code"]: t for t in collect(jiaocheng_q(regulator, dt.date(2024, 6, 30)), 2024)["targets"]}
    assert early["increment"]["as_of_status"] == "not_started"
    still_open = early["stock"]["measures"][2]
    assert (still_open["key"], still_open["kind"], still_open["on_deadline"], still_open["as_of"]) == (
        "open", "int", None, 1)


def test_an_enterprise_sees_only_itself_and_a_project_only_itself(ledger, enterprise_user, project_user, today):
    from zhiben.dashboard.params import parse_query

    mine = selectors.campaign(parse_query(enterprise_user, {"as_of": "2025-04-30"}))
    assert mine["region"] is None
    assert mine["stock"] == {"total": 1, "closed": 1, "open": 0}
    assert mine["increment"] == {"total": 7, "closed": 6, "open": 1, "by_year": {"2024": 2, "2025": 5}}
    assert (mine["open_major"], mine["overdue_major"], mine["escalated_major"]) == (1, 0, 0)
    site = selectors.campaign(parse_query(project_user, {"as_of": "2025-04-30"}))
    assert site["stock"] == {"total": 1, "closed": 1, "open": 0}
    assert site["increment"] == {"total": 4, "closed": 4, "open": 0, "by_year": {"2024": 2, "2025": 2}}


def test_an_enterprise_counts_its_sites_in_other_counties(ledger, enterprise, enterprise_user, city_regulator):
    site = ProjectFactory(contractor=enterprise, region=county(141121), name="文水县安置房")
    with at(*bj(2025, 5, 1)):
        services.hazard_register(actor=city_regulator, project_id=site.pk, channel="inspection", level="major",
                                 description="文水县：塔吊基础积水")
    with at(*bj(2025, 5, 10)):
        from zhiben.dashboard.params import parse_query

        assert selectors.campaign(parse_query(enterprise_user, {}))["increment"]["total"] == 8


def test_drill_down_to_an_enterprise_or_project_out_of_sight_is_not_found(ledger, world, regulator, enterprise_user,
                                                                         other_regulator, today):
    assert selectors.resolve_enterprise(regulator, world.b.pk) == world.b
    # 文水县's enterprise is in neither the county's registry scope nor its hazards.
    for user, pk in ((regulator, world.c.pk), (enterprise_user, world.b.pk), (other_regulator, world.a.pk),
                     (regulator, 10**12)):
        with pytest.raises(NotFound):
            selectors.resolve_enterprise(user, pk)
    with pytest.raises(NotFound):
        selectors.resolve_project(enterprise_user, world.p3.pk)
    assert selectors.resolve_project(enterprise_user, world.p2.pk) == world.p2


def test_a_drill_down_narrows_every_figure(ledger, world, regulator, today):
    b = selectors.campaign(jiaocheng_q(regulator, enterprise_id=world.b.pk))
    assert b["stock"] == {"total": 1, "closed": 1, "open": 0}
    assert b["increment"] == {"total": 2, "closed": 0, "open": 2, "by_year": {"2024": 1, "2025": 1}}
    assert (b["open_major"], b["overdue_major"], b["escalated_major"]) == (2, 2, 2)
    p2 = jiaocheng_q(regulator, enterprise_id=world.a.pk, project_id=world.p2.pk)
    assert selectors.monthly(p2, 2025) == [{"month": 1, "found": 1, "closed": 0}, {"month": 2, "found": 1,
                                                                                    "closed": 2},
                                           {"month": 3, "found": 0, "closed": 0}, {"month": 4, "found": 1,
                                                                                    "closed": 0}]
