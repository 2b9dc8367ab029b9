"""Reads of reports shared by the pages, the API and the dashboard, always scoped through
`services.reports_visible_to` (regulators of the report's region only)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db.models import Count, F, Q, Sum
from django.db.models.functions import TruncMonth

from zhiben.core.scoping import region_range
from zhiben.core.timeutils import BEIJING, end_of_beijing_day, start_of_beijing_day
from zhiben.reports.models import Reward
from zhiben.reports.services import reports_visible_to
from zhiben.reports.states import Outcome, RewardStatus, Status


def report_statistics(user, *, start: dt.date, end: dt.date, region: int | None = None) -> dict:
    """Whistleblowing figures for reports submitted from `start` to `end` (Beijing dates, inclusive): by month,
    channel and outcome; time to verify; the share verified within the time limit; rewards proposed and paid.
    `region` narrows the caller's scope to a region and everything under it."""
    reports = reports_visible_to(user).filter(submitted_at__gte=start_of_beijing_day(start),
                                              submitted_at__lt=end_of_beijing_day(end))
    if region is not None:
        lo, hi = region_range(int(region))
        reports = reports.filter(region_id__gte=lo, region_id__lte=hi)
    months = [
        {"month": row["month"].astimezone(BEIJING).strftime("%Y-%m"), "total": row["total"],
         "public": row["public"], "internal": row["internal"], "substantiated": row["substantiated"]}
        for row in reports.annotate(month=TruncMonth("submitted_at", tzinfo=BEIJING)).values("month")
        .annotate(total=Count("id"), public=Count("id", filter=Q(internal=False)),
                  internal=Count("id", filter=Q(internal=True)),
                  substantiated=Count("id", filter=Q(outcome=Outcome.SUBSTANTIATED))).order_by("month")
    ]
    totals = reports.aggregate(
        total=Count("id"), internal=Count("id", filter=Q(internal=True)),
        verified=Count("id", filter=Q(verified_at__isnull=False)),
        within_limit=Count("id", filter=Q(verified_at__isnull=False, verified_at__lte=F("due_at"))),
        awaiting=Count("id", filter=Q(status__in=[Status.RECEIVED, Status.ASSIGNED])),
        **{o: Count("id", filter=Q(outcome=o)) for o in Outcome.values},
    )
    durations = [
        (verified - submitted).total_seconds() / 3600
        for submitted, verified in reports.filter(verified_at__isnull=False).values_list("submitted_at",
                                                                                          "verified_at")
    ]
    durations.sort()
    rewards = Reward.objects.filter(report__in=reports)
    money = {status: rewards.filter(status=status).aggregate(n=Count("id"), amount=Sum("amount"))
             for status in (RewardStatus.PROPOSED, RewardStatus.APPROVED, RewardStatus.PAID)}
    return {
        "start": start.isoformat(), "end": end.isoformat(), "months": months, **totals,
        "verified_within_limit_share": round(totals["within_limit"] / totals["verified"], 4)
        if totals["verified"] else None,
        "median_hours_to_verify": round(_median(durations), 1) if durations else None,
        "rewards": {status: {"count": row["n"], "amount": str(row["amount"] or Decimal(0))}
                    for status, row in money.items()},
    }


def _median(values: list[float]) -> float:
    middle = len(values) // 2
    return values[middle] if len(values) % 2 else (values[middle - 1] + values[middle]) / 2


def overdue_reports(user):
    """Reports awaiting verification past their time limit (the triage queue's red rows)."""
    from django.utils import timezone

    return reports_visible_to(user).awaiting().filter(due_at__lt=timezone.now())

