"""Beijing-time helpers: times are stored in UTC; the business day is Asia/Shanghai."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.utils import timezone

BEIJING = ZoneInfo("Asia/Shanghai")


def beijing_today() -> dt.date:
    return timezone.now().astimezone(BEIJING).date()


def beijing_date(moment: dt.datetime) -> dt.date:
    return moment.astimezone(BEIJING).date()


def end_of_beijing_day(day: dt.date) -> dt.datetime:
    """The first instant after `day` in Beijing time (exclusive bound), as an aware datetime."""
    return dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min, tzinfo=BEIJING)


def start_of_beijing_day(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=BEIJING)
