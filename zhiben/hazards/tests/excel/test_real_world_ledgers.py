"""Ledgers kept in the county's and enterprises' own spreadsheets: synonym headers under a merged title row,
dates in every form users type, and — when the headers still do not match — the column-mapping step, remembered
for the user's next import."""

from __future__ import annotations

import datetime as dt
from io import BytesIO

import pytest
from openpyxl import Workbook

from zhiben.core.excel.models import ColumnMapping
from zhiben.hazards.excel.models import HazardImportJob
from zhiben.hazards.models import Hazard

pytestmark = pytest.mark.django_db

SYNONYM_HEADERS = ["序号", "工程名称", "隐患来源", "隐患级别", "隐患内容", "隐患部位", "检查日期", "整改时限",
                   "整改情况", "销号时间", "备注"]
OWN_HEADERS = ["编号", "单位工程", "问题类别", "严重程度", "发现的问题", "检查时点", "要求"]


def ledger(headers: list[str], rows: list[list], *, title: bool = True) -> bytes:
    """A workbook as a bureau keeps it: a merged title row and a line of particulars above the header."""
    wb = Workbook()
    ws = wb.active
    ws.title = "2023年隐患台账"
    if title:
        ws.append(["交城县建筑工地重大事故隐患排查整治台账"])
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(headers))
        ws.append(["填报单位：交城县住房和城乡建设管理局", None, None, None, "填报日期：2023年12月31日"])
    ws.append(headers)
    for row in rows:
        ws.append(row)
    buffer = BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def synonym_row(project, n: int, found, deadline=None, *, status="整改中", closed=None) -> list:
    return [n, project.name, "督导检查", "重大隐患", f"临边防护栏杆缺失（第{n}处）", "3号楼", found, deadline, status,
            closed, ""]


def test_synonym_headers_under_a_merged_title_row_import(regulator, project, do_import, last_job):
    do_import(regulator, ledger(SYNONYM_HEADERS, [
        synonym_row(project, 1, "2023年8月1日", "2023年8月20日", status="已销号", closed="2023年8月18日"),
        synonym_row(project, 2, "2023.8.2", "2023.8.21"),
    ]))
    job = last_job()
    assert job.status == "succeeded", job.errors
    assert job.summary["header_row"] == 3
    closed, open_ = Hazard.objects.order_by("found_at")
    assert (closed.status, closed.found_on, closed.deadline) == ("closed", dt.date(2023, 8, 1), dt.date(2023, 8, 20))
    assert (open_.status, open_.found_on, open_.deadline) == ("open", dt.date(2023, 8, 2), dt.date(2023, 8, 21))


def test_a_close_out_date_without_a_status_reads_as_closed(regulator, project, do_import, last_job):
    do_import(regulator, ledger(SYNONYM_HEADERS, [
        synonym_row(project, 1, "2023-8-1", "2023-8-20", status=None, closed="2023-8-18")]))
    assert last_job().status == "succeeded", last_job().errors
    assert Hazard.objects.get().status == "closed"


@pytest.mark.parametrize("written", [
    "2023年8月1日", "2023.8.1", "2023/8/1", "2023-8-1", "2023-08-01", "20230801", 45139, 45139.0,
    dt.datetime(2023, 8, 1), dt.date(2023, 8, 1),
])
def test_every_date_form(regulator, project, do_import, last_job, written):
    do_import(regulator, ledger(SYNONYM_HEADERS, [synonym_row(project, 1, written, written)]))
    assert last_job().status == "succeeded", last_job().errors
    hazard = Hazard.objects.get()
    assert hazard.found_on == hazard.deadline == dt.date(2023, 8, 1)


def test_an_error_row_is_reported_with_its_excel_row_number(regulator, project, do_import, last_job):
    do_import(regulator, ledger(SYNONYM_HEADERS, [
        synonym_row(project, 1, "2023年8月1日"), synonym_row(project, 2, "2023年13月1日"),
        synonym_row(project, 3, "2023年8月3日")]))
    job = last_job()
    assert job.status == "failed"
    assert [(e["row"], e["column"]) for e in job.errors] == [(5, "发现日期")]
    assert Hazard.objects.count() == 0


def test_a_project_outside_the_importers_scope_is_refused(regulator, project, other_project, do_import, last_job):
    do_import(regulator, ledger(SYNONYM_HEADERS, [synonym_row(other_project, 1, "2023年8月1日")]))
    job = last_job()
    assert job.status == "failed"
    assert job.errors[0]["row"] == 4 and other_project.name in job.errors[0]["message"]
    assert Hazard.objects.count() == 0


