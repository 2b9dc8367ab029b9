"""Campaign figures (BRIEF capability 12; API.md, Campaign dashboard; formulas in docs/metrics.md).

Every figure is computed from the population of major hazards as they stood at the end of the `as_of` day in
Beijing time: the hazard state intervals (hazards.HazardSpan, a maintained aggregate of the event histories)
that cover that instant. A hazard found later does not exist yet; one closed later is still open; one voided
(registered in error or merged) by then is left out.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, F, Q, QuerySet, Sum
from django.db.models.functions import ExtractMonth, ExtractYear, TruncDate

from zhiben.core.errors import NotFound
from zhiben.core.scoping import range_q, region_range, scope_of
from zhiben.core.timeutils import BEIJING, beijing_today, end_of_beijing_day
from zhiben.hazards.models import HazardSnapshot, HazardSnapshotDay, HazardSpan, HazardTally
from zhiben.hazards.states import LIVE, Level, Status
from zhiben.registry.models import Enterprise, Project, Region

STOCK_DEADLINE = dt.date(2024, 12, 31)       # 2024年底前基本消除2023年及以前排查发现的重大事故隐患存量
INCREMENT_DEADLINE = dt.date(2025, 12, 31)   # 2025年底前有效遏制重大事故隐患增量
ZEROING_DEADLINE = dt.date(2026, 12, 31)     # 2026年底前形成重大事故隐患动态清零的常态化机制


@dataclass(frozen=True)
class Query:
    """What a dashboard request asks for, after checking it against the caller's scope."""

    user: object
    region: Region | None
    as_of: dt.date
    enterprise_id: int | None = None
    project_id: int | None = None


def resolve_region(user, code: int | None) -> Region | None:
    """The region asked for, defaulting to a regulator's own; a region outside a regulator's scope is 404.

    Enterprise and project users default to no region: their scope is their enterprise or project wherever it
    builds (a user's region is the enterprise's home county, and its sites may lie in other counties)."""
    scope = scope_of(user)
    if code is None:
        if scope.kind == "region":
            return Region.objects.get(pk=scope.region)
        return None
    region = Region.objects.filter(pk=code).first()
    if region is None:
        raise NotFound()
    if scope.kind == "region" and not scope.covers_region(region.pk):
        raise NotFound()
    return region


def population(q: Query, *, level: str | None = Level.MAJOR) -> QuerySet[HazardSpan]:
    """The state of every visible hazard at the end of `as_of` (Beijing), void ones excluded."""
    spans = HazardSpan.objects.visible_to(q.user)
    if q.region is not None:
        spans = spans.filter(range_q("region_id", *region_range(q.region.pk)))
    if q.enterprise_id:
        spans = spans.filter(enterprise_id=q.enterprise_id)
    if q.project_id:
        spans = spans.filter(project_id=q.project_id)
    if level:
        spans = spans.filter(level=level)
    if q.as_of >= beijing_today():
        spans = spans.filter(valid_to__isnull=True)  # today: the current state (partial index)
    else:
        end = end_of_beijing_day(q.as_of)
        spans = spans.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=end), valid_from__lt=end)
    return spans.exclude(status=Status.VOID)


def _closed_on_time() -> Q:
    return Q(status=Status.CLOSED, deadline__gte=TruncDate("valid_from", tzinfo=BEIJING))


def _counts(as_of: dt.date) -> dict:
    """The aggregate expressions of the campaign figures (one definition for the county and each sub-region).

    They count `status` (never null, and in the covering indexes) rather than `id`, so PostgreSQL answers from
    the indexes alone."""
    live = Q(status__in=LIVE)
    return {
        "stock_total": Count("status", filter=Q(is_stock=True)),
        "stock_closed": Count("status", filter=Q(is_stock=True, status=Status.CLOSED)),
        "increment_total": Count("status", filter=Q(is_stock=False)),
        "increment_closed": Count("status", filter=Q(is_stock=False, status=Status.CLOSED)),
        "open_major": Count("status", filter=live),
        "overdue_major": Count("status", filter=live & Q(deadline__lt=as_of)),
        "escalated_major": Count("status", filter=live & Q(escalation_level__gt=0)),
    }


