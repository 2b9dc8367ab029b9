"""What every registry kind shares: scoped look-ups of regions, enterprises, persons and projects, and the
export side of the Kind contract. The row, the base context and the contract itself are in core/excel/kinds.py."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from typing import Any

from django.db.models import QuerySet
from django.utils.functional import cached_property
from django.utils.translation import gettext as _

from zhiben.core.excel.kinds import ImportContext as BaseImportContext
from zhiben.core.excel.kinds import Kind as BaseKind
from zhiben.core.excel.kinds import Row, dates_in_order, present_values
from zhiben.registry import selectors
from zhiben.registry.excel.columns import CellError, text_of
from zhiben.registry.models import Enterprise, LifetimeBan, Person, Project, Region

__all__ = ["ImportContext", "Kind", "Row", "dates_in_order", "present_values"]


class ImportContext(BaseImportContext):
    """The caller and their scope, with scoped look-ups cached for the whole file (one query per kind of
    reference, not one per row)."""

    # --- regions: public reference data, but a regulator may only place records inside their own region ---
    @cached_property
    def _regions(self) -> tuple[dict[int, Region], dict[str, list[Region]]]:
        by_code: dict[int, Region] = {}
        by_name: dict[str, list[Region]] = defaultdict(list)
        for region in selectors.regions_visible_to(self.actor):
            by_code[region.code] = region
            by_name[region.name].append(region)
        return by_code, by_name

    def region(self, value) -> Region:
        raw = text_of(value)
        by_code, by_name = self._regions
        if raw.isdigit():
            region = by_code.get(int(raw))
            if region is None:
                raise CellError(_("No region with division code %(code)s was found in your scope.") % {"code": raw})
            return region
        matches = by_name.get(raw, [])
        if len(matches) == 1:
            return matches[0]
        if len(matches) > 1:
            raise CellError(_("Several regions are called “%(name)s”; write the 6-digit division code.") % {
                "name": raw[:40]})
        raise CellError(_("No region called “%(name)s” was found in your scope; write the 6-digit division "
                          "code.") % {"name": raw[:40]})

    # --- references, resolved only inside the caller's scope: anything else is simply "not found" ---------
    def enterprises_by_uscc(self, codes: Iterable[str]) -> dict[str, Enterprise]:
        codes = {c for c in codes if c}
        if not codes:
            return {}
        qs = selectors.enterprises_visible_to(self.actor).filter(uscc__in=codes).select_related("region")
        return {e.uscc: e for e in qs}

    def persons_by_id_number(self, numbers: Iterable[str]) -> dict[str, Person]:
        numbers = {n for n in numbers if n}
        if not numbers:
            return {}
        return {p.id_number: p for p in selectors.persons_visible_to(self.actor).filter(id_number__in=numbers)}

    def projects_by_name(self, names: Iterable[str]) -> dict[str, list[Project]]:
        names = {n for n in names if n}
        found: dict[str, list[Project]] = defaultdict(list)
        if names:
            qs = selectors.projects_visible_to(self.actor).filter(name__in=names).select_related("contractor")
            for project in qs.order_by("id"):
                found[project.name].append(project)
        return found

    def banned_person_ids(self, persons: Iterable[Person]) -> set[int]:
        ids = {p.pk for p in persons if p is not None}
        if not ids:
            return set()
        return set(LifetimeBan.objects.filter(person_id__in=ids, lifted=False).values_list("person_id", flat=True))

    @cached_property
    def own_enterprise(self) -> Enterprise | None:
        if self.scope.kind == "enterprise":
            return Enterprise.objects.get(pk=self.scope.enterprise)
        if self.scope.kind == "project":
            return self.own_project.contractor if self.own_project else None
        return None

    @cached_property
    def own_project(self) -> Project | None:
        if self.scope.kind == "project":
            return Project.objects.select_related("contractor").get(pk=self.scope.project)
        return None


def region_parser(value, ctx: ImportContext) -> Region:
    return ctx.region(value)


def not_found_person() -> str:
    return _("No person with this resident ID number was found in your scope.")


def not_found_enterprise(code: str) -> str:
    return _("No enterprise with unified social credit code %(code)s was found in your scope.") % {"code": code}


def resolve_project(row: Row, field_name: str, projects: dict[str, list[Project]]) -> Project | None:
    name = row.values.get(field_name)
    if not name:
        return None
    matches = projects.get(name, [])
    if not matches:
        row.error(field_name, _("No project named “%(name)s” was found in your scope.") % {"name": name[:60]})
        return None
    if len(matches) > 1:
        row.error(field_name, _("Several projects in your scope are named “%(name)s”; give them distinct names "
                                "first.") % {"name": name[:60]})
        return None
    return matches[0]


def resolve_person(row: Row, field_name: str, persons: dict[str, Person], banned: set[int] | None = None):
    number = row.values.get(field_name)
    if not number:
        return None
    person = persons.get(number)
    if person is None:
        row.error(field_name, not_found_person())
        return None
    if banned is not None and person.pk in banned:
        row.error(field_name, _("%(name)s is under a lifetime ban and cannot be named here.") % {"name": person})
        return None
    return person


class Kind(BaseKind):
    """One importable and exportable kind of registry record (the contract is core.excel.kinds.Kind).

    Exports use `export_queryset` (a FilterSet over a selector) and `export_records`.
    """

    context_class = ImportContext
    filterset_class: Any = None

    def base_queryset(self, user) -> QuerySet:
        raise NotImplementedError

    def export_records(self, queryset: QuerySet, user) -> Iterator[Any]:
        yield from queryset.iterator(chunk_size=2000)
