"""Cell parsers: what users type in Excel, and what they get told when it is wrong."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from zhiben.registry.excel import columns as c
from zhiben.registry.factories import make_id_number, make_uscc
from zhiben.registry.models import Employment


@pytest.mark.parametrize("value", [dt.date(2024, 1, 31), dt.datetime(2024, 1, 31), "2024-01-31", "2024/1/31",
                                   "2024.1.31", "2024年1月31日", "20240131", " 2024-1-31 "])
def test_dates_in_the_usual_spellings(value):
    assert c.date(value, None) == dt.date(2024, 1, 31)


@pytest.mark.parametrize("value", ["2024-02-30", "31/01/2024", "明天", "1800-01-01", 200000])
def test_impossible_dates(value):
    with pytest.raises(c.CellError):
        c.date(value, None)


def test_codes_typed_as_numbers_are_read_as_text():
    assert c.phone(13912345678.0, None) == "13912345678"
    number = make_id_number(1)
    if number[-1] != "X":
        assert c.id_number(int(number), None) == number
    assert c.uscc(make_uscc(5).lower(), None) == make_uscc(5)


def test_choices_accept_code_and_label():
    parse = c.choice(Employment.Kind.choices)
    assert parse("dispatched", None) == parse("Dispatched", None) == parse(" DISPATCHED ", None) == "dispatched"
    with pytest.raises(c.CellError) as exc:
        parse("临时工", None)
    assert "临时工" in exc.value.message


def test_numbers():
    parse = c.decimal(12, 2)
    assert parse("1,234.567", None) == Decimal("1234.57")
    assert parse(12.5, None) == Decimal("12.50")
    for bad in ["abc", "-1", "1e40", "NaN"]:
        with pytest.raises(c.CellError):
            parse(bad, None)


def test_booleans_and_text_length():
    assert c.boolean("是", None) is True and c.boolean("no", None) is False
    with pytest.raises(c.CellError):
        c.boolean("maybe", None)
    with pytest.raises(c.CellError):
        c.text(3)("四个字符", None)


def test_headers_match_without_spaces_case_or_required_marks():
    column = c.Column("uscc", "Unified social credit code")
    assert c.normal_header("  unified Social credit code * ") in column.accepted_headers()
    assert c.normal_header("USCC") in column.accepted_headers()