def _tally_counts(as_of: dt.date) -> dict:
    """The same figures as `_counts`, summed from the current-state tallies."""
    live = Q(status__in=LIVE)
    return {
        "stock_total": Sum("n", filter=Q(is_stock=True), default=0),
        "stock_closed": Sum("n", filter=Q(is_stock=True, status=Status.CLOSED), default=0),
        "increment_total": Sum("n", filter=Q(is_stock=False), default=0),
        "increment_closed": Sum("n", filter=Q(is_stock=False, status=Status.CLOSED), default=0),
        "open_major": Sum("n", filter=live, default=0),
        "overdue_major": Sum("n", filter=live & Q(deadline__lt=as_of), default=0),
        "escalated_major": Sum("n", filter=live & Q(escalated=True), default=0),
    }


def _tallies(q: Query) -> QuerySet[HazardTally] | None:
    """Today's figures of a region (or the platform) come from the maintained tallies: a sum over a few thousand
    rows instead of a scan of every hazard. Other questions (a past day, one enterprise) use the intervals."""
    scope = scope_of(q.user)
    if q.as_of < beijing_today() or q.enterprise_id or q.project_id or scope.kind not in {"all", "region"}:
        return None
    rows = HazardTally.objects.filter(level=Level.MAJOR).exclude(status=Status.VOID)
    if scope.kind == "region":
        rows = rows.filter(range_q("region_id", *scope.region_bounds))
    if q.region is not None:
        rows = rows.filter(range_q("region_id", *region_range(q.region.pk)))
    return rows


def _snapshot_counts() -> dict:
    """The same figures as `_counts`, summed from the closing tallies of a past day (overdue is stored)."""
    live = Q(status__in=LIVE)
    return {**_tally_counts(dt.date.min), "overdue_major": Sum("n", filter=live & Q(overdue=True), default=0)}


def _snapshots(q: Query) -> QuerySet[HazardSnapshot] | None:
    """A past day's figures of a region (or the platform) come from that day's closing tallies when they are
    stored (hazards/snapshots.py, decision 0012); a day without them is answered from the intervals."""
    scope = scope_of(q.user)
    if q.as_of >= beijing_today() or q.enterprise_id or q.project_id or scope.kind not in {"all", "region"}:
        return None
    if not HazardSnapshotDay.objects.filter(day=q.as_of).exists():
        return None
    rows = HazardSnapshot.objects.filter(day=q.as_of, level=Level.MAJOR).exclude(status=Status.VOID)
    if scope.kind == "region":
        rows = rows.filter(range_q("region_id", *scope.region_bounds))
    if q.region is not None:
        rows = rows.filter(range_q("region_id", *region_range(q.region.pk)))
    return rows


def campaign(q: Query, *, use_tallies: bool = True) -> dict:
    """The figures of API.md's campaign endpoint: from the tallies for today, from the closing tallies for a past
    day that has them, else from one grouped index-only scan of the state intervals at the end of `as_of`.
    `use_tallies=False` forces the intervals (the reference the tests compare with)."""
    tallied = _tallies(q) if use_tallies else None
    snapshot = _snapshots(q) if use_tallies and tallied is None else None
    if tallied is not None:
        rows = tallied.values("is_stock", year=F("found_year")).annotate(**_tally_counts(q.as_of)).order_by("year")
    elif snapshot is not None:
        rows = snapshot.values("is_stock", year=F("found_year")).annotate(**_snapshot_counts()).order_by("year")
    else:
        rows = (
            population(q).annotate(year=ExtractYear("found_on")).values("is_stock", "year")
            .annotate(**_counts(q.as_of)).order_by("year")
        )
    totals = dict.fromkeys(_counts(q.as_of), 0)
    by_year: dict[str, int] = {}
    for row in rows:
        for key in totals:
            totals[key] += row[key]
        if not row["is_stock"] and row["increment_total"]:
            by_year[str(row["year"])] = by_year.get(str(row["year"]), 0) + row["increment_total"]
    return {
        "region": f"{q.region.pk:06d}" if q.region else None,
        "as_of": q.as_of.isoformat(),
        "stock": {"total": totals["stock_total"], "closed": totals["stock_closed"],
                  "open": totals["stock_total"] - totals["stock_closed"]},
        "increment": {"total": totals["increment_total"], "closed": totals["increment_closed"],
                      "open": totals["increment_total"] - totals["increment_closed"], "by_year": by_year},
        "open_major": totals["open_major"],
        "overdue_major": totals["overdue_major"],
        "escalated_major": totals["escalated_major"],
    }


