"""Check (and repair) the maintained aggregates — state intervals and current-state tallies — against the
hazards' histories."""

from django.core.management.base import BaseCommand, CommandError

from zhiben.hazards import tallies
from zhiben.hazards.spans import check_spans


class Command(BaseCommand):
    help = ("Compare every hazard's state intervals with its history, and the current-state tallies with the "
            "intervals; --repair fixes both.")

    def add_arguments(self, parser):
        parser.add_argument("--repair", action="store_true", help="rebuild what differs")

    def handle(self, *args, repair, **options):
        bad = list(check_spans(repair=repair))
        tallies_differ = tallies.stored() != tallies.computed()
        if repair:
            count = tallies.rebuild()
            self.stdout.write(self.style.SUCCESS(
                f"state intervals repaired: {len(bad)} hazard(s) differed; tallies rebuilt ({count})"))
            return
        if bad or tallies_differ:
            problems = []
            if bad:
                problems.append(f"{len(bad)} hazards have intervals that differ from their history "
                                f"(first ids: {bad[:10]})")
            if tallies_differ:
                problems.append("the current-state tallies differ from the intervals")
            raise CommandError("; ".join(problems) + "; run with --repair")
        self.stdout.write(self.style.SUCCESS("state intervals and tallies checked: all equal to the histories"))
