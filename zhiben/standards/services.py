"""Writes on the standards library: copy a version into a draft, edit the draft's items, publish it.

A published version is never changed again, so every record made under it keeps its meaning. National versions
(no region) are published by platform administrators; a regulator administrator publishes versions of their
own region (e.g. a county campaign list).
"""

from __future__ import annotations

import copy
import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Q
from django.utils.translation import gettext as _

from zhiben.core.audit import audit
from zhiben.core.errors import Forbidden, InvalidTransition, NotFound
from zhiben.core.timeutils import beijing_today
from zhiben.standards.models import Standard, StandardItem

# What an editor may change; everything else (status, region, dates in force, lineage) is set by the services.
STANDARD_FIELDS = frozenset({
    "title", "version", "document_no", "issuer", "published_on", "effective_from", "source", "trust", "notes",
})
ITEM_FIELDS = frozenset({"code", "category", "text", "level", "legal_source", "verified", "extra"})


def can_edit_standard(actor, standard: Standard | None = None) -> bool:
    """Platform administrators edit every version; a regulator administrator the versions of their own region.
    Without `standard`: whether the actor may make new versions at all."""
    if actor is None or not getattr(actor, "is_authenticated", False) or not actor.is_active:
        return False
    if actor.is_superuser:
        return True
    if getattr(actor, "role", "") != "regulator_admin" or not actor.region_id:
        return False
    return standard is None or standard.region_id == actor.region_id


def require_draft(actor, standard: Standard) -> None:
    """Raise Forbidden unless the actor may edit `standard`, InvalidTransition unless it is still a draft."""
    if not can_edit_standard(actor, standard):
        raise Forbidden(_("You may not edit this standard."))
    if standard.status != Standard.Status.DRAFT:
        raise InvalidTransition(_("A published version cannot be changed; make a new version instead."))


def _locked_draft(actor, standard: Standard) -> Standard:
    # Re-read under a row lock: a draft published by someone else a moment ago must not take more edits.
    locked = Standard.objects.select_for_update().filter(pk=standard.pk).first()
    if locked is None:
        raise NotFound(_("Not found."))
    require_draft(actor, locked)
    return locked


def _check_fields(fields: dict, allowed: frozenset) -> None:
    unknown = set(fields) - allowed
    if unknown:
        raise TypeError(f"not editable: {', '.join(sorted(unknown))}")


def _version_taken(*, code: str, version: str, region_id: int | None, exclude_pk: int | None = None) -> bool:
    qs = Standard.objects.filter(code=code, version=version, region_id=region_id)
    if exclude_pk is not None:
        qs = qs.exclude(pk=exclude_pk)
    return qs.exists()


@transaction.atomic
def standard_copy(*, actor, source: Standard, version: str, title: str = "", request=None) -> Standard:
    """A new draft version with every item of `source`. A regulator's copy belongs to their region; a platform
    administrator's copy keeps the source's region (national stays national)."""
    from zhiben.standards.selectors import standards_visible_to

    if not standards_visible_to(actor).filter(pk=source.pk).exists():
        raise NotFound(_("Not found."))
    if not can_edit_standard(actor):
        raise Forbidden(_("Only regulator administrators can make new versions."))
    version = (version or "").strip()
    title = (title or "").strip()
    errors: dict[str, list[str]] = {}
    if not version:
        errors["version"] = [_("Give the new version a label, e.g. 2025.")]
    elif len(version) > Standard._meta.get_field("version").max_length:
        errors["version"] = [_("Keep the version label to 32 characters.")]
    if len(title) > Standard._meta.get_field("title").max_length:
        errors["title"] = [_("Keep the title to 200 characters.")]
    region = source.region if actor.is_superuser else actor.region
    if not errors and _version_taken(code=source.code, version=version, region_id=region.pk if region else None):
        errors["version"] = [_("This version already exists.")]
    if errors:
        raise ValidationError(errors)
    draft = Standard.objects.create(
        code=source.code, title=title or source.title, version=version, kind=source.kind,
        document_no="", issuer=source.issuer, effective_from=max(source.effective_from, beijing_today()),
        source=source.source, trust=source.trust, notes="", rules=copy.deepcopy(source.rules),
        status=Standard.Status.DRAFT, region=region, based_on=source, created_by=actor,
    )
    StandardItem.objects.bulk_create([
        StandardItem(standard=draft, code=i.code, category=i.category, text=i.text, level=i.level,
                     legal_source=i.legal_source, verified=i.verified, extra=copy.deepcopy(i.extra),
                     position=i.position)
        for i in source.items.all()
    ])
    audit("standard.copied", actor=actor, obj=draft, request=request, source=source.pk, version=version)
    return draft


