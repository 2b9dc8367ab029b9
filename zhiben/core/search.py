"""Substring text search (`q=`) for every list: one mechanism, served by an index on large tables (decision 0011).

The meaning is the old ``ILIKE '%q%'``: a row matches when the query is a case-insensitive substring of one of
the searched fields. Small tables (the registry lists) run exactly that (`substring_q`). Large tables keep a
search document (`document`: the searched fields, lower-cased, one per line) and an index on it:

- PostgreSQL: a `tsvector` of the document's overlapping character bigrams plus the last character of each
  field (`bigram_vector`), in a GIN index. Every bigram of a query is a bigram of any text containing it, so the
  ANDed bigrams (`bigram_query`) find a superset of the matches from the index alone, for Chinese words of two
  characters as for Latin and digits; a one-character query is a prefix query. ``contains`` on the document
  then drops the false positives. No extension is needed (pg_trgm cannot serve two-character words).
- SQLite: an FTS5 table with the trigram tokenizer over the document serves queries of three characters or
  more; shorter ones scan the document column (one column, no join: fine at a county's size).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable

from django.db import connections, models
from django.db.models import Q
from django.db.models.expressions import RawSQL

MAX_QUERY = 100
SEPARATOR = "\n"  # between the fields of a document: a query containing it falls back to the fields themselves


def clean_query(value) -> str:
    """The query as every list reads it: trimmed and capped (a longer one is no more selective)."""
    return str(value or "").strip()[:MAX_QUERY]


def normalize(text: str) -> str:
    return (text or "").lower()


def document(*fields: str | None) -> str:
    """The search document of a row: its searched fields, lower-cased, one per line."""
    return SEPARATOR.join(normalize(field or "") for field in fields)


def _lexemes(text: str) -> set[str]:
    grams = set()
    for part in text.split(SEPARATOR):
        grams.update(part[i:i + 2] for i in range(len(part) - 1))
        if part:
            grams.add(part[-1])  # the last character, so that a one-character query finds it too
    return grams


def _quoted(lexeme: str) -> str:
    return "'" + lexeme.replace("\\", "\\\\").replace("'", "''") + "'"


def bigram_vector(doc: str) -> str:
    """The `tsvector` literal of a document (PostgreSQL input syntax: quoted lexemes, nothing normalised)."""
    return " ".join(_quoted(lexeme) for lexeme in sorted(_lexemes(doc)))


def bigram_query(needle: str, frequencies: dict[str, float] | None = None) -> str:
    """The `tsquery` literal for a normalised query: its bigrams ANDed, or a prefix for one character.

    With the column's element frequencies (`element_frequencies`), only the bigrams rarer than the statistics
    record are kept, or else the single rarest one: the index then reads short posting lists, and the planner,
    which multiplies the frequencies of ANDed lexemes as if they were independent (they are not: 深基, 基坑, 坑支
    come together), no longer takes a common word for a rare one and reads a 10^6-row bitmap. The substring
    recheck keeps the result exact either way.
    """
    if len(needle) == 1:
        return _quoted(needle) + ":*"
    grams = sorted({needle[i:i + 2] for i in range(len(needle) - 1)})
    if frequencies:
        rare = [gram for gram in grams if gram not in frequencies]
        grams = rare or [min(grams, key=lambda gram: frequencies[gram])]
    return " & ".join(_quoted(gram) for gram in grams)


_FREQUENCIES: dict[tuple[str, str, str], tuple[float, dict[str, float]]] = {}
FREQUENCIES_TTL = 600  # seconds; ANALYZE refreshes the statistics far less often


def element_frequencies(using: str, table: str, column: str) -> dict[str, float]:
    """PostgreSQL's most common lexemes of a `tsvector` column and their frequencies (from ANALYZE), cached."""
    key = (using, table, column)
    cached = _FREQUENCIES.get(key)
    if cached is not None and time.monotonic() - cached[0] < FREQUENCIES_TTL:
        return cached[1]
    with connections[using].cursor() as cursor:
        cursor.execute("SELECT most_common_elems::text::text[], most_common_elem_freqs FROM pg_stats "
                       "WHERE tablename = %s AND attname = %s", [table, column])
        row = cursor.fetchone()
    frequencies = dict(zip(row[0], row[1], strict=False)) if row and row[0] else {}
    _FREQUENCIES[key] = (time.monotonic(), frequencies)
    return frequencies


class BigramVectorField(models.Field):
    """The bigram `tsvector` of a search document on PostgreSQL; unused (always NULL) on other databases."""

    description = "bigram search vector"

    def db_type(self, connection):
        return "tsvector" if connection.vendor == "postgresql" else "text"

    def get_db_prep_value(self, value, connection, prepared=False):
        return value if connection.vendor == "postgresql" else None


@BigramVectorField.register_lookup
class BigramMatch(models.Lookup):
    """`<vector>__bigrams=<normalised query>`: the GIN-served pre-filter (a superset of the matches)."""

    lookup_name = "bigrams"

    def get_db_prep_lookup(self, value, connection):
        frequencies = None
        if len(value) > 2:  # a choice among several bigrams (one query to pg_stats per process every 10 minutes)
            field = self.lhs.output_field
            frequencies = element_frequencies(connection.alias, field.model._meta.db_table, field.column)
        return "%s", [bigram_query(value, frequencies)]

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} @@ ({rhs})::tsquery", [*lhs_params, *rhs_params]


def fts_table(model) -> str:
    """Name of the SQLite FTS5 table that indexes a model's search document."""
    return f"{model._meta.db_table}_fts"


def substring_q(value, *fields: str) -> Q:
    """``field ILIKE '%value%'`` on any of the fields: the search of small lists, and the fallback."""
    needle = clean_query(value)
    query = Q()
    for field in fields:
        query |= Q(**{f"{field}__icontains": needle})
    return query


def document_q(model, value, *, fields: Iterable[str], using: str = "default", text_field: str = "search_text",
               vector_field: str = "search_vector") -> Q:
    """The rows of `model` whose search document contains `value` (same result as `substring_q` on `fields`)."""
    needle = normalize(clean_query(value))
    if SEPARATOR in needle:
        return substring_q(value, *fields)  # would span two fields of the document
    exact = Q(**{f"{text_field}__contains": needle})
    vendor = connections[using].vendor
    if vendor == "postgresql":
        return Q(**{f"{vector_field}__bigrams": needle}) & exact
    if vendor == "sqlite" and len(needle) >= 3:
        phrase = '"' + needle.replace('"', '""') + '"'
        table = fts_table(model)
        # The table name is the model's own (no user input); the phrase is a parameter.
        rows = RawSQL(f"SELECT rowid FROM {table} WHERE {table} MATCH %s", [phrase])  # noqa: S608, S611
        return Q(pk__in=rows) & exact
    return exact


# --- Documents that copy another row's text ------------------------------------------------------------------
# A hazard's document holds its project's and enterprise's names. The registry services call `renamed` after a
# rename; the app that keeps such documents registers how to refresh them (registry imports no hazard code).

_refreshers: dict[str, list[Callable[[int], int]]] = {}


def on_rename(model_label: str, refresh: Callable[[int], int]) -> None:
    """Register `refresh(pk)`, called when a row of `model_label` ("registry.Project") changes its name."""
    if refresh not in _refreshers.setdefault(model_label, []):
        _refreshers[model_label].append(refresh)


def renamed(instance: models.Model) -> int:
    """Refresh every search document that copies this row's name; returns how many were rewritten."""
    return sum(refresh(instance.pk) for refresh in _refreshers.get(instance._meta.label, []))
