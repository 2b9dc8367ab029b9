"""Enterprises (企业): one row per enterprise, keyed by USCC; a USCC already in your scope updates it."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhiben.core.masking import mask_id_number, mask_phone
from zhiben.registry import selectors, services
from zhiben.registry.excel import columns as c
from zhiben.registry.excel.kinds.base import (
    ImportContext,
    Kind,
    Row,
    dates_in_order,
    present_values,
    region_parser,
    resolve_person,
)
from zhiben.registry.filters import EnterpriseFilter
from zhiben.registry.models import Enterprise, StandardizationLevel

PLAIN_FIELDS = ("name", "address", "legal_representative", "phone", "safety_licence_no", "safety_licence_issued",
                "safety_licence_expires", "standardization_level")


def _name(person) -> str:
    return person.name if person else ""


class EnterpriseKind(Kind):
    code = "enterprises"
    label = gettext_lazy("Enterprises")
    key_fields = ("uscc",)
    filterset_class = EnterpriseFilter
    columns = [
        # Translators: Excel column header (企业名称)
        c.Column("name", gettext_lazy("Enterprise name"), c.text(128), required=True, width=30),
        # Translators: Excel column header (统一社会信用代码)
        c.Column("uscc", gettext_lazy("Unified social credit code"), c.uscc, required=True, text_format=True,
                 width=22, help=gettext_lazy("18 characters, check character verified")),
        # Translators: Excel column header (所属行政区划代码)
        c.Column("region", gettext_lazy("Division code"), region_parser, required=True, width=14,
                 help=gettext_lazy("6-digit code such as 141122, or the region's name"),
                 export=lambda e: e.region_id),
        # Translators: Excel column header (地址)
        c.Column("address", gettext_lazy("Address"), c.text(200), width=30),
        # Translators: Excel column header (法定代表人)
        c.Column("legal_representative", gettext_lazy("Legal representative"), c.text(64)),
        # Translators: Excel column header (联系电话)
        c.Column("phone", gettext_lazy("Contact phone"), c.phone, text_format=True, sensitive=mask_phone),
        # Translators: Excel column header (安全生产许可证编号)
        c.Column("safety_licence_no", gettext_lazy("Safety licence number"), c.text(64), width=26),
        # Translators: Excel column header (安全生产许可证发证日期)
        c.Column("safety_licence_issued", gettext_lazy("Safety licence issued"), c.date, width=14),
        # Translators: Excel column header (安全生产许可证有效期至)
        c.Column("safety_licence_expires", gettext_lazy("Safety licence expires"), c.date, width=14),
        # Translators: Excel column header (安全生产标准化等级)
        c.Column("standardization_level", gettext_lazy("Standardization level"),
                 c.choice(StandardizationLevel.choices), choices=StandardizationLevel.choices),
        # Translators: Excel column header (主要负责人身份证号)
        c.Column("principal_id_number", gettext_lazy("Principal's resident ID number"), c.id_number,
                 text_format=True, width=22, sensitive=mask_id_number,
                 help=gettext_lazy("The person must already be registered in your scope"),
                 export=lambda e: e.principal.id_number if e.principal else ""),
        # Translators: Excel column header (主要负责人姓名, exports only)
        c.Column("principal_name", gettext_lazy("Principal"), importable=False,
                 export=lambda e: _name(e.principal)),
        # Translators: Excel column header (实际控制人身份证号)
        c.Column("actual_controller_id_number", gettext_lazy("Actual controller's resident ID number"),
                 c.id_number, text_format=True, width=22, sensitive=mask_id_number,
                 help=gettext_lazy("The person must already be registered in your scope"),
                 export=lambda e: e.actual_controller.id_number if e.actual_controller else ""),
        # Translators: Excel column header (实际控制人姓名, exports only)
        c.Column("actual_controller_name", gettext_lazy("Actual controller"), importable=False,
                 export=lambda e: _name(e.actual_controller)),
    ]
    # Headers of the same columns in enterprises' and bureaus' own spreadsheets (data, not UI text).
    columns = c.with_synonyms(columns, {
        "name": ("单位名称", "企业名", "施工单位", "施工单位名称", "施工企业"),
        "uscc": ("社会信用代码", "信用代码", "统一信用代码"),
        "legal_representative": ("法人", "法人代表"),
        "phone": ("电话", "联系方式", "企业电话"),
        "address": ("企业地址", "注册地址", "单位地址"),
    })

    def clean_row(self, row: Row, ctx: ImportContext) -> None:
        dates_in_order(row, "safety_licence_issued", "safety_licence_expires",
                       _("The licence expires before it was issued."))

    def resolve(self, rows: list[Row], ctx: ImportContext) -> None:
        codes = {r.values.get("uscc") for r in rows}
        visible = ctx.enterprises_by_uscc(codes)
        taken = set(Enterprise.objects.filter(uscc__in={x for x in codes if x}).values_list("uscc", flat=True))
        persons = ctx.persons_by_id_number(
            {r.values.get(f) for r in rows for f in ("principal_id_number", "actual_controller_id_number")}
        )
        banned = ctx.banned_person_ids(persons.values())
        for row in rows:
            code = row.values.get("uscc")
            if code in visible:
                row.refs["existing"] = visible[code]
            elif code in taken:
                row.error("uscc", _("An enterprise with this unified social credit code is already registered "
                                    "outside your scope."))
            row.refs["principal"] = resolve_person(row, "principal_id_number", persons, banned)
            row.refs["actual_controller"] = resolve_person(row, "actual_controller_id_number", persons, banned)

    def write(self, row: Row, ctx: ImportContext) -> str:
        existing = row.refs.get("existing")
        data = present_values(row, PLAIN_FIELDS)
        if existing is None:
            data["uscc"] = row.values["uscc"]
        data["region"] = row.values["region"]
        for ref in ("principal", "actual_controller"):
            if row.refs.get(ref) is not None:
                data[ref] = row.refs[ref]
        services.enterprise_save(actor=ctx.actor, enterprise=existing, **data)
        return "updated" if existing else "created"

    def base_queryset(self, user):
        return selectors.enterprise_list(user)
