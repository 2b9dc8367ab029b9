"""What the dashboard shows, built once per request from the selectors and read by the page, the large screen,
the Excel exports and the monthly report alike, so every output carries the same figures.

The formulas in words below are those of docs/metrics.md (a test keeps the two the same). No figure is computed
here: only selectors.py counts; this module names, orders and labels.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhiben.dashboard import selectors
from zhiben.dashboard.selectors import INCREMENT_DEADLINE, STOCK_DEADLINE, ZEROING_DEADLINE, Query
from zhiben.hazards.states import Channel

# --- The three targets (seed, 一、总体要求) ---------------------------------------------------------------------


@dataclass(frozen=True)
class Measure:
    key: str
    label: object
    kind: str = "int"  # int | rate (a share, shown as a percentage) | avg (a monthly average)


@dataclass(frozen=True)
class TargetText:
    code: str
    number: int
    title: object
    formula: object
    deadline: dt.date
    measured_from: dt.date  # before this day the target is not measured yet
    measures: list[Measure] = field(default_factory=list)


TARGETS = [
    TargetText(
        "stock", 1, gettext_lazy("Stock basically eliminated by the end of 2024"),
        gettext_lazy(
            "Met when no stock major hazard (found on or before 2023-12-31, Beijing time) is still open, that is "
            "registered or submitted for re-inspection but not closed out, at the end of the day. Clearance rate = "
            "stock major hazards closed out ÷ all stock major hazards known by then; void ones are left out."),
        STOCK_DEADLINE, dt.date(2000, 1, 1),
        [Measure("total", gettext_lazy("Stock major hazards")), Measure("closed", gettext_lazy("Closed out")),
         Measure("open", gettext_lazy("Still open")), Measure("rate", gettext_lazy("Clearance rate"), "rate")],
    ),
    TargetText(
        "increment", 2, gettext_lazy("Increment effectively contained by the end of 2025"),
        gettext_lazy(
            "Met when the monthly average of major hazards found in 2025 (found so far ÷ months of 2025 begun) is "
            "no higher than the monthly average of 2024 (found in 2024, as known at the end of 2024, ÷ 12), and "
            "the 2025 on-time rate is at least the target (%(target)s) or nothing was due yet. On-time "
            "rate = of the major hazards found in the year that were due (closed out, or open past their "
            "deadline), the share closed out on or before the deadline in force when closed."),
        INCREMENT_DEADLINE, dt.date(2025, 1, 1),
        [Measure("found_2024", gettext_lazy("Found in 2024")),
         Measure("monthly_2024", gettext_lazy("Monthly average, 2024"), "avg"),
         Measure("found_2025", gettext_lazy("Found in 2025")),
         Measure("monthly_2025", gettext_lazy("Monthly average, 2025"), "avg"),
         Measure("on_time_rate_2025", gettext_lazy("On-time rate, 2025"), "rate"),
         Measure("on_time_target", gettext_lazy("On-time target"), "rate")],
    ),
    TargetText(
        "zeroing", 3, gettext_lazy("Dynamic zeroing from 2026"),
        gettext_lazy(
            "Met on a day in 2026 or later when no major hazard is open past its deadline at the end of that day "
            "and no major hazard found in 2026 was closed out after its deadline."),
        ZEROING_DEADLINE, dt.date(2026, 1, 1),
        [Measure("overdue_major", gettext_lazy("Open past the deadline")),
         Measure("closed_late_2026", gettext_lazy("Found in 2026, closed late")),
         Measure("on_time_rate_2026", gettext_lazy("On-time rate, 2026"), "rate")],
    ),
]

STATUS_LABELS = {
    "met": gettext_lazy("Met"),
    "not_met": gettext_lazy("Not met"),
    "not_reached": gettext_lazy("Deadline not reached"),
    "not_started": gettext_lazy("Not measured yet"),
}
STATUS_COLOURS = {"met": "green", "not_met": "red", "not_reached": "secondary", "not_started": "secondary"}

ESCALATION_LEVELS = {
    1: gettext_lazy("Level 1 · county"),
    2: gettext_lazy("Level 2 · city"),
    3: gettext_lazy("Level 3 · province"),
}


def formula_text(text: TargetText) -> str:
    """The formula in words with the on-time target's value (a setting, CAMPAIGN_ON_TIME_TARGET) written in: users
    read "90.00%", never the setting's name."""
    return str(text.formula) % {"target": percent(settings.CAMPAIGN_ON_TIME_TARGET)}


