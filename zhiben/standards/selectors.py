"""Scoped reads of the standards library; the choice of items offered for a hazard follows its found date."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q, QuerySet

from zhiben.standards.models import Standard, StandardItem

HAZARD_KINDS = (Standard.Kind.DETERMINATION, Standard.Kind.CATALOGUE, Standard.Kind.CAMPAIGN)


def standards_visible_to(user) -> QuerySet[Standard]:
    return Standard.objects.visible_to(user)


def standard_list(user) -> QuerySet[Standard]:
    return standards_visible_to(user).select_related("region").annotate(item_count=Count("items"))


def in_force_q(day: dt.date, prefix: str = "") -> Q:
    return Q(**{
        f"{prefix}status": Standard.Status.PUBLISHED,
        f"{prefix}effective_from__lte": day,
    }) & (Q(**{f"{prefix}effective_to__isnull": True}) | Q(**{f"{prefix}effective_to__gte": day}))


def items_in_force(user, day: dt.date, *, kinds=HAZARD_KINDS) -> QuerySet[StandardItem]:
    """Items a hazard found on `day` (Beijing date) may refer to: published versions in force that day."""
    return (
        StandardItem.objects.visible_to(user)
        .filter(in_force_q(day, "standard__"), standard__kind__in=kinds)
        .exclude(extra__placeholder=True)
        .select_related("standard")
        .order_by("standard__kind", "standard__code", "position")
    )


def item_in_force(user, item_id: int, day: dt.date) -> StandardItem | None:
    return items_in_force(user, day).filter(pk=item_id).first()
