from django.core.management.base import BaseCommand

from zhiben.standards.loader import load_standard_files
from zhiben.standards.models import Standard, StandardItem


class Command(BaseCommand):
    help = "Load the shipped standard versions (data/*.json) that are not in the database yet."

    def handle(self, *args, **options):
        added = load_standard_files(Standard, StandardItem)
        for line in added:
            self.stdout.write(f"+ {line}")
        self.stdout.write(f"{len(added)} standard version(s) added")
