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

from zhiben.core.excel.columns import Column, is_blank, normal_header

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
MAX_UNCOMPRESSED_BYTES = 200 * 1024 * 1024
HEADER_SEARCH_ROWS = 5  # a title row or two above the header is tolerated


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


def _locate_header(ws, columns: list[Column]) -> tuple[int, dict[int, Column], list[str]]:
    best = (0, {}, [])
    for number, cells in enumerate(ws.iter_rows(max_row=HEADER_SEARCH_ROWS, values_only=True), start=1):
        found, duplicates = _match_header(cells, columns)
        if len(found) > len(best[1]):
            best = (number, found, duplicates)
    return best


def read_sheet(fh: IO[bytes], columns: list[Column]) -> Sheet:
    """The rows of the first worksheet whose header names all required columns (else the best match).

    Blank rows are skipped; each row is (Excel row number, {field: raw value}). Raises FileError.
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
        candidates = []
        for ws in wb.worksheets:
            if getattr(ws, "sheet_state", "visible") != "visible":
                continue
            header_row, found, duplicates = _locate_header(ws, importable)
            fields = {c.field for c in found.values()}
            missing = [c for c in required if c.field not in fields]
            candidates.append((ws, header_row, found, missing, duplicates))
            if found and not missing:
                break
        complete = [c for c in candidates if c[2] and not c[3]]
        chosen = complete[0] if complete else max(candidates, key=lambda c: len(c[2]), default=None)
        if chosen is None or not chosen[2]:
            raise FileError(_("No header row was recognised. Keep the first row of the template unchanged."))
        ws, header_row, found, missing, duplicates = chosen
        if duplicates:
            raise FileError(_("The column “%(column)s” appears twice in the header row.") % {
                "column": duplicates[0]})
        sheet = Sheet(title=ws.title, header_row=header_row, columns=found, missing=missing)
        if missing:
            return sheet
        limit = max_rows()
        for number, cells in enumerate(ws.iter_rows(min_row=header_row + 1, values_only=True),
                                       start=header_row + 1):
            values = {}
            for index, column in found.items():
                value = cells[index - 1] if index - 1 < len(cells) else None
                values[column.field] = value
            if all(is_blank(v) for v in values.values()):
                continue
            if len(sheet.rows) >= limit:
                raise FileError(_("The file has more than %(max)s rows; split it into smaller files.") % {
                    "max": limit})
            sheet.rows.append((number, values))
        return sheet
    finally:
        wb.close()
