"""Registered sections: other apps' figures on the campaign page and in the monthly report."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import translation

from zhiben.dashboard import sections
from zhiben.dashboard.sections import Section


@pytest.fixture
def registry(monkeypatch):
    monkeypatch.setattr(sections, "_SECTIONS", {})
    return sections


def test_sections_in_order_and_empty_ones_left_out(registry):
    asked = []

    def figures(user, region, start, end):
        asked.append((start, end))
        return {"n": 1}

    registry.register(Section(key="b", title="B", order=20, figures=figures, template="b.html"))
    registry.register(Section(key="a", title="A", order=10, figures=lambda *a: None, template="a.html"))
    registry.register(Section(key="c", title="C", order=5, figures=figures, template=None, report=print))
    shown = registry.campaign_sections(None, None, dt.date(2026, 1, 1), dt.date(2026, 3, 31))
    assert [row["section"].key for row in shown] == ["b"]
    assert asked == [(dt.date(2026, 1, 1), dt.date(2026, 3, 31))]
    report = registry.figures_for_report(None, None, month_start=dt.date(2026, 3, 1), day=dt.date(2026, 3, 31))
    assert [section.key for section, _ in report] == ["c"]
    assert report[0][1] == {"in_month": {"n": 1}, "year_to_date": {"n": 1}}


def test_same_key_replaces(registry):
    registry.register(Section(key="a", title="A", order=1, figures=lambda *a: {}))
    registry.register(Section(key="a", title="A2", order=1, figures=lambda *a: {}))
    assert [s.title for s in registry.sections()] == ["A2"]


@pytest.mark.parametrize(("n", "zh", "en"), [(1, "一", "I"), (4, "四", "IV"), (9, "九", "IX"), (10, "十", "X"),
                                            (11, "十一", "XI"), (19, "十九", "XIX"), (20, "二十", "XX"),
                                            (23, "二十三", "XXIII")])
def test_chapter_numerals(n, zh, en):
    with translation.override("zh-hans"):
        assert sections.numeral(n) == zh
    with translation.override("en"):
        assert sections.numeral(n) == en
