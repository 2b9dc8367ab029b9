"""Past days from the stored closing tallies (hazards/snapshots.py, decision 0012): the campaign figures they give
equal the figures computed from the state intervals, for a county, a city and a province, on the hand-built ledger
of conftest.py, at Beijing midnight edges, and after history is amended for a past day."""

import datetime as dt

import pytest
import time_machine
from django.core.management import CommandError, call_command

from conftest import make_user
from zhiben.dashboard import selectors
from zhiben.dashboard.selectors import Query
from zhiben.hazards import services, snapshots, tasks
from zhiben.hazards.models import HazardSnapshot, HazardSnapshotDay
from zhiben.registry.factories import county

pytestmark = pytest.mark.django_db

UTC = dt.UTC
D = dt.date
FIRST = D(2023, 6, 1)
YESTERDAY = D(2025, 5, 9)  # "today" of the ledger is 2025-05-10 in Beijing
DAYS = [D(2023, 8, 1), D(2023, 12, 31), D(2024, 1, 1), D(2024, 12, 31), D(2025, 1, 31), D(2025, 2, 1),
        D(2025, 2, 10), D(2025, 2, 11), D(2025, 3, 5), D(2025, 3, 31), D(2025, 4, 30), YESTERDAY]
REGIONS = [141122, 141121, 141102, 141100, 140000]


@pytest.fixture
def province_regulator():
    return make_user("prov", "regulator_admin", region=county(140000))


@pytest.fixture
def built(ledger, today):
    snapshots.build(FIRST, YESTERDAY)
    return ledger


def from_snapshots(user, code, day):
    return selectors.campaign(Query(user=user, region=county(code), as_of=day))


def from_intervals(user, code, day):
    return selectors.campaign(Query(user=user, region=county(code), as_of=day), use_tallies=False)


def assert_same_everywhere(user, days=DAYS):
    for day in days:
        assert HazardSnapshotDay.objects.filter(day=day).exists()
        for code in REGIONS:
            assert from_snapshots(user, code, day) == from_intervals(user, code, day), (code, day)


def test_every_stored_day_equals_the_intervals(built, province_regulator):
    assert HazardSnapshotDay.objects.count() == (YESTERDAY - FIRST).days + 1
    assert snapshots.check() == []
    assert_same_everywhere(province_regulator)


def test_the_known_answers_come_back_from_the_snapshots(built, regulator):
    result = from_snapshots(regulator, 141122, D(2025, 4, 30))
    assert result["stock"] == {"total": 2, "closed": 2, "open": 0}
    assert result["increment"]["total"] == 9 and result["increment"]["closed"] == 6
    assert (result["open_major"], result["overdue_major"], result["escalated_major"]) == (3, 2, 2)


def test_a_county_regulator_asking_for_the_province_sees_only_the_county(built, regulator, province_regulator):
    day = D(2025, 3, 31)
    mine = from_snapshots(regulator, 141122, day)
    assert from_snapshots(regulator, 140000, day) | {"region": mine["region"]} == mine
    assert from_intervals(regulator, 140000, day) == from_snapshots(regulator, 140000, day)
    province = from_snapshots(province_regulator, 140000, day)
    counties = [from_snapshots(province_regulator, code, day) for code in (141122, 141121, 141102)]
    assert province["open_major"] == sum(c["open_major"] for c in counties) == 5
    assert province["overdue_major"] == sum(c["overdue_major"] for c in counties)
    assert province["stock"]["total"] == sum(c["stock"]["total"] for c in counties)


def test_a_day_without_a_snapshot_is_answered_from_the_intervals(built, province_regulator):
    day = D(2025, 2, 11)
    expected = from_snapshots(province_regulator, 140000, day)
    HazardSnapshotDay.objects.filter(day=day).delete()
    HazardSnapshot.objects.filter(day=day).update(n=99)  # not read without its day row
    assert from_snapshots(province_regulator, 140000, day) == expected


def test_a_back_dated_registration_and_closure_adjust_the_stored_days(built, regulator, province_regulator, world):
    with time_machine.travel(dt.datetime(2025, 5, 10, 3, tzinfo=UTC), tick=False):
        late = services.hazard_register(
            actor=regulator, project_id=world.p1.pk, channel="inspection", level="major",
            description="补录：塔吊标准节螺栓松动", found_at=dt.datetime(2024, 12, 20, 2, tzinfo=UTC),
            deadline=D(2025, 1, 10))
        services.hazard_import(
            actor=regulator, project_id=world.p3.pk, channel="inspection", level="major",
            description="旧台账：基坑临边无防护", found_at=D(2023, 10, 8), deadline=D(2023, 11, 8),
            status="closed", status_at=D(2025, 1, 3))
        services.hazard_update(actor=regulator, hazard_id=built["E9"].pk, deadline=D(2025, 5, 1))
    assert snapshots.check() == []
    assert_same_everywhere(province_regulator)
    assert from_snapshots(regulator, 141122, D(2025, 1, 31))["overdue_major"] == \
        from_intervals(regulator, 141122, D(2025, 1, 31))["overdue_major"]
    assert late.pk


