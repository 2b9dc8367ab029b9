"""Parsing dashboard parameters (region, as_of, year, enterprise, project) the same way for the API and pages."""

from __future__ import annotations

import datetime as dt
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from zhiben.core.scoping import scope_of
from zhiben.core.timeutils import beijing_today
from zhiben.dashboard.selectors import Query, resolve_enterprise, resolve_project, resolve_region

_CODE = re.compile(r"^\d{6}$")
_ID = re.compile(r"^\d{1,18}$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
EARLIEST = dt.date(2000, 1, 1)


def parse_query(user, params) -> Query:
    """A Query from request parameters; ValidationError (400) for malformed input, NotFound for a region the
    caller may not see."""
    errors: dict[str, list[str]] = {}
    code = (params.get("region") or "").strip()
    if code and not _CODE.match(code):
        errors["region"] = [_("Enter a 6-digit administrative division code, e.g. 141122.")]
    today = beijing_today()
    as_of = today
    raw = (params.get("as_of") or "").strip()
    if raw:
        try:
            as_of = dt.date.fromisoformat(raw)
        except ValueError:
            errors["as_of"] = [_("Enter a date as YYYY-MM-DD.")]
        else:
            if as_of > today:
                errors["as_of"] = [_("The date cannot be in the future.")]
            elif as_of < EARLIEST:
                errors["as_of"] = [_("The date is too early.")]
    ids = {}
    for name in ("enterprise", "project"):
        value = (params.get(name) or "").strip()
        if value and not _ID.match(value):
            errors[name] = [_("Expected an id (a positive integer).")]
        ids[name] = int(value) if value and _ID.match(value) else None
    if errors:
        raise ValidationError(errors)
    region = resolve_region(user, int(code) if code else None)
    # An enterprise or project user's dashboard is that of their enterprise or project (the drill-down's level).
    scope = scope_of(user)
    if scope.kind == "enterprise" and ids["enterprise"] is None and ids["project"] is None:
        ids["enterprise"] = scope.enterprise
    if scope.kind == "project" and ids["project"] is None:
        ids["project"] = scope.project
    # A drill-down to an enterprise or project the caller may not see is "not found", never an empty dashboard.
    resolve_enterprise(user, ids["enterprise"])
    resolve_project(user, ids["project"])
    return Query(user=user, region=region, as_of=as_of, enterprise_id=ids["enterprise"], project_id=ids["project"])


def parse_year(params, default: int) -> int:
    raw = (params.get("year") or "").strip()
    if not raw:
        return default
    if not raw.isdigit() or not 2000 <= int(raw) <= 2100:
        raise ValidationError({"year": [_("Enter a year such as 2025.")]})
    return int(raw)


def parse_month(params, today: dt.date | None = None) -> tuple[int, int]:
    """`month=YYYY-MM` of the monthly report (default: the month before the current one); ValidationError for a
    malformed month or one that has not begun."""
    today = today or beijing_today()
    raw = (params.get("month") or "").strip()
    if not raw:
        return (today.year, today.month - 1) if today.month > 1 else (today.year - 1, 12)
    match = _MONTH.match(raw)
    if not match or not 1 <= int(match.group(2)) <= 12:
        raise ValidationError({"month": [_("Enter a month as YYYY-MM, e.g. 2025-01.")]})
    year, month = int(match.group(1)), int(match.group(2))
    if (year, month) > (today.year, today.month):
        raise ValidationError({"month": [_("The month cannot be in the future.")]})
    if dt.date(year, month, 1) < EARLIEST:
        raise ValidationError({"month": [_("The month is too early.")]})
    return year, month
