"""A ledger built by hand with known answers, checked exactly at chosen days, including Beijing midnight edges."""

import datetime as dt

import pytest
import time_machine

from zhiben.dashboard import selectors
from zhiben.dashboard.selectors import Query
from zhiben.hazards import services
from zhiben.registry.models import Region

pytestmark = pytest.mark.django_db

UTC = dt.UTC


def at(*args):
    return time_machine.travel(dt.datetime(*args, tzinfo=UTC), tick=False)


@pytest.fixture
def ledger(register, regulator, enterprise_user):
    def close(hazard, *moment):
        with at(*moment):
            services.hazard_submit(actor=enterprise_user, hazard_id=hazard.pk, note="整改完毕")
            services.hazard_close(actor=regulator, hazard_id=hazard.pk)

    h = {}
    with at(2024, 1, 2, 1):
        # 23:59:59 on 2023-12-31 in Beijing: stock. One second later: increment.
        h["stock_closed"] = register(found_at=dt.datetime(2023, 12, 31, 15, 59, 59, tzinfo=UTC),
                                     deadline=dt.date(2024, 1, 31))
        h["increment_edge"] = register(found_at=dt.datetime(2023, 12, 31, 16, 0, 0, tzinfo=UTC),
                                       deadline=dt.date(2025, 1, 31), description="基坑支护变形超限")
        h["stock_late"] = register(found_at=dt.datetime(2023, 5, 1, 2, tzinfo=UTC), deadline=dt.date(2024, 6, 30),
                                   description="高支模未经专家论证")
        register(found_at=dt.datetime(2023, 6, 1, 2, tzinfo=UTC), level="general", description="材料堆放杂乱")
    close(h["stock_closed"], 2024, 1, 20, 3)
    # Closed at 00:30 on 2025-01-01 Beijing time: still open at the end of 2024-12-31.
    close(h["increment_edge"], 2024, 12, 31, 16, 30)
    close(h["stock_late"], 2025, 1, 5, 3)
    with at(2025, 2, 1, 3):
        h["overdue"] = register(deadline=dt.date(2025, 2, 10), description="外脚手架连墙件缺失")
        h["void"] = register(description="重复录入的隐患")
        services.hazard_void(actor=regulator, hazard_id=h["void"].pk, reason="录入错误")
    with at(2025, 2, 11, 1):  # 09:00 on 2025-02-11 in Beijing: one day past the deadline
        services.mark_overdue_and_escalate()
    return h


def figures(user, day):
    return selectors.campaign(Query(user=user, region=Region.objects.get(pk=141122), as_of=day))


def test_the_stock_target_deadline(ledger, regulator):
    with at(2026, 11, 28, 2):
        result = figures(regulator, dt.date(2024, 12, 31))
    assert result["stock"] == {"total": 2, "closed": 1, "open": 1}
    assert result["increment"] == {"total": 1, "closed": 0, "open": 1, "by_year": {"2024": 1}}
    assert result["open_major"] == 2 and result["overdue_major"] == 1 and result["escalated_major"] == 0


def test_a_closure_after_beijing_midnight_counts_from_the_next_day(ledger, regulator):
    with at(2026, 11, 28, 2):
        assert figures(regulator, dt.date(2025, 1, 1))["increment"]["closed"] == 1
        assert figures(regulator, dt.date(2024, 12, 31))["increment"]["closed"] == 0


def test_a_hazard_found_later_does_not_exist_yet(ledger, regulator):
    with at(2026, 11, 28, 2):
        before = figures(regulator, dt.date(2023, 12, 30))
    assert before["stock"] == {"total": 1, "closed": 0, "open": 1}
    assert before["increment"]["total"] == 0


def test_today_counts_overdue_and_escalated_and_leaves_out_void(ledger, regulator):
    with at(2025, 2, 11, 2):
        result = figures(regulator, dt.date(2025, 2, 11))
    assert result["stock"] == {"total": 2, "closed": 2, "open": 0}
    assert result["increment"]["by_year"] == {"2024": 1, "2025": 1}
    assert result["open_major"] == 1 and result["overdue_major"] == 1 and result["escalated_major"] == 1
    with at(2025, 2, 11, 2):
        assert figures(regulator, dt.date(2025, 2, 10))["escalated_major"] == 0


def test_other_counties_see_nothing_and_cannot_ask_for_this_county(ledger, other_regulator):
    from zhiben.core.errors import NotFound

    with pytest.raises(NotFound):
        selectors.resolve_region(other_regulator, 141122)
    mine = selectors.campaign(Query(user=other_regulator, region=None, as_of=dt.date(2025, 2, 11)))
    assert mine["stock"]["total"] == 0


def test_the_api_answers_the_contract(ledger, regulator, api):
    api.force_authenticate(regulator)
    with at(2026, 11, 28, 2):
        response = api.get("/api/v1/dashboard/campaign/", {"region": "141122", "as_of": "2024-12-31"})
        assert response.status_code == 200
        assert response.json() == {
            "region": "141122", "as_of": "2024-12-31", "stock": {"total": 2, "closed": 1, "open": 1},
            "increment": {"total": 1, "closed": 0, "open": 1, "by_year": {"2024": 1}},
            "open_major": 2, "overdue_major": 1, "escalated_major": 0,
        }
        assert api.get("/api/v1/dashboard/campaign/", {"as_of": "2024-13-01"}).status_code == 400
        assert api.get("/api/v1/dashboard/campaign/", {"as_of": "2099-01-01"}).status_code == 400
        assert api.get("/api/v1/dashboard/campaign/", {"region": "14112"}).status_code == 400
        assert api.get("/api/v1/dashboard/campaign/", {"region": "141102"}).status_code == 404


def test_the_three_targets(ledger, regulator):
    with at(2026, 11, 28, 2):
        result = {t["code"]: t for t in selectors.targets(
            Query(user=regulator, region=Region.objects.get(pk=141122), as_of=dt.date(2026, 11, 28)))}
    assert result["stock"]["on_deadline"]["met"] is False and result["stock"]["as_of"]["met"] is True
    assert result["increment"]["on_deadline"]["found_2024"] == 1
    assert result["zeroing"]["on_deadline"] is None and result["zeroing"]["as_of"]["overdue_major"] == 1


def test_todays_figures_from_the_tallies_equal_those_from_the_intervals(ledger, regulator, platform_admin):
    with at(2025, 2, 11, 2):
        for user, region in ((regulator, Region.objects.get(pk=141122)), (platform_admin, None),
                             (regulator, None)):
            q = Query(user=user, region=region, as_of=dt.date(2025, 2, 11))
            assert selectors._tallies(q) is not None
            assert selectors.campaign(q) == selectors.campaign(q, use_tallies=False)
