"""隐患整改通知书: issuing rectification notices for one or several hazards of a site, and their document content.

The notice record is stored (number, hazards, deadline, requirements, issuer); the .docx and .pdf files are
rendered from it on request, so a notice always reads the same.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from zhiben.core.audit import audit
from zhiben.core.errors import Forbidden
from zhiben.core.numbering import DocumentNumber, next_document_number, register_document_number
from zhiben.core.timeutils import beijing_date, beijing_today
from zhiben.documents.official import OfficialDocument, Table
from zhiben.hazards.history import append_event
from zhiben.hazards.models import Hazard, RectificationNotice
from zhiben.hazards.states import LIVE

ISSUER_ROLES = {"regulator_admin", "inspector"}

# 交住建改〔2026〕7号: the deployment's prefix, the Beijing year, a serial per region and year.
NOTICE_NUMBER = register_document_number(DocumentNumber(
    kind="notice", template="{prefix}〔{year}〕{serial}号", prefix_setting="RECTIFICATION_NOTICE_PREFIX",
))


def can_issue_notice(actor) -> bool:
    return actor.is_superuser or getattr(actor, "role", "") in ISSUER_ROLES


def issuer_name(region) -> str:
    """The issuing authority: configured per deployment, else derived from the county's name."""
    if settings.RECTIFICATION_NOTICE_ISSUER:
        return settings.RECTIFICATION_NOTICE_ISSUER
    return settings.REGION_AUTHORITY_NAMES.get(region.pk) or f"{region.name}住房和城乡建设局"


@transaction.atomic
def notice_issue(*, actor, hazard_ids: list[int], deadline: dt.date | None = None, requirements: str = "",
                 request=None) -> RectificationNotice:
    """Issue one notice for live hazards of one project; each hazard's history records it."""
    if not can_issue_notice(actor):
        raise Forbidden(_("Only regulators issue rectification notices."))
    ids = sorted({int(i) for i in hazard_ids or []})
    if not ids:
        raise ValidationError({"hazards": [_("Choose at least one hazard.")]})
    hazards = list(
        Hazard.objects.visible_to(actor).select_for_update(no_key=True).filter(pk__in=ids).order_by("found_at", "id")
    )
    if len(hazards) != len(ids):
        raise ValidationError({"hazards": [_("Unknown hazard.")]})
    if len({h.project_id for h in hazards}) != 1:
        raise ValidationError({"hazards": [_("A notice covers hazards of one project.")]})
    if any(h.status not in LIVE for h in hazards):
        raise ValidationError({"hazards": [_("Only hazards still being rectified can be put on a notice.")]})
    deadline = deadline or min(h.deadline for h in hazards)
    if deadline < beijing_today():
        raise ValidationError({"deadline": [_("The deadline cannot be in the past.")]})
    project = hazards[0].project
    year = beijing_today().year
    notice = RectificationNotice.objects.create(
        number=next_document_number(NOTICE_NUMBER.kind, project.region_id, year), project=project,
        region_id=project.region_id, deadline=deadline,
        requirements=(requirements or "").strip(), issued_by=actor, issuer_name=issuer_name(project.region),
    )
    notice.hazards.set(hazards)
    for hazard in hazards:
        append_event(hazard, action="notice-issued", actor=actor, data={
            "notice": notice.pk, "number": notice.number, "deadline": deadline,
        })
    audit("notice.issued", actor=actor, obj=notice, request=request, hazards=ids)
    return notice


def notice_document(notice: RectificationNotice) -> OfficialDocument:
    """The content of the notice as an official document (rendered by zhiben.documents.docx / pdf)."""
    project = notice.project
    hazards = list(notice.hazards.select_related("standard_item__standard").order_by("found_at", "id"))
    rows = []
    for n, h in enumerate(hazards, start=1):
        basis = ""
        if h.standard_item_id:
            basis = f"{h.standard_item.standard.document_no or h.standard_item.standard.title} {h.standard_item.code}"
        rows.append([str(n), h.code, f"{h.description}（{h.location}）" if h.location else h.description,
                     h.get_level_display(), basis, h.deadline.isoformat()])
    deadline = notice.deadline
    paragraphs = [
        _("On inspection, the project %(project)s (%(address)s) built by your unit has the following production "
          "safety accident hazards. Under the Work Safety Law of the People's Republic of China and the Regulations "
          "on the Work Safety of Construction Projects, you are ordered to rectify them.")
        % {"project": project.name, "address": project.address},
    ]
    closing = [
        _("Rectify the hazards above by %(date)s, following the five fixes (measures, responsibility, funds, time "
          "limit and contingency plan); where safety cannot be ensured during rectification, withdraw workers from "
          "the danger zone and stop work. After rectification, submit the rectification report with evidence on the "
          "platform for re-inspection and close-out.")
        % {"date": f"{deadline.year}年{deadline.month}月{deadline.day}日"},
    ]
    if notice.requirements:
        closing.append(notice.requirements)
    closing.append(_("Failure to rectify on time will be dealt with according to law, and major hazards will be "
                     "escalated for supervision (挂牌督办)."))
    return OfficialDocument(
        issuer=notice.issuer_name, number=notice.number, title=_("Rectification notice for safety hazards"),
        addressee=project.contractor.name, paragraphs=paragraphs,
        table=Table([_("No."), _("Hazard code"), _("Hazard and location"), _("Level"), _("Basis"), _("Deadline")],
                    rows, widths=[0.6, 2.2, 4.5, 1.2, 2.2, 1.6]),
        closing=closing, date=beijing_date(notice.issued_at),
        footer=[_("Copy to: the construction unit and the supervision unit of the project."),
                _("Issued by: %(issuer)s") % {"issuer": notice.issuer_name}],
    )
