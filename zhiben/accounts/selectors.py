"""Reads on users, scoped: a regulator admin sees the users of their region and everything under it."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from zhiben.accounts.models import User
from zhiben.core.scoping import scope_of


def users_visible_to(actor) -> QuerySet[User]:
    scope = scope_of(actor)
    qs = User.objects.select_related("region", "enterprise", "project")
    if scope.kind == "all":
        return qs
    if scope.kind != "region" or actor.role != "regulator_admin":
        return qs.none()
    lo, hi = scope.region_bounds
    return qs.filter(
        Q(region_id__gte=lo, region_id__lte=hi)
        | Q(enterprise__region_id__gte=lo, enterprise__region_id__lte=hi)
        | Q(project__region_id__gte=lo, project__region_id__lte=hi)
    ).filter(is_superuser=False)
