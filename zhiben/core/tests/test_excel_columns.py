"""The shared cell parsers added for ledgers: dates with a time of day, small whole numbers, choice aliases."""

from __future__ import annotations

import datetime as dt

import pytest

from zhiben.core.excel import columns as c


@pytest.mark.parametrize("value, expected", [
    (dt.date(2023, 8, 1), dt.date(2023, 8, 1)),
    (dt.datetime(2023, 8, 1), dt.date(2023, 8, 1)),
    (dt.datetime(2023, 8, 1, 14, 30), dt.datetime(2023, 8, 1, 14, 30)),
    ("2023-08-01", dt.date(2023, 8, 1)),
    ("2023/8/1 14:30", dt.datetime(2023, 8, 1, 14, 30)),
    ("2023-08-01T14:30:05", dt.datetime(2023, 8, 1, 14, 30, 5)),
    ("2023年8月1日 14时30分", dt.datetime(2023, 8, 1, 14, 30)),
    ("2023年8月1日 9：05", dt.datetime(2023, 8, 1, 9, 5)),
    ("2023-08-01 00:00", dt.date(2023, 8, 1)),
])
def test_dates_with_or_without_a_time(value, expected):
    assert c.date_or_datetime(value, None) == expected


@pytest.mark.parametrize("value", ["2023-02-30", "2023-08-01 25:00", "2023-08-01 下午", "昨天", "1800-01-01", 200000,
                                   -3, True])
def test_impossible_dates_and_times(value):
    with pytest.raises(c.CellError):
        c.date_or_datetime(value, None)


def test_whole_numbers_in_a_range():
    parse = c.integer(0, 3)
    assert parse(2, None) == parse(2.0, None) == parse(" 2 ", None) == 2
    for bad in [4, -1, 1.5, "二", "1e1"]:
        with pytest.raises(c.CellError):
            parse(bad, None)


def test_choices_accept_aliases():
    parse = c.choice([("major", "Major hazard")], {"重大": "major"})
    assert parse("重大", None) == parse("major", None) == parse("Major Hazard", None) == "major"
    with pytest.raises(c.CellError):
        parse("一般", None)


@pytest.mark.parametrize("value", [
    "2024年3月5日", "2024.3.5", "2024/3/5", "2024-3-5", "2024-03-05", "2024 年 3 月 5 日", "20240305", 20240305,
    dt.date(2024, 3, 5), dt.datetime(2024, 3, 5), 45356, 45356.0,
])
def test_every_date_form_of_real_ledgers(value):
    assert c.date(value, None) == dt.date(2024, 3, 5)
    assert c.date_or_datetime(value, None) == dt.date(2024, 3, 5)


def test_a_serial_number_with_a_fraction_is_a_date_and_time():
    assert c.date_or_datetime(45356.5, None) == dt.datetime(2024, 3, 5, 12, 0)
    assert c.date(45356.5, None) == dt.date(2024, 3, 5)


def test_headers_compare_without_marks_colons_and_trailing_notes():
    assert c.normal_header(" 整改期限（天）* ") == c.normal_header("整改期限") == c.normal_header("整改期限：")


def test_synonyms_are_accepted_headers():
    [column] = c.with_synonyms([c.Column("description", "Description")], {"description": ("隐患内容", "隐患描述")})
    assert {"隐患内容", "隐患描述", "description"} <= column.accepted_headers()
