"""Campaign dashboard pages: the overview with its drill-down (region → sub-region → enterprise → project → the
hazard list), the large screen for the bureau's wall, the Excel exports of its tables and the monthly report.

Parameters are parsed by params.py, the same as the API: malformed input is a 400 page that says what is wrong,
a region, enterprise or project outside the caller's scope is a 404. Every figure comes from
presentation.collect, i.e. from selectors.py.
"""

from __future__ import annotations

import datetime as dt
from io import BytesIO
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from zhiben.core.audit import audit
from zhiben.core.errors import NotFound
from zhiben.core.scoping import REGULATOR_ROLES, scope_of
from zhiben.core.timeutils import beijing_today
from zhiben.dashboard import exports, report, selectors
from zhiben.dashboard.params import parse_month, parse_query, parse_year
from zhiben.dashboard.presentation import chart_data, collect
from zhiben.dashboard.sections import campaign_sections
from zhiben.dashboard.selectors import Query

PAGE_ROLES = REGULATOR_ROLES | {"enterprise", "project"}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
SCREEN_REFRESH_SECONDS = 300


def _is_regulator(user) -> bool:
    return user.is_superuser or (getattr(user, "role", "") in REGULATOR_ROLES and scope_of(user).kind == "region")


def _require(user, *, regulators_only: bool = False) -> None:
    """Pages of the dashboard are for regulators and leaders, enterprises and project teams (each in its scope);
    the screen and the monthly report are the bureau's. Anyone else is told the page does not exist."""
    if _is_regulator(user):
        return
    if regulators_only or getattr(user, "role", "") not in PAGE_ROLES or scope_of(user).kind == "none":
        raise Http404


def _parse(user, params) -> tuple[Query, int]:
    """The query and year of a request; ValidationError (400) or Http404 (out of scope)."""
    try:
        q = parse_query(user, params)
    except NotFound:
        raise Http404 from None
    year = parse_year(params, q.as_of.year)
    if year > q.as_of.year:
        raise ValidationError({"year": [_("The year cannot be after the day the figures are taken on.")]})
    return q, year


def _errors(exc: ValidationError) -> dict[str, list[str]]:
    """The messages of a parameter error by parameter name."""
    return exc.message_dict


def _hazard_list_url(q: Query, **filters) -> str:
    """The hazard ledger filtered like the figure it explains (the list shows the current state)."""
    params = {"level": "major"}
    if q.region is not None:
        params["region"] = f"{q.region.pk:06d}"
    if q.enterprise_id:
        params["enterprise"] = q.enterprise_id
    if q.project_id:
        params["project"] = q.project_id
    params.update({k: v for k, v in filters.items() if v is not None})
    return f"{reverse('hazards:list')}?{urlencode(params)}"


def _dashboard_url(params, name: str = "dashboard:campaign", **changes) -> str:
    """This page with some parameters replaced (None drops one); as_of and year are kept when given."""
    query = {k: params.get(k) for k in ("region", "enterprise", "project", "as_of", "year") if params.get(k)}
    for key, value in changes.items():
        if value is None:
            query.pop(key, None)
        else:
            query[key] = value
    return f"{reverse(name)}?{urlencode(query)}" if query else reverse(name)


def _add_links(figures: dict, q: Query, params) -> dict:
    """Drill-down and hazard-list links beside the figures (in place)."""
    figures["links"] = {
        "stock_total": _hazard_list_url(q, is_stock="true"),
        "stock_closed": _hazard_list_url(q, is_stock="true", status="closed"),
        "stock_open": _hazard_list_url(q, is_stock="true", status="open"),
        "increment_total": _hazard_list_url(q, is_stock="false"),
        "increment_closed": _hazard_list_url(q, is_stock="false", status="closed"),
        "increment_open": _hazard_list_url(q, is_stock="false", status="open"),
        "open_major": _hazard_list_url(q, status="open"),
        "overdue_major": _hazard_list_url(q, is_overdue="true"),
        "escalated_major": _hazard_list_url(q, escalated="true", status="open"),
        "all_major": _hazard_list_url(q),
    }
    for row in figures["rankings_enterprises"]:
        row["drill_url"] = _dashboard_url(params, enterprise=row["id"], project=None)
        sub = Query(user=q.user, region=q.region, as_of=q.as_of, enterprise_id=row["id"])
        row["open_url"] = _hazard_list_url(sub, status="open")
        row["overdue_url"] = _hazard_list_url(sub, is_overdue="true")
    for row in figures["rankings_projects"]:
        row["drill_url"] = _dashboard_url(params, project=row["id"])
        sub = Query(user=q.user, region=q.region, as_of=q.as_of, enterprise_id=q.enterprise_id, project_id=row["id"])
        row["open_url"] = _hazard_list_url(sub, status="open")
        row["overdue_url"] = _hazard_list_url(sub, is_overdue="true")
    for row in figures["regions"] or []:
        row["drill_url"] = _dashboard_url(params, region=row["code"]) if row["code"] else None
    return figures


def _years(as_of) -> list[int]:
    return list(range(as_of.year, min(2023, as_of.year) - 1, -1))


def _previous_month(today) -> str:
    year, month = (today.year, today.month - 1) if today.month > 1 else (today.year - 1, 12)
    return f"{year}-{month:02d}"


