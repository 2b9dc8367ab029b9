"""A large ledger is checked and written in batches (hazards/bulk.py): the same checks and the same records as
the service row by row — hazards, hash-chained histories, state intervals, tallies, 送知 of live major hazards."""

from __future__ import annotations

import datetime as dt

import pytest

from zhiben.hazards import search as hazards_search
from zhiben.hazards import tallies
from zhiben.hazards.excel import ledger
from zhiben.hazards.history import verify_chain
from zhiben.hazards.models import Hazard
from zhiben.hazards.spans import check_spans
from zhiben.notifications.models import Notification

from .conftest import ledger_row, xlsx

pytestmark = pytest.mark.django_db

ROWS = [  # one of each kind of history, descriptions far apart so no row looks like another
    {"description": "塔吊附着装置未按专项方案设置", "level": "重大"},
    {"description": "深基坑监测数据超过预警值未停工", "level": "重大", "status": "已销号",
     "status_at": dt.date(2023, 8, 10), "deadline": dt.date(2023, 8, 15)},
    {"description": "施工电梯防坠安全器超过标定期限", "level": "一般", "status": "已作废",
     "status_at": dt.date(2023, 8, 3), "note": "重复录入"},
    {"description": "高大模板支撑体系立杆间距超出方案", "level": "重大", "status": "已提交",
     "status_at": dt.date(2023, 8, 5)},
    {"description": "卸料平台限位装置缺失且钢丝绳磨损", "level": "重大", "escalation_level": 2},
    {"description": "配电箱未设置漏电保护器", "level": "一般", "found_at": "2023年8月1日 14时30分"},
]


@pytest.fixture
def second_project(enterprise):
    """Another project of the cast's enterprise, in the same county."""
    from zhiben.registry.factories import ProjectFactory

    return ProjectFactory(name="交城县第二中学教学楼", contractor=enterprise, region=enterprise.region)


def rows_for(project) -> list[list]:
    return [ledger_row(project, **values) for values in ROWS]


def shape(hazard: Hazard) -> tuple:
    """What the history says, without what must differ between two hazards (ids, codes, recording times)."""
    events = [(e.seq, e.action, e.from_status, e.to_status, e.effective_at,
               {k: v for k, v in e.data.items() if k not in {"project", "users"}})
              for e in hazard.events.order_by("seq")]
    return (hazard.description, hazard.status, hazard.level, hazard.deadline, hazard.found_at, hazard.closed_at,
            hazard.escalation_level, hazard.notified_at is not None, hazard.is_stock, events)


def test_a_large_file_makes_the_same_records_as_the_service(regulator, project, second_project,
                                                            principal_user, do_import, last_job, monkeypatch):
    from zhiben.hazards import snapshots

    snapshots.build(dt.date(2023, 7, 1), dt.date(2023, 9, 30))  # stored past days the old ledger reaches into
    do_import(regulator, xlsx(rows_for(second_project)))  # row by row (a small file)
    assert last_job().status == "succeeded", last_job().errors
    monkeypatch.setattr(ledger, "BULK_FROM", 1)
    do_import(regulator, xlsx(rows_for(project)))
    job = last_job()
    assert job.status == "succeeded", job.errors
    by_service = [shape(h) for h in Hazard.objects.filter(project=second_project).order_by("found_at",
                                                                                                       "description")]
    in_bulk = Hazard.objects.filter(project=project).order_by("found_at", "description")
    assert [shape(h) for h in in_bulk] == by_service
    assert all(verify_chain(h) is None for h in in_bulk)
    assert list(check_spans()) == []
    assert tallies.computed() == tallies.stored()
    assert snapshots.check() == []  # the stored days count the bulk-imported hazards too
    assert all(h.search_text and h.description.lower() in h.search_text for h in in_bulk)
    assert {h.pk for h in Hazard.objects.filter(hazards_search.matching("塔吊附着"))} >= {
        h.pk for h in in_bulk if "塔吊附着" in h.description}
    codes = list(Hazard.objects.values_list("code", flat=True))
    assert len(set(codes)) == len(codes) == 12
    notices = Notification.objects.filter(kind="hazard.major")
    assert notices.filter(subject_id__in=[str(h.pk) for h in in_bulk]).count() == \
        notices.exclude(subject_id__in=[str(h.pk) for h in in_bulk]).count() > 0


def test_the_bulk_checks_find_what_the_service_would(regulator, project, do_import, last_job, monkeypatch):
    monkeypatch.setattr(ledger, "BULK_FROM", 1)
    do_import(regulator, xlsx([ledger_row(project), ledger_row(project, description="另一处", level="一般",
                                                              standard_item="2022-4.3")]))
    job = last_job()
    assert job.status == "failed"
    assert [(e["row"], e["column"]) for e in job.errors] == [(3, ledger.LEDGER.column("level").header_text())]
    assert Hazard.objects.count() == 0 and Notification.objects.count() == 0


def test_a_possible_duplicate_of_a_hazard_already_in_the_ledger_is_flagged(regulator, project, register,
                                                                           do_import, last_job, monkeypatch):
    earlier = register(description="塔吊附着装置未按专项方案设置", location="2号塔吊")
    monkeypatch.setattr(ledger, "BULK_FROM", 1)
    do_import(regulator, xlsx([ledger_row(project, description="塔吊附着装置未按专项方案设置。", location="2号塔吊",
                                          found_at=dt.date(2023, 9, 1))]))
    assert last_job().status == "succeeded", last_job().errors
    imported = Hazard.objects.exclude(pk=earlier.pk).get()
    assert imported.possible_duplicate_of == earlier
    assert [e.action for e in imported.events.order_by("seq")][:3] == ["imported", "duplicate-flagged", "notified"]
