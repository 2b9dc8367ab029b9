"""Scoped reads of the standards library; the choice of items offered for a hazard follows its found date.

Visibility: every logged-in user reads the published versions their scope covers (national ones, and regional
ones of their region, its ancestors and, for regulators, its sub-regions). Drafts are seen only by those who may
edit them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from zhiben.core.errors import NotFound
from zhiben.standards.models import Standard, StandardItem, _ancestor_codes

HAZARD_KINDS = (Standard.Kind.DETERMINATION, Standard.Kind.CATALOGUE, Standard.Kind.CAMPAIGN)
KIND_ORDER = (Standard.Kind.DETERMINATION, Standard.Kind.CATALOGUE, Standard.Kind.SCORE_TABLE, Standard.Kind.CAMPAIGN)


def standards_visible_to(user) -> QuerySet[Standard]:
    """Versions the user may read: published ones in scope, plus the drafts they may edit."""
    qs = Standard.objects.visible_to(user)
    if getattr(user, "is_superuser", False):
        return qs
    published = Q(status=Standard.Status.PUBLISHED)
    if getattr(user, "role", "") == "regulator_admin" and user.region_id:
        return qs.filter(published | Q(region_id=user.region_id))
    return qs.filter(published)


def standard_list(user) -> QuerySet[Standard]:
    """Visible versions with their item counts (`item_count`, `unverified_count`) in one query."""
    return (
        standards_visible_to(user)
        .select_related("region")
        .annotate(
            item_count=Count("items"),
            unverified_count=Count("items", filter=Q(items__verified=False)),
        )
    )


MAX_ID = 2**63 - 1


def _as_id(pk) -> int:
    """An id from a URL; anything that cannot name a row (e.g. beyond 64 bits) is simply not found."""
    try:
        number = int(pk)
    except (TypeError, ValueError):
        raise NotFound(_("Not found.")) from None
    if not 1 <= number <= MAX_ID:
        raise NotFound(_("Not found."))
    return number


def standard_get(user, pk) -> Standard:
    """One visible version, with its counts; NotFound for a missing or invisible one alike."""
    standard = standard_list(user).select_related("based_on", "created_by").filter(pk=_as_id(pk)).first()
    if standard is None:
        raise NotFound(_("Not found."))
    return standard


def standard_items(standard: Standard) -> QuerySet[StandardItem]:
    """The items of a version already checked for visibility (see `standard_get`)."""
    return standard.items.order_by("position", "id")


def item_get(standard: Standard, pk) -> StandardItem:
    item = standard.items.filter(pk=_as_id(pk)).first()
    if item is None:
        raise NotFound(_("Not found."))
    return item


def version_state(standard: Standard, day: dt.date) -> str:
    """draft | in_force | upcoming | ended, on `day`."""
    if standard.status != Standard.Status.PUBLISHED:
        return "draft"
    if standard.effective_from > day:
        return "upcoming"
    if standard.effective_to is not None and standard.effective_to < day:
        return "ended"
    return "in_force"


def versions_of(user, standard: Standard) -> QuerySet[Standard]:
    """Every visible version sharing the standard's code, newest first."""
    return standards_visible_to(user).filter(code=standard.code).order_by("-effective_from", "-id")


def previous_version(user, standard: Standard) -> Standard | None:
    """The version this one was copied from, or else the visible version of the same code that took effect
    last before it (same region first, then national)."""
    visible = standards_visible_to(user)
    if standard.based_on_id:
        based_on = visible.filter(pk=standard.based_on_id).first()
        if based_on is not None:
            return based_on
    earlier = (
        visible.filter(code=standard.code, effective_from__lt=standard.effective_from)
        .exclude(pk=standard.pk)
        .order_by("-effective_from", "-id")
    )
    if standard.region_id is not None:
        same_region = earlier.filter(region_id=standard.region_id).first()
        if same_region is not None:
            return same_region
    return earlier.filter(region__isnull=True).first()

# --- Comparing two versions -------------------------------------------------------------------------------------

COMPARED_FIELDS = ("category", "text", "level", "legal_source", "verified", "extra")


@dataclass
class ItemChange:
    old: StandardItem
    new: StandardItem
    fields: list[str]


@dataclass
class VersionDiff:
    """Items of `new` against `old`, matched by code."""

    added: list[StandardItem] = field(default_factory=list)
    removed: list[StandardItem] = field(default_factory=list)
    changed: list[ItemChange] = field(default_factory=list)
    unchanged: int = 0

    @property
    def shares_codes(self) -> bool:
        return bool(self.changed or self.unchanged)


def compare_versions(old: Standard, new: Standard) -> VersionDiff:
    """Items added, removed and changed between two versions, matched by item code (two queries)."""
    old_items = {i.code: i for i in standard_items(old)}
    diff = VersionDiff()
    seen = set()
    for item in standard_items(new):
        seen.add(item.code)
        before = old_items.get(item.code)
        if before is None:
            diff.added.append(item)
            continue
        changed = [name for name in COMPARED_FIELDS if getattr(before, name) != getattr(item, name)]
        if changed:
            diff.changed.append(ItemChange(before, item, changed))
        else:
            diff.unchanged += 1
    diff.removed = [i for code, i in old_items.items() if code not in seen]
    return diff


# --- What a hazard may refer to ---------------------------------------------------------------------------------

def in_force_q(day: dt.date, prefix: str = "") -> Q:
    return Q(**{
        f"{prefix}status": Standard.Status.PUBLISHED,
        f"{prefix}effective_from__lte": day,
    }) & (Q(**{f"{prefix}effective_to__isnull": True}) | Q(**{f"{prefix}effective_to__gte": day}))


def items_in_force(user, day: dt.date, *, kinds=HAZARD_KINDS, region: int | None = None) -> QuerySet[StandardItem]:
    """Items a hazard found on `day` (Beijing date) may refer to: published versions in force that day.

    With `region` (the division code of the hazard's project) only versions that apply there are offered, and
    a regional version in force supersedes the national (or wider regional) version of the same standard code.
    Placeholders for items the sources did not give are never offered.
    """
    qs = (
        StandardItem.objects.visible_to(user)
        .filter(in_force_q(day, "standard__"), standard__kind__in=kinds)
        # Not `.exclude(extra__placeholder=True)`: for rows without the key the comparison is NULL, and
        # NOT NULL drops every such row on SQLite.
        .filter(Q(extra__placeholder__isnull=True) | Q(extra__placeholder=False))
    )
    if region is not None:
        applicable = _ancestor_codes(int(region))
        qs = qs.filter(Q(standard__region__isnull=True) | Q(standard__region_id__in=applicable))
        # Region codes of a region's ancestors grow with specificity (140000 < 141100 < 141122), national = 0.
        narrower = standards_visible_to(user).filter(
            in_force_q(day), code=OuterRef("standard__code"), region_id__in=applicable,
            region_id__gt=Coalesce(OuterRef("standard__region_id"), Value(0)),
        )
        qs = qs.exclude(Exists(narrower))
    return qs.select_related("standard").order_by("standard__kind", "standard__code", "position", "id")


def item_in_force(user, item_id: int, day: dt.date, *, region: int | None = None) -> StandardItem | None:
    return items_in_force(user, day, region=region).filter(pk=item_id).first()


def kind_groups(standards) -> list[tuple[str, str, list[Standard]]]:
    """(kind, label, versions) in the library's reading order, empty kinds left out."""
    labels = dict(Standard.Kind.choices)
    groups = []
    for kind in KIND_ORDER:
        members = [s for s in standards if s.kind == kind]
        if members:
            groups.append((kind, labels[kind], members))
    return groups
