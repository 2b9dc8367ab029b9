"""Numbered documents: serial numbers per kind, region and year, formatted as the kind declares.

Official documents carry numbers such as ``交住建改〔2026〕7号``: a prefix, the year and a gap-free serial that
restarts each year in each region. An app declares the format of each kind once, as data
(``register_document_number(DocumentNumber(kind="notice", template=…, prefix_setting=…))``), and takes the next
number inside the transaction that stores the document (`Counter` keeps the serial under a row lock, so two
documents never share a number and a rolled-back one leaves no gap).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings

from zhiben.core.models import Counter

DEFAULT_TEMPLATE = "{prefix}〔{year}〕{serial}号"


@dataclass(frozen=True)
class DocumentNumber:
    """How one kind of document is numbered.

    `template` is a ``str.format`` pattern over ``prefix``, ``year``, ``serial`` and ``region`` (e.g.
    ``"{prefix}〔{year}〕{serial:03d}号"``); `prefix` is fixed text, or `prefix_setting` names the setting that
    holds it (read when a number is taken, so a deployment can set its own); `counter_key` is the Counter key
    pattern (over ``kind``, ``region`` and ``year``), stored in the database: never change it for a kind in use.
    """

    kind: str
    template: str = DEFAULT_TEMPLATE
    prefix: str = ""
    prefix_setting: str = ""
    counter_key: str = "{kind}:{region}:{year}"

    def format(self, *, region: int, year: int, serial: int) -> str:
        prefix = getattr(settings, self.prefix_setting) if self.prefix_setting else self.prefix
        return self.template.format(prefix=prefix, year=year, serial=serial, region=region)


_FORMATS: dict[str, DocumentNumber] = {}


def register_document_number(number: DocumentNumber) -> DocumentNumber:
    """Declare a kind (idempotent for the same declaration; a different one for a taken kind is a mistake)."""
    known = _FORMATS.setdefault(number.kind, number)
    if known != number:
        raise ValueError(f"document number kind {number.kind!r} is already declared differently")
    return number


def document_number_format(kind: str) -> DocumentNumber:
    return _FORMATS[kind]


def next_document_number(kind: str, region, year: int) -> str:
    """The next number of a kind in a region (a region row or its code) and year; call inside a transaction."""
    number = _FORMATS[kind]
    region_id = getattr(region, "pk", region)
    serial = Counter.next(number.counter_key.format(kind=kind, region=region_id, year=year))
    return number.format(region=region_id, year=year, serial=serial)