def on_time(q: Query, year: int) -> dict:
    """Major hazards found in `year` that were due by `as_of` (closed, or past their deadline): how many were
    closed within their deadline."""
    spans = population(q).filter(found_on__year=year)
    due = Q(status=Status.CLOSED) | Q(status__in=LIVE, deadline__lt=q.as_of)
    result = spans.aggregate(
        found=Count("status"), due=Count("status", filter=due), on_time=Count("status", filter=_closed_on_time()),
        closed=Count("status", filter=Q(status=Status.CLOSED)),
    )
    result["closed_late"] = result["closed"] - result["on_time"]
    result["rate"] = round(result["on_time"] / result["due"], 4) if result["due"] else None
    return result


def monthly(q: Query, year: int) -> list[dict]:
    """Per month of `year`: major hazards found, and closed (by the Beijing month of close-out)."""
    spans = population(q)
    found = dict(spans.filter(found_on__year=year).annotate(m=ExtractMonth("found_on")).values_list("m")
                 .annotate(n=Count("status")).values_list("m", "n"))
    closed_spans = spans.filter(status=Status.CLOSED).annotate(
        y=ExtractYear("valid_from", tzinfo=BEIJING), m=ExtractMonth("valid_from", tzinfo=BEIJING)
    ).filter(y=year)
    closed = dict(closed_spans.values_list("m").annotate(n=Count("status")).values_list("m", "n"))
    last = 12 if year < q.as_of.year else (q.as_of.month if year == q.as_of.year else 0)
    return [{"month": m, "found": found.get(m, 0), "closed": closed.get(m, 0)} for m in range(1, last + 1)]


def targets(q: Query) -> list[dict]:
    """The campaign's three targets, each on its deadline (if reached) and as of `as_of`."""
    def at(day: dt.date) -> Query:
        return Query(user=q.user, region=q.region, as_of=day, enterprise_id=q.enterprise_id,
                     project_id=q.project_id)

    def stock(day):
        figures = campaign(at(day))["stock"]
        rate = round(figures["closed"] / figures["total"], 4) if figures["total"] else None
        return {**figures, "rate": rate, "met": figures["open"] == 0}

    def increment(day):
        year_2024 = population(at(min(day, dt.date(2024, 12, 31)))).filter(found_on__year=2024).count()
        year_2025 = population(at(day)).filter(found_on__year=2025).count() if day.year >= 2025 else 0
        months_2025 = min(12, day.month if day.year == 2025 else 12) if day.year >= 2025 else 0
        punctual = on_time(at(day), 2025)
        rate = punctual["rate"]
        threshold = settings.CAMPAIGN_ON_TIME_TARGET
        monthly_2024 = year_2024 / 12
        monthly_2025 = year_2025 / months_2025 if months_2025 else None
        contained = monthly_2025 is not None and monthly_2025 <= monthly_2024 and (rate is None or rate >= threshold)
        return {"found_2024": year_2024, "found_2025": year_2025, "monthly_2024": round(monthly_2024, 2),
                "monthly_2025": round(monthly_2025, 2) if monthly_2025 is not None else None,
                "on_time_rate_2025": rate, "on_time_target": threshold, "met": contained}

    def zeroing(day):
        figures = campaign(at(day))
        punctual = on_time(at(day), 2026) if day.year >= 2026 else {"closed_late": 0, "rate": None}
        met = day.year >= 2026 and figures["overdue_major"] == 0 and punctual["closed_late"] == 0
        return {"overdue_major": figures["overdue_major"], "closed_late_2026": punctual["closed_late"],
                "on_time_rate_2026": punctual["rate"], "met": met}

    result = []
    for code, deadline, func in (("stock", STOCK_DEADLINE, stock), ("increment", INCREMENT_DEADLINE, increment),
                                 ("zeroing", ZEROING_DEADLINE, zeroing)):
        on_deadline = func(deadline) if deadline <= q.as_of else None
        result.append({"code": code, "deadline": deadline.isoformat(), "on_deadline": on_deadline,
                       "as_of": func(q.as_of)})
    return result


def rankings(q: Query, *, by: str = "enterprise", limit: int = 10) -> list[dict]:
    """Enterprises or projects with the most overdue, then open, major hazards as of `as_of`."""
    field = "enterprise_id" if by == "enterprise" else "project_id"
    rows = list(
        population(q).filter(status__in=LIVE).values(field)
        .annotate(open=Count("status"), overdue=Count("status", filter=Q(deadline__lt=q.as_of)),
                  escalated=Count("status", filter=Q(escalation_level__gt=0)))
        .order_by("-overdue", "-open", field)[:limit]
    )
    model = Enterprise if by == "enterprise" else Project
    names = dict(model.objects.filter(pk__in=[r[field] for r in rows]).values_list("pk", "name"))
    return [{"id": r[field], "name": names.get(r[field], ""), "open": r["open"], "overdue": r["overdue"],
             "escalated": r["escalated"]} for r in rows]


