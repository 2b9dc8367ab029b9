"""The generic import: validate every row of a sheet, then write all of them in one transaction or none.

Validation runs in passes over the whole file before anything is written: cells (required, types, check digits,
dates, choices), rows (cross-column checks), duplicates inside the file, then the kind's `resolve` which looks up
references within the caller's scope and conflicts with the database (a few queries per file, not per row), and
for kinds that need it `check_rows`, which asks the database about each row (e.g. a dry run of the service).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from zhiben.core.errors import DomainError
from zhiben.core.excel.columns import CellError, is_blank
from zhiben.core.excel.kinds import Kind, Row
from zhiben.core.excel.reader import Sheet

MAX_REPORTED_ERRORS = 1000
Progress = Callable[[int], None]


@dataclass
class Validation:
    rows: list[Row]
    errors: list[dict] = field(default_factory=list)


class ImportFailed(Exception):
    """Raised inside the write transaction so that it rolls back; carries the row errors."""

    def __init__(self, errors: list[dict]):
        super().__init__("import failed")
        self.errors = errors


def error_entry(sheet: Sheet | None, kind: Kind, row: int | None, field_name: str | None, message: str) -> dict:
    """One report line: Excel row, 1-based column (for highlighting), the column's header and the message."""
    col = None
    header = ""
    if field_name:
        header = kind.column(field_name).header_text()
        if sheet is not None:
            col = next((i for i, c in sheet.columns.items() if c.field == field_name), None)
    return {"row": row, "col": col, "column": header, "message": str(message)}


def missing_columns_errors(sheet: Sheet, kind: Kind) -> list[dict]:
    return [
        {"row": sheet.header_row, "col": None, "column": column.header_text(),
         "message": _("The required column “%(column)s” is missing from the header row.") % {
             "column": column.header_text()}}
        for column in sheet.missing
    ]


def validate(kind: Kind, actor, sheet: Sheet, *, progress: Progress | None = None,
             every: int = 200) -> Validation:
    ctx = kind.context(actor)
    rows: list[Row] = []
    for index, (number, raw) in enumerate(sheet.rows, start=1):
        row = Row(number=number, values={})
        for column in sheet.columns.values():
            value = raw.get(column.field)
            if is_blank(value):
                row.values[column.field] = None
                if column.required:
                    row.error(column.field, _("This column is required."))
                continue
            try:
                row.values[column.field] = column.parser(value, ctx)
            except CellError as exc:
                row.values[column.field] = None
                row.error(column.field, exc.message)
        for column in kind.importable_columns:  # a column the sheet lacks reads as empty
            row.values.setdefault(column.field, None)
        kind.clean_row(row, ctx)
        rows.append(row)
        if progress and not kind.checks_rows and index % every == 0:
            progress(index)

    first_seen: dict[tuple, int] = {}
    blamed = kind.duplicate_field or (kind.key_fields[0] if kind.key_fields else None)
    for row in rows:
        key = kind.key(row)
        if key is None or any(row.has_error(f) for f in kind.key_fields):
            continue
        if key in first_seen:
            row.error(blamed, kind.duplicate_message(first_seen[key]))
        else:
            first_seen[key] = row.number

    # References and conflicts only for rows whose own cells are fine: a bad cell is reported once.
    kind.resolve([r for r in rows if not r.errors], ctx)
    if kind.checks_rows:
        kind.check_rows([r for r in rows if not r.errors], ctx, progress=progress, every=every)
    if progress:
        progress(len(rows))

    errors = [error_entry(sheet, kind, row.number, f, m) for row in rows for f, m in row.errors]
    return Validation(rows=rows, errors=errors)


def service_errors(kind: Kind, exc: Exception) -> list[tuple[str | None, str]]:
    """(column, message) pairs for an error a service raised about one row; a field the kind has no column for
    (or a row-level error) has column None."""
    fields = {c.field for c in kind.columns}
    if isinstance(exc, ValidationError) and hasattr(exc, "error_dict"):
        entries: list[tuple[str | None, str]] = []
        for name, messages in exc.message_dict.items():
            target = name if name in fields else next((f for f in fields if f.startswith(name)), None)
            entries.extend((target, str(m)) for m in messages)
        return entries
    if isinstance(exc, ValidationError):
        return [(None, str(m)) for m in exc.messages]
    if isinstance(exc, DomainError):
        return [(None, str(exc.message))]
    return [(None, _("This row conflicts with data saved meanwhile; upload the file again."))]


def _service_errors(sheet: Sheet, kind: Kind, row: Row, exc: Exception) -> list[dict]:
    return [error_entry(sheet, kind, row.number, f, m) for f, m in service_errors(kind, exc)]


def write_all(kind: Kind, actor, sheet: Sheet, rows: list[Row]) -> dict[str, int]:
    """Write every row through the app's services in one transaction; the first failure undoes them all."""
    ctx = kind.context(actor)
    counts = dict.fromkeys(kind.outcomes, 0)
    with transaction.atomic(), kind.writing():
        try:
            many = kind.write_many(rows, ctx)
        except (ValidationError, DomainError, IntegrityError) as exc:
            raise ImportFailed(_service_errors(sheet, kind, Row(number=None, values={}), exc)) from exc
        if many is not None:
            return many
        for row in rows:
            try:
                outcome = kind.write(row, ctx)
            except (ValidationError, DomainError, IntegrityError) as exc:
                raise ImportFailed(_service_errors(sheet, kind, row, exc)) from exc
            counts[outcome] = counts.get(outcome, 0) + 1
    return counts


def cap(errors: list[dict]) -> list[dict]:
    if len(errors) <= MAX_REPORTED_ERRORS:
        return errors
    more = len(errors) - MAX_REPORTED_ERRORS
    note = _("%(n)s more errors are not listed; correct these and upload the file again.") % {"n": more}
    return [*errors[:MAX_REPORTED_ERRORS], {"row": None, "col": None, "column": "", "message": note}]
