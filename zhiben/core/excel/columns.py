"""Columns declared as data, and the parsers that turn one Excel cell into a Python value.

A parser takes the cell's value (already stripped; never empty) and the import context, and returns the value
or raises `CellError` with a message for the user. Messages and headers are English source strings: the
zh_Hans catalogue turns them into the Chinese that users read in the page and in the error report.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


class CellError(Exception):
    """A cell's value is not acceptable; `message` says why, in the user's language."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = str(message)


Parser = Callable[[Any, Any], Any]

# What the instructions sheet of a template says of a column whose parser is one of these (unless the column
# has its own help text). Apps add their own parsers' hints (registry: phones, resident IDs).
HINTS: dict[Any, Promise] = {}


def hint_for(parser: Parser) -> str:
    hint = HINTS.get(parser)
    return str(hint) if hint is not None else ""


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


_DATE_RE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
_TIME_RE = re.compile(r"^(\d{1,2})\s*[:：时]\s*(\d{1,2})\s*(?:[:：分]\s*(\d{1,2})\s*秒?|分)?$")


def _date_from_text(raw: str) -> dt.date:
    match = _DATE_RE.match(raw)
    if match:
        parts = match.groups()
    elif re.fullmatch(r"\d{8}", raw):
        parts = (raw[:4], raw[4:6], raw[6:])
    else:
        raise CellError(_("Not a valid date; write it as 2024-01-31."))
    try:
        result = dt.date(int(parts[0]), int(parts[1]), int(parts[2]))
    except ValueError:
        raise CellError(_("Not a valid date; write it as 2024-01-31.")) from None
    return result


def _in_range(day: dt.date) -> None:
    if not 1900 <= day.year <= 2200:
        raise CellError(_("Not a valid date; write it as 2024-01-31."))


# Excel serial day numbers of 1900-01-01 and 2199-12-31 (1900 date system): a number in this range in a date
# column is a date cell whose format was lost (a ledger pasted as values, a column formatted as General).
SERIAL_MIN, SERIAL_MAX = 1, 109_573


def _from_serial(value: Any) -> dt.date | dt.datetime | None:
    """A number cell read as an Excel serial date (with a time if it has a fraction), else None."""
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        return None
    if not SERIAL_MIN <= value <= SERIAL_MAX:
        return None
    from openpyxl.utils.datetime import from_excel

    moment = from_excel(float(value))
    moment = moment.replace(microsecond=0) if isinstance(moment, dt.datetime) else moment
    return moment.date() if moment.time() == dt.time() else moment


