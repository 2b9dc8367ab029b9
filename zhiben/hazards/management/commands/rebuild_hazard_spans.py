"""Check (and repair) the maintained state intervals against the hazards' histories."""

from django.core.management.base import BaseCommand, CommandError

from zhiben.hazards.spans import check_spans


class Command(BaseCommand):
    help = "Compare every hazard's state intervals (dashboard aggregate) with its history; --repair fixes them."

    def add_arguments(self, parser):
        parser.add_argument("--repair", action="store_true", help="rebuild the intervals that differ")

    def handle(self, *args, repair, **options):
        bad = list(check_spans(repair=repair))
        if bad and not repair:
            raise CommandError(f"{len(bad)} hazards have intervals that differ from their history "
                               f"(first ids: {bad[:10]}); run with --repair")
        verb = "repaired" if repair else "checked"
        self.stdout.write(self.style.SUCCESS(f"state intervals {verb}: {len(bad)} hazard(s) differed"))
