"""`manage.py archive_audit` keeps every audit row of the last 180 days (等保 2.0), Beijing-time days: it refuses
a younger cutoff, writes exactly the older rows to a verified gzip JSON-lines file with its SHA-256, deletes only
those, and records the archive in the audit log itself."""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import io
import json

import pytest
import time_machine
from django.core.management import CommandError, call_command

from zhiben.core import audit_archive
from zhiben.core.audit import audit
from zhiben.core.models import AuditLog
from zhiben.core.timeutils import BEIJING

pytestmark = pytest.mark.django_db

# A frozen today; 180 days before 2026-07-01 is 2026-01-02, so the default cutoff is 2026-01-02 00:00 Beijing
# (2026-01-01 16:00 UTC).
NOW = dt.datetime(2026, 7, 1, 10, 0, tzinfo=BEIJING)
UTC = dt.UTC


def row(event: str, at: dt.datetime) -> AuditLog:
    entry = audit(event, actor_name="tester", note=event)
    AuditLog.objects.filter(pk=entry.pk).update(at=at)
    return entry


@pytest.fixture
def rows():
    """Rows on each side of the default cutoff, including the Beijing/UTC date edges."""
    with time_machine.travel(NOW, tick=False):
        older = [
            row("old.year", dt.datetime(2025, 3, 5, 9, 0, tzinfo=BEIJING)),
            row("old.last-second", dt.datetime(2026, 1, 1, 23, 59, 59, tzinfo=BEIJING)),
            row("old.utc-same-day", dt.datetime(2026, 1, 1, 15, 59, 59, tzinfo=UTC)),  # 23:59:59 Beijing
        ]
        kept = [
            row("kept.midnight", dt.datetime(2026, 1, 2, 0, 0, tzinfo=BEIJING)),
            row("kept.utc-previous-day", dt.datetime(2026, 1, 1, 16, 30, tzinfo=UTC)),  # 2026-01-02 00:30 Beijing
            row("kept.recent", NOW - dt.timedelta(hours=1)),
        ]
    return older, kept


def run(*args: str) -> str:
    out = io.StringIO()
    with time_machine.travel(NOW, tick=False):
        call_command("archive_audit", *args, stdout=out)
    return out.getvalue()


def test_it_archives_and_deletes_exactly_the_rows_before_the_beijing_day_180_days_ago(rows, tmp_path):
    older, kept = rows
    output = tmp_path / "audit-2025.jsonl.gz"

    message = run("--output", str(output))

    assert "Archived and deleted 3 audit rows recorded before 2026-01-02 (Beijing time)" in message
    with gzip.open(output, "rt", encoding="utf-8") as f:
        archived = [json.loads(line) for line in f]
    assert [r["id"] for r in archived] == sorted(e.pk for e in older)
    first = next(r for r in archived if r["event"] == "old.year")
    assert first == {"id": older[0].pk, "at": "2025-03-05T01:00:00+00:00", "actor_id": None, "actor_name": "tester",
                     "event": "old.year", "object_type": "", "object_id": "", "ip": None,
                     "data": {"note": "old.year"}}
    digest = hashlib.sha256(output.read_bytes()).hexdigest()
    assert (tmp_path / "audit-2025.jsonl.gz.sha256").read_text() == f"{digest}  audit-2025.jsonl.gz\n"
    remaining = set(AuditLog.objects.values_list("event", flat=True))
    assert remaining == {e.event for e in kept} | {"audit.archived"}
    record = AuditLog.objects.get(event="audit.archived")
    assert record.data == {
        "cutoff": "2026-01-02T00:00:00+08:00", "rows": 3, "first_id": min(e.pk for e in older),
        "last_id": max(e.pk for e in older), "sha256": digest, "archive": "audit-2025.jsonl.gz",
    }


def test_before_takes_a_beijing_date_at_most_180_days_ago(rows, tmp_path):
    with pytest.raises(CommandError, match="the latest date allowed today is --before 2026-01-02"):
        run("--before", "2026-01-03", "--output", str(tmp_path / "a.jsonl.gz"))
    assert not (tmp_path / "a.jsonl.gz").exists()
    assert AuditLog.objects.count() == 6

    run("--before", "2025-12-31", "--output", str(tmp_path / "b.jsonl.gz"))

    assert not AuditLog.objects.filter(event="old.year").exists()
    assert AuditLog.objects.filter(event__startswith="old.").count() == 2  # 2026-01-01 (Beijing) stays


@pytest.mark.parametrize("days", ["179", "30", "0", "-1"])
def test_fewer_than_180_days_is_refused(rows, tmp_path, days):
    with pytest.raises(CommandError, match="kept at least 180 days"):
        run("--older-than-days", days, "--output", str(tmp_path / "a.jsonl.gz"))
    assert AuditLog.objects.count() == 6
    assert list(tmp_path.iterdir()) == []


def test_more_days_archive_less(rows, tmp_path):
    run("--older-than-days", "365", "--output", str(tmp_path / "a.jsonl.gz"))  # before 2025-07-01
    assert not AuditLog.objects.filter(event="old.year").exists()
    assert AuditLog.objects.filter(event__startswith="old.").count() == 2


def test_an_existing_archive_is_never_overwritten(rows, tmp_path):
    output = tmp_path / "a.jsonl.gz"
    output.write_bytes(b"earlier archive")
    with pytest.raises(CommandError, match="already exists"):
        run("--output", str(output))
    assert output.read_bytes() == b"earlier archive"
    assert AuditLog.objects.count() == 6


def test_nothing_is_deleted_when_the_archive_does_not_read_back(rows, tmp_path, monkeypatch):
    monkeypatch.setattr(audit_archive, "_read_back", lambda path: audit_archive._IdTrail())  # an empty file
    with pytest.raises(CommandError, match="read back differs"):
        run("--output", str(tmp_path / "a.jsonl.gz"))
    assert AuditLog.objects.count() == 6
    assert list(tmp_path.iterdir()) == []


def test_nothing_is_deleted_when_the_rows_changed_meanwhile(rows, tmp_path, monkeypatch):
    older, _ = rows
    write = audit_archive._write

    def write_then_lose_a_row(path, rows):
        trail = write(path, rows)
        AuditLog.objects.filter(pk=older[0].pk).delete()  # e.g. a concurrent run deleted it
        return trail

    monkeypatch.setattr(audit_archive, "_write", write_then_lose_a_row)
    with pytest.raises(CommandError, match="expected to delete 3 audit rows but found 2; nothing deleted"):
        run("--output", str(tmp_path / "a.jsonl.gz"))
    assert AuditLog.objects.count() == 5
    assert not AuditLog.objects.filter(event="audit.archived").exists()


def test_with_nothing_old_enough_no_file_is_written(tmp_path):
    with time_machine.travel(NOW, tick=False):
        row("recent", NOW - dt.timedelta(days=179))
    assert "nothing archived" in run("--output", str(tmp_path / "a.jsonl.gz"))
    assert list(tmp_path.iterdir()) == []
    assert AuditLog.objects.count() == 1


def test_a_malformed_date_is_refused(tmp_path):
    with pytest.raises(CommandError, match="not a date in YYYY-MM-DD form"):
        run("--before", "2025/12/31", "--output", str(tmp_path / "a.jsonl.gz"))
