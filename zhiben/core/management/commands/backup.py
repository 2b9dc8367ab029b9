"""Write a consistent backup archive of the embedded deployment (SQLite database and uploaded files)."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from zhiben.core.audit import audit
from zhiben.core.backup import BackupError, create_backup


def default_output() -> Path:
    stamp = timezone.now().strftime("%Y%m%dT%H%M%SZ")
    return Path(settings.VAR_DIR) / "backups" / f"zhiben-{stamp}.tar.gz"


class Command(BaseCommand):
    help = ("Back up the SQLite database (online backup API, safe while the server runs) and MEDIA_ROOT into one "
            ".tar.gz with a manifest of checksums. SQLite only: see docs/operations.md for PostgreSQL.")

    def add_arguments(self, parser):
        parser.add_argument("--output", type=Path, help="archive to write (default var/backups/zhiben-<UTC>.tar.gz)")

    def handle(self, *args, **options):
        output = options["output"] or default_output()
        try:
            manifest = create_backup(output)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        database = manifest["database"]
        audit("backup.created", actor_name="manage.py backup", archive=str(output),
              created_at=manifest["created_at"], media_files=manifest["media"]["files"],
              sha256=manifest["members"]["database.sqlite3"]["sha256"])
        self.stdout.write(self.style.SUCCESS(
            f"Backup written to {output}: database snapshot ({len(database['tables'])} tables, "
            f"{len(database['migrations'])} migrations applied) and {manifest['media']['files']} uploaded files "
            f"({manifest['media']['bytes']} bytes), created {manifest['created_at']}."
        ))