def test_the_row_cap_is_a_setting(regulator, project, do_import, last_job, settings):
    settings.IMPORT_MAX_ROWS = 2
    do_import(regulator, ledger(SYNONYM_HEADERS, [synonym_row(project, n, "2023年8月1日") for n in (1, 2, 3)]))
    job = last_job()
    assert job.status == "failed" and "2" in job.errors[0]["message"]


# --- the column-mapping step ------------------------------------------------------------------------------

def own_row(project, n: int) -> list:
    return [f"JC-{n:03d}", project.name, "督导检查", "重大", f"卸料平台限位装置损坏（第{n}处）", f"2023年8月{n}日",
            "立即整改"]


def mapping_post(job, **overrides) -> dict:
    """The mapping form: 单位工程 → project, 问题类别 → channel, 严重程度 → level, 发现的问题 → description,
    检查时点 → date found; the ledger number and 要求 ignored unless `overrides` say otherwise."""
    choice = {"编号": "source_ref", "单位工程": "project", "问题类别": "channel", "严重程度": "level",
              "发现的问题": "description", "检查时点": "found_at", "要求": "", **overrides}
    headers = job.summary["headers"]
    return {f"col_{i}": choice[h] for i, h in headers.items()}


def test_unknown_headers_lead_to_the_mapping_step_then_import(client, regulator, project, do_import, last_job,
                                                              django_capture_on_commit_callbacks):
    response = do_import(regulator, ledger(OWN_HEADERS, [own_row(project, 1), own_row(project, 2)]))
    job = last_job()
    assert job.status == "mapping" and Hazard.objects.count() == 0
    assert response.status_code == 302
    page = client.get(f"/hazards/import/{job.pk}/", follow=True)
    assert page.redirect_chain[-1][0] == f"/hazards/import/{job.pk}/mapping/"
    html = page.content.decode()
    assert "单位工程" in html and "忽略此列" in html and 'data-testid="mapping-form"' in html
    assert job.summary["header_row"] == 3

    incomplete = client.post(f"/hazards/import/{job.pk}/mapping/", mapping_post(job, 单位工程=""))
    assert incomplete.status_code == 400
    assert "请选择" in incomplete.content.decode() and last_job().status == "mapping"
    twice = client.post(f"/hazards/import/{job.pk}/mapping/", mapping_post(job, 要求="description"))
    assert twice.status_code == 400

    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(f"/hazards/import/{job.pk}/mapping/", mapping_post(job))
    assert done.status_code == 302
    job = last_job()
    assert job.status == "succeeded", job.errors
    assert set(Hazard.objects.values_list("source_ref", flat=True)) == {"JC-001", "JC-002"}
    assert Hazard.objects.filter(found_on=dt.date(2023, 8, 2), level="major", channel="inspection").exists()
    remembered = ColumnMapping.objects.get(user=regulator, kind="hazards.hazards").mapping
    assert remembered["单位工程"] == "project" and remembered["要求"] == ""


def test_the_mapping_is_remembered_for_the_next_import(client, regulator, project, do_import, last_job,
                                                       django_capture_on_commit_callbacks):
    do_import(regulator, ledger(OWN_HEADERS, [own_row(project, 1)]))
    job = last_job()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/hazards/import/{job.pk}/mapping/", mapping_post(job))
    assert last_job().status == "succeeded"

    # The same spreadsheet next month: imported without asking.
    do_import(regulator, ledger(OWN_HEADERS, [own_row(project, 5)]))
    job = last_job()
    assert job.status == "succeeded", job.errors
    assert job.summary["mapping_remembered"] is True

    # A file with one more unknown column: asked again, the known columns proposed as last time.
    do_import(regulator, ledger([*OWN_HEADERS, "检查人"], [[*own_row(project, 6), "王五"]]))
    job = last_job()
    assert job.status == "mapping"
    headers = {h: i for i, h in job.summary["headers"].items()}
    assert job.summary["guess"][headers["单位工程"]] == "project"
    assert job.summary["guess"][headers["检查人"]] == ""
    form = client.get(f"/hazards/import/{job.pk}/mapping/").content.decode()
    assert 'value="project" selected' in form


def test_the_mapping_page_is_scoped_and_for_waiting_jobs_only(client, regulator, other_regulator, project,
                                                              do_import, last_job):
    do_import(regulator, ledger(OWN_HEADERS, [own_row(project, 1)]))
    job = last_job()
    client.force_login(other_regulator)
    assert client.get(f"/hazards/import/{job.pk}/mapping/").status_code == 404
    assert client.post(f"/hazards/import/{job.pk}/mapping/", mapping_post(job)).status_code == 404
    HazardImportJob.objects.filter(pk=job.pk).update(status="failed")
    client.force_login(regulator)
    assert client.get(f"/hazards/import/{job.pk}/mapping/").status_code == 302
