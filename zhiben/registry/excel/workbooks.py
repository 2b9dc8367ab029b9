"""Writing workbooks: the blank template of a kind, an export, and the error report of a failed import."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal
from io import BytesIO
from typing import IO, Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook, load_workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from zhiben.registry.excel.columns import Column
from zhiben.registry.excel.kinds import Kind

HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
ERROR_FILL = PatternFill("solid", fgColor="FFC7CE")
ERROR_FONT = Font(color="9C0006")
DATE_FORMAT = "yyyy-mm-dd"
TEMPLATE_ROWS = 5000  # rows of the template that offer the dropdowns of choice columns
# Translators: header of the column added to the error report (错误说明)
ERROR_COLUMN = gettext_lazy("Error description")
# Translators: title of the instructions sheet of a template (填写说明)
INSTRUCTIONS = gettext_lazy("Instructions")


def sheet_title(value: Any) -> str:
    title = str(value)
    for char in "[]:*?/\\":
        title = title.replace(char, " ")
    return title[:31]


def to_bytes(wb: Workbook) -> bytes:
    buffer = BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def template_workbook(kind: Kind) -> bytes:
    """The kind's sheet with its header row (required columns marked *), dropdowns for choice columns, text
    format for identifiers, and a second sheet explaining every column."""
    wb = Workbook()
    ws = wb.active
    ws.title = sheet_title(kind.label)
    lists = wb.create_sheet("lists")
    lists.sheet_state = "hidden"
    columns = kind.importable_columns
    for index, column in enumerate(columns, start=1):
        letter = get_column_letter(index)
        cell = ws.cell(row=1, column=index, value=column.header_text() + (" *" if column.required else ""))
        cell.font = Font(bold=True, color="C00000" if column.required else "000000")
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        if column.help:
            cell.comment = Comment(str(column.help), "zhiben")
        ws.column_dimensions[letter].width = column.width
        if column.text_format:  # the column's style: what users type there stays text, every digit kept
            ws.column_dimensions[letter].number_format = "@"
        if column.choices:
            for i, (_code, label) in enumerate(column.choices, start=1):
                lists.cell(row=i, column=index, value=str(label))
            validation = DataValidation(
                type="list", allow_blank=True, showErrorMessage=False,
                formula1=f"lists!${letter}$1:${letter}${len(column.choices)}",
            )
            ws.add_data_validation(validation)
            validation.add(f"{letter}2:{letter}{TEMPLATE_ROWS + 1}")
    ws.freeze_panes = "A2"
    ws.row_dimensions[1].height = 30

    notes = wb.create_sheet(sheet_title(INSTRUCTIONS))
    headers = [_("Column"), _("Required"), _("How to fill it in"), _("Allowed values")]
    for index, text in enumerate(headers, start=1):
        cell = notes.cell(row=1, column=index, value=text)
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
    for row, column in enumerate(columns, start=2):
        notes.cell(row=row, column=1, value=column.header_text())
        notes.cell(row=row, column=2, value=_("Yes") if column.required else _("No"))
        notes.cell(row=row, column=3, value=str(column.help or _describe(column)))
        if column.choices:
            notes.cell(row=row, column=4, value="、".join(str(label) for _c, label in column.choices))
    general = [
        _("Fill in one record per row, starting on row 2 of the first sheet; keep the header row unchanged."),
        _("Dates are written as 2024-01-31. Resident ID numbers and codes must be typed as text."),
        _("Every row is checked before anything is saved: if one row is wrong, nothing is imported and the error "
          "report shows each wrong cell."),
    ]
    for offset, text in enumerate(general, start=len(columns) + 3):
        notes.cell(row=offset, column=1, value=text)
    for letter, width in zip("ABCD", (30, 10, 60, 60), strict=True):
        notes.column_dimensions[letter].width = width
    return to_bytes(wb)


def _describe(column: Column) -> str:
    from zhiben.registry.excel import columns as c

    if column.parser is c.date:
        return _("A date such as 2024-01-31")
    if column.parser is c.phone:
        return _("An 11-digit mobile number or a landline such as 0358-1234567")
    if column.parser is c.id_number:
        return _("18 characters, check digit verified")
    if column.parser is c.boolean:
        return _("Yes or no")
    return ""


def export_workbook(kind: Kind, records: Iterable[Any], *, unmasked: bool) -> tuple[bytes, int]:
    """Every column of the kind (exports add names and statuses); choices as labels so the file re-imports.
    Resident IDs and phones are masked unless `unmasked`. Returns the bytes and the number of data rows."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(sheet_title(kind.label))
    columns = kind.columns
    for index, column in enumerate(columns, start=1):
        ws.column_dimensions[get_column_letter(index)].width = column.width
    ws.freeze_panes = "A2"
    ws.append([column.header_text() for column in columns])
    count = 0
    for record in records:
        ws.append([_export_value(column, record, unmasked) for column in columns])
        count += 1
    return to_bytes(wb), count


def _export_value(column: Column, record: Any, unmasked: bool):
    value = column.export(record) if column.export else getattr(record, column.field, None)
    if value is None:
        return None
    if column.choices and value != "":
        value = str(dict(column.choices).get(value, value))
    if column.sensitive and not unmasked:
        value = column.sensitive(str(value))
    if isinstance(value, dt.date | int | float | Decimal):
        return value
    return str(value)


def error_report(fh: IO[bytes], *, sheet_name: str, header_row: int, errors: list[dict]) -> bytes:
    """A copy of the uploaded workbook: each wrong cell filled red with a comment, each wrong row explained in
    an added column, and errors about the file as a whole next to the header."""
    wb = load_workbook(fh)
    ws = wb[sheet_name] if sheet_name in wb.sheetnames else wb.worksheets[0]
    by_row: dict[int, list[str]] = defaultdict(list)
    by_cell: dict[tuple[int, int], list[str]] = defaultdict(list)
    header_row = header_row or 1
    for error in errors:
        row = error.get("row") or header_row
        message = error["message"]
        line = f"{error['column']}：{message}" if error.get("column") else message
        by_row[row].append(line)
        if error.get("col") and error.get("row"):
            by_cell[(row, error["col"])].append(message)
    target = (ws.max_column or 0) + 1
    head = ws.cell(row=header_row, column=target, value=str(ERROR_COLUMN))
    head.font = Font(bold=True, color="9C0006")
    head.fill = ERROR_FILL
    ws.column_dimensions[get_column_letter(target)].width = 60
    for (row, col), messages in by_cell.items():
        cell = ws.cell(row=row, column=col)
        cell.fill = ERROR_FILL
        cell.font = ERROR_FONT
        cell.comment = Comment("\n".join(messages), "zhiben")
    for row, lines in by_row.items():
        if row == header_row:  # errors about the file as a whole go under the column's own header
            lines = [head.value, *lines]
        cell = ws.cell(row=row, column=target, value="\n".join(lines))
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        cell.font = Font(bold=row == header_row, color="9C0006")
    wb.active = wb.worksheets.index(ws)
    return to_bytes(wb)
