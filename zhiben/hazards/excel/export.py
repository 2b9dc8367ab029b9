"""Excel export of the hazard list: the same FilterSet over the same scoped selector as the list page (and the
API), so the file holds exactly the filtered list the user was looking at, in its order.

Rows are read with `values()` (the project, enterprise, region, standard item and duplicate joined in) through
one streaming cursor, and written with openpyxl's write-only mode to a temporary file: a fixed number of queries
and bounded memory, however many hazards match.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext, pgettext_lazy

from zhiben.core.excel.columns import Column
from zhiben.core.excel.workbooks import cell_value, write_table
from zhiben.core.timeutils import BEIJING, beijing_today
from zhiben.hazards import selectors
from zhiben.hazards.filters import HazardFilter
from zhiben.hazards.states import LIVE, Channel, Level, Status
from zhiben.registry.selectors import enterprises_visible_to, projects_visible_to, regions_visible_to

FIELDS = (
    "code", "project__name", "enterprise__name", "region__name", "channel", "level", "standard_item__code",
    "standard_item__text", "standard_item__standard__title", "standard_item__standard__version", "description",
    "location", "found_at", "deadline", "status", "is_stock", "escalation_level", "closed_at", "duplicate_of__code",
)


def _local(moment: dt.datetime | None) -> dt.datetime | None:
    """A stored (UTC) time as Beijing wall-clock time, to the minute: Excel cells have no time zone."""
    if moment is None:
        return None
    return moment.astimezone(BEIJING).replace(tzinfo=None, second=0, microsecond=0)


def _standard(row: dict) -> str:
    if not row["standard_item__code"]:
        return ""
    return (f"{row['standard_item__standard__title']}（{row['standard_item__standard__version']}） "
            f"{row['standard_item__code']} {row['standard_item__text']}")


def _stock(row: dict) -> str:
    # Translators: a cell of the hazard export (存量 / 增量)
    return pgettext("hazard export", "Stock") if row["is_stock"] else pgettext("hazard export", "Increment")


def _overdue_days(row: dict, today: dt.date) -> int | None:
    if row["status"] in LIVE and today > row["deadline"]:
        return (today - row["deadline"]).days
    return None


def columns(today: dt.date) -> list[Column]:
    return [
        # Translators: Excel column header of the hazard export (隐患编号)
        Column("code", pgettext_lazy("hazard export", "Code"), importable=False, width=22),
        # Translators: Excel column header of the hazard export (项目名称)
        Column("project__name", pgettext_lazy("hazard export", "Project"), importable=False, width=30),
        # Translators: Excel column header of the hazard export (施工单位)
        Column("enterprise__name", pgettext_lazy("hazard export", "Enterprise"), importable=False, width=30),
        # Translators: Excel column header of the hazard export (所属区域)
        Column("region__name", pgettext_lazy("hazard export", "Region"), importable=False, width=12),
        # Translators: Excel column header of the hazard export (发现渠道)
        Column("channel", pgettext_lazy("hazard export", "Channel"), importable=False, choices=Channel.choices,
               width=16),
        # Translators: Excel column header of the hazard export (隐患等级)
        Column("level", pgettext_lazy("hazard export", "Level"), importable=False, choices=Level.choices, width=12),
        # Translators: Excel column header of the hazard export (判定标准（版本、条目编号、条文）)
        Column("standard", pgettext_lazy("hazard export", "Standard (version, item, text)"), importable=False,
               export=_standard, width=50),
        # Translators: Excel column header of the hazard export (隐患描述)
        Column("description", pgettext_lazy("hazard export", "Description"), importable=False, width=40),
        # Translators: Excel column header of the hazard export (隐患部位)
        Column("location", pgettext_lazy("hazard export", "Location on site"), importable=False, width=20),
        # Translators: Excel column header of the hazard export (发现时间（北京时间）)
        Column("found_at", pgettext_lazy("hazard export", "Found at (Beijing time)"), importable=False,
               export=lambda r: _local(r["found_at"]), width=17),
        # Translators: Excel column header of the hazard export (整改期限)
        Column("deadline", pgettext_lazy("hazard export", "Deadline"), importable=False, width=12),
        # Translators: Excel column header of the hazard export (状态)
        Column("status", pgettext_lazy("hazard export", "Status"), importable=False, choices=Status.choices,
               width=14),
        # Translators: Excel column header of the hazard export (存量/增量)
        Column("is_stock", pgettext_lazy("hazard export", "Stock / increment"), importable=False, export=_stock,
               width=10),
        # Translators: Excel column header of the hazard export (逾期天数)
        Column("overdue", pgettext_lazy("hazard export", "Overdue (days)"), importable=False,
               export=lambda r: _overdue_days(r, today), width=10),
        # Translators: Excel column header of the hazard export (挂牌督办级别)
        Column("escalation_level", pgettext_lazy("hazard export", "Escalation level"), importable=False, width=10),
        # Translators: Excel column header of the hazard export (销号时间（北京时间）)
        Column("closed_at", pgettext_lazy("hazard export", "Closed at (Beijing time)"), importable=False,
               export=lambda r: _local(r["closed_at"]), width=17),
        # Translators: Excel column header of the hazard export (重复于)
        Column("duplicate_of__code", pgettext_lazy("hazard export", "Duplicate of"), importable=False, width=22),
    ]


def filtered(*, user, params) -> HazardFilter:
    """The list's FilterSet over the caller's hazards; invalid filters raise ValidationError rather than being
    ignored, which would export more than the list shows."""
    filterset = HazardFilter(params, queryset=selectors.hazard_list(user))
    if not filterset.is_valid():
        raise ValidationError({k: [str(m) for m in v] for k, v in filterset.errors.items()})
    return filterset


# Labels that read better in the title than the FilterSet's (which serve the API's documentation too).
LABELS = {
    # Translators: a filter named in the title of the hazard export (区域)
    "region": pgettext_lazy("hazard export", "Region"),
}


def _choice_label(filterset: HazardFilter, name: str, value) -> str:
    choices = {str(k): str(v) for k, v in filterset.form.fields[name].choices}
    if isinstance(value, list | tuple):
        return "、".join(choices.get(str(v), str(v)) for v in value)
    return choices.get(str(value), str(value))


def filter_description(filterset: HazardFilter, user) -> str:
    """The filters applied, as the user reads them (labels, names), e.g. “状态：整改中；区域：交城县”."""
    parts = []
    for name, value in filterset.form.cleaned_data.items():
        if value in (None, "", []):
            continue
        field = filterset.form.fields[name]
        label = str(LABELS.get(name) or filterset.filters[name].label or name)
        if name == "region":
            region = regions_visible_to(user).filter(code=int(value)).first()
            shown = region.name if region else str(int(value))
        elif name in {"enterprise", "project"}:
            source = enterprises_visible_to(user) if name == "enterprise" else projects_visible_to(user)
            found = source.filter(pk=int(value)).values_list("name", flat=True).first()
            shown = found or f"#{int(value)}"
        elif hasattr(field, "choices"):
            shown = _choice_label(filterset, name, value)
        elif isinstance(value, dt.date):
            shown = value.isoformat()
        else:
            shown = str(value)
        parts.append(f"{label}：{shown}")
    return "；".join(parts) if parts else _("none (every hazard you may see)")


def _records(filterset: HazardFilter, cols: list[Column]) -> Iterator[list[Any]]:
    for row in filterset.qs.values(*FIELDS).iterator(chunk_size=2000):
        yield [cell_value(column, column.export(row) if column.export else row[column.field]) for column in cols]


def export_file(fh: IO[bytes], *, user, params) -> int:
    """Write the filtered list to `fh` as .xlsx; returns the number of hazards written. Raises ValidationError
    for invalid filters."""
    filterset = filtered(user=user, params=params)
    today = beijing_today()
    cols = columns(today)
    now = _local(timezone.now())
    title = pgettext("hazard export", "Hazard ledger")
    preamble = [
        title,
        _("Filters: %(filters)s") % {"filters": filter_description(filterset, user)},
        _("Exported at %(time)s (Beijing time) by %(user)s") % {"time": f"{now:%Y-%m-%d %H:%M}",
                                                                "user": str(user)},
    ]
    index = {column.field: i for i, column in enumerate(cols)}
    return write_table(
        fh, title=title, headers=[c.header_text() for c in cols], rows=_records(filterset, cols),
        widths=[c.width for c in cols], preamble=preamble, date_columns=[index["deadline"]],
        datetime_columns=[index["found_at"], index["closed_at"]],
    )