def test_an_event_at_2359_59_counts_that_day_and_one_at_0000_the_next(built, regulator, world):
    with time_machine.travel(dt.datetime(2025, 5, 10, 3, tzinfo=UTC), tick=False):
        for second in (dt.datetime(2025, 3, 9, 15, 59, 59, tzinfo=UTC), dt.datetime(2025, 3, 10, 16, tzinfo=UTC)):
            services.hazard_register(actor=regulator, project_id=world.p2.pk, channel="inspection", level="major",
                                     description="补录：脚手架基础沉降", found_at=second, deadline=D(2025, 6, 30))
    before = from_snapshots(regulator, 141122, D(2025, 3, 8))["increment"]["total"]
    assert from_snapshots(regulator, 141122, D(2025, 3, 9))["increment"]["total"] == before + 1
    assert from_snapshots(regulator, 141122, D(2025, 3, 10))["increment"]["total"] == before + 1
    assert from_snapshots(regulator, 141122, D(2025, 3, 11))["increment"]["total"] == before + 2
    assert snapshots.check() == []


def test_the_job_stores_each_completed_day_once(ledger):
    with time_machine.travel(dt.datetime(2025, 5, 10, 2, tzinfo=UTC), tick=False):
        snapshots.build(FIRST, D(2025, 5, 7))
        assert snapshots.build_missing() == [D(2025, 5, 8), D(2025, 5, 9)]
        assert snapshots.build_missing() == []
    with time_machine.travel(dt.datetime(2025, 5, 10, 16, tzinfo=UTC), tick=False):  # 00:00 on 05-11 in Beijing
        assert snapshots.build_missing() == [D(2025, 5, 10)]
    assert snapshots.check() == []
    assert ("hazards.closing_tallies", "zhiben.hazards.tasks.closing_tallies", 15 * 60) in tasks.PERIODIC_JOBS


def test_the_commands_build_check_and_repair_the_snapshots(ledger, today):
    call_command("build_hazard_snapshots", "--from", "2025-01-01", "--to", "2025-03-31")
    assert HazardSnapshotDay.objects.count() == 90
    call_command("rebuild_hazard_spans")
    HazardSnapshot.objects.filter(day=D(2025, 2, 11)).update(n=7)
    with pytest.raises(CommandError, match="2025-02-11"):
        call_command("rebuild_hazard_spans")
    call_command("rebuild_hazard_spans", "--repair")
    call_command("rebuild_hazard_spans")
    with pytest.raises(CommandError):
        call_command("build_hazard_snapshots", "--from", "2025-13-01")


def test_the_sub_region_table_from_the_snapshots_equals_the_intervals(built, province_regulator, regulator):
    for user, code in ((province_regulator, 140000), (province_regulator, 141100), (regulator, 141100)):
        for day in (D(2024, 12, 31), D(2025, 2, 11), YESTERDAY, D(2025, 5, 10)):
            q = Query(user=user, region=county(code), as_of=day)
            assert selectors.by_region(q) == selectors.by_region(q, use_tallies=False), (code, day)


def test_a_bulk_import_of_an_old_ledger_applies_its_changes_once_and_right(built, regulator, province_regulator,
                                                                            world):
    from django.db import transaction

    rows = [(D(2023, 7, 1), "closed", D(2024, 5, 1)), (D(2024, 2, 29), "open", None),
            (D(2024, 12, 31), "void", D(2025, 1, 1)), (D(2025, 3, 1), "submitted", D(2025, 4, 1))]
    clock = time_machine.travel(dt.datetime(2025, 5, 10, 3, tzinfo=UTC), tick=False)
    with clock, transaction.atomic(), snapshots.deferred():
        for i, (found, status, status_at) in enumerate(rows):
            services.hazard_import(
                actor=regulator, project_id=world.p1.pk, channel="inspection", level="major",
                description=f"旧台账第{i}条", found_at=found, deadline=found + dt.timedelta(days=20),
                status=status, status_at=status_at, escalation_level=1 if status == "open" else 0)
        assert snapshots.check() != []  # not applied until the block ends
    assert snapshots.check() == []
    assert_same_everywhere(province_regulator)
