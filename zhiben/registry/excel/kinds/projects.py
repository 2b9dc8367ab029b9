"""Projects (工程项目): one row per project, keyed by name; a name already in your scope updates that project."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhiben.core.masking import mask_id_number
from zhiben.registry import selectors, services
from zhiben.registry.excel import columns as c
from zhiben.registry.excel.kinds.base import (
    ImportContext,
    Kind,
    Row,
    dates_in_order,
    not_found_enterprise,
    present_values,
    region_parser,
    resolve_person,
)
from zhiben.registry.filters import ProjectFilter
from zhiben.registry.models import Project, ProjectStage, ProjectStatus

PLAIN_FIELDS = ("kind", "address", "permit_no", "permit_date", "status", "stage", "contract_amount", "floor_area",
                "start_date", "planned_completion")


class ProjectKind(Kind):
    code = "projects"
    label = gettext_lazy("Projects")
    key_fields = ("name",)
    filterset_class = ProjectFilter
    columns = [
        # Translators: Excel column header (项目名称)
        c.Column("name", gettext_lazy("Project name"), c.text(160), required=True, width=32,
                 help=gettext_lazy("A name already used in your scope updates that project")),
        # Translators: Excel column header (工程类别)
        c.Column("kind", gettext_lazy("Project type"), c.choice(Project.Kind.choices),
                 choices=Project.Kind.choices),
        # Translators: Excel column header (所属行政区划代码)
        c.Column("region", gettext_lazy("Division code"), region_parser, required=True, width=14,
                 help=gettext_lazy("6-digit code such as 141122, or the region's name"),
                 export=lambda p: p.region_id),
        # Translators: Excel column header (项目地址)
        c.Column("address", gettext_lazy("Project address"), c.text(200), required=True, width=30),
        # Translators: Excel column header (施工单位统一社会信用代码)
        c.Column("contractor_uscc", gettext_lazy("Contractor's unified social credit code"), c.uscc,
                 required=True, text_format=True, width=22,
                 help=gettext_lazy("The enterprise must already be registered in your scope"),
                 export=lambda p: p.contractor.uscc),
        # Translators: Excel column header (施工单位, exports only)
        c.Column("contractor_name", gettext_lazy("Contractor"), importable=False, width=30,
                 export=lambda p: p.contractor.name),
        # Translators: Excel column header (项目负责人身份证号)
        c.Column("manager_id_number", gettext_lazy("Project manager's resident ID number"), c.id_number,
                 text_format=True, width=22, sensitive=mask_id_number,
                 help=gettext_lazy("The person must already be registered in your scope"),
                 export=lambda p: p.manager.id_number if p.manager else ""),
        # Translators: Excel column header (项目负责人姓名, exports only)
        c.Column("manager_name", gettext_lazy("Project manager"), importable=False,
                 export=lambda p: p.manager.name if p.manager else ""),
        # Translators: Excel column header (施工许可证编号)
        c.Column("permit_no", gettext_lazy("Construction permit number"), c.text(64), width=24),
        # Translators: Excel column header (施工许可日期)
        c.Column("permit_date", gettext_lazy("Construction permit date"), c.date, width=14),
        # Translators: Excel column header (项目状态)
        c.Column("status", gettext_lazy("Project status"), c.choice(ProjectStatus.choices),
                 choices=ProjectStatus.choices),
        # Translators: Excel column header (施工阶段)
        c.Column("stage", gettext_lazy("Construction stage"), c.choice(ProjectStage.choices),
                 choices=ProjectStage.choices),
        # Translators: Excel column header (合同价（万元）)
        c.Column("contract_amount", gettext_lazy("Contract amount (10k yuan)"), c.decimal(12, 2)),
        # Translators: Excel column header (建筑面积（㎡）)
        c.Column("floor_area", gettext_lazy("Floor area (m²)"), c.decimal(12, 2)),
        # Translators: Excel column header (开工日期)
        c.Column("start_date", gettext_lazy("Start date"), c.date, width=14),
        # Translators: Excel column header (计划竣工日期)
        c.Column("planned_completion", gettext_lazy("Planned completion"), c.date, width=14),
    ]
    # Headers of the same columns in enterprises' and bureaus' own spreadsheets (data, not UI text).
    columns = c.with_synonyms(columns, {
        "name": ("工程名称", "工程项目名称", "项目"),
        "address": ("工程地址", "工程地点", "建设地点"),
        "contractor_uscc": ("施工单位信用代码", "施工单位社会信用代码"),
        "permit_no": ("施工许可证号", "施工许可证"),
        "start_date": ("开工时间",),
        "planned_completion": ("竣工日期", "计划竣工时间"),
    })

    def clean_row(self, row: Row, ctx: ImportContext) -> None:
        dates_in_order(row, "start_date", "planned_completion",
                       _("The planned completion is earlier than the start date."))

    def resolve(self, rows: list[Row], ctx: ImportContext) -> None:
        projects = ctx.projects_by_name(r.values.get("name") for r in rows)
        contractors = ctx.enterprises_by_uscc(r.values.get("contractor_uscc") for r in rows)
        managers = ctx.persons_by_id_number(r.values.get("manager_id_number") for r in rows)
        banned = ctx.banned_person_ids(managers.values())
        for row in rows:
            matches = projects.get(row.values.get("name") or "", [])
            if len(matches) > 1:
                row.error("name", _("Several projects in your scope are named “%(name)s”; give them distinct "
                                    "names first.") % {"name": row.values["name"][:60]})
            elif matches:
                row.refs["existing"] = matches[0]
            code = row.values.get("contractor_uscc")
            if code:
                row.refs["contractor"] = contractors.get(code)
                if row.refs["contractor"] is None:
                    row.error("contractor_uscc", not_found_enterprise(code))
            row.refs["manager"] = resolve_person(row, "manager_id_number", managers, banned)

    def write(self, row: Row, ctx: ImportContext) -> str:
        existing = row.refs.get("existing")
        data = present_values(row, PLAIN_FIELDS)
        data["region"] = row.values["region"]
        data["contractor"] = row.refs["contractor"]
        if existing is None:
            data["name"] = row.values["name"]
        if row.refs.get("manager") is not None:
            data["manager"] = row.refs["manager"]
        services.project_save(actor=ctx.actor, project=existing, **data)
        return "updated" if existing else "created"

    def base_queryset(self, user):
        return selectors.project_list(user)
