"""The monthly report to the city (月报) as a Word document in the layout of official documents.

The figures are those of `presentation.collect` as of the end of the month (Beijing time; today for the current
month), for the region; the charts are PNG images drawn by charts.py. Fonts and the red 版头 follow
zhiben.documents.docx: 方正小标宋简体 for the title, 黑体 for headings and table headers, 仿宋_GB2312 for the text.
"""

from __future__ import annotations

import datetime as dt
from io import BytesIO

from django.conf import settings
from django.utils.translation import gettext as _
from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Mm

from zhiben.core.timeutils import beijing_today
from zhiben.dashboard import charts, selectors
from zhiben.dashboard.presentation import collect, percent
from zhiben.dashboard.sections import chapter_heading, figures_for_report
from zhiben.dashboard.selectors import Query
from zhiben.documents.docx import BODY_FONT, HEADING_FONT, RED, TITLE_FONT, _font, _paragraph, _rule
from zhiben.registry.models import Region

TEXT_WIDTH_MM = 156  # A4 less the margins of GB/T 9704-2012
OVERDUE_ROWS = 200


def authority(region: Region | None) -> str:
    """The housing and construction authority of a region, as named on official documents."""
    if region is None:
        return ""
    return settings.REGION_AUTHORITY_NAMES.get(region.pk) or _(
        "%(region)s Housing and Urban-Rural Development Bureau") % {"region": region.name}


def chinese_date(day: dt.date) -> str:
    """The date as official documents write it (2025年2月28日), as OfficialDocument.date_text does."""
    return f"{day.year}年{day.month}月{day.day}日"


def report_day(year: int, month: int, today: dt.date | None = None) -> dt.date:
    """The as-of day of a month's report: its last day, or today while the month is still running."""
    return min(selectors.month_end(year, month), today or beijing_today())


def report_figures(*, user, region: Region | None, year: int, month: int) -> dict:
    """Everything the report states, as of the end of the month."""
    day = report_day(year, month)
    q = Query(user=user, region=region, as_of=day)
    figures = collect(q, year, regions=True)
    months = figures["monthly"][:month]
    figures.update({
        "month": month,
        "in_month": months[month - 1] if len(months) >= month else {"found": 0, "closed": 0},
        "year_to_date": {"found": sum(m["found"] for m in months), "closed": sum(m["closed"] for m in months)},
        "overdue": selectors.overdue_and_escalated(q, limit=OVERDUE_ROWS),
        "sections": figures_for_report(user, region, month_start=dt.date(year, month, 1), day=day),
    })
    return figures


class Writer:
    """What a registered section (dashboard/sections.py) writes its chapter with, in the report's layout."""

    def __init__(self, document):
        self.document = document

    def heading(self, text: str) -> None:
        _heading(self.document, text)

    def text(self, text: str) -> None:
        _text(self.document, text)

    def table(self, headers: list[str], rows: list[list], widths: list[float]) -> None:
        _table(self.document, headers, rows, widths)

    def picture(self, png: bytes, caption: str) -> None:
        _picture(self.document, png, caption)


# --- Layout helpers (in the manner of zhiben.documents.docx) ------------------------------------------------


def _heading(document, text: str) -> None:
    _paragraph(document, text, font=HEADING_FONT, size=16)


def _text(document, text: str) -> None:
    _paragraph(document, text, indent=True)


def _table(document, headers: list[str], rows: list[list], widths: list[float]) -> None:
    table = document.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, header in zip(table.rows[0].cells, headers, strict=True):  # a new cell holds one empty paragraph
        _font(cell.paragraphs[0].add_run(str(header)), HEADING_FONT, 10.5)
    for row in rows:
        for cell, value in zip(table.add_row().cells, row, strict=True):
            _font(cell.paragraphs[0].add_run("" if value is None else str(value)), BODY_FONT, 10.5)
    total = sum(widths)
    for column, width in zip(table.columns, widths, strict=True):
        for cell in column.cells:
            cell.width = Mm(TEXT_WIDTH_MM * width / total)
    document.add_paragraph()


def _picture(document, png: bytes, caption: str) -> None:
    document.add_picture(BytesIO(png), width=Mm(TEXT_WIDTH_MM))
    document.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
    _paragraph(document, caption, size=12, align=WD_ALIGN_PARAGRAPH.CENTER, space_after=6)


def _value(measure: dict, which: str) -> str:
    value = measure[which]
    if value is None:
        return "—"
    if measure["kind"] == "rate":
        return percent(value)
    if measure["kind"] == "avg":
        return f"{value:.2f}"
    return str(value)


