"""Check (and repair) the maintained aggregates — state intervals, current-state tallies and the closing tallies
of stored past days — against the hazards' histories."""

from django.core.management.base import BaseCommand, CommandError

from zhiben.hazards import snapshots, tallies
from zhiben.hazards.spans import check_spans


class Command(BaseCommand):
    help = ("Compare every hazard's state intervals with its history, and the current-state tallies and the "
            "stored closing tallies of past days with the intervals; --repair fixes all three.")

    def add_arguments(self, parser):
        parser.add_argument("--repair", action="store_true", help="rebuild what differs")

    def handle(self, *args, repair, **options):
        bad = list(check_spans(repair=repair))
        tallies_differ = tallies.stored() != tallies.computed()
        if repair:
            count = tallies.rebuild()
            days = snapshots.check(repair=True)
            self.stdout.write(self.style.SUCCESS(
                f"state intervals repaired: {len(bad)} hazard(s) differed; tallies rebuilt ({count}); "
                f"closing tallies rewritten for {len(days)} day(s) that differed"))
            return
        bad_days = snapshots.check()
        if bad or tallies_differ or bad_days:
            problems = []
            if bad:
                problems.append(f"{len(bad)} hazards have intervals that differ from their history "
                                f"(first ids: {bad[:10]})")
            if tallies_differ:
                problems.append("the current-state tallies differ from the intervals")
            if bad_days:
                problems.append(f"the closing tallies of {len(bad_days)} day(s) differ from the intervals "
                                f"(first: {', '.join(str(d) for d in bad_days[:5])})")
            raise CommandError("; ".join(problems) + "; run with --repair")
        self.stdout.write(self.style.SUCCESS(
            "state intervals, tallies and closing tallies checked: all equal to the histories"))
