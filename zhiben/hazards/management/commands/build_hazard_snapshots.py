"""(Re)build the closing tallies of past days (HazardSnapshot) from the state intervals, for a range of days."""

import datetime as dt
import time

from django.core.management.base import BaseCommand, CommandError

from zhiben.core.timeutils import beijing_date, beijing_today
from zhiben.hazards import snapshots
from zhiben.hazards.models import HazardSpan


def _day(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"not a date (YYYY-MM-DD): {value}") from exc


class Command(BaseCommand):
    help = ("Write the closing tallies of each completed Beijing day from --from (default: the ledger's first day) "
            "to --to (default: yesterday), computed from the state intervals; --missing skips stored days.")

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="first", type=_day, help="first day (YYYY-MM-DD)")
        parser.add_argument("--to", dest="last", type=_day, help="last day (YYYY-MM-DD), at most yesterday")
        parser.add_argument("--missing", action="store_true", help="only days not stored yet")

    def handle(self, *args, first, last, missing, **options):
        if first is None:
            earliest = HazardSpan.objects.order_by("valid_from").values_list("valid_from", flat=True).first()
            if earliest is None:
                self.stdout.write("no hazards: nothing to build")
                return
            first = beijing_date(earliest)
        last = last or beijing_today() - dt.timedelta(days=1)
        if first > last:
            raise CommandError("--from is after --to (or after yesterday)")
        started = time.perf_counter()
        days = snapshots.build(first, last, only_missing=missing)
        self.stdout.write(self.style.SUCCESS(
            f"closing tallies written for {len(days)} day(s) from {first} to {last}: "
            f"{time.perf_counter() - started:.1f} s"))
