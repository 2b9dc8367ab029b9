"""The registry's cell parsers: USCC, resident ID numbers and phones, beside the generic ones it re-exports
from zhiben/core/excel/columns.py (where `Column`, `CellError` and the date, number and choice parsers live)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhiben.core.excel.columns import (
    HINTS,
    TEXT_200,
    CellError,
    Column,
    Parser,
    boolean,
    choice,
    choice_help,
    date,
    date_or_datetime,
    decimal,
    integer,
    is_blank,
    normal_header,
    text,
    text_of,
    with_synonyms,
)
from zhiben.registry import validators

__all__ = [
    "TEXT_200", "CellError", "Column", "Parser", "boolean", "choice", "choice_help", "date", "date_or_datetime",
    "decimal", "id_number", "integer", "is_blank", "normal_header", "phone", "text", "text_of", "uscc",
    "with_synonyms",
]


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


HINTS.update({
    phone: gettext_lazy("An 11-digit mobile number or a landline such as 0358-1234567"),
    id_number: gettext_lazy("18 characters, check digit verified"),
})