def channel_mix(q: Query, year: int | None = None) -> dict[str, int]:
    """Major hazards by the channel that found them first (self-inspection share shows a working self-check)."""
    from zhiben.hazards.models import Hazard

    ids = population(q).values("hazard_id")
    hazards = Hazard.objects.filter(pk__in=ids)
    if year:
        hazards = hazards.filter(found_on__year=year)
    return dict(hazards.values_list("first_channel").annotate(n=Count("status")).values_list("first_channel", "n"))


def escalations(q: Query) -> dict[str, int]:
    live = population(q).filter(status__in=LIVE, escalation_level__gt=0)
    return {str(k): v for k, v in live.values_list("escalation_level").annotate(n=Count("status"))
            .values_list("escalation_level", "n")}


# Days from found to closed, grouped for the chart (the default rectification period of a major hazard is 15 days).
CLOSE_BUCKETS = [("0–7", 0, 7), ("8–15", 8, 15), ("16–30", 16, 30), ("31–60", 31, 60), ("61+", 61, 10**6)]


def time_to_close(q: Query, year: int) -> dict:
    """Days from the day found to the day closed (Beijing), for major hazards closed in `year`; `buckets` counts
    them by CLOSE_BUCKETS."""
    rows = list(population(q).filter(status=Status.CLOSED).annotate(
        closed_on=TruncDate("valid_from", tzinfo=BEIJING), y=ExtractYear("valid_from", tzinfo=BEIJING),
    ).filter(y=year).values_list("found_on", "closed_on"))
    days = sorted((closed - found).days for found, closed in rows)
    buckets = [{"label": label, "count": sum(1 for d in days if lo <= d <= hi)} for label, lo, hi in CLOSE_BUCKETS]
    if not days:
        return {"count": 0, "average": None, "median": None, "buckets": buckets}
    middle = len(days) // 2
    median = days[middle] if len(days) % 2 else (days[middle - 1] + days[middle]) / 2
    return {"count": len(days), "average": round(sum(days) / len(days), 1), "median": median, "buckets": buckets}


def ratio(part: int, whole: int) -> float | None:
    """part / whole rounded to 4 places (a rate shown as a percentage with 2 decimals); None when whole is 0."""
    return round(part / whole, 4) if whole else None


# --- Drill-down: who may look at which enterprise or project, and the sub-regions of a region ---------------


def resolve_enterprise(user, pk: int | None) -> Enterprise | None:
    """The enterprise asked for by a drill-down, if the caller may see it (the registry lets them, or one of its
    hazards is in their scope, e.g. an enterprise of another county building here); otherwise NotFound (404)."""
    if pk is None:
        return None
    enterprise = Enterprise.objects.filter(pk=pk).select_related("region").first()
    if enterprise is None or not (
        Enterprise.objects.visible_to(user).filter(pk=pk).exists()
        or HazardSpan.objects.visible_to(user).filter(enterprise_id=pk).exists()
    ):
        raise NotFound()
    return enterprise


def resolve_project(user, pk: int | None) -> Project | None:
    """The project asked for by a drill-down, if the caller may see it; otherwise NotFound (404)."""
    if pk is None:
        return None
    project = Project.objects.filter(pk=pk).select_related("contractor", "region").first()
    if project is None or not (
        Project.objects.visible_to(user).filter(pk=pk).exists()
        or HazardSpan.objects.visible_to(user).filter(project_id=pk).exists()
    ):
        raise NotFound()
    return project


def sub_regions(region: Region | None) -> list[Region]:
    """The direct sub-regions of a region (the provinces when no region is given)."""
    qs = Region.objects.filter(parent=region) if region is not None else Region.objects.filter(parent__isnull=True)
    return list(qs.order_by("code"))


def region_trail(user, region: Region | None) -> list[Region]:
    """The region and its ancestors that the caller may also open, top first (breadcrumbs of the drill-down)."""
    scope = scope_of(user)
    trail: list[Region] = []
    node = region
    while node is not None and (scope.kind == "all" or scope.covers_region(node.pk)):
        trail.append(node)
        node = node.parent
    return list(reversed(trail))