def date(value, ctx) -> dt.date:
    """An Excel date (or its serial number), or text such as 2024-01-31, 2024-1-31, 2024/1/31, 2024.1.31,
    2024年1月31日 or 20240131."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    serial = _from_serial(value)
    if serial is not None:
        return serial.date() if isinstance(serial, dt.datetime) else serial
    result = _date_from_text(text_of(value))
    _in_range(result)
    return result


def date_or_datetime(value, ctx) -> dt.date | dt.datetime:
    """A date (as `date` reads it), or a date with a time of day: an Excel date-time, or text such as
    2024-01-31 14:30, 2024/1/31 14:30:05 or 2024年1月31日 14时30分. A time is returned as a naive datetime (the
    caller decides its zone); midnight exactly counts as a date alone."""
    if isinstance(value, dt.datetime):
        _in_range(value.date())
        return value.date() if value.time() == dt.time() else value.replace(tzinfo=None, microsecond=0)
    if isinstance(value, dt.date):
        _in_range(value)
        return value
    serial = _from_serial(value)
    if serial is not None:
        return serial
    raw = text_of(value).replace("T", " ")
    if _DATE_RE.match(raw):  # a date alone, perhaps spaced out (2024 年 3 月 5 日)
        return date(raw, ctx)
    day_part, _space, time_part = raw.partition(" ")
    day = _date_from_text(day_part.strip())
    _in_range(day)
    time_part = time_part.strip()
    if not time_part:
        return day
    match = _TIME_RE.match(time_part)
    try:
        if match is None:
            raise ValueError
        hour, minute, second = (int(p) if p else 0 for p in match.groups())
        moment = dt.datetime.combine(day, dt.time(hour, minute, second))
    except ValueError:
        raise CellError(_("Not a valid time; write it as 2024-01-31 14:30.")) from None
    return day if moment.time() == dt.time() else moment


def integer(minimum: int, maximum: int) -> Parser:
    """A whole number between `minimum` and `maximum` (a number cell, or text of digits)."""

    def parse(value, ctx) -> int:
        raw = text_of(value)
        if isinstance(value, float) and not value.is_integer():
            raw = ""
        try:
            number = int(raw)
        except ValueError:
            number = None
        if number is None or not minimum <= number <= maximum:
            raise CellError(_("Enter a whole number from %(min)s to %(max)s.") % {"min": minimum, "max": maximum})
        return number

    return parse


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


def choice(choices: Sequence[tuple[str, Any]], aliases: Mapping[str, str] | None = None) -> Parser:
    """A value from `choices`, written as its label (Chinese or English), as its code, or as one of `aliases`
    (other spellings users' ledgers carry, e.g. 自查 for self-inspection)."""
    extra = {_normal(alias): code for alias, code in (aliases or {}).items()}
    by_language: dict[str | None, dict[str, str]] = {}  # the accepted spellings, per active language

    def spellings() -> dict[str, str]:
        language = translation.get_language()
        if language not in by_language:
            found: dict[str, str] = {}
            for code, label in reversed(list(choices)):  # the first choice wins, as before
                with translation.override("en"):
                    english = str(label)
                found.update({_normal(code): code, _normal(str(label)): code, _normal(english): code})
            by_language[language] = found
        return by_language[language]

    def parse(value, ctx) -> str:
        raw = _normal(text_of(value))
        known = spellings().get(raw)
        if known is not None:
            return known
        if raw in extra:
            return extra[raw]
        allowed = "、".join(str(label) for _code, label in choices)
        raise CellError(_("Unknown value “%(value)s”; choose one of: %(choices)s.") % {
            "value": text_of(value)[:40], "choices": allowed})

    return parse


HINTS.update({
    date: gettext_lazy("A date such as 2024-01-31"),
    date_or_datetime: gettext_lazy("A date such as 2024-01-31, or a date and time such as 2024-01-31 14:30"),
    boolean: gettext_lazy("Yes or no"),
})


@dataclass(frozen=True)
class Column:
    """One column of a kind's sheet.

    `field` is the English code (accepted as a header too); `header` the gettext_lazy English header that the
    catalogue translates; `export` reads the value from an exported row (None: the attribute named `field`);
    `sensitive` masks the exported value unless the user may see resident IDs and phones; `importable=False`
    marks columns that only exports carry (names of referenced people, a certificate's status). `synonyms` are
    other headers that bureaus' and enterprises' own ledgers give the column (data, not UI text: 工程名称 for
    项目名称, 隐患内容 for 隐患描述 …); they are accepted on import like the header itself.
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
    synonyms: tuple[str, ...] = ()

    def header_text(self) -> str:
        return str(self.header)

    def english_header(self) -> str:
        with translation.override("en"):
            return str(self.header)

    def accepted_headers(self) -> set[str]:
        """Normalised header spellings recognised on import: the translated header, the English one, the code
        and the synonyms."""
        return {normal_header(h) for h in (self.header_text(), self.english_header(), self.field, *self.synonyms)}


_HEADER_MARKS = re.compile(r"[*＊:：]")
_HEADER_NOTE = re.compile(r"(?<=.)[(（][^)）]*[)）]$")


def with_synonyms(columns: Sequence[Column], synonyms: Mapping[str, Sequence[str]]) -> list[Column]:
    """`columns` with the header synonyms of `synonyms` (by field) added."""
    from dataclasses import replace

    return [replace(col, synonyms=(*col.synonyms, *synonyms.get(col.field, ()))) for col in columns]


def normal_header(value: Any) -> str:
    """Headers compare without spaces, case, the '*' that marks required columns in the template, a trailing
    colon or a trailing note in brackets (整改期限（天）, 发现日期(北京时间))."""
    return _HEADER_NOTE.sub("", _HEADER_MARKS.sub("", _normal(text_of(value))))


def choice_help(choices: Sequence[tuple[str, Any]]) -> str:
    return "、".join(str(label) for _code, label in choices)