@login_required
@require_GET
def campaign(request):
    user = request.user
    _require(user)
    params = request.GET
    today = beijing_today()
    base = {"today": today, "params": params, "can_report": _is_regulator(user), "report_month": _previous_month(today),
            "years": _years(today)}
    try:
        q, year = _parse(user, params)
    except ValidationError as exc:
        return render(request, "dashboard/campaign.html", {**base, "errors": _errors(exc)}, status=400)
    enterprise = selectors.resolve_enterprise(user, q.enterprise_id)
    project = selectors.resolve_project(user, q.project_id)
    if project is not None and enterprise is None:
        try:  # the trail goes through the project's contractor when the caller may open its dashboard
            enterprise = selectors.resolve_enterprise(user, project.contractor_id)
        except NotFound:
            enterprise = None
    figures = _add_links(collect(q, year), q, params)
    sections = []
    if _is_regulator(user) and enterprise is None and project is None:
        sections = campaign_sections(user, q.region, dt.date(year, 1, 1), min(q.as_of, dt.date(year, 12, 31)))
    return render(request, "dashboard/campaign.html", {
        "sections": sections,
        **base,
        "q": q,
        "year": year,
        "years": _years(q.as_of),
        "figures": figures,
        "charts": chart_data(figures),
        "trail": [{"region": r, "url": _dashboard_url(params, region=f"{r.pk:06d}", enterprise=None, project=None)}
                  for r in selectors.region_trail(user, q.region)],
        "enterprise": enterprise,
        "enterprise_url": _dashboard_url(params, enterprise=enterprise.pk, project=None) if enterprise else None,
        "project": project,
        "is_past": q.as_of < today,
        "export_params": urlencode({k: v for k, v in params.items() if k != "table"}),
        "report_params": urlencode({"region": f"{q.region.pk:06d}"}) if q.region else "",
    })


@login_required
@require_GET
def screen(request):
    """大屏: today's figures of the region for the wall display; refreshes itself every five minutes."""
    user = request.user
    _require(user, regulators_only=True)
    params = {"region": request.GET.get("region", "")}
    try:
        q, year = _parse(user, params)
    except ValidationError as exc:
        return render(request, "dashboard/error.html", {"errors": _errors(exc)}, status=400)
    figures = collect(q, year, rankings_limit=5)
    return render(request, "dashboard/screen.html", {
        "q": q, "year": year, "figures": figures, "charts": chart_data(figures),
        "found_this_year": figures["campaign"]["increment"]["by_year"].get(str(year), 0),
        "refreshed_at": timezone.localtime(), "refresh_seconds": SCREEN_REFRESH_SECONDS,
    })


def _about(q: Query, year: int, user) -> list[tuple[str, str]]:
    enterprise = selectors.resolve_enterprise(user, q.enterprise_id)
    project = selectors.resolve_project(user, q.project_id)
    rows = [(_("Region"), f"{q.region.name} ({q.region.pk:06d})" if q.region else _("All regions"))]
    if enterprise:
        rows.append((_("Enterprise"), enterprise.name))
    if project:
        rows.append((_("Project"), project.name))
    rows += [
        (_("As of"), _("end of %(day)s, Beijing time") % {"day": q.as_of.isoformat()}),
        (_("Year"), str(year)),
        (_("Major hazards only"), _("Yes")),
        (_("Generated at"), timezone.localtime().strftime("%Y-%m-%d %H:%M")),
        (_("Formulas"), "docs/metrics.md"),
    ]
    return rows


@login_required
@require_GET
def export(request):
    """One table of the page as .xlsx (?table=…), with the page's parameters and the page's figures."""
    user = request.user
    _require(user)
    table = request.GET.get("table", "")
    try:
        if table not in exports.TABLES:
            raise ValidationError({"table": [_("Choose one of: %(tables)s.") % {"tables": ", ".join(exports.TABLES)}]})
        q, year = _parse(user, request.GET)
    except ValidationError as exc:
        return render(request, "dashboard/error.html", {"errors": _errors(exc)}, status=400)
    figures = collect(q, year)
    content = exports.workbook(table, figures, _about(q, year, user))
    audit("dashboard.exported", actor=user, request=request, table=table,
          filters={k: v for k, v in request.GET.items() if k != "table"})
    region = f"{q.region.pk:06d}" if q.region else "all"
    response = FileResponse(BytesIO(content), as_attachment=True, content_type=XLSX,
                            filename=f"campaign-{table}-{region}-{q.as_of.isoformat()}.xlsx")
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_GET
def monthly_report(request):
    """月报: the region's figures as of the end of ?month=YYYY-MM, as a Word document to send to the city."""
    user = request.user
    _require(user, regulators_only=True)
    try:
        year, month = parse_month(request.GET)
        q, _year = _parse(user, {"region": request.GET.get("region", "")})
        if q.region is None:
            raise ValidationError({"region": [_("Choose the region of the report.")]})
    except ValidationError as exc:
        return render(request, "dashboard/error.html", {"errors": _errors(exc)}, status=400)
    figures = report.report_figures(user=user, region=q.region, year=year, month=month)
    content = report.render(figures, region=q.region, year=year, month=month)
    audit("dashboard.monthly_report", actor=user, request=request, region=q.region.pk, month=f"{year}-{month:02d}")
    response = FileResponse(BytesIO(content), as_attachment=True, content_type=DOCX,
                            filename=f"monthly-report-{q.region.pk:06d}-{year}-{month:02d}.docx")
    response["Cache-Control"] = "no-store"
    return response
