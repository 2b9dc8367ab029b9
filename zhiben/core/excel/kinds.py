"""What every import kind shares: the row being validated, the caller's context, and the Kind contract."""

from __future__ import annotations

import contextlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _

from zhiben.core.excel.columns import Column, normal_header, text_of
from zhiben.core.scoping import Scope, scope_of


@dataclass
class Row:
    """One data row: parsed `values` by field, resolved `refs` (objects), and the errors found so far."""

    number: int
    values: dict[str, Any]
    refs: dict[str, Any] = field(default_factory=dict)
    errors: list[tuple[str | None, str]] = field(default_factory=list)

    def error(self, field_name: str | None, message: str) -> None:
        self.errors.append((field_name, str(message)))

    def has_error(self, field_name: str) -> bool:
        return any(f == field_name for f, _m in self.errors)

    def present(self, name: str) -> bool:
        return self.values.get(name) not in (None, "")


class ImportContext:
    """The caller and their scope for one file; apps subclass it with scoped look-ups cached for the whole
    file (one query per kind of reference, not one per row)."""

    def __init__(self, actor):
        self.actor = actor
        self.scope: Scope = scope_of(actor)
        self.memo: dict[str, Any] = {}  # what a kind's writes remember from row to row


class Kind:
    """One importable (and usually exportable) kind of record.

    Subclasses declare `columns` (data), the scopes that may import, the key that must be unique inside one
    file, and the steps: `clean_row` (cross-column checks), `resolve` (references and conflicts with the
    database for all rows at once), optionally `check_rows` (per-row checks that need the database, e.g. a
    dry run of the service; set `checks_rows`), and `write` (one row, through the app's services; returns one
    of `outcomes`).
    """

    code: str = ""
    label: Any = ""
    columns: list[Column] = []
    import_scopes: frozenset[str] = frozenset({"all", "region"})
    key_fields: tuple[str, ...] = ()
    duplicate_field: str = ""  # the column blamed for a duplicate row; the first key field when empty
    context_class: type[ImportContext] = ImportContext
    outcomes: tuple[str, ...] = ("created", "updated")
    checks_rows: bool = False  # True: `check_rows` does the slow part of validation and reports the progress

    def context(self, actor) -> ImportContext:
        return self.context_class(actor)

    def can_import(self, scope: Scope) -> bool:
        return scope.kind in self.import_scopes

    @property
    def importable_columns(self) -> list[Column]:
        return [c for c in self.columns if c.importable]

    def column(self, field_name: str) -> Column:
        return next(c for c in self.columns if c.field == field_name)

    def key(self, row: Row) -> tuple | None:
        key = tuple(str(row.values.get(f) or "").strip().lower() for f in self.key_fields)
        return key if any(key) else None

    def duplicate_message(self, first: int) -> str:
        return _("Same record as row %(row)s: each record may appear only once in a file.") % {"row": first}

    def clean_row(self, row: Row, ctx: ImportContext) -> None:
        """Checks that involve several columns of one row."""

    def resolve(self, rows: list[Row], ctx: ImportContext) -> None:
        raise NotImplementedError

    def check_rows(self, rows: list[Row], ctx: ImportContext, *, progress=None, every: int = 200) -> None:
        """Per-row checks against the database, for the rows still without errors (see `checks_rows`)."""

    def write(self, row: Row, ctx: ImportContext) -> str:
        raise NotImplementedError

    def writing(self):
        """A context manager around writing all rows, inside their transaction (e.g. to batch the upkeep of an
        aggregate once for the whole file instead of once per row). None by default."""
        return contextlib.nullcontext()

    def write_many(self, rows: list[Row], ctx: ImportContext) -> dict[str, int] | None:
        """Write all rows at once (inside the import's transaction) and return the counts of `outcomes`; None
        (the default): the importer calls `write` for each row."""
        return None

    def template_notes(self) -> list[str] | None:
        """General notes for the template's instructions sheet (None: the generic ones)."""
        return None

    # --- the template's example rows: shown in the template, skipped on import if left unchanged ---------
    def example_rows(self) -> list[dict[str, Any]]:
        return []

    def is_example(self, raw: dict[str, Any]) -> bool:
        """Whether a data row is one of the template's example rows left as it was (compared as the template
        wrote it: choices as their labels; a changed cell makes it data)."""
        language = translation.get_language()
        cache = self.__dict__.setdefault("_examples_shown", {})
        if language not in cache:  # computed once per language, not once per row of a large file
            cache[language] = [[(c.field, _as_text(_shown(c, example.get(c.field)))) for c in self.importable_columns]
                               for example in self.example_rows()]
        return any(all(_as_text(raw.get(field)) == shown for field, shown in example) for example in cache[language])


def _shown(column: Column, value: Any) -> Any:
    if column.choices and value not in (None, ""):
        return str(dict(column.choices).get(value, value))
    return value


def _as_text(value: Any) -> str:
    return normal_header(text_of(value))


def dates_in_order(row: Row, first: str, second: str, message: str) -> None:
    a, b = row.values.get(first), row.values.get(second)
    if a and b and b < a:
        row.error(second, message)


def present_values(row: Row, fields: Iterable[str]) -> dict[str, Any]:
    """The non-empty values among `fields`: an update never blanks a field the file leaves empty."""
    return {f: row.values[f] for f in fields if row.present(f)}
