"""The error report: a copy of the uploaded file with the wrong cells marked and an error column."""

from __future__ import annotations

import datetime as dt
from io import BytesIO

import pytest
from openpyxl import load_workbook

from zhiben.registry.excel.kinds import KINDS
from zhiben.registry.excel.workbooks import ERROR_COLUMN, ERROR_FILL
from zhiben.registry.factories import make_id_number
from zhiben.registry.models import ImportJob

from .conftest import row_for, xlsx

pytestmark = pytest.mark.django_db


def test_the_report_marks_the_wrong_cells_and_explains_each_row(client, enterprise_user, do_import):
    good = row_for("persons", name="好人", id_number=make_id_number(1, birth=dt.date(1990, 1, 1)))
    bad = row_for("persons", name="坏日期", id_number=make_id_number(2, birth=dt.date(1990, 1, 1)),
                  started="2024-13-01", phone="123")
    do_import(enterprise_user, "persons", xlsx([good, bad], kind="persons"), name="三月进场人员.xlsx")
    job = ImportJob.objects.get()
    page = client.get(f"/registry/import/{job.pk}/").content.decode()
    assert f"/registry/import/{job.pk}/report/" in page

    response = client.get(f"/registry/import/{job.pk}/report/")
    assert response.status_code == 200
    assert "%E4%B8%89%E6%9C%88" in response["Content-Disposition"]  # the original name, URL-encoded (三月)
    ws = load_workbook(BytesIO(b"".join(response.streaming_content))).worksheets[0]
    fields = [c.field for c in KINDS["persons"].importable_columns]
    error_col = len(fields) + 1
    assert ws.cell(row=1, column=error_col).value == str(ERROR_COLUMN)
    assert ws.cell(row=2, column=error_col).value is None
    explanation = ws.cell(row=3, column=error_col).value
    assert KINDS["persons"].column("started").header_text() in explanation
    assert KINDS["persons"].column("phone").header_text() in explanation
    for field in ("started", "phone"):
        cell = ws.cell(row=3, column=fields.index(field) + 1)
        assert cell.fill.fgColor.rgb.endswith(ERROR_FILL.fgColor.rgb[-6:])
        assert cell.comment is not None
    assert ws.cell(row=3, column=1).value == "坏日期"  # the user's data is kept as it was


def test_a_report_uploaded_again_after_correction_imports(client, enterprise_user, do_import):
    bad = row_for("persons", name="改正后", id_number=make_id_number(3, birth=dt.date(1990, 1, 1)),
                  started="2024-13-01")
    do_import(enterprise_user, "persons", xlsx([bad], kind="persons"))
    job = ImportJob.objects.get()
    wb = load_workbook(BytesIO(b"".join(client.get(f"/registry/import/{job.pk}/report/").streaming_content)))
    fields = [c.field for c in KINDS["persons"].importable_columns]
    wb.worksheets[0].cell(row=2, column=fields.index("started") + 1, value="2024-03-01")
    buffer = BytesIO()
    wb.save(buffer)
    do_import(enterprise_user, "persons", buffer.getvalue())
    assert ImportJob.objects.latest("id").status == "succeeded"


def test_no_report_for_a_file_that_could_not_be_read(client, enterprise_user, do_import):
    do_import(enterprise_user, "persons", xlsx([["无关"]], headers=["完全不认识的列"]))
    job = ImportJob.objects.get()
    assert job.status == "failed" and job.errors[0]["row"] is None
    assert client.get(f"/registry/import/{job.pk}/report/").status_code == 404
