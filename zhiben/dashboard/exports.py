"""The dashboard's tables as Excel workbooks: the figures of `presentation.collect`, the same the page shows.

Counts are numbers, rates are fractions formatted as percentages (0.5 shows as 50.00%), so a reader can compute
with them. A second sheet records what was asked (region, enterprise, project, as-of day, year).
(registry.excel's writer is built around import-compatible column kinds; these sheets only need a header row,
so they are laid out here, every cell written through core/excel/workbooks.py's `put`: names as text, never
formulas.)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from io import BytesIO

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from zhiben.core.excel.workbooks import put, sheet_title

HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
FORMATS = {"rate": "0.00%", "avg": "0.00", "int": "0", "text": "@", "date": "yyyy-mm-dd"}


@dataclass(frozen=True)
class Sheet:
    title: str
    headers: list[str]
    kinds: list[str]  # per column: int | rate | avg | text | date, or "value": the row's kind in row_kinds
    rows: list[list]
    widths: list[int]
    row_kinds: list[str] | None = None


def _targets(figures: dict) -> Sheet:
    as_of = figures["as_of"]
    rows = []
    for target in figures["targets"]:
        title = f"{target['number']}. {target['title']}"
        rows.append([title, target["deadline"].isoformat(), _("Status"), target["deadline_label"],
                     target["as_of_label"]])
        for measure in target["measures"]:
            rows.append([title, target["deadline"].isoformat(), measure["label"], measure["on_deadline"],
                         measure["as_of"]])
    headers = [_("Target"), _("Deadline"), _("Measure"), _("On the deadline"),
               _("As of %(day)s") % {"day": as_of.isoformat()}]
    # Each measure row carries its own kind (status text, count, rate or average).
    row_kinds = []
    for target in figures["targets"]:
        row_kinds += ["text", *(m["kind"] for m in target["measures"])]
    return Sheet(_("Targets"), headers, ["text", "text", "text", "value", "value"], rows, [48, 12, 30, 20, 20],
                 row_kinds)


def _summary(figures: dict) -> Sheet:
    c = figures["campaign"]
    rows = [
        [_("Stock major hazards"), c["stock"]["total"]],
        [_("Stock closed out"), c["stock"]["closed"]],
        [_("Stock still open"), c["stock"]["open"]],
        [_("Stock clearance rate"), figures["stock_rate"]],
        [_("Increment major hazards"), c["increment"]["total"]],
        [_("Increment closed out"), c["increment"]["closed"]],
        [_("Increment still open"), c["increment"]["open"]],
        *[[_("Increment found in %(year)s") % {"year": year}, n] for year, n in c["increment"]["by_year"].items()],
        [_("Open major hazards"), c["open_major"]],
        [_("Overdue major hazards"), c["overdue_major"]],
        [_("Escalated major hazards"), c["escalated_major"]],
    ]
    row_kinds = ["rate" if row[0] == _("Stock clearance rate") else "int" for row in rows]
    return Sheet(_("Figures"), [_("Measure"), _("Value")], ["text", "value"], rows, [36, 14], row_kinds)


def _monthly(figures: dict) -> Sheet:
    rows = [[m["label"], m["found"], m["closed"], m["due"], m["on_time"], m["rate"]] for m in figures["monthly"]]
    return Sheet(_("Monthly"), [_("Month"), _("Found"), _("Closed out"), _("Due (year to date)"),
                                _("Closed on time (year to date)"), _("On-time rate (year to date)")],
                 ["text", "int", "int", "int", "int", "rate"], rows, [12, 10, 12, 18, 24, 24])


def _rankings(figures: dict, key: str, name_header: str) -> Sheet:
    rows = [[n, r["name"], r["open"], r["overdue"], r["escalated"]] for n, r in enumerate(figures[key], start=1)]
    return Sheet(_("Rankings"), [_("Rank"), name_header, _("Open major hazards"), _("Overdue major hazards"),
                                 _("Escalated major hazards")],
                 ["int", "text", "int", "int", "int"], rows, [8, 40, 18, 20, 20])


def _regions(figures: dict) -> Sheet:
    rows = [[r["code"] or "", r["name"], r["stock"]["total"], r["stock"]["closed"], r["stock"]["open"],
             r["stock"]["rate"], r["increment"]["total"], r["increment"]["closed"], r["increment"]["open"],
             r["open_major"], r["overdue_major"], r["escalated_major"]] for r in figures["regions"] or []]
    return Sheet(_("Regions"), [_("Division code"), _("Region"), _("Stock major hazards"), _("Stock closed out"),
                                _("Stock still open"), _("Stock clearance rate"), _("Increment major hazards"),
                                _("Increment closed out"), _("Increment still open"), _("Open major hazards"),
                                _("Overdue major hazards"), _("Escalated major hazards")],
                 ["text", "text", "int", "int", "int", "rate", "int", "int", "int", "int", "int", "int"], rows,
                 [12, 16, 14, 14, 14, 16, 16, 16, 16, 14, 16, 16])


TABLES: dict[str, Callable[[dict], Sheet]] = {
    "targets": _targets,
    "summary": _summary,
    "monthly": _monthly,
    "rankings_enterprises": lambda f: _rankings(f, "rankings_enterprises", _("Enterprise")),
    "rankings_projects": lambda f: _rankings(f, "rankings_projects", _("Project")),
    "regions": _regions,
}


def workbook(table: str, figures: dict, about: list[tuple[str, str]]) -> bytes:
    """The table `table` (a key of TABLES) as an .xlsx file, with an "About" sheet listing `about`."""
    sheet = TABLES[table](figures)
    wb = Workbook()
    ws = wb.active
    ws.title = sheet_title(sheet.title)
    for index, header in enumerate(sheet.headers, start=1):
        cell = put(ws, 1, index, header)
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    row_kinds = sheet.row_kinds
    for r, values in enumerate(sheet.rows, start=2):
        for c, value in enumerate(values, start=1):
            cell = put(ws, r, c, value)
            kind = sheet.kinds[c - 1]
            if kind == "value":
                kind = row_kinds[r - 2] if row_kinds else "int"
            if value is not None and kind in FORMATS and kind != "text":
                cell.number_format = FORMATS[kind]
    for index, width in enumerate(sheet.widths, start=1):
        ws.column_dimensions[get_column_letter(index)].width = width
    ws.freeze_panes = "A2"
    info = wb.create_sheet(sheet_title(_("About")))
    for r, (label, value) in enumerate(about, start=1):
        put(info, r, 1, label).font = Font(bold=True)
        put(info, r, 2, value)
    info.column_dimensions["A"].width = 24
    info.column_dimensions["B"].width = 60
    buffer = BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
