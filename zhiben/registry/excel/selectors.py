"""Reads for exports: the same FilterSet as the kind's list page over the same scoped selector, so an export is
exactly the filtered list the user was looking at."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db.models import QuerySet

from zhiben.registry.excel.kinds import Kind
from zhiben.registry.excel.workbooks import export_workbook


def export_queryset(*, user, kind: Kind, params) -> QuerySet:
    """The kind's list visible to `user`, filtered by `params` (a QueryDict). Invalid filters raise
    ValidationError rather than being silently ignored, which would export more than the list shows."""
    filterset = kind.filterset_class(params, queryset=kind.base_queryset(user), request=None)
    if not filterset.is_valid():
        raise ValidationError({k: [str(m) for m in v] for k, v in filterset.errors.items()})
    return filterset.qs


def can_see_sensitive(user) -> bool:
    return user.has_perm("registry.view_sensitive_person")


def export_file(*, user, kind: Kind, params) -> tuple[bytes, int, bool]:
    """The .xlsx bytes of the filtered list, its row count, and whether identifiers were left unmasked."""
    unmasked = can_see_sensitive(user)
    records = kind.export_records(export_queryset(user=user, kind=kind, params=params), user)
    content, count = export_workbook(kind, records, unmasked=unmasked)
    return content, count, unmasked
