"""Moving audit rows older than the retention period out of the table into a verified archive file.

等保 2.0 (GB/T 22239-2019, 8.1.4.3 安全审计) asks that audit records be kept at least six months: nothing younger
than `AUDIT_RETENTION_DAYS` is ever archived. Rows are written to a gzip-compressed JSON-lines file, the file is
read back and checked row by row and against its SHA-256 (kept beside it, `sha256sum -c` format), and only then
are exactly those rows deleted, in one transaction that also appends an `audit.archived` row naming the cutoff,
the id range, the row count and the file's checksum — so the table itself says where its older rows went.
"""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from zhiben.core.audit import audit
from zhiben.core.backup import file_digest
from zhiben.core.models import AuditLog
from zhiben.core.timeutils import BEIJING, beijing_today, start_of_beijing_day

AUDIT_RETENTION_DAYS = 180
FIELDS = ["id", "at", "actor_id", "actor_name", "event", "object_type", "object_id", "ip", "data"]


class ArchiveRefused(Exception):
    """The archive was refused or could not be verified; nothing was deleted."""


@dataclass
class ArchiveResult:
    cutoff: dt.datetime
    rows: int
    output: Path | None
    checksum_file: Path | None
    sha256: str = ""
    first_id: int | None = None
    last_id: int | None = None


def latest_allowed_cutoff() -> dt.datetime:
    """Midnight (Beijing) of the day `AUDIT_RETENTION_DAYS` ago: every row before it is older than the period."""
    return start_of_beijing_day(beijing_today() - dt.timedelta(days=AUDIT_RETENTION_DAYS))


def resolve_cutoff(*, before: dt.date | None = None, older_than_days: int = AUDIT_RETENTION_DAYS) -> dt.datetime:
    """The exclusive upper bound of what to archive: midnight, Beijing time, of `before` or of the day
    `older_than_days` ago. Refuses anything that would reach into the retention period."""
    if older_than_days < AUDIT_RETENTION_DAYS:
        raise ArchiveRefused(f"audit rows are kept at least {AUDIT_RETENTION_DAYS} days (等保 2.0); "
                             f"--older-than-days {older_than_days} is refused")
    day = before or (beijing_today() - dt.timedelta(days=older_than_days))
    cutoff = start_of_beijing_day(day)
    allowed = latest_allowed_cutoff()
    if cutoff > allowed:
        raise ArchiveRefused(
            f"audit rows are kept at least {AUDIT_RETENTION_DAYS} days (等保 2.0): the latest date allowed today is "
            f"--before {allowed.astimezone(BEIJING).date().isoformat()} (Beijing time); {day.isoformat()} is refused"
        )
    return cutoff


def _record(row: dict) -> str:
    row = dict(row)
    row["at"] = row["at"].astimezone(dt.UTC).isoformat()
    return json.dumps(row, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


class _IdTrail:
    """Count, first and last id and a digest of the id sequence: compares what was written with what is read
    back without holding every id in memory (an archive may hold millions of rows)."""

    def __init__(self):
        self.count = 0
        self.first: int | None = None
        self.last: int | None = None
        self._digest = hashlib.sha256()

    def add(self, row_id: int) -> None:
        self.count += 1
        self.first = row_id if self.first is None else self.first
        self.last = row_id
        self._digest.update(f"{row_id},".encode())

    def key(self) -> tuple:
        return self.count, self.first, self.last, self._digest.hexdigest()


def _write(path: Path, rows) -> _IdTrail:
    trail = _IdTrail()
    with gzip.open(path, "wt", encoding="utf-8") as f:
        for row in rows:
            f.write(_record(row) + "\n")
            trail.add(row["id"])
    with path.open("rb") as f:
        os.fsync(f.fileno())
    return trail


def _read_back(path: Path) -> _IdTrail:
    trail = _IdTrail()
    with gzip.open(path, "rt", encoding="utf-8") as f:
        for line in f:
            trail.add(json.loads(line)["id"])
    return trail


def archive_audit(*, cutoff: dt.datetime, output: Path) -> ArchiveResult:
    """Archive every audit row recorded before `cutoff` to `output`, verify the file, then delete those rows.

    `cutoff` must come from `resolve_cutoff` (the retention period is checked again here). With no row to
    archive, no file is written and nothing changes.
    """
    if cutoff > latest_allowed_cutoff():
        raise ArchiveRefused(f"audit rows are kept at least {AUDIT_RETENTION_DAYS} days (等保 2.0)")
    output = Path(output)
    checksum_file = output.with_name(output.name + ".sha256")
    for path in (output, checksum_file):
        if path.exists():
            raise ArchiveRefused(f"{path} already exists; choose another name (archives are never overwritten)")
    selected = AuditLog.objects.filter(at__lt=cutoff).order_by("id")
    if not selected.exists():
        return ArchiveResult(cutoff=cutoff, rows=0, output=None, checksum_file=None)
    output.parent.mkdir(parents=True, exist_ok=True)
    partial = output.with_name(output.name + ".partial")
    try:
        written = _write(partial, selected.values(*FIELDS).iterator(chunk_size=2000))
        sha256, _size = file_digest(partial)
        # Read the file back before anything is deleted: every row must be there, in order, and parse.
        if _read_back(partial).key() != written.key():
            raise ArchiveRefused(f"{output}: the archive read back differs from the rows written; nothing deleted")
        os.replace(partial, output)
    finally:
        partial.unlink(missing_ok=True)
    checksum_file.write_text(f"{sha256}  {output.name}\n", encoding="utf-8")
    if file_digest(output)[0] != sha256:
        raise ArchiveRefused(f"{output}: the checksum of the stored archive does not match; nothing deleted")
    # The same predicate as the archive's (no row recorded before the cutoff can appear later: `at` is the insert
    # time), bounded by the last archived id; a different count means something changed, so nothing is deleted.
    with transaction.atomic():
        deleted = AuditLog.objects.filter(at__lt=cutoff, id__lte=written.last).delete()[0]
        if deleted != written.count:
            raise ArchiveRefused(f"expected to delete {written.count} audit rows but found {deleted}; "
                                 "nothing deleted")
        audit("audit.archived", actor_name="manage.py archive_audit", cutoff=cutoff.isoformat(), rows=written.count,
              first_id=written.first, last_id=written.last, sha256=sha256, archive=output.name)
    return ArchiveResult(cutoff=cutoff, rows=written.count, output=output, checksum_file=checksum_file,
                         sha256=sha256, first_id=written.first, last_id=written.last)
