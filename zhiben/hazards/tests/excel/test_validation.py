"""Every row is checked (as the service checks it) before anything is written; one bad row and nothing is
imported, and the report names the row and the column."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from zhiben.core.models import Counter
from zhiben.hazards.excel.ledger import LEDGER
from zhiben.hazards.models import Hazard, HazardEvent
from zhiben.notifications.models import Notification

from .conftest import FIELDS, body, ledger_row, workbook, xlsx

pytestmark = pytest.mark.django_db


def header(field: str) -> str:
    return LEDGER.column(field).header_text()


def errors_of(job) -> list[tuple]:
    return [(e["row"], e["column"], e["message"]) for e in job.errors]


FUTURE = "The date found cannot be in the future."  # checked in the language the job ran in

BAD_ROWS = {
    "future found date": ({"found_at": dt.date(2027, 1, 5)}, "found_at", FUTURE),
    "item of a version not in force on the found date": ({"standard_item": "2024-4.1"}, "standard_item", "2022"),
    "closed without a status date": ({"status": "已销号"}, "status_at", ""),
    "unknown project": ({"project": "不存在的项目"}, "project", "不存在的项目"),
    "deadline before the found date": ({"deadline": dt.date(2023, 7, 1)}, "deadline", ""),
    "status date before the found date": ({"status": "已作废", "status_at": dt.date(2023, 7, 1)}, "status_at", ""),
    "escalation level out of range": ({"escalation_level": 5}, "escalation_level", "3"),
    "unknown channel": ({"channel": "电话"}, "channel", "电话"),
}


@pytest.mark.parametrize("case", list(BAD_ROWS), ids=list(BAD_ROWS))
def test_one_bad_row_and_nothing_is_written(case, regulator, project, do_import, last_job):
    values, field, hint = BAD_ROWS[case]
    good = ledger_row(project, description="第一行正常", source_ref="A-1")
    bad = ledger_row(project, description="第二行有误", **values)
    do_import(regulator, xlsx([good, bad]))
    job = last_job()
    assert job.status == "failed"
    assert Hazard.objects.count() == 0 and HazardEvent.objects.count() == 0
    assert [(row, column) for row, column, _m in errors_of(job)] == [(3, header(field))]
    if hint == FUTURE:
        with translation.override(settings.LANGUAGE_CODE):
            hint = _(FUTURE)
    assert hint in job.errors[0]["message"]
    assert job.errors[0]["col"] == FIELDS.index(field) + 1


def test_an_item_of_another_version_names_the_version_in_force(regulator, project, do_import, last_job):
    do_import(regulator, xlsx([
        ledger_row(project, standard_item="2024-4.1", found_at=dt.date(2023, 8, 1)),
        ledger_row(project, standard_item="2022-4.1", found_at=dt.date(2025, 3, 1), description="另一条"),
    ]))
    first, second = (e["message"] for e in last_job().errors)
    assert "2024" in first and "2022" in first and "2023-08-01" in first
    assert "2022" in second and "2024" in second and "2025-03-01" in second


def test_a_project_of_another_county_is_not_found_like_an_unknown_one(regulator, project, other_project, do_import,
                                                                      last_job):
    do_import(regulator, xlsx([ledger_row(other_project), ledger_row(project, project=str(other_project.pk),
                                                                     description="按编号"),
                               ledger_row(project, project="不存在的项目", description="不存在")]))
    job = last_job()
    assert [(row, column) for row, column, _m in errors_of(job)] == [
        (2, header("project")), (3, header("project")), (4, header("project"))]
    messages = [m for _r, _c, m in errors_of(job)]
    assert messages[0] == messages[2].replace("不存在的项目", other_project.name)  # the same words as for nothing
    assert messages[1] == messages[2].replace("不存在的项目", str(other_project.pk))
    assert Hazard.objects.count() == 0


def test_what_only_the_service_knows_is_found_by_its_dry_run(regulator, project, do_import, last_job):
    """A general hazard cannot cite an item of the major hazard determination standard: a rule of the service,
    which the dry run reports on the row and column the service names."""
    do_import(regulator, xlsx([ledger_row(project, level="一般", standard_item="2022-4.3")]))
    job = last_job()
    assert [(row, column) for row, column, _m in errors_of(job)] == [(2, header("level"))]


def test_the_dry_run_leaves_nothing_behind(regulator, project, principal_user, do_import, last_job):
    counters = Counter.objects.count()
    do_import(regulator, xlsx([ledger_row(project, found_at=dt.date(2026, 11, 1), deadline=dt.date(2026, 12, 1)),
                               ledger_row(project, project="不存在的项目")]))
    assert last_job().status == "failed"
    assert Hazard.objects.count() == 0 and HazardEvent.objects.count() == 0
    assert Counter.objects.count() == counters and not Counter.objects.filter(value__gt=0).exists()
    assert Notification.objects.count() == 0  # the principal was not told of a hazard that was never written


def test_duplicates_within_the_file_are_reported(regulator, project, do_import, last_job):
    do_import(regulator, xlsx([
        ledger_row(project, description="外架连墙件缺失"),
        ledger_row(project, description="外架 连墙件缺失"),  # the same text, spaced differently
        ledger_row(project, project=project.pk, description="外架连墙件缺失"),  # the same project, by id
        ledger_row(project, description="外架连墙件缺失", found_at=dt.date(2023, 8, 2)),  # another day: fine
    ]))
    job = last_job()
    assert [(row, column) for row, column, _m in errors_of(job)] == [(3, header("description")),
                                                                     (4, header("description"))]
    assert all("2" in message for _r, _c, message in errors_of(job))


def test_a_ledger_row_already_imported_is_refused(regulator, project, do_import, last_job):
    do_import(regulator, xlsx([ledger_row(project, source_ref="2023-001")]))
    assert last_job().status == "succeeded"
    do_import(regulator, xlsx([ledger_row(project, source_ref="2023-001", description="另一条描述")]))
    job = last_job()
    assert job.status == "failed" and errors_of(job)[0][1] == header("source_ref")
    code = Hazard.objects.get().code
    assert code in job.errors[0]["message"]
    do_import(regulator, xlsx([ledger_row(project)]))
    assert errors_of(last_job())[0][1] == header("description")
    assert Hazard.objects.count() == 1


def test_the_error_report_marks_the_wrong_cell(client, regulator, project, do_import, last_job):
    do_import(regulator, xlsx([ledger_row(project), ledger_row(project, description="未来", found_at="2030-01-01")]))
    job = last_job()
    response = client.get(f"/hazards/import/{job.pk}/report/")
    assert response.status_code == 200
    ws = workbook(body(response)).worksheets[0]
    cell = ws.cell(row=3, column=FIELDS.index("found_at") + 1)
    assert cell.fill.fgColor.rgb.endswith("FFC7CE") and cell.comment is not None
    explanation = ws.cell(row=3, column=len(FIELDS) + 1).value
    assert header("found_at") in explanation
    assert ws.cell(row=2, column=len(FIELDS) + 1).value is None
    page = client.get(f"/hazards/import/{job.pk}/").content.decode()
    assert f"/hazards/import/{job.pk}/report/" in page and header("found_at") in page


def test_dates_with_times_are_beijing_times_and_today_is_not_the_future(regulator, project, do_import, last_job):
    do_import(regulator, xlsx([
        ledger_row(project, found_at="2026-11-28", description="今天发现的"),  # noon has not come yet (10:00)
        ledger_row(project, found_at="2026年11月27日 16时05分", description="昨天下午发现的"),
        ledger_row(project, found_at=dt.date(2026, 11, 27), status="已销号", status_at="2026-11-28",
                   description="今天销号的"),
    ]))
    assert last_job().status == "succeeded", last_job().errors
    yesterday = Hazard.objects.get(description="昨天下午发现的")
    assert yesterday.found_at.isoformat() == "2026-11-27T08:05:00+00:00"
    assert Hazard.objects.get(description="今天销号的").status == "closed"


def test_a_file_without_the_required_columns_is_refused(regulator, do_import, last_job):
    do_import(regulator, xlsx([["交城县人民医院门诊楼", "临边防护缺失"]], header=[header("project"),
                                                                             header("description")]))
    job = last_job()
    assert job.status == "failed"
    assert {e["column"] for e in job.errors} == {header("channel"), header("level"), header("found_at")}


def test_progress_is_reported_while_the_rows_are_checked(regulator, project):
    from zhiben.core.excel import importer
    from zhiben.core.excel.reader import read_sheet

    from .conftest import upload

    rows = [ledger_row(project, description=f"第{i}条") for i in range(5)]
    sheet = read_sheet(upload(xlsx(rows)), LEDGER.columns)
    seen = []
    result = importer.validate(LEDGER, regulator, sheet, progress=seen.append, every=2)
    assert not result.errors and seen == [2, 4, 5]
    assert Hazard.objects.count() == 0
