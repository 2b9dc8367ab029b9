"""Persons and their employment (人员及用工): one row per person and employer/project.

A new resident ID registers the person (实名制); a known one records or updates the employment. Enterprise users
import for their own enterprise and project users for their own project, the employer defaulting to theirs.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Prefetch
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from zhiben.core.masking import mask_id_number, mask_phone
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
    resolve_project,
)
from zhiben.registry.filters import PersonFilter
from zhiben.registry.models import Employment, Person


@dataclass(frozen=True)
class PersonRecord:
    """An exported row: a person with one of their employments visible to the exporter (or none)."""

    person: Person
    employment: Employment | None


def _emp(attr):
    def get(record: PersonRecord):
        return getattr(record.employment, attr) if record.employment else None

    return get


class PersonKind(Kind):
    code = "persons"
    label = gettext_lazy("Persons and employment")
    key_fields = ("id_number", "enterprise_uscc", "project_name")
    import_scopes = frozenset({"all", "region", "enterprise", "project"})
    filterset_class = PersonFilter
    columns = [
        # Translators: Excel column header (姓名)
        c.Column("name", pgettext_lazy("person", "Name"), c.text(64), required=True, width=12,
                 export=lambda r: r.person.name),
        # Translators: Excel column header (身份证号)
        c.Column("id_number", gettext_lazy("Resident ID number"), c.id_number, required=True, text_format=True,
                 width=22, sensitive=mask_id_number, help=gettext_lazy("18 characters, check digit verified"),
                 export=lambda r: r.person.id_number),
        # Translators: Excel column header (手机号码)
        c.Column("phone", gettext_lazy("Mobile phone"), c.phone, text_format=True, width=14, sensitive=mask_phone,
                 export=lambda r: r.person.phone),
        # Translators: Excel column header (登记地行政区划代码)
        c.Column("region", gettext_lazy("Division code of registration"), region_parser, width=14,
                 help=gettext_lazy("Optional; the employer's region when empty"),
                 export=lambda r: r.person.region_id),
        # Translators: Excel column header (用工单位统一社会信用代码)
        c.Column("enterprise_uscc", gettext_lazy("Employer's unified social credit code"), c.uscc,
                 text_format=True, width=22,
                 help=gettext_lazy("Optional for enterprise and project users: their own enterprise or the "
                                   "project's contractor"),
                 export=lambda r: r.employment.enterprise.uscc if r.employment else ""),
        # Translators: Excel column header (用工单位, exports only)
        c.Column("enterprise_name", gettext_lazy("Employer"), importable=False, width=30,
                 export=lambda r: r.employment.enterprise.name if r.employment else ""),
        # Translators: Excel column header (所在项目名称)
        c.Column("project_name", gettext_lazy("Project name"), c.text(160), width=30,
                 help=gettext_lazy("Optional; a project in your scope"),
                 export=lambda r: r.employment.project.name if r.employment and r.employment.project else ""),
        # Translators: Excel column header (用工形式)
        c.Column("employment_kind", gettext_lazy("Employment type"), c.choice(Employment.Kind.choices),
                 choices=Employment.Kind.choices, export=_emp("kind")),
        # Translators: Excel column header (岗位/工种)
        c.Column("position", gettext_lazy("Position or trade"), c.text(64), export=_emp("position")),
        # Translators: Excel column header (进场日期)
        c.Column("started", gettext_lazy("Employed from"), c.date, width=14, export=_emp("started")),
        # Translators: Excel column header (离场日期)
        c.Column("ended", gettext_lazy("Employed until"), c.date, width=14, export=_emp("ended")),
    ]
    # Headers of the same columns in enterprises' and bureaus' own spreadsheets (data, not UI text).
    columns = c.with_synonyms(columns, {
        "name": ("人员姓名", "职工姓名"),
        "id_number": ("身份证号码", "身份证", "公民身份号码", "证件号码"),
        "phone": ("手机号", "联系电话", "电话"),
        "position": ("岗位", "工种"),
        "started": ("进场时间",),
        "ended": ("离场时间",),
        "project_name": ("工程名称", "所在项目"),
    })

    def duplicate_message(self, first: int) -> str:
        return _("Same person, employer and project as row %(row)s.") % {"row": first}

    def clean_row(self, row: Row, ctx: ImportContext) -> None:
        dates_in_order(row, "started", "ended", _("The end of employment is earlier than its start."))

    def resolve(self, rows: list[Row], ctx: ImportContext) -> None:
        enterprises = ctx.enterprises_by_uscc(r.values.get("enterprise_uscc") for r in rows)
        projects = ctx.projects_by_name(r.values.get("project_name") for r in rows)
        numbers = {r.values.get("id_number") for r in rows if r.values.get("id_number")}
        known = set(Person.objects.filter(id_number__in=numbers).values_list("id_number", flat=True))
        visible = ctx.persons_by_id_number(numbers)
        names: dict[str, tuple[int, str]] = {}
        for row in rows:
            number = row.values.get("id_number")
            if number and row.values.get("name"):
                first = names.setdefault(number, (row.number, row.values["name"]))
                if first[1] != row.values["name"]:
                    row.error("name", _("Row %(row)s has the same resident ID number with another name.") % {
                        "row": first[0]})
            enterprise = None
            code = row.values.get("enterprise_uscc")
            if code:
                enterprise = enterprises.get(code)
                if enterprise is None:
                    row.error("enterprise_uscc", not_found_enterprise(code))
            project = resolve_project(row, "project_name", projects)
            if project is None and not row.present("project_name"):
                project = ctx.own_project
            if enterprise is None and not code:
                # An enterprise user's people are its own, even on a project it only takes part in.
                if ctx.scope.kind == "enterprise" or project is None:
                    enterprise = ctx.own_enterprise
                else:
                    enterprise = project.contractor
            if enterprise is not None and ctx.scope.kind == "region" and not ctx.scope.covers_region(
                    enterprise.region_id):
                row.error("enterprise_uscc", _("The employer is outside your scope; give an employer of your "
                                               "region."))
            row.refs.update(enterprise=enterprise, project=project, known=number in known)
            if number in known and number not in visible and enterprise is None and not row.has_error(
                    "enterprise_uscc"):
                row.error("id_number", _("A person with this resident ID number is already registered; give the "
                                         "employer to record the employment."))

    def write(self, row: Row, ctx: ImportContext) -> str:
        values = row.values
        enterprise, project = row.refs.get("enterprise"), row.refs.get("project")
        employment = {"kind": values.get("employment_kind") or Employment.Kind.STAFF}
        employment.update(present_values(row, ("position", "started", "ended")))
        # A number unknown at validation and not yet met in this file is new: no need to look it up again.
        seen = ctx.memo.setdefault("persons_seen", set())
        person = None
        if row.refs.get("known") or values["id_number"] in seen:
            person = Person.objects.filter(id_number=values["id_number"]).first()
        seen.add(values["id_number"])
        if person is None:
            services.person_register(
                actor=ctx.actor, name=values["name"], id_number=values["id_number"], region=values.get("region"),
                phone=values.get("phone") or "", employment_kind=employment["kind"],
                position=employment.get("position", ""), enterprise=enterprise, project=project,
                started=employment.get("started"), ended=employment.get("ended"),
            )
            return "created"
        if selectors.persons_visible_to(ctx.actor).filter(pk=person.pk).exists():
            changes = {k: v for k, v in present_values(row, ("name", "phone", "region")).items()
                       if getattr(person, k) != v}
            if changes:
                services.person_update(actor=ctx.actor, person=person, **changes)
        if enterprise is not None:
            current = (
                selectors.employments_visible_to(ctx.actor)
                .filter(person=person, enterprise=enterprise, project=project).order_by("-id").first()
            )
            if current is None:
                services.employment_save(actor=ctx.actor, person=person, enterprise=enterprise, project=project,
                                         **employment)
            else:
                if not row.present("employment_kind"):
                    employment.pop("kind")
                services.employment_save(actor=ctx.actor, employment=current, **employment)
        return "updated"

    def base_queryset(self, user):
        return selectors.persons_visible_to(user).select_related("region")

    def export_records(self, queryset, user):
        employments = selectors.employments_visible_to(user).select_related("enterprise", "project").order_by("id")
        queryset = queryset.prefetch_related(Prefetch("employments", queryset=employments, to_attr="visible_jobs"))
        for person in queryset.iterator(chunk_size=1000):
            if not person.visible_jobs:
                yield PersonRecord(person, None)
            for job in person.visible_jobs:
                yield PersonRecord(person, job)