def target_rows(targets: list[dict], as_of: dt.date) -> list[dict]:
    """The selector's targets with their words, statuses and measures side by side (on the deadline, as of)."""
    texts = {t.code: t for t in TARGETS}
    rows = []
    for target in targets:
        text = texts[target["code"]]
        on_deadline, current = target["on_deadline"], target["as_of"]
        deadline_status = "not_reached" if on_deadline is None else ("met" if on_deadline["met"] else "not_met")
        current_status = "not_started" if as_of < text.measured_from else ("met" if current["met"] else "not_met")
        rows.append({
            "code": text.code, "number": text.number, "title": str(text.title), "formula": formula_text(text),
            "deadline": text.deadline, "measured_from": text.measured_from,
            "deadline_status": deadline_status, "deadline_label": str(STATUS_LABELS[deadline_status]),
            "deadline_colour": STATUS_COLOURS[deadline_status],
            "as_of_status": current_status, "as_of_label": str(STATUS_LABELS[current_status]),
            "as_of_colour": STATUS_COLOURS[current_status],
            "measures": [{"key": m.key, "label": str(m.label), "kind": m.kind,
                          "on_deadline": on_deadline[m.key] if on_deadline is not None else None,
                          "as_of": current[m.key]} for m in text.measures],
        })
    return rows


# --- The whole dashboard of one request ---------------------------------------------------------------------


def collect(q: Query, year: int, *, regions: bool = True, rankings_limit: int = 10) -> dict:
    """Every figure the dashboard shows for `q` and `year` (monthly series, on-time rate, time to close and the
    channel mix are of `year`; everything else is as of `q.as_of`)."""
    campaign = selectors.campaign(q)
    stock, increment = campaign["stock"], campaign["increment"]
    channels = selectors.channel_mix(q, year)
    channel_total = sum(channels.values())
    trend = {row["month"]: row for row in selectors.on_time_trend(q, year)}
    monthly = []
    for row in selectors.monthly(q, year):
        point = trend.get(row["month"], {"due": 0, "on_time": 0, "rate": None})
        monthly.append({**row, "label": f"{year}-{row['month']:02d}", "due": point["due"],
                        "on_time": point["on_time"], "rate": point["rate"]})
    escalations = selectors.escalations(q)
    show_regions = regions and q.enterprise_id is None and q.project_id is None and (
        q.region is None or q.region.level != "county")
    return {
        "as_of": q.as_of,
        "year": year,
        "campaign": campaign,
        "stock_rate": selectors.ratio(stock["closed"], stock["total"]),
        "increment_rate": selectors.ratio(increment["closed"], increment["total"]),
        "targets": target_rows(selectors.targets(q), q.as_of),
        "on_time_target": settings.CAMPAIGN_ON_TIME_TARGET,
        "monthly": monthly,
        "on_time": selectors.on_time(q, year),
        "time_to_close": selectors.time_to_close(q, year),
        "channels": [{"code": code, "label": str(label), "count": channels.get(code, 0),
                      "share": selectors.ratio(channels.get(code, 0), channel_total)}
                     for code, label in Channel.choices],
        "channel_total": channel_total,
        "self_share": selectors.ratio(channels.get(Channel.SELF, 0), channel_total),
        "escalations": [{"level": level, "label": str(label), "count": int(escalations.get(str(level), 0))}
                        for level, label in ESCALATION_LEVELS.items()],
        "rankings_enterprises": [] if q.enterprise_id or q.project_id else
        selectors.rankings(q, by="enterprise", limit=rankings_limit),
        "rankings_projects": [] if q.project_id else selectors.rankings(q, by="project", limit=rankings_limit),
        "regions": selectors.by_region(q) if show_regions else None,
    }


def percent(value) -> str:
    """0.8333 → "83.33%"; None → "—"."""
    return "—" if value is None else f"{value * 100:.2f}%"


def chart_data(figures: dict) -> dict:
    """What the ECharts of the page and the screen draw (read from a json_script tag, never from inline JS)."""
    monthly = figures["monthly"]
    return {
        "labels": {
            "found": _("Found"), "closed": _("Closed out"), "on_time_rate": _("On-time rate (year to date)"),
            "target": _("Target"), "hazards": _("Major hazards"), "days": _("Days to close out"),
            "self_share": _("Self-inspection share"), "empty": _("No data"),
        },
        "months": [row["label"] for row in monthly],
        "monthly": {"found": [row["found"] for row in monthly], "closed": [row["closed"] for row in monthly]},
        "on_time": {"rate": [None if row["rate"] is None else round(row["rate"] * 100, 2) for row in monthly],
                    "target": round(figures["on_time_target"] * 100, 2)},
        "channels": [{"name": row["label"], "value": row["count"], "code": row["code"]}
                     for row in figures["channels"]],
        "escalations": {"categories": [row["label"] for row in figures["escalations"]],
                        "values": [row["count"] for row in figures["escalations"]]},
        "time_to_close": {"categories": [b["label"] for b in figures["time_to_close"]["buckets"]],
                          "values": [b["count"] for b in figures["time_to_close"]["buckets"]]},
    }
