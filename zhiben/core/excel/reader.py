"""Reading an uploaded .xlsx: content checks at upload time, then the data rows of the kind's sheet.

The content is checked, not the name: an .xlsx is a ZIP archive holding `[Content_Types].xml` and
`xl/workbook.xml`. Old .xls files and password-protected workbooks are OLE compound files and are refused with
a hint. The uncompressed size and the number of rows are bounded so a small file cannot exhaust memory.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass, field
from typing import IO, Any

from django.conf import settings
from django.utils.translation import gettext as _

from zhiben.core.excel.columns import Column, is_blank, normal_header, text_of

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
MAX_UNCOMPRESSED_BYTES = 200 * 1024 * 1024
HEADER_SEARCH_ROWS = 10  # title rows (often merged), a date line or a blank row above the header are tolerated


def max_upload_bytes() -> int:
    return int(getattr(settings, "UPLOAD_MAX_BYTES", 10 * 1024 * 1024))


def max_rows() -> int:
    return int(getattr(settings, "IMPORT_MAX_ROWS", 5_000))


class FileError(Exception):
    """The file as a whole cannot be imported; `message` says why."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = str(message)


def check_xlsx(fh: IO[bytes]) -> None:
    """Raise FileError unless `fh` holds an .xlsx workbook (by content). Leaves the file at position 0."""
    fh.seek(0)
    head = fh.read(8)
    fh.seek(0)
    if head.startswith(OLE_MAGIC):
        raise FileError(_("This is an old .xls workbook or a password-protected one. Open it in Excel or WPS, "
                          "remove any password and save it as “Excel workbook (*.xlsx)”."))
    if not head.startswith(ZIP_MAGIC):
        raise FileError(_("This file is not an Excel workbook (.xlsx). Download the template and fill it in."))
    try:
        with zipfile.ZipFile(fh) as archive:
            names = set(archive.namelist())
            total = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        raise FileError(_("This file is not an Excel workbook (.xlsx) or it is damaged.")) from None
    finally:
        fh.seek(0)
    if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
        raise FileError(_("This file is not an Excel workbook (.xlsx). Download the template and fill it in."))
    if total > MAX_UNCOMPRESSED_BYTES:
        raise FileError(_("The workbook is too large once unpacked; split it into smaller files."))


@dataclass
class Sheet:
    """The data rows of one worksheet: `columns` maps a 1-based column number to its Column."""

    title: str
    header_row: int
    columns: dict[int, Column]
    rows: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    missing: list[Column] = field(default_factory=list)
    headers: dict[int, str] = field(default_factory=dict)


def _match_header(cells: tuple, columns: list[Column]) -> tuple[dict[int, Column], list[str]]:
    lookup: dict[str, Column] = {}
    for column in columns:
        for spelling in column.accepted_headers():
            lookup.setdefault(spelling, column)
    found: dict[int, Column] = {}
    seen: set[str] = set()
    duplicates: list[str] = []
    for index, value in enumerate(cells, start=1):
        column = lookup.get(normal_header(value))
        if column is None:
            continue
        if column.field in seen:
            duplicates.append(column.header_text())
            continue
        seen.add(column.field)
        found[index] = column
    return found, duplicates


def _locate_header(ws, columns: list[Column]) -> tuple[int, dict[int, Column], list[str], tuple]:
    """The header row among the first rows (the one naming most columns), its columns, duplicated headers and
    its cells. When no row names a column, the row with most text cells (the likely header of a ledger with
    its own headers), so that its columns can be mapped by hand."""
    best: tuple[int, dict[int, Column], list[str], tuple] = (0, {}, [], ())
    densest: tuple[int, int, tuple] = (0, 0, ())
    for number, cells in enumerate(ws.iter_rows(max_row=HEADER_SEARCH_ROWS, values_only=True), start=1):
        found, duplicates = _match_header(cells, columns)
        if len(found) > len(best[1]):
            best = (number, found, duplicates, cells)
        texts = sum(1 for v in cells if isinstance(v, str) and v.strip())
        if texts > densest[1]:
            densest = (number, texts, cells)
    if not best[1] and densest[1] >= 2:
        return densest[0], {}, [], densest[2]
    return best


def header_texts(cells: tuple) -> dict[int, str]:
    """The non-empty cells of a header row by 1-based column number, as text."""
    return {i: text_of(v)[:80] for i, v in enumerate(cells, start=1) if not is_blank(v)}


def read_sheet(fh: IO[bytes], columns: list[Column], *, mapping: dict[int, str] | None = None,
               sheet_name: str = "", header_row: int = 0) -> Sheet:
    """The rows of the first worksheet whose header names all required columns (else the best match).

    With `mapping` (column number → field, from the column-mapping step), the sheet `sheet_name` is read with
    its header on `header_row` and those columns, whatever the headers say. Blank rows are skipped; each row
    is (Excel row number, {field: raw value}); `Sheet.headers` holds the header row's texts. Raises FileError.
    """
    from openpyxl import load_workbook

    check_xlsx(fh)
    importable = [c for c in columns if c.importable]
    required = [c for c in importable if c.required]
    try:
        wb = load_workbook(fh, read_only=True, data_only=True)
    except Exception:  # openpyxl raises many types for damaged archives; all mean "cannot read"
        raise FileError(_("This file is not an Excel workbook (.xlsx) or it is damaged.")) from None
    try:
        if mapping:
            ws = wb[sheet_name] if sheet_name in wb.sheetnames else wb.worksheets[0]
            by_field = {c.field: c for c in importable}
            found = {int(i): by_field[f] for i, f in mapping.items() if f in by_field}
            cells = next(ws.iter_rows(min_row=header_row, max_row=header_row, values_only=True), ())
            chosen = (ws, header_row, found, [c for c in required if c not in found.values()], [], cells)
        else:
            candidates = []
            for ws in wb.worksheets:
                if getattr(ws, "sheet_state", "visible") != "visible":
                    continue
                number, found, duplicates, cells = _locate_header(ws, importable)
                fields = {c.field for c in found.values()}
                missing = [c for c in required if c.field not in fields]
                candidates.append((ws, number, found, missing, duplicates, cells))
                if found and not missing:
                    break
            complete = [c for c in candidates if c[2] and not c[3]]
            chosen = complete[0] if complete else max(candidates, key=lambda c: (len(c[2]), len(c[5])),
                                                      default=None)
            if chosen is None or not chosen[1]:
                raise FileError(_("No header row was recognised. Keep the first row of the template unchanged."))
        ws, header_row, found, missing, duplicates, cells = chosen
        if duplicates:
            raise FileError(_("The column “%(column)s” appears twice in the header row.") % {
                "column": duplicates[0]})
        sheet = Sheet(title=ws.title, header_row=header_row, columns=found, missing=missing,
                      headers=header_texts(cells))
        if missing:
            return sheet
        limit = max_rows()
        positions = [(index - 1, column.field) for index, column in found.items()]
        for number, cells in enumerate(ws.iter_rows(min_row=header_row + 1, values_only=True),
                                       start=header_row + 1):
            width = len(cells)
            values = {field: cells[i] if i < width else None for i, field in positions}
            if all(is_blank(v) for v in values.values()):
                continue
            if len(sheet.rows) >= limit:
                raise FileError(_("The file has more than %(max)s rows; split it into smaller files.") % {
                    "max": limit})
            sheet.rows.append((number, values))
        return sheet
    finally:
        wb.close()
