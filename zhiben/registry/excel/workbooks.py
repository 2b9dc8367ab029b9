"""The registry's workbooks: templates and error reports come from zhiben/core/excel/workbooks.py (shared with
other apps); exports of the registry's lists, with resident IDs and phones masked, are written here."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from zhiben.core.excel import workbooks as core
from zhiben.core.excel.columns import Column
from zhiben.core.excel.workbooks import (
    DATE_FORMAT,
    ERROR_COLUMN,
    ERROR_FILL,
    ERROR_FONT,
    HEADER_FILL,
    INSTRUCTIONS,
    TEMPLATE_ROWS,
    error_report,
    row_cells,
    sheet_title,
    to_bytes,
)
from zhiben.registry.excel.kinds import Kind

__all__ = [
    "DATE_FORMAT", "ERROR_COLUMN", "ERROR_FILL", "ERROR_FONT", "HEADER_FILL", "INSTRUCTIONS", "TEMPLATE_ROWS",
    "error_report", "export_workbook", "sheet_title", "template_workbook", "to_bytes",
]


def template_workbook(kind: Kind) -> bytes:
    """The kind's sheet with its header row, dropdowns and text formats, and a sheet explaining every column."""
    return core.template_workbook(kind, notes=[
        _("Fill in one record per row, starting on row 2 of the first sheet; keep the header row unchanged."),
        _("Dates are written as 2024-01-31. Resident ID numbers and codes must be typed as text."),
        _("Every row is checked before anything is saved: if one row is wrong, nothing is imported and the error "
          "report shows each wrong cell."),
    ])


def export_workbook(kind: Kind, records: Iterable[Any], *, unmasked: bool) -> tuple[bytes, int]:
    """Every column of the kind (exports add names and statuses); choices as labels so the file re-imports.
    Resident IDs and phones are masked unless `unmasked`. Returns the bytes and the number of data rows."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(sheet_title(kind.label))
    columns = kind.columns
    for index, column in enumerate(columns, start=1):
        ws.column_dimensions[get_column_letter(index)].width = column.width
    ws.freeze_panes = "A2"
    ws.append(row_cells(ws, [column.header_text() for column in columns]))
    count = 0
    for record in records:  # text as text (core/excel/workbooks.py): a name starting with "=" never runs
        ws.append(row_cells(ws, [_export_value(column, record, unmasked) for column in columns]))
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
