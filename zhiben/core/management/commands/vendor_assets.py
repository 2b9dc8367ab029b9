from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from config.assets import copy_assets


class Command(BaseCommand):
    help = "Copy the front-end files installed by npm into var/vendor/ for collectstatic."

    def handle(self, *args, **options):
        try:
            copied = copy_assets(settings.VENDOR_DIR)
        except FileNotFoundError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"{len(copied)} front-end files ready in {settings.VENDOR_DIR}")