def by_region(q: Query, *, use_tallies: bool = True) -> list[dict]:
    """The campaign figures of each direct sub-region of `q.region` (one GROUP BY over the tallies of today, the
    closing tallies of a stored past day, or else the population).

    Every sub-region is listed, with zeros where it has no hazard; hazards registered on the region itself
    rather than a sub-region form a last row with `region` None, shown only when it has any.
    """
    children = sub_regions(q.region)
    empty = dict.fromkeys(_counts(q.as_of), 0)
    totals: dict[int | None, dict] = {child.pk: dict(empty) for child in children}
    bounds = [(child.pk, *region_range(child.pk)) for child in children]
    tallied = _tallies(q) if use_tallies else None
    snapshot = _snapshots(q) if use_tallies and tallied is None else None
    if tallied is not None:
        rows = tallied.values("region_id").annotate(**_tally_counts(q.as_of)).order_by("region_id")
    elif snapshot is not None:
        rows = snapshot.values("region_id").annotate(**_snapshot_counts()).order_by("region_id")
    else:
        rows = population(q).values("region_id").annotate(**_counts(q.as_of)).order_by("region_id")
    for row in rows:
        code = int(row["region_id"])
        owner = next((pk for pk, lo, hi in bounds if lo <= code <= hi), None)
        bucket = totals.setdefault(owner, dict(empty))
        for key in empty:
            bucket[key] += row[key]
    result = []
    for child in [*children, None]:
        figures = totals.get(child.pk if child else None)
        if figures is None or (child is None and not any(figures.values())):
            continue
        result.append({
            "region": child,
            "code": f"{child.pk:06d}" if child else None,
            "name": child.name if child else (q.region.name if q.region else ""),
            "stock": {"total": figures["stock_total"], "closed": figures["stock_closed"],
                      "open": figures["stock_total"] - figures["stock_closed"],
                      "rate": ratio(figures["stock_closed"], figures["stock_total"])},
            "increment": {"total": figures["increment_total"], "closed": figures["increment_closed"],
                          "open": figures["increment_total"] - figures["increment_closed"]},
            "open_major": figures["open_major"],
            "overdue_major": figures["overdue_major"],
            "escalated_major": figures["escalated_major"],
        })
    return result


# --- Series and lists for the charts and the monthly report ----------------------------------------------------


def month_end(year: int, month: int) -> dt.date:
    """The last day of a month."""
    return (dt.date(year + month // 12, month % 12 + 1, 1)) - dt.timedelta(days=1)


def on_time_trend(q: Query, year: int) -> list[dict]:
    """`on_time(year)` as it stood at the end of each month of `year` up to `as_of` (the last point is as of
    `as_of` itself): the year-to-date on-time rate of campaign target 2, month by month."""
    if year > q.as_of.year:
        return []
    last = 12 if year < q.as_of.year else q.as_of.month
    result = []
    for month in range(1, last + 1):
        day = min(month_end(year, month), q.as_of)
        figures = on_time(Query(user=q.user, region=q.region, as_of=day, enterprise_id=q.enterprise_id,
                                project_id=q.project_id), year)
        result.append({"month": month, "due": figures["due"], "on_time": figures["on_time"],
                       "rate": figures["rate"]})
    return result


def overdue_and_escalated(q: Query, *, limit: int = 200) -> dict:
    """Major hazards still being rectified at the end of `as_of` that were past their deadline or escalated
    (挂牌督办) then, most overdue first; `total` counts them all, `rows` holds the first `limit`."""
    spans = population(q).filter(status__in=LIVE).filter(Q(deadline__lt=q.as_of) | Q(escalation_level__gt=0))
    total = spans.count()
    rows = []
    for span in spans.select_related("hazard", "project", "enterprise").order_by("deadline", "hazard_id")[:limit]:
        rows.append({
            "id": span.hazard_id, "code": span.hazard.code, "description": span.hazard.description,
            "project": span.project.name, "enterprise": span.enterprise.name, "found_on": span.found_on,
            "deadline": span.deadline, "days_overdue": max(0, (q.as_of - span.deadline).days),
            "escalation_level": span.escalation_level, "status": span.status, "is_stock": span.is_stock,
        })
    return {"total": total, "rows": rows}


__all__ = ["Query", "by_region", "campaign", "channel_mix", "escalations", "month_end", "monthly", "on_time",
           "on_time_trend", "overdue_and_escalated", "population", "rankings", "ratio", "region_trail",
           "resolve_enterprise", "resolve_project", "resolve_region", "sub_regions", "targets", "time_to_close"]
