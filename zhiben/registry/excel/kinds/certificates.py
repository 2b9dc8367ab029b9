"""Certificates (证书): 三类人员 and special-operations certificates, keyed by type and number.

The holder is named by resident ID and must already be visible to the importer (employed by their enterprise or
on their project, or registered in their region).
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from zhiben.core.masking import mask_id_number
from zhiben.registry import selectors, services
from zhiben.registry.excel import columns as c
from zhiben.registry.excel.kinds.base import ImportContext, Kind, Row, dates_in_order, present_values, resolve_person
from zhiben.registry.filters import CertificateFilter
from zhiben.registry.models import Certificate, CertificateKind

STATUS_LABELS = {
    "valid": gettext_lazy("Valid"),
    "expiring": gettext_lazy("Expiring within 30 days"),
    "expired": gettext_lazy("Expired"),
    "revoked": gettext_lazy("Revoked"),
    "unknown": gettext_lazy("No date"),
}


class CertificateKindSpec(Kind):
    code = "certificates"
    label = gettext_lazy("Certificates")
    key_fields = ("kind", "number")
    duplicate_field = "number"
    import_scopes = frozenset({"all", "region", "enterprise", "project"})
    filterset_class = CertificateFilter
    columns = [
        # Translators: Excel column header (持证人身份证号)
        c.Column("person_id_number", gettext_lazy("Holder's resident ID number"), c.id_number, required=True,
                 text_format=True, width=22, sensitive=mask_id_number,
                 help=gettext_lazy("The person must already be registered in your scope"),
                 export=lambda cert: cert.person.id_number),
        # Translators: Excel column header (持证人姓名)
        c.Column("person_name", gettext_lazy("Holder's name"), c.text(64), width=12,
                 help=gettext_lazy("Optional; checked against the registered name"),
                 export=lambda cert: cert.person.name),
        # Translators: Excel column header (证书类别)
        c.Column("kind", gettext_lazy("Certificate type"), c.choice(CertificateKind.choices), required=True,
                 choices=CertificateKind.choices, width=26),
        # Translators: Excel column header (证书编号)
        c.Column("number", gettext_lazy("Certificate number"), c.text(64), required=True, width=26,
                 text_format=True),
        # Translators: Excel column header (发证机关)
        c.Column("issuer", gettext_lazy("Issued by"), c.text(100), width=24),
        # Translators: Excel column header (发证日期)
        c.Column("issued", gettext_lazy("Issue date"), c.date, required=True, width=14),
        # Translators: Excel column header (有效期至)
        c.Column("expires", gettext_lazy("Expiry date"), c.date, required=True, width=14),
        # Translators: Excel column header (是否注销)
        c.Column("revoked", pgettext_lazy("excel column", "Revoked"), c.boolean, width=10,
                 help=gettext_lazy("Yes or no; no when empty"),
                 export=lambda cert: str(_("Yes")) if cert.revoked else str(_("No"))),
        # Translators: Excel column header (证书状态, exports only)
        c.Column("status", gettext_lazy("Certificate status"), importable=False,
                 export=lambda cert: str(STATUS_LABELS.get(cert.status, ""))),
    ]
    # Headers of the same columns in enterprises' and bureaus' own spreadsheets (data, not UI text).
    columns = c.with_synonyms(columns, {
        "person_id_number": ("身份证号", "身份证号码", "证件号码"),
        "person_name": ("姓名",),
        "number": ("证号", "证书号"),
        "issued": ("发证时间",),
        "expires": ("有效期", "证书有效期", "有效期限"),
    })

    def duplicate_message(self, first: int) -> str:
        return _("Same certificate type and number as row %(row)s.") % {"row": first}

    def clean_row(self, row: Row, ctx: ImportContext) -> None:
        dates_in_order(row, "issued", "expires", _("The certificate expires before it was issued."))

    def resolve(self, rows: list[Row], ctx: ImportContext) -> None:
        persons = ctx.persons_by_id_number(r.values.get("person_id_number") for r in rows)
        pairs = {(r.values.get("kind"), r.values.get("number")) for r in rows
                 if r.values.get("kind") and r.values.get("number")}
        # One IN query on the numbers, then the pairs in Python: an OR per row would exceed SQLite's
        # expression depth on large files.
        numbers = {number for _kind, number in pairs}
        existing = {
            (x.kind, x.number): x for x in Certificate.objects.filter(number__in=numbers) if (x.kind, x.number) in pairs
        }
        visible_ids = set(
            selectors.certificates_visible_to(ctx.actor)
            .filter(pk__in=[x.pk for x in existing.values()]).values_list("pk", flat=True)
        )
        for row in rows:
            person = resolve_person(row, "person_id_number", persons)
            row.refs["person"] = person
            name = row.values.get("person_name")
            if person is not None and name and name != person.name:
                row.error("person_name", _("The name does not match the person registered with this resident ID "
                                           "number."))
            current = existing.get((row.values.get("kind"), row.values.get("number")))
            if current is None:
                continue
            if current.pk not in visible_ids:
                row.error("number", _("A certificate of this type with this number is already registered."))
            elif person is not None and current.person_id != person.pk:
                row.error("number", _("A certificate of this type with this number is registered to another "
                                      "person."))
            else:
                row.refs["existing"] = current

    def write(self, row: Row, ctx: ImportContext) -> str:
        existing = row.refs.get("existing")
        data = {"person": row.refs["person"], "kind": row.values["kind"], "number": row.values["number"],
                "issued": row.values["issued"], "expires": row.values["expires"]}
        data.update(present_values(row, ("issuer",)))
        if row.values.get("revoked") is not None:
            data["revoked"] = row.values["revoked"]
        services.certificate_save(actor=ctx.actor, certificate=existing, **data)
        return "updated" if existing else "created"

    def base_queryset(self, user):
        return selectors.certificate_list(user)