# --- The document ----------------------------------------------------------------------------------------------


def render(figures: dict, *, region: Region, year: int, month: int, issued: dt.date | None = None) -> bytes:
    """The report as .docx bytes."""
    day = figures["as_of"]
    issuer = authority(region)
    addressee = authority(region.parent) if region.parent_id else issuer
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    title = _("Monthly report on major accident hazards in the construction-site safety campaign "
              "(%(year)d-%(month)02d)") % {"year": year, "month": month}
    document.core_properties.title = title
    document.core_properties.author = issuer

    _paragraph(document, issuer, font=TITLE_FONT, size=26, align=WD_ALIGN_PARAGRAPH.CENTER, colour=RED,
               space_after=12)
    number = _paragraph(document, _("%(year)d, issue %(month)d") % {"year": year, "month": month}, size=16,
                        align=WD_ALIGN_PARAGRAPH.CENTER, space_after=12)
    _rule(number)
    _paragraph(document, title, font=TITLE_FONT, size=22, align=WD_ALIGN_PARAGRAPH.CENTER, space_after=12)
    _paragraph(document, _("%(addressee)s:") % {"addressee": addressee})
    campaign = figures["campaign"]
    _text(document, _(
        "As of the end of %(date)s (Beijing time), the hazard ledger of %(region)s records %(total)d major "
        "hazards: %(open)d still open, of which %(overdue)d past their deadline and %(escalated)d escalated. "
        "The figures are reconstructed from the hazards' histories as they stood at that moment.") % {
        "date": chinese_date(day), "region": region.name,
        "total": campaign["stock"]["total"] + campaign["increment"]["total"], "open": campaign["open_major"],
        "overdue": campaign["overdue_major"], "escalated": campaign["escalated_major"]})

    _heading(document, _("I. Progress on the three targets"))
    for target in figures["targets"]:
        measures = _("; ").join(_("%(label)s: %(value)s") % {"label": m["label"], "value": _value(m, "as_of")}
                                for m in target["measures"])
        _text(document, _("Target %(number)d, %(title)s. On its deadline (%(deadline)s): %(deadline_status)s. "
                          "As of %(date)s: %(status)s (%(measures)s).") % {
            "number": target["number"], "title": target["title"], "deadline": chinese_date(target["deadline"]),
            "deadline_status": target["deadline_label"], "date": chinese_date(day), "status": target["as_of_label"],
            "measures": measures})

    _heading(document, _("II. Stock and increment"))
    stock, increment = campaign["stock"], campaign["increment"]
    rows = [[_("Stock (found by 2023-12-31)"), stock["total"], stock["closed"], stock["open"],
             percent(figures["stock_rate"])],
            [_("Increment"), increment["total"], increment["closed"], increment["open"],
             percent(figures["increment_rate"])]]
    rows += [[_("of which found in %(year)s") % {"year": y}, n, "", "", ""] for y, n in increment["by_year"].items()]
    _table(document, [_("Category"), _("Total"), _("Closed out"), _("Still open"), _("Closed share")], rows,
           [4, 1.5, 1.5, 1.5, 1.8])

    _heading(document, _("III. Found and closed out"))
    in_month, to_date = figures["in_month"], figures["year_to_date"]
    _table(document, [_("Period"), _("Major hazards found"), _("Major hazards closed out")], [
        [_("%(year)d-%(month)02d") % {"year": year, "month": month}, in_month["found"], in_month["closed"]],
        [_("Year to date (%(year)d-01 to %(year)d-%(month)02d)") % {"year": year, "month": month},
         to_date["found"], to_date["closed"]],
    ], [4, 2, 2])
    months = figures["monthly"][:month]
    labels = [m["label"] for m in months]
    _picture(document, charts.chart(labels, [(_("Found"), [m["found"] for m in months], charts.BLUE),
                                             (_("Closed out"), [m["closed"] for m in months], charts.GREEN)]),
             _("Figure 1. Major hazards found (blue) and closed out (green) per month of %(year)d") % {"year": year})

    _heading(document, _("IV. Rectification on time"))
    on_time, close = figures["on_time"], figures["time_to_close"]
    _text(document, _(
        "Of the major hazards found in %(year)d, %(due)d were due by the end of %(date)s; %(on_time)d were closed "
        "out on or before their deadline and %(late)d late: an on-time rate of %(rate)s against a target of "
        "%(target)s. %(count)d major hazards were closed out in %(year)d, on average %(average)s days after they "
        "were found (median %(median)s days).") % {
        "year": year, "due": on_time["due"], "date": chinese_date(day), "on_time": on_time["on_time"],
        "late": on_time["closed_late"], "rate": percent(on_time["rate"]), "target": percent(figures["on_time_target"]),
        "count": close["count"], "average": "—" if close["average"] is None else close["average"],
        "median": "—" if close["median"] is None else close["median"]})
    _picture(document, charts.chart(
        labels, [(_("On-time rate"), [None if m["rate"] is None else m["rate"] * 100 for m in months], charts.BLUE)],
        kind="line", percent=True, threshold=figures["on_time_target"] * 100, value_max=100),
        _("Figure 2. On-time rate of %(year)d, year to date at the end of each month (blue); the target (red dashes)")
        % {"year": year})

    _heading(document, _("V. Overdue and escalated major hazards"))
    overdue = figures["overdue"]
    if overdue["rows"]:
        _table(document, [_("No."), _("Code"), _("Enterprise / project"), _("Hazard"), _("Deadline"),
                          _("Days overdue"), _("Escalation")], [
            [n, r["code"], f"{r['enterprise']} / {r['project']}", r["description"], r["deadline"].isoformat(),
             r["days_overdue"], r["escalation_level"] or "—"] for n, r in enumerate(overdue["rows"], start=1)
        ], [0.6, 2.4, 3, 3.4, 1.7, 1, 1])
        if overdue["total"] > len(overdue["rows"]):
            _text(document, _("The first %(shown)d of %(total)d are listed; the platform lists them all.")
                  % {"shown": len(overdue["rows"]), "total": overdue["total"]})
    else:
        _text(document, _("None at the end of the month."))

    _heading(document, _("VI. Rankings"))
    for key, header, caption in (("rankings_enterprises", _("Enterprise"), _("Enterprises")),
                                 ("rankings_projects", _("Project"), _("Projects"))):
        _text(document, _("%(what)s with the most overdue, then open, major hazards:") % {"what": caption})
        if figures[key]:
            _table(document, [_("Rank"), header, _("Open"), _("Overdue"), _("Escalated")], [
                [n, r["name"], r["open"], r["overdue"], r["escalated"]] for n, r in enumerate(figures[key], start=1)
            ], [0.8, 5, 1.2, 1.2, 1.2])
        else:
            _text(document, _("None."))

    if figures["regions"]:
        _heading(document, _("VII. By region"))
        _table(document, [_("Region"), _("Stock"), _("Stock open"), _("Increment"), _("Open"), _("Overdue"),
                          _("Escalated")], [
            [r["name"], r["stock"]["total"], r["stock"]["open"], r["increment"]["total"], r["open_major"],
             r["overdue_major"], r["escalated_major"]] for r in figures["regions"]
        ], [3, 1.2, 1.2, 1.2, 1.2, 1.2, 1.2])

    _heading(document, _("VIII. Channels") if figures["regions"] else _("VII. Channels"))
    channels = figures["channels"]
    _table(document, [_("Channel"), _("Major hazards found in %(year)d") % {"year": year}, _("Share")],
           [[c["label"], c["count"], percent(c["share"])] for c in channels], [4, 2.5, 1.5])
    _text(document, _("Self-inspection found %(share)s of the major hazards of %(year)d: a high share is a sign "
                      "that the enterprises' own checks work.") % {"share": percent(figures["self_share"]),
                                                                   "year": year})
    colours = [charts.GREEN, charts.BLUE, charts.ORANGE, charts.GREY]
    _picture(document, charts.chart([str(n) for n in range(1, len(channels) + 1)], [
        ("", [c["count"] for c in channels], colours[0])]),
        _("Figure 3. Major hazards of %(year)d by channel: %(legend)s") % {
            "year": year, "legend": _("; ").join(f"{n}. {c['label']}" for n, c in enumerate(channels, start=1))})

    chapter = 8 if figures["regions"] else 7  # the fixed chapters above; registered sections follow
    writer = Writer(document)
    for section, section_figures in figures["sections"]:
        chapter += 1
        section.report(writer, section_figures, chapter_heading(chapter, section.title))

    document.add_paragraph()
    _paragraph(document, issuer, align=WD_ALIGN_PARAGRAPH.RIGHT)
    _paragraph(document, chinese_date(issued or beijing_today()), align=WD_ALIGN_PARAGRAPH.RIGHT)
    buffer = BytesIO()
    document.save(buffer)
    return buffer.getvalue()
