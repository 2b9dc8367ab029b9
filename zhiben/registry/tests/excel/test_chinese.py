"""With the zh_Hans catalogue in place, users work entirely in Chinese: Chinese headers are accepted, messages and
the error report are Chinese, through the project's zh_Hans catalogue."""

from __future__ import annotations

import datetime as dt
from io import BytesIO

import pytest
from openpyxl import load_workbook

from zhiben.registry.factories import make_id_number
from zhiben.registry.models import ImportJob, Person

from .conftest import xlsx

pytestmark = pytest.mark.django_db

@pytest.fixture
def chinese():
    """The real zh_Hans catalogue (compiled by the root conftest) is what users see."""


def test_chinese_headers_messages_and_report(client, enterprise_user, do_import, chinese):
    content = xlsx([["", make_id_number(1, birth=dt.date(1990, 1, 1)), "12345"]],
                   headers=["姓名", "身份证号", "手机号码"])
    do_import(enterprise_user, "persons", content)
    job = ImportJob.objects.get()
    assert job.status == "failed" and Person.objects.count() == 0
    assert {(e["row"], e["column"], e["message"]) for e in job.errors} == {
        (2, "姓名", "此项为必填项。"), (2, "手机号码", "请填写11位手机号或0358-1234567格式的固话。"),
    }
    page = client.get(f"/registry/import/{job.pk}/").content.decode()
    assert "此项为必填项。" in page and "手机号码" in page

    report = client.get(f"/registry/import/{job.pk}/report/")
    ws = load_workbook(BytesIO(b"".join(report.streaming_content))).worksheets[0]
    assert ws.cell(row=1, column=4).value == "错误说明"
    assert ws.cell(row=2, column=4).value.split("\n") == [
        "姓名：此项为必填项。", "手机号码：请填写11位手机号或0358-1234567格式的固话。"]


def test_the_template_carries_the_chinese_headers(client, enterprise_user, chinese):
    client.force_login(enterprise_user)
    response = client.get("/registry/template/persons/")
    ws = load_workbook(BytesIO(b"".join(response.streaming_content))).worksheets[0]
    assert [ws.cell(row=1, column=i).value for i in (1, 2, 3)] == ["姓名 *", "身份证号 *", "手机号码"]


def test_an_enterprise_list_with_its_own_headers_goes_through_the_mapping_step(client, regulator, do_import,
                                                                                 django_capture_on_commit_callbacks):
    """Synonyms (单位名称, 社会信用代码) are recognised; a column nobody knows (单位类型) makes the page ask."""
    from zhiben.core.excel.models import ColumnMapping
    from zhiben.registry.factories import make_uscc
    from zhiben.registry.models import Enterprise, ImportJob

    from .conftest import xlsx

    code = make_uscc(7)
    do_import(regulator, "enterprises", xlsx([["晋中建工", code, "141122", "施工总承包"]],
                                             ["单位名称", "社会信用代码", "区划", "单位类型"]))
    job = ImportJob.objects.get()
    assert job.status == "mapping", job.errors
    page = client.get(f"/registry/import/{job.pk}/", follow=True)
    assert page.redirect_chain[-1][0] == f"/registry/import/{job.pk}/mapping/"
    headers = {h: i for i, h in job.summary["headers"].items()}
    assert job.summary["guess"][headers["单位名称"]] == "name"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/registry/import/{job.pk}/mapping/", {
            f"col_{headers['单位名称']}": "name", f"col_{headers['社会信用代码']}": "uscc",
            f"col_{headers['区划']}": "region", f"col_{headers['单位类型']}": ""})
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.status == "succeeded", job.errors
    assert Enterprise.objects.get(uscc=code).name == "晋中建工"
    assert ColumnMapping.objects.get(user=regulator, kind="registry.enterprises").mapping["区划"] == "region"
