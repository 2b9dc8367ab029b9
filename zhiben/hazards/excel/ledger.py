"""The hazard ledger as an import kind: the columns of an older ledger (the bureau's 2023 stock), the checks
of every row, and the write of each row through `services.hazard_import`.

Validation asks the service itself: after the cells, the references (projects within the caller's scope,
standard items in force on the day found) and duplicates are checked for the whole file, every remaining row is
registered through `hazard_import` in a transaction that is then rolled back (a dry run), so a file is accepted
exactly when the service would accept each of its rows. The write then runs every row through the same service
in one transaction.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext, pgettext_lazy

from zhiben.core.errors import DomainError
from zhiben.core.excel import columns as c
from zhiben.core.excel.importer import ImportFailed, error_entry, service_errors
from zhiben.core.excel.kinds import ImportContext, Kind, Row
from zhiben.core.timeutils import BEIJING, beijing_today
from zhiben.hazards import bulk, services
from zhiben.hazards.models import Hazard
from zhiben.hazards.states import Channel, Level, Status
from zhiben.registry.selectors import projects_visible_to
from zhiben.standards.models import Standard, StandardItem
from zhiben.standards.selectors import in_force_q, items_in_force, standards_visible_to

IMPORTERS = frozenset({"regulator_admin", "inspector", "platform"})
# From this many rows a file is checked and written in batches (hazards/bulk.py), not row by row through the
# service: the same checks and records, minutes instead of hours for a county's 10^5-row ledger.
BULK_FROM = 200
MAX_ID = 2**63 - 1

# The short labels of the template's dropdowns; the ledgers' usual spellings are accepted too (ALIASES).
CHANNELS = [
    # Translators: a channel in the hazard ledger template (自查)
    (Channel.SELF, pgettext_lazy("hazard ledger", "Self-inspection")),
    # Translators: a channel in the hazard ledger template (督导检查)
    (Channel.INSPECTION, pgettext_lazy("hazard ledger", "Supervisory inspection")),
    # Translators: a channel in the hazard ledger template (群众举报)
    (Channel.REPORT, pgettext_lazy("hazard ledger", "Public report")),
    # Translators: a channel in the hazard ledger template (智慧工地)
    (Channel.ALARM, pgettext_lazy("hazard ledger", "Smart site")),
]
LEVELS = [
    # Translators: a hazard level in the hazard ledger template (重大)
    (Level.MAJOR, pgettext_lazy("hazard ledger", "Major")),
    # Translators: a hazard level in the hazard ledger template (一般)
    (Level.GENERAL, pgettext_lazy("hazard ledger", "General")),
]
STATUSES = [
    # Translators: a status in the hazard ledger template (整改中)
    (Status.OPEN, pgettext_lazy("hazard ledger", "Being rectified")),
    # Translators: a status in the hazard ledger template (已提交)
    (Status.SUBMITTED, pgettext_lazy("hazard ledger", "Submitted")),
    # Translators: a status in the hazard ledger template (已销号)
    (Status.CLOSED, pgettext_lazy("hazard ledger", "Closed out")),
    # Translators: a status in the hazard ledger template (已作废)
    (Status.VOID, pgettext_lazy("hazard ledger", "Void")),
]
# Spellings found in the county's and enterprises' own ledgers (data, not UI text), and the model's labels.
ALIASES = {
    "channel": {"自查": "self", "企业自查": "self", "自查上报": "self", "督导检查": "inspection",
                "监督检查": "inspection", "执法检查": "inspection", "检查": "inspection", "督导检查发现": "inspection",
                "群众举报": "report", "举报": "report", "群众举报查实": "report", "举报查实": "report",
                "智慧工地": "alarm", "智慧工地报警": "alarm", "报警": "alarm",
                **{str(label): code for code, label in Channel.choices}},
    "level": {"重大": "major", "重大隐患": "major", "重大事故隐患": "major", "一般": "general", "一般隐患": "general",
              **{str(label): code for code, label in Level.choices}},
    "status": {"整改中": "open", "未整改": "open", "待整改": "open", "已提交": "submitted", "待复查": "submitted",
               "已销号": "closed", "销号": "closed", "已闭环": "closed", "已整改": "closed", "整改完成": "closed",
               "已完成": "closed", "未销号": "open", "正在整改": "open", "已作废": "void", "作废": "void",
               **{str(label): code for code, label in Status.choices}},
}


# Headers of the columns in bureaus' and enterprises' own ledgers (data, not UI text): accepted on import like
# the template's headers. Compared without spaces, case, a trailing colon or a trailing note in brackets.
SYNONYMS: dict[str, tuple[str, ...]] = {
    "project": ("工程名称", "项目名称", "工程项目", "工程项目名称", "项目", "工程", "在建项目", "项目名称或编号",
                "受检项目", "检查项目"),
    "channel": ("来源", "隐患来源", "发现渠道", "发现方式", "检查方式", "检查类型", "渠道"),
    "level": ("等级", "级别", "隐患级别", "隐患等级", "隐患类别", "隐患类型"),
    "standard_item": ("判定标准条目", "判定条款", "判定依据", "判定标准条款", "判定依据条款", "标准条款",
                      "条目编号", "条款编号"),
    "description": ("隐患内容", "隐患描述", "隐患情况", "隐患名称", "存在问题", "存在的问题", "问题描述",
                    "主要问题", "隐患问题", "隐患具体内容", "检查发现问题"),
    "location": ("部位", "隐患部位", "具体部位", "隐患位置", "位置", "所在部位"),
    "found_at": ("发现日期", "发现时间", "检查日期", "检查时间", "排查日期", "排查时间", "录入日期", "上报日期",
                 "上报时间", "日期"),
    "deadline": ("整改时限", "整改期限", "整改日期", "整改截止日期", "整改完成时限", "整改时间要求", "限期",
                 "限改日期", "要求完成时间", "要求整改时间"),
    "status": ("状态", "整改状态", "整改情况", "隐患状态", "是否整改", "是否销号", "销号情况"),
    "status_at": ("销号时间", "销号日期", "整改完成时间", "整改完成日期", "完成日期", "闭环日期", "状态日期"),
    "escalation_level": ("挂牌督办", "督办级别", "挂牌督办级别", "挂牌级别"),
    "note": ("备注", "说明", "其他"),
    "source_ref": ("原台账编号", "隐患编号", "台账编号", "编号", "原编号"),
}


def _aliases(name: str) -> dict[str, str]:
    return ALIASES[name]


def beijing_moment(value: dt.date | dt.datetime, *, before_now: bool = False) -> dt.datetime:
    """A ledger's date or date-time as an aware Beijing time. A date alone is read as noon of that day, as the
    service does; for today that noon may not have come yet, so today's date reads as now (a minute earlier
    for the date found, so that a status of the same day never precedes it)."""
    if isinstance(value, dt.datetime):
        return value if timezone.is_aware(value) else value.replace(tzinfo=BEIJING)
    moment = dt.datetime.combine(value, dt.time(12), tzinfo=BEIJING)
    if value == beijing_today():
        now = timezone.now() - (dt.timedelta(minutes=1) if before_now else dt.timedelta(0))
        moment = min(moment, now)
    return moment


def _day(value) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()  # naive Beijing time from the cell
    return value


def _norm(value: Any) -> str:
    return re.sub(r"\s+", "", c.text_of(value)).lower()


class LedgerContext(ImportContext):
    """Look-ups for one file, scoped to the caller and cached: projects, and standard items by code and day."""

    def __init__(self, actor):
        super().__init__(actor)
        self._items: dict[tuple[str, dt.date, int], list[StandardItem]] = {}

    def projects(self, values) -> tuple[dict[int, Any], dict[str, list[Any]]]:
        ids, names = set(), set()
        for value in values:
            text = c.text_of(value)
            names.add(text)
            if text.isdigit() and 1 <= int(text) <= MAX_ID:
                ids.add(int(text))
        by_id: dict[int, Any] = {}
        by_name: dict[str, list[Any]] = defaultdict(list)
        if ids or names:
            qs = (projects_visible_to(self.actor).filter(Q(pk__in=ids) | Q(name__in=names))
                  .select_related("contractor").order_by("id"))
            for project in qs:
                by_id[project.pk] = project
                by_name[project.name].append(project)
        return by_id, by_name

    def items_in_force(self, code: str, day: dt.date, region: int) -> list[StandardItem]:
        key = (code, day, region)
        if key not in self._items:
            self._items[key] = list(items_in_force(self.actor, day, region=region).filter(code=code)[:3])
        return self._items[key]

    def explain_missing_item(self, code: str, day: dt.date, region: int) -> str:
        """Why no item `code` can be used for a hazard found on `day`: the item belongs to a version that was not
        in force then (name that version and the one in force), or no such item exists."""
        other = (StandardItem.objects.visible_to(self.actor)
                 .filter(code=code, standard__status=Standard.Status.PUBLISHED)
                 .select_related("standard").order_by("-standard__effective_from").first())
        if other is None:
            return _("No item with the code “%(code)s” was found in the standards library.") % {"code": code[:40]}
        standard = other.standard
        current = (standards_visible_to(self.actor).filter(in_force_q(day), code=standard.code)
                   .filter(Q(region__isnull=True) | Q(region_id__in=applicable_regions(region)))
                   .order_by("-region_id").first())  # a regional version supersedes the national one
        values = {"code": code[:40], "standard": standard.title, "version": standard.version,
                  "day": day.isoformat()}
        if current is None:
            return _("Item “%(code)s” belongs to version %(version)s of %(standard)s, and no version of that standard "
                     "was in force on %(day)s.") % values
        if current.pk == standard.pk:
            return _("Item “%(code)s” of version %(version)s of %(standard)s cannot be chosen for a hazard.") % values
        return _("Item “%(code)s” belongs to version %(version)s of %(standard)s, which was not in force on "
                 "%(day)s; the version in force then was %(current)s: use its item codes.") % {
            **values, "current": current.version}


def applicable_regions(code: int) -> list[int]:
    """A division code with its city's and its province's (GB/T 2260): the regions whose standards apply."""
    return sorted({code, code - code % 100, code - code % 10000})


class _DryRun(Exception):
    """Raised at the end of a dry run so that its transaction rolls back."""


class LedgerKind(Kind):
    """Hazards of an older ledger, one per row, each registered with its historical status."""

    code = "hazards"
    label = pgettext_lazy("hazard ledger", "Hazard ledger")
    import_scopes = frozenset({"all", "region"})
    key_fields = ("project", "description", "found_at")
    duplicate_field = "description"
    context_class = LedgerContext
    outcomes = ("created",)
    checks_rows = True
    columns = [
        # Translators: Excel column header of the hazard ledger (项目名称或项目编号)
        c.Column("project", pgettext_lazy("hazard ledger", "Project"), c.text(160), required=True, width=30,
                 help=pgettext_lazy("hazard ledger", "The project's name as registered, or its id; it must be in "
                                    "your region")),
        # Translators: Excel column header of the hazard ledger (发现渠道)
        c.Column("channel", pgettext_lazy("hazard ledger", "Channel"),
                 c.choice(CHANNELS, _aliases("channel")), required=True, choices=CHANNELS, width=14),
        # Translators: Excel column header of the hazard ledger (隐患等级)
        c.Column("level", pgettext_lazy("hazard ledger", "Hazard level"), c.choice(LEVELS, _aliases("level")),
                 required=True, choices=LEVELS, width=10),
        # Translators: Excel column header of the hazard ledger (判定标准条目编号)
        c.Column("standard_item", pgettext_lazy("hazard ledger", "Standard item code"), c.text(32), width=16,
                 text_format=True,
                 help=pgettext_lazy("hazard ledger", "The item's code in the standards library, such as 2022-4.1; "
                                    "it must belong to the version in force on the date found (the 2022 "
                                    "determination standard until 2024-12-12, the 2024 one from 2024-12-13)")),
        # Translators: Excel column header of the hazard ledger (隐患描述)
        c.Column("description", pgettext_lazy("hazard ledger", "Hazard description"), c.text(2000),
                 required=True, width=40),
        # Translators: Excel column header of the hazard ledger (隐患部位)
        c.Column("location", pgettext_lazy("hazard ledger", "Location on site"), c.text(200), width=20),
        # Translators: Excel column header of the hazard ledger (发现日期)
        c.Column("found_at", pgettext_lazy("hazard ledger", "Date found"), c.date_or_datetime, required=True,
                 width=18,
                 help=pgettext_lazy("hazard ledger", "A date such as 2023-08-01, or a date and time such as "
                                    "2023-08-01 14:30 (Beijing time); a past date is allowed, a future one is not")),
        # Translators: Excel column header of the hazard ledger (整改期限)
        c.Column("deadline", pgettext_lazy("hazard ledger", "Rectification deadline"), c.date, width=14,
                 help=pgettext_lazy("hazard ledger", "On or after the date found; empty: the default period for the "
                                    "hazard's level")),
        # Translators: Excel column header of the hazard ledger (整改状态)
        c.Column("status", pgettext_lazy("hazard ledger", "Status"), c.choice(STATUSES, _aliases("status")),
                 choices=STATUSES, width=12,
                 help=pgettext_lazy("hazard ledger", "Empty: being rectified")),
        # Translators: Excel column header of the hazard ledger (状态日期，即销号、作废或提交日期)
        c.Column("status_at", pgettext_lazy("hazard ledger", "Status date"), c.date_or_datetime, width=18,
                 help=pgettext_lazy("hazard ledger", "The date the hazard was closed out, voided or submitted; "
                                    "required for those statuses, not before the date found")),
        # Translators: Excel column header of the hazard ledger (挂牌督办级别)
        c.Column("escalation_level", pgettext_lazy("hazard ledger", "Escalation level"), c.integer(0, 3), width=10,
                 help=pgettext_lazy("hazard ledger", "0 none, 1 escalated by the county, 2 by the city, 3 by the "
                                    "province; kept only for hazards still being rectified or submitted")),
        # Translators: Excel column header of the hazard ledger (备注)
        c.Column("note", pgettext_lazy("hazard ledger", "Note"), c.text(500), width=24),
        # Translators: Excel column header of the hazard ledger (原台账编号)
        c.Column("source_ref", pgettext_lazy("hazard ledger", "Old ledger number"), c.text(64), width=14,
                 text_format=True,
                 help=pgettext_lazy("hazard ledger", "The hazard's number in the old ledger; a number already "
                                    "imported for the same project is refused")),
    ]

    columns = c.with_synonyms(columns, SYNONYMS)

    # --- checks -----------------------------------------------------------------------------------------
    def key(self, row: Row) -> tuple | None:
        project, description, found = (row.values.get(f) for f in self.key_fields)
        if not project or not description or not found:
            return None
        return _norm(project), _norm(description), _day(found)

    def duplicate_message(self, first: int) -> str:
        return _("Same hazard as row %(row)s (same project, description and date found): each hazard may appear "
                 "only once in a file.") % {"row": first}

    def clean_row(self, row: Row, ctx: ImportContext) -> None:
        if not row.values.get("status") and row.values.get("status_at") and not row.has_error("status"):
            row.values["status"] = Status.CLOSED  # a ledger giving only 销号时间 says the hazard was closed out
        found, status = _day(row.values.get("found_at")), row.values.get("status") or Status.OPEN
        if found and found > beijing_today():
            row.error("found_at", _("The date found cannot be in the future."))
        deadline = row.values.get("deadline")
        if found and deadline and deadline < found:
            row.error("deadline", _("The deadline cannot be before the day the hazard was found."))
        status_day = _day(row.values.get("status_at"))
        if status != Status.OPEN and not status_day:
            row.error("status_at", _("Give the date of the status (closed, voided or submitted)."))
        if found and status_day and status != Status.OPEN and status_day < found:
            row.error("status_at", _("The status date cannot be before the day found."))

    def resolve(self, rows: list[Row], ctx: LedgerContext) -> None:  # type: ignore[override]
        by_id, by_name = ctx.projects(r.values["project"] for r in rows)
        for row in rows:
            project = self._project(row, by_id, by_name)
            if project is None:
                continue
            row.refs["project"] = project
            code = row.values.get("standard_item")
            if code:
                day = _day(row.values["found_at"])
                items = ctx.items_in_force(code, day, project.region_id)
                if len(items) == 1:
                    row.refs["standard_item"] = items[0]
                elif items:
                    row.error("standard_item", _("Several standards in force have an item “%(code)s”.") % {
                        "code": code[:40]})
                else:
                    row.error("standard_item", ctx.explain_missing_item(code, day, project.region_id))
        self._check_duplicates([r for r in rows if not r.errors], ctx)

    @staticmethod
    def _project(row: Row, by_id: dict, by_name: dict):
        value = row.values["project"]
        if value.isdigit() and int(value) in by_id:
            return by_id[int(value)]
        matches = by_name.get(value, [])
        if len(matches) == 1:
            return matches[0]
        if matches:
            row.error("project", _("Several projects in your scope are named “%(name)s”; write the project's id "
                                   "instead.") % {"name": value[:60]})
        else:
            row.error("project", _("No project “%(name)s” was found in your scope.") % {"name": value[:60]})
        return None

    def _check_duplicates(self, rows: list[Row], ctx: LedgerContext) -> None:
        """A row naming a project by id and another by name are the same hazard too; and a hazard the ledger
        already holds (same old ledger number, or same description and day) is not imported twice."""
        first_seen: dict[tuple, int] = {}
        for row in rows:
            key = (row.refs["project"].pk, _norm(row.values["description"]), _day(row.values["found_at"]))
            if key in first_seen:
                row.error("description", self.duplicate_message(first_seen[key]))
            else:
                first_seen[key] = row.number
        if not rows:
            return
        project_ids = {r.refs["project"].pk for r in rows}
        refs = {r.values["source_ref"] for r in rows if r.values.get("source_ref")}
        days = {_day(r.values["found_at"]) for r in rows}
        existing = (Hazard.objects.visible_to(ctx.actor).filter(project_id__in=project_ids)
                    .filter(Q(source_ref__in=refs) | Q(found_on__in=days))
                    .values_list("project_id", "source_ref", "found_on", "description", "code"))
        by_ref, by_text = {}, {}
        for project_id, source_ref, found_on, description, code in existing:
            if source_ref:
                by_ref.setdefault((project_id, source_ref), code)
            by_text.setdefault((project_id, _norm(description), found_on), code)
        for row in rows:
            project_id = row.refs["project"].pk
            ref = row.values.get("source_ref")
            if ref and (project_id, ref) in by_ref:
                row.error("source_ref", _("Old ledger number %(ref)s of this project is already in the ledger as "
                                          "%(code)s.") % {"ref": ref[:64], "code": by_ref[(project_id, ref)]})
                continue
            code = by_text.get((project_id, _norm(row.values["description"]), _day(row.values["found_at"])))
            if code:
                row.error("description", _("This hazard is already in the ledger as %(code)s (same project, "
                                           "description and date found).") % {"code": code})

    def check_rows(self, rows: list[Row], ctx: ImportContext, *, progress=None, every: int = 200) -> None:
        """A dry run of `services.hazard_import` for each row, each in its own transaction rolled back at once
        (short transactions: no lock is held across rows); for a large file, the checks of
        `bulk.hazard_import_many` (the same checks, without a query per row)."""
        if self.in_bulk(rows):
            entries = {row.number: row for row in rows}
            prepared = []
            for index, row in enumerate(rows, start=1):
                prepared.append(self.entry(row, ctx))
                if progress and index % every == 0:
                    progress(index)
            for entry in bulk.check_many(actor=ctx.actor, entries=prepared):
                for field_name, message in service_errors(self, ValidationError(entry.errors)):
                    entries[entry.number].error(field_name, message)
            return
        for index, row in enumerate(rows, start=1):
            try:
                with transaction.atomic():
                    services.hazard_import(**self.service_kwargs(row, ctx))
                    raise _DryRun
            except _DryRun:
                pass
            except (ValidationError, DomainError, IntegrityError) as exc:
                for field_name, message in service_errors(self, exc):
                    row.error(field_name, message)
            if progress and index % every == 0:
                progress(index)

    # --- writing ----------------------------------------------------------------------------------------
    def service_kwargs(self, row: Row, ctx: ImportContext) -> dict[str, Any]:
        values = row.values
        item = row.refs.get("standard_item")
        status = values.get("status") or Status.OPEN
        status_at = values.get("status_at")
        return {
            "actor": ctx.actor, "project_id": row.refs["project"].pk, "channel": values["channel"],
            "level": values["level"], "description": values["description"], "location": values.get("location") or "",
            "standard_item_id": item.pk if item is not None else None,
            "found_at": beijing_moment(values["found_at"], before_now=True), "deadline": values.get("deadline"),
            "status": status,
            "status_at": beijing_moment(status_at) if status_at and status != Status.OPEN else None,
            "escalation_level": values.get("escalation_level") or 0, "note": values.get("note") or "",
            "source_ref": values.get("source_ref") or "",
        }

    @staticmethod
    def in_bulk(rows: list[Row]) -> bool:
        return len(rows) >= BULK_FROM

    def entry(self, row: Row, ctx: ImportContext) -> bulk.Entry:
        kwargs = self.service_kwargs(row, ctx)
        return bulk.Entry(
            number=row.number, project=row.refs["project"], item=row.refs.get("standard_item"),
            **{k: kwargs[k] for k in ("channel", "level", "description", "found_at", "location", "deadline",
                                      "status", "status_at", "escalation_level", "note", "source_ref")})

    def write_many(self, rows: list[Row], ctx: ImportContext) -> dict[str, int] | None:
        """A large file in batches (hazards/bulk.py); None: row by row through `services.hazard_import`."""
        if not self.in_bulk(rows):
            return None
        try:
            created = bulk.hazard_import_many(actor=ctx.actor, entries=[self.entry(row, ctx) for row in rows])
        except bulk.BulkInvalid as exc:  # checked already: only data changed meanwhile gets here
            raise ImportFailed([error_entry(None, self, entry.number, f, m) for entry in exc.entries
                                for f, m in service_errors(self, ValidationError(entry.errors))]) from exc
        return {"created": created}

    def write(self, row: Row, ctx: ImportContext) -> str:
        services.hazard_import(**self.service_kwargs(row, ctx))
        return "created"

    def writing(self):
        """An old ledger reaches back into stored past days: their closing tallies are adjusted once, summed over
        the whole file, when the last row is written (decision 0012)."""
        from zhiben.hazards import snapshots

        return snapshots.deferred()

    # --- the template -----------------------------------------------------------------------------------
    def example_rows(self) -> list[dict[str, Any]]:
        return [{
            "project": pgettext("hazard ledger example", "(Example) Building 1 of a residential project"),
            "channel": Channel.INSPECTION, "level": Level.MAJOR, "standard_item": "2022-4.3",
            "description": pgettext("hazard ledger example", "(Example) Tower crane driver working without a "
                                    "special-operations certificate"),
            "location": pgettext("hazard ledger example", "(Example) Tower crane No. 2"),
            "found_at": dt.date(2023, 8, 1), "deadline": dt.date(2023, 8, 20), "status": Status.CLOSED,
            "status_at": dt.date(2023, 8, 18), "escalation_level": 0,
            "note": pgettext("hazard ledger example", "(Example) Closed after re-inspection"),
            "source_ref": "2023-001",
        }]

    def is_example(self, raw: dict[str, Any]) -> bool:
        if super().is_example(raw):
            return True
        with translation.override("en"):  # a template downloaded in English
            return super().is_example(raw)

    def template_notes(self) -> list[str]:
        return [
            _("Fill in one hazard per row, starting on row 2 of the first sheet; keep the header row unchanged."),
            _("Dates are written as 2023-08-01, or with a time as 2023-08-01 14:30 (Beijing time). A hazard may "
              "have been found long ago, but not in the future; hazards found on or before 2023-12-31 count as "
              "stock."),
            _("A closed, void or submitted hazard needs its status date: the history then records both when each "
              "step took effect (the ledger's dates) and when it was recorded (the import)."),
            _("Every row is checked exactly as the service checks a registration before anything is saved: if one "
              "row is wrong, nothing is imported and the error report shows each wrong cell."),
        ]


LEDGER = LedgerKind()


def can_import(user) -> bool:
    """Only regulators import hazard ledgers: regulator admins, inspectors and platform administrators."""
    from zhiben.core.scoping import scope_of

    return bool(user and user.is_authenticated and user.is_active and services.role_of(user) in IMPORTERS
                and scope_of(user).kind in LEDGER.import_scopes)
