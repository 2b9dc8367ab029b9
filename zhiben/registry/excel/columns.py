"""Columns declared as data, and the parsers that turn one Excel cell into a Python value.

A parser takes the cell's value (already stripped; never empty) and the import context, and returns the value
or raises `CellError` with a message for the user. Messages and headers are English source strings: the
zh_Hans catalogue turns them into the Chinese that users read in the page and in the error report.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from zhiben.registry import validators


class CellError(Exception):
    """A cell's value is not acceptable; `message` says why, in the user's language."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = str(message)


Parser = Callable[[Any, Any], Any]


def text_of(value: Any) -> str:
    """A cell as text: integral floats lose their '.0' (phones and codes typed as numbers)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).replace("\u3000", " ").strip()


def is_blank(value: Any) -> bool:
    return text_of(value) == ""


def text(max_length: int) -> Parser:
    def parse(value, ctx):
        result = text_of(value)
        if len(result) > max_length:
            raise CellError(_("At most %(max)s characters (this one has %(n)s).") % {"max": max_length,
                                                                                    "n": len(result)})
        return result

    return parse


TEXT_200 = text(200)


def _numeric_code_hint(value) -> str:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return " " + _("Excel stored it as a number and may have changed its last digits: format the column as "
                       "text and type it again.")
    return ""


def uscc(value, ctx) -> str:
    code = text_of(value).upper()
    try:
        validators.validate_uscc(code)
    except ValidationError as exc:
        raise CellError(exc.messages[0] + _numeric_code_hint(value)) from None
    return code


def id_number(value, ctx) -> str:
    number = text_of(value).upper()
    try:
        validators.validate_id_number(number)
    except ValidationError as exc:
        raise CellError(exc.messages[0] + _numeric_code_hint(value)) from None
    return number


def phone(value, ctx) -> str:
    number = text_of(value).replace(" ", "")
    try:
        validators.validate_phone(number)
    except ValidationError as exc:
        raise CellError(exc.messages[0]) from None
    return number


_DATE_RE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")


def date(value, ctx) -> dt.date:
    """An Excel date, or text such as 2024-01-31, 2024/1/31, 2024.1.31, 2024年1月31日 or 20240131."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    raw = text_of(value)
    match = _DATE_RE.match(raw)
    if match:
        parts = match.groups()
    elif re.fullmatch(r"\d{8}", raw):
        parts = (raw[:4], raw[4:6], raw[6:])
    else:
        parts = None
    try:
        if parts is None:
            raise ValueError
        result = dt.date(int(parts[0]), int(parts[1]), int(parts[2]))
    except ValueError:
        raise CellError(_("Not a valid date; write it as 2024-01-31.")) from None
    if not 1900 <= result.year <= 2200:
        raise CellError(_("Not a valid date; write it as 2024-01-31."))
    return result


def decimal(max_digits: int = 12, places: int = 2) -> Parser:
    def parse(value, ctx) -> Decimal:
        raw = text_of(value).replace(",", "").replace("，", "")
        try:
            number = Decimal(raw)
        except InvalidOperation:
            raise CellError(_("Not a number.")) from None
        if not number.is_finite() or number < 0:
            raise CellError(_("Enter a number of zero or more."))
        try:
            number = number.quantize(Decimal(1).scaleb(-places))
        except InvalidOperation:
            raise CellError(_("The number is too large.")) from None
        if len(number.as_tuple().digits) > max_digits:
            raise CellError(_("The number is too large."))
        return number

    return parse


_TRUE = {"1", "y", "yes", "true", "是", "有", "√", "✓"}
_FALSE = {"0", "n", "no", "false", "否", "无", "×"}


def boolean(value, ctx) -> bool:
    raw = text_of(value).lower()
    if raw in _TRUE or raw == str(_("Yes")).lower():  # exports write the translated Yes/No
        return True
    if raw in _FALSE or raw == str(_("No")).lower():
        return False
    raise CellError(_("Write yes or no."))


def _normal(value: str) -> str:
    return re.sub(r"\s+", "", value).lower()


def choice(choices: Sequence[tuple[str, Any]]) -> Parser:
    """A value from `choices`, written as its label (Chinese or English) or as its code."""

    def parse(value, ctx) -> str:
        raw = _normal(text_of(value))
        for code, label in choices:
            with translation.override("en"):
                english = str(label)
            if raw in {_normal(code), _normal(str(label)), _normal(english)}:
                return code
        allowed = "、".join(str(label) for _code, label in choices)
        raise CellError(_("Unknown value “%(value)s”; choose one of: %(choices)s.") % {
            "value": text_of(value)[:40], "choices": allowed})

    return parse


@dataclass(frozen=True)
class Column:
    """One column of a kind's sheet.

    `field` is the English code (accepted as a header too); `header` the gettext_lazy English header that the
    catalogue translates; `export` reads the value from an exported row (None: the attribute named `field`);
    `sensitive` masks the exported value unless the user may see resident IDs and phones; `importable=False`
    marks columns that only exports carry (names of referenced people, a certificate's status).
    """

    field: str
    header: Promise
    parser: Parser = TEXT_200
    required: bool = False
    help: Promise | str = ""
    choices: Sequence[tuple[str, Any]] | None = None
    text_format: bool = False
    width: int = 16
    importable: bool = True
    export: Callable[[Any], Any] | None = None
    sensitive: Callable[[str | None], str] | None = None

    def header_text(self) -> str:
        return str(self.header)

    def english_header(self) -> str:
        with translation.override("en"):
            return str(self.header)

    def accepted_headers(self) -> set[str]:
        """Normalised header spellings recognised on import: the translated header, the English one, the code."""
        return {normal_header(h) for h in (self.header_text(), self.english_header(), self.field)}


def normal_header(value: Any) -> str:
    """Headers compare without spaces, case or the '*' that marks required columns in the template."""
    return _normal(text_of(value)).replace("*", "").replace("＊", "")


def choice_help(choices: Sequence[tuple[str, Any]]) -> str:
    return "、".join(str(label) for _code, label in choices)