@transaction.atomic
def standard_update(*, actor, standard: Standard, request=None, **fields) -> Standard:
    """Change the metadata of a draft (title, version label, document number, planned date, source, notes)."""
    _check_fields(fields, STANDARD_FIELDS)
    standard = _locked_draft(actor, standard)
    for name, value in fields.items():
        setattr(standard, name, value.strip() if isinstance(value, str) and name != "notes" else value)
    if "version" in fields and _version_taken(code=standard.code, version=standard.version,
                                              region_id=standard.region_id, exclude_pk=standard.pk):
        raise ValidationError({"version": [_("This version already exists.")]})
    standard.full_clean()
    standard.save()
    audit("standard.updated", actor=actor, obj=standard, request=request, fields=sorted(fields))
    return standard


@transaction.atomic
def item_save(*, actor, standard: Standard, item: StandardItem | None = None, request=None, **fields):
    """Add (`item` None) or change an item of a draft version; codes stay unique within the version."""
    _check_fields(fields, ITEM_FIELDS)
    standard = _locked_draft(actor, standard)
    if item is None:
        last = standard.items.aggregate(last=Max("position"))["last"] or 0
        item = StandardItem(standard=standard, position=last + 1)
    elif item.standard_id != standard.pk:
        raise NotFound(_("Not found."))
    for name, value in fields.items():
        setattr(item, name, value.strip() if isinstance(value, str) and name in {"code", "category"} else value)
    if not isinstance(item.extra, dict):
        raise ValidationError({"extra": [_("Details must be a JSON object.")]})
    if item.code and standard.items.filter(code=item.code).exclude(pk=item.pk).exists():
        raise ValidationError({"code": [_("Another item of this version has this code.")]})
    item.full_clean()
    item.save()
    audit("standard.item_saved", actor=actor, obj=standard, request=request, item=item.code,
          fields=sorted(fields))
    return item


@transaction.atomic
def item_delete(*, actor, standard: Standard, item: StandardItem, request=None) -> None:
    """Remove an item from a draft version."""
    standard = _locked_draft(actor, standard)
    if item.standard_id != standard.pk:
        raise NotFound(_("Not found."))
    code = item.code
    item.delete()
    audit("standard.item_deleted", actor=actor, obj=standard, request=request, item=code)


def superseded_by_publishing(standard: Standard, effective_from: dt.date):
    """Published versions of the same code and region that publishing `standard` from `effective_from` would
    end: those still open then (no end date, or one on or after that day)."""
    return (
        Standard.objects.filter(code=standard.code, region_id=standard.region_id, status=Standard.Status.PUBLISHED)
        .filter(Q(effective_to__isnull=True) | Q(effective_to__gte=effective_from))
        .exclude(pk=standard.pk)
    )


@transaction.atomic
def standard_publish(*, actor, standard: Standard, effective_from: dt.date | None, request=None) -> Standard:
    """Publish a draft from `effective_from`; the version of the same code and region in force until then ends
    the day before. Items are frozen from now on."""
    standard = _locked_draft(actor, standard)
    if effective_from is None:
        raise ValidationError({"effective_from": [_("Give the date from which the version is in force.")]})
    if not standard.items.exists():
        raise ValidationError({"items": [_("A version without items cannot be published.")]})
    previous = list(superseded_by_publishing(standard, effective_from).select_for_update())
    for old in previous:
        if old.effective_from >= effective_from:
            raise ValidationError({"effective_from": [
                _("The new version must take effect after %(date)s, when the current one did.")
                % {"date": old.effective_from.isoformat()}
            ]})
    for old in previous:
        old.effective_to = effective_from - dt.timedelta(days=1)
        old.save(update_fields=["effective_to", "updated_at"])
    standard.effective_from = effective_from
    standard.effective_to = None
    standard.status = Standard.Status.PUBLISHED
    standard.save(update_fields=["effective_from", "effective_to", "status", "updated_at"])
    audit("standard.published", actor=actor, obj=standard, request=request,
          effective_from=effective_from.isoformat(), superseded=[o.pk for o in previous])
    return standard
