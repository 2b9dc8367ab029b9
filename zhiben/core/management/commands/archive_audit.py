"""Archive audit rows older than the retention period (≥ 180 days, 等保 2.0) to a verified file, then delete them."""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from zhiben.core.audit_archive import AUDIT_RETENTION_DAYS, ArchiveRefused, archive_audit, resolve_cutoff
from zhiben.core.timeutils import BEIJING


def iso_date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not a date in YYYY-MM-DD form: {value!r}") from exc


class Command(BaseCommand):
    help = (f"Write audit rows recorded before a Beijing-time date to a gzip JSON-lines archive with a SHA-256 file, "
            f"verify it, then delete those rows. Rows younger than {AUDIT_RETENTION_DAYS} days are never archived.")

    def add_arguments(self, parser):
        when = parser.add_mutually_exclusive_group()
        when.add_argument("--before", type=iso_date, metavar="YYYY-MM-DD",
                          help="archive rows recorded before this date (00:00 Beijing time)")
        when.add_argument("--older-than-days", type=int, default=AUDIT_RETENTION_DAYS, metavar="N",
                          help=f"archive rows recorded before the day N days ago, Beijing time "
                               f"(default and minimum {AUDIT_RETENTION_DAYS})")
        parser.add_argument("--output", type=Path, required=True,
                            help="archive file to write, e.g. audit-2025.jsonl.gz")

    def handle(self, *args, **options):
        try:
            cutoff = resolve_cutoff(before=options["before"], older_than_days=options["older_than_days"])
            result = archive_audit(cutoff=cutoff, output=options["output"])
        except ArchiveRefused as exc:
            raise CommandError(str(exc)) from exc
        day = cutoff.astimezone(BEIJING).date().isoformat()
        if not result.rows:
            self.stdout.write(f"No audit rows recorded before {day} (Beijing time); nothing archived.")
            return
        self.stdout.write(self.style.SUCCESS(
            f"Archived and deleted {result.rows} audit rows recorded before {day} (Beijing time), ids "
            f"{result.first_id}–{result.last_id}, to {result.output} (SHA-256 {result.sha256}, in "
            f"{result.checksum_file})."
        ))
