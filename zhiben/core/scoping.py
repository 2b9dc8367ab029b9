"""The one mechanism that scopes every query of domain data to the caller (region / enterprise / project).

A model opts in by inheriting `Scoped` and naming the lookups that lead from it to a region code, an
enterprise id and a project id. `Model.objects.visible_to(user)` then returns only what the caller may see;
selectors, API viewsets and pages all start from it, so an object outside scope is simply "not found" (404).

Region codes are integers (GB/T 2260), so "a region and everything under it" is a range on an indexed column:
a province 140000 covers 140000–149999, a city 141100 covers 141100–141199, a county only itself.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from django.db import models
from django.db.models import Q

ScopeKind = Literal["all", "region", "enterprise", "project", "none"]

REGULATOR_ROLES = frozenset({"regulator_admin", "inspector", "leader"})
REGION_ROLES = REGULATOR_ROLES | {"expert"}


def region_range(code: int) -> tuple[int, int]:
    """Inclusive code range of a region and all its sub-regions."""
    if code % 10000 == 0:
        return code, code + 9999
    if code % 100 == 0:
        return code, code + 99
    return code, code


@dataclass(frozen=True)
class Scope:
    """What a caller may see. Built from the user by `scope_of`; never from request parameters."""

    kind: ScopeKind
    region: int | None = None
    enterprise: int | None = None
    project: int | None = None

    @property
    def region_bounds(self) -> tuple[int, int]:
        assert self.region is not None
        return region_range(self.region)

    def covers_region(self, code: int | None) -> bool:
        if self.kind == "all":
            return True
        if self.kind != "region" or code is None:
            return False
        lo, hi = self.region_bounds
        return lo <= int(code) <= hi


ALL = Scope("all")
NOTHING = Scope("none")


def scope_of(user) -> Scope:
    """The scope of an authenticated user; anonymous and misconfigured users see nothing."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return NOTHING
    if user.is_superuser:
        return ALL
    role = getattr(user, "role", "")
    if role in REGION_ROLES and user.region_id:
        return Scope("region", region=int(user.region_id))
    if role == "enterprise" and user.enterprise_id:
        return Scope("enterprise", enterprise=user.enterprise_id)
    if role == "project" and user.project_id:
        return Scope("project", project=user.project_id)
    return NOTHING


LookupSpec = str | Callable[[int], Q] | None


def range_q(field: str, lo: int, hi: int) -> Q:
    """`field` within [lo, hi]; a county (lo == hi) is an equality, so an index on (region, …) also gives the
    order of what follows it (the hazard list sorts by time within a county without a sort step)."""
    if lo == hi:
        return Q(**{field: lo})
    return Q(**{f"{field}__gte": lo, f"{field}__lte": hi})


def _lookup_q(spec: LookupSpec, value, *, is_range: bool = False) -> Q | None:
    if spec is None:
        return None
    if callable(spec):
        return spec(value)
    if is_range:
        return range_q(spec, *value)
    return Q(**{spec: value})


class ScopedQuerySet(models.QuerySet):
    """QuerySet with `visible_to(user)`, the only door to domain data."""

    def visible_to(self, user) -> ScopedQuerySet:
        return self.in_scope(scope_of(user))

    def in_scope(self, scope: Scope) -> ScopedQuerySet:
        if scope.kind == "all":
            return self.all()
        model = self.model
        q: Q | None = None
        if scope.kind == "region":
            q = _lookup_q(model.scope_region, scope.region_bounds, is_range=True)
        elif scope.kind == "enterprise":
            q = _lookup_q(model.scope_enterprise, scope.enterprise)
        elif scope.kind == "project":
            q = _lookup_q(model.scope_project, scope.project)
        if q is None:
            return self.none()
        return self.filter(q)


class Scoped(models.Model):
    """Mixin for scoped models: override the three lookups (a field path, a callable giving a Q, or None).

    None means the scope sees none of these rows.
    """

    scope_region: LookupSpec = None
    scope_enterprise: LookupSpec = None
    scope_project: LookupSpec = None

    objects = ScopedQuerySet.as_manager()

    class Meta:
        abstract = True
