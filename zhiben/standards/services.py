"""Writes on the standards library: copy a version into a draft, edit the draft's items, publish it.

A published version is never changed again, so every record made under it keeps its meaning. National versions
(no region) are published by platform administrators; a regulator administrator publishes versions of their
own region (e.g. a county campaign list).
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from zhiben.core.audit import audit
from zhiben.core.errors import Forbidden, InvalidTransition, NotFound
from zhiben.standards.models import Standard, StandardItem


def can_edit_standard(actor, standard: Standard | None = None) -> bool:
    if actor.is_superuser:
        return True
    if getattr(actor, "role", "") != "regulator_admin" or not actor.region_id:
        return False
    return standard is None or standard.region_id == actor.region_id


def _require_draft(actor, standard: Standard) -> None:
    if not can_edit_standard(actor, standard):
        raise Forbidden(_("You may not edit this standard."))
    if standard.status != Standard.Status.DRAFT:
        raise InvalidTransition(_("A published version cannot be changed; make a new version instead."))


@transaction.atomic
def standard_copy(*, actor, source: Standard, version: str, title: str = "", request=None) -> Standard:
    """A new draft version with every item of `source`; national sources copied by a regulator become regional."""
    if not Standard.objects.visible_to(actor).filter(pk=source.pk).exists():
        raise NotFound(_("Not found."))
    if not can_edit_standard(actor):
        raise Forbidden(_("Only regulator administrators can make new versions."))
    version = (version or "").strip()
    if not version:
        raise ValidationError({"version": [_("Give the new version a label, e.g. 2025.")]})
    if Standard.objects.filter(code=source.code, version=version).exists():
        raise ValidationError({"version": [_("This version already exists.")]})
    draft = Standard.objects.create(
        code=source.code, title=title or source.title, version=version, kind=source.kind,
        document_no="", issuer=source.issuer, effective_from=max(source.effective_from, dt.date.today()),
        source=source.source, trust=source.trust, notes="", rules=source.rules, status=Standard.Status.DRAFT,
        region=None if actor.is_superuser else actor.region, based_on=source, created_by=actor,
    )
    StandardItem.objects.bulk_create([
        StandardItem(standard=draft, code=i.code, category=i.category, text=i.text, level=i.level,
                     legal_source=i.legal_source, verified=i.verified, extra=i.extra, position=i.position)
        for i in source.items.all()
    ])
    audit("standard.copied", actor=actor, obj=draft, request=request, source=source.pk)
    return draft


@transaction.atomic
def standard_update(*, actor, standard: Standard, request=None, **fields) -> Standard:
    """Change the metadata of a draft (title, document number, dates, notes)."""
    _require_draft(actor, standard)
    for name, value in fields.items():
        setattr(standard, name, value)
    standard.full_clean()
    standard.save()
    audit("standard.updated", actor=actor, obj=standard, request=request, fields=sorted(fields))
    return standard


@transaction.atomic
def item_save(*, actor, standard: Standard, item: StandardItem | None = None, request=None, **fields):
    """Add or change an item of a draft version."""
    _require_draft(actor, standard)
    item = item or StandardItem(standard=standard,
                                position=(standard.items.order_by("-position").first() or StandardItem()).position + 1)
    if item.standard_id != standard.pk:
        raise NotFound(_("Not found."))
    for name, value in fields.items():
        setattr(item, name, value)
    item.full_clean()
    item.save()
    audit("standard.item_saved", actor=actor, obj=standard, request=request, item=item.code)
    return item


@transaction.atomic
def item_delete(*, actor, standard: Standard, item: StandardItem, request=None) -> None:
    _require_draft(actor, standard)
    if item.standard_id != standard.pk:
        raise NotFound(_("Not found."))
    code = item.code
    item.delete()
    audit("standard.item_deleted", actor=actor, obj=standard, request=request, item=code)


@transaction.atomic
def standard_publish(*, actor, standard: Standard, effective_from: dt.date, request=None) -> Standard:
    """Publish a draft from `effective_from`; the version of the same code and region in force until then ends
    the day before. Items are frozen from now on."""
    standard = Standard.objects.select_for_update().get(pk=standard.pk)
    _require_draft(actor, standard)
    if not standard.items.exists():
        raise ValidationError({"items": [_("A version without items cannot be published.")]})
    previous = (
        Standard.objects.select_for_update()
        .filter(code=standard.code, region=standard.region, status=Standard.Status.PUBLISHED)
        .filter(effective_to__isnull=True)
        .exclude(pk=standard.pk)
    )
    for old in previous:
        if old.effective_from >= effective_from:
            raise ValidationError({"effective_from": [
                _("The new version must take effect after %(date)s, when the current one did.")
                % {"date": old.effective_from.isoformat()}
            ]})
        old.effective_to = effective_from - dt.timedelta(days=1)
        old.save(update_fields=["effective_to", "updated_at"])
    standard.effective_from = effective_from
    standard.status = Standard.Status.PUBLISHED
    standard.save(update_fields=["effective_from", "status", "updated_at"])
    audit("standard.published", actor=actor, obj=standard, request=request,
          effective_from=effective_from.isoformat(), superseded=[o.pk for o in previous])
    return standard
