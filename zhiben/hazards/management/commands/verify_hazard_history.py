"""Verify every hazard's hash-chained history and name each hazard whose history was altered."""

from django.core.management.base import BaseCommand, CommandError

from zhiben.hazards.history import verify_all
from zhiben.hazards.models import Hazard


class Command(BaseCommand):
    help = "Recompute the hash chain of every hazard's history; exit 1 and list the hazards that were altered."

    def handle(self, *args, **options):
        problems = list(verify_all())
        total = Hazard.objects.count()
        for p in problems:
            self.stdout.write(self.style.ERROR(f"{p.code} (id {p.hazard_id}): event {p.seq}: {p.reason}"))
        if problems:
            raise CommandError(f"{len(problems)} of {total} hazard histories fail verification")
        self.stdout.write(self.style.SUCCESS(f"{total} hazard histories verified, all intact"))
