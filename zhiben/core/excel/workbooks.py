"""Writing workbooks: the blank template of a kind, tables for exports, and the error report of a failed
import (a copy of the uploaded file with the wrong cells marked).

Every workbook zhiben writes puts its cells through `put` (ordinary sheets) or `row_cells` (write-only sheets):
text is always stored as an explicit string cell, never as a formula (formula injection, OWASP): openpyxl
would otherwise turn text starting with "=" into a live `<f>` cell (and "#N/A" into an error cell). Text that
starts with a formula trigger (= + - @ tab CR) also gets Excel's quote-prefix style, the mark Excel itself
stores when a user types a leading apostrophe: the cell stays text even when edited, and the value read back
on import is exactly the user's text (no apostrophe is added to it).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from decimal import Decimal
from io import BytesIO
from typing import IO, Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from zhiben.core.excel.columns import Column, hint_for
from zhiben.core.excel.kinds import Kind

HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
EXAMPLE_FONT = Font(italic=True, color="808080")
ERROR_FILL = PatternFill("solid", fgColor="FFC7CE")
ERROR_FONT = Font(color="9C0006")
DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
TEMPLATE_ROWS = 5000  # rows of the template that offer the dropdowns of choice columns
# Translators: header of the column added to the error report (错误说明)
ERROR_COLUMN = gettext_lazy("Error description")
# Translators: title of the instructions sheet of a template (填写说明)
INSTRUCTIONS = gettext_lazy("Instructions")


# Leading characters that make spreadsheet programs read text as a formula (OWASP CSV injection guidance).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(cell: Cell) -> Cell:
    """Make `cell` hold its value as plain text if it is text (or a formula openpyxl made of text): explicit
    string type, quote-prefixed when it starts with a formula trigger. Numbers and dates are left alone."""
    value = cell.value
    if cell.data_type == "f" or isinstance(value, str):
        text = value if isinstance(value, str) else str(getattr(value, "text", "") or "")
        text = clean_text(text)
        cell._value = text  # (the value setter would make "=…" a formula again)
        cell.data_type = "s"
        if text.startswith(FORMULA_TRIGGERS):
            cell.quotePrefix = True
    return cell


def put(ws, row: int, column: int, value: Any) -> Cell:
    """Write `value` to a cell of an ordinary worksheet, text as text (see the module's docstring)."""
    if isinstance(value, str):
        value = clean_text(value)
    cell = ws.cell(row=row, column=column)
    cell.value = value
    return neutralise(cell)


def text_cell(ws, value: Any) -> Any:
    """A value for `ws.append` of a write-only sheet: text becomes a neutralised cell, the rest is unchanged."""
    if isinstance(value, Cell):
        return neutralise(value)
    if not isinstance(value, str):
        return value
    from openpyxl.cell import WriteOnlyCell

    return neutralise(WriteOnlyCell(ws, value=clean_text(value)))


def row_cells(ws, values: Iterable[Any]) -> list[Any]:
    """A row for `ws.append` (write-only or ordinary sheet) with every text value neutralised."""
    return [text_cell(ws, value) for value in values]


def formula_cells(content: bytes) -> list[str]:
    """The cells of a saved .xlsx that hold a formula (an `<f>` element), as "Sheet!A1": none in any workbook
    zhiben writes (the tests of every export check it on the raw XML)."""
    import re
    import zipfile
    from xml.etree import ElementTree

    ns = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
    found = []
    with zipfile.ZipFile(BytesIO(content)) as archive:
        for name in sorted(archive.namelist()):
            if not re.fullmatch(r"xl/worksheets/[^/]+\.xml", name):
                continue
            root = ElementTree.fromstring(archive.read(name))  # noqa: S314  (our own output, in tests and checks)
            found += [f"{name}!{c.get('r')}" for c in root.iter(f"{ns}c") if c.find(f"{ns}f") is not None]
    return found


def sheet_title(value: Any) -> str:
    title = str(value)
    for char in "[]:*?/\\":
        title = title.replace(char, " ")
    return title[:31]


def to_bytes(wb: Workbook) -> bytes:
    buffer = BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def default_notes() -> list[str]:
    return [
        _("Fill in one record per row, starting on row 2 of the first sheet; keep the header row unchanged."),
        _("Dates are written as 2024-01-31; codes must be typed as text."),
        _("Every row is checked before anything is saved: if one row is wrong, nothing is imported and the error "
          "report shows each wrong cell."),
    ]


def template_workbook(kind: Kind, *, notes: Sequence[str] | None = None) -> bytes:
    """The kind's sheet with its header row (required columns marked *), its example rows (greyed; skipped on
    import while left unchanged), dropdowns for choice columns, text format for identifiers, and a second
    sheet explaining every column and the values it allows."""
    wb = Workbook()
    ws = wb.active
    ws.title = sheet_title(kind.label)
    lists = wb.create_sheet("lists")
    lists.sheet_state = "hidden"
    columns = kind.importable_columns
    for index, column in enumerate(columns, start=1):
        letter = get_column_letter(index)
        cell = put(ws, 1, index, column.header_text() + (" *" if column.required else ""))
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
                put(lists, i, index, str(label))
            validation = DataValidation(
                type="list", allow_blank=True, showErrorMessage=False,
                formula1=f"lists!${letter}$1:${letter}${len(column.choices)}",
            )
            ws.add_data_validation(validation)
            validation.add(f"{letter}2:{letter}{TEMPLATE_ROWS + 1}")
    for number, example in enumerate(kind.example_rows(), start=2):
        for index, column in enumerate(columns, start=1):
            cell = put(ws, number, index, cell_value(column, example.get(column.field)))
            cell.font = EXAMPLE_FONT
            if isinstance(cell.value, dt.datetime):
                cell.number_format = DATETIME_FORMAT
            elif isinstance(cell.value, dt.date):
                cell.number_format = DATE_FORMAT
    ws.freeze_panes = "A2"
    ws.row_dimensions[1].height = 30

    notes_ws = wb.create_sheet(sheet_title(INSTRUCTIONS))
    headers = [_("Column"), _("Required"), _("How to fill it in"), _("Allowed values")]
    for index, text in enumerate(headers, start=1):
        cell = put(notes_ws, 1, index, text)
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
    for row, column in enumerate(columns, start=2):
        put(notes_ws, row, 1, column.header_text())
        put(notes_ws, row, 2, _("Yes") if column.required else _("No"))
        put(notes_ws, row, 3, str(column.help or hint_for(column.parser)))
        if column.choices:
            put(notes_ws, row, 4, "、".join(str(label) for _c, label in column.choices))
    general = list(notes if notes is not None else kind.template_notes() or default_notes())
    if kind.example_rows():
        general.append(_("The grey rows under the header are examples: they are skipped while left unchanged. "
                         "Overwrite or delete them."))
    for offset, text in enumerate(general, start=len(columns) + 3):
        put(notes_ws, offset, 1, text)
    for letter, width in zip("ABCD", (30, 10, 60, 60), strict=True):
        notes_ws.column_dimensions[letter].width = width
    return to_bytes(wb)


def clean_text(value: str) -> str:
    """Text without the control characters that an .xlsx cannot hold (openpyxl refuses them)."""
    return ILLEGAL_CHARACTERS_RE.sub("", value)


def cell_value(column: Column, value: Any):
    """A value as a cell holds it: choices as their (translated) labels, dates and numbers as such."""
    if value is None:
        return None
    if column.choices and value != "":
        value = str(dict(column.choices).get(value, value))
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        value = value.replace(tzinfo=None)  # Excel has no time zones; callers give local (Beijing) times
    if isinstance(value, dt.date | int | float | Decimal):
        return value
    return clean_text(str(value))


def write_table(fh: IO[bytes], *, title: Any, headers: Sequence[str], rows: Iterable[Sequence[Any]],
                widths: Sequence[int] = (), preamble: Sequence[str] = (), date_columns: Sequence[int] = (),
                datetime_columns: Sequence[int] = ()) -> int:
    """Write one sheet to `fh` in openpyxl's write-only mode (rows streamed to disk, never all in memory):
    optional preamble lines (a title, the filters applied), the header row, then `rows`. Returns the number of
    data rows. `date_columns`/`datetime_columns` are 0-based indexes formatted as dates or date-times."""
    from openpyxl.cell import WriteOnlyCell

    wb = Workbook(write_only=True)
    ws = wb.create_sheet(sheet_title(title))
    for index, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(index)].width = width
    header_row = len(preamble) + 1
    ws.freeze_panes = f"A{header_row + 1}"
    for number, line in enumerate(preamble):
        cell = text_cell(ws, str(line))
        cell.font = Font(bold=number == 0, size=14 if number == 0 else 11)
        ws.append([cell])
    header_cells = []
    for text in headers:
        cell = text_cell(ws, str(text))
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        header_cells.append(cell)
    ws.append(header_cells)
    formats = dict.fromkeys(date_columns, DATE_FORMAT) | dict.fromkeys(datetime_columns, DATETIME_FORMAT)
    count = 0
    for values in rows:
        values = row_cells(ws, values)
        for index, number_format in formats.items():
            if values[index] is not None and not isinstance(values[index], Cell):
                cell = WriteOnlyCell(ws, value=values[index])
                cell.number_format = number_format
                values[index] = cell
        ws.append(values)
        count += 1
    wb.save(fh)
    return count


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
    for sheet in wb.worksheets:  # the uploaded file's own formulas come back as their text, never live
        for line in sheet.iter_rows():
            for cell in line:
                if cell.data_type == "f":
                    neutralise(cell)
    head = put(ws, header_row, target, str(ERROR_COLUMN))
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
        cell = put(ws, row, target, "\n".join(lines))
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        cell.font = Font(bold=row == header_row, color="9C0006")
    wb.active = wb.worksheets.index(ws)
    return to_bytes(wb)
