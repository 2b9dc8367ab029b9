"""Figures of other apps on the campaign dashboard and in the monthly report, registered rather than written in.

An app adds its section from its AppConfig.ready():

    from zhiben.dashboard.sections import Section, register

    register(Section(
        key="reports", title=_("Public reports"), order=10,
        figures=report_figures,            # (user, region, start, end) -> dict | None
        template="reports/includes/campaign_section.html",   # gets `section` and `figures`
        report=write_report_section,       # (writer, figures, heading) -> None, or None for no report section
    ))

`figures` is asked for the region the viewer chose (None: the viewer's whole scope) and the period [start, end]
in Beijing days: on the campaign page the year up to the as-of day, in the monthly report the month and, when the
writer wants it, the year (`figures_for_report` below asks twice). It answers None when there is nothing to show.
Sections are shown to regulators (regulator admins, inspectors, leaders, experts) on the region view of the
campaign page, not on an enterprise's or a project's, and in the monthly report after its fixed chapters.
The dashboard imports no app: an app that is not installed simply has no section.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.translation import get_language
from django.utils.translation import gettext as _

Figures = Callable[[Any, Any, dt.date, dt.date], "dict | None"]


@dataclass(frozen=True)
class Section:
    key: str
    title: Any
    order: int
    figures: Figures
    template: str | None = None
    report: Callable[..., None] | None = None


_SECTIONS: dict[str, Section] = {}


def register(section: Section) -> None:
    """Add (or, with the same key, replace) a section; ready() may run more than once in tests."""
    _SECTIONS[section.key] = section


def sections() -> list[Section]:
    return sorted(_SECTIONS.values(), key=lambda s: (s.order, s.key))


def campaign_sections(user, region, start: dt.date, end: dt.date) -> list[dict]:
    """[{"section", "figures"}] of every section with something to show, in order."""
    shown = []
    for section in sections():
        if section.template is None:
            continue
        figures = section.figures(user, region, start, end)
        if figures is not None:
            shown.append({"section": section, "figures": figures, "template": section.template})
    return shown


def figures_for_report(user, region, *, month_start: dt.date, day: dt.date) -> list[tuple[Section, dict]]:
    """(section, {"in_month": …, "year_to_date": …}) for every section that writes into the monthly report."""
    answer = []
    for section in sections():
        if section.report is None:
            continue
        in_month = section.figures(user, region, month_start, day)
        year_to_date = section.figures(user, region, dt.date(day.year, 1, 1), day)
        if in_month is None and year_to_date is None:
            continue
        answer.append((section, {"in_month": in_month, "year_to_date": year_to_date}))
    return answer


_CHINESE = "零一二三四五六七八九"
_ROMAN = [(10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]


def numeral(n: int) -> str:
    """A chapter number as the report's language writes it: 十一 in Chinese, XI otherwise (1 ≤ n < 40)."""
    if (get_language() or "").startswith("zh"):
        tens, units = divmod(n, 10)
        return ((_CHINESE[tens] if tens > 1 else "") + ("十" if tens else "") + (_CHINESE[units] if units else "")
                or _CHINESE[0])
    text = ""
    for value, letters in _ROMAN:
        while n >= value:
            text += letters
            n -= value
    return text


def chapter_heading(n: int, title) -> str:
    return _("%(numeral)s. %(title)s") % {"numeral": numeral(n), "title": title}
