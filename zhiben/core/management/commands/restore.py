"""Restore a backup archive into an empty embedded instance, then prove every registered integrity check."""

from __future__ import annotations

from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connections
from django.db.migrations.executor import MigrationExecutor

from zhiben.core.audit import audit
from zhiben.core.backup import BackupError, file_digest, restore_archive
from zhiben.core.integrity import run_checks


class Command(BaseCommand):
    help = ("Restore an archive written by `manage.py backup` into an empty instance (stop the server first), "
            "apply any newer migrations, then verify every hazard history chain; exit 1 if any is broken.")

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="the .tar.gz written by manage.py backup")
        parser.add_argument("--force", action="store_true",
                            help="overwrite a database that holds data and files already in MEDIA_ROOT")

    def handle(self, *args, **options):
        using = "default"
        archive: Path = options["path"]
        try:
            result = restore_archive(archive, force=options["force"], using=using)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        manifest = result.manifest
        self.stdout.write(
            f"Restored the backup of {manifest['created_at']} (zhiben {manifest['zhiben_version']}): database and "
            f"{result.media_files} uploaded files."
        )
        executor = MigrationExecutor(connections[using])
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
        if pending:
            self.stdout.write(f"Applying {len(pending)} migrations newer than the backup…")
            call_command("migrate", database=using, interactive=False, verbosity=0)
        results = run_checks()
        broken = [r for r in results if not r.ok]
        for r in results:
            if r.ok:
                self.stdout.write(self.style.SUCCESS(f"{r.name}: {r.checked} verified, all intact"))
            else:
                self.stdout.write(self.style.ERROR(f"{r.name}: {len(r.problems)} of {r.checked} fail verification"))
                for line in r.problems:
                    self.stdout.write(self.style.ERROR(f"  {line}"))
        audit("backup.restored", actor_name="manage.py restore", archive=str(archive),
              sha256=file_digest(archive)[0], created_at=manifest["created_at"], forced=options["force"],
              checks={r.name: {"checked": r.checked, "problems": len(r.problems)} for r in results})
        if broken:
            raise CommandError("the restored data fails verification: " + ", ".join(r.name for r in broken))
        self.stdout.write(self.style.SUCCESS("Restore complete; every integrity check passed."))
