"""A backup of a live instance restores into an empty one (a fresh SQLite file and MEDIA_ROOT, in a separate
`manage.py restore` process, as an operator runs it): every table holds the same rows, the evidence files are
back, and every hazard history chain verifies; a chain broken before the backup makes the restore exit non-zero.

SQLite only: on PostgreSQL `manage.py backup` refuses (pg_dump and WAL archiving, docs/operations.md), which
zhiben/core/tests/test_backup.py checks."""

from __future__ import annotations

import io
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django import db as django_db
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection

from zhiben.hazards import services
from zhiben.hazards.models import Hazard, HazardEvent

pytestmark = [
    pytest.mark.skipif("postgresql" in settings.DATABASES["default"]["ENGINE"],
                       reason="manage.py backup/restore cover the embedded SQLite deployment; PostgreSQL uses "
                              "pg_dump and WAL archiving (docs/operations.md)"),
    # Committed data, as a running server has: the backup reads what other connections would see.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256))
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n%%EOF\n"
ADDED_BY_THE_COMMANDS = ("backup.created", "backup.restored")


@pytest.fixture
def ledger(register, regulator, inspector, enterprise_user, other_regulator, other_project):
    """Three hazards with histories of several events, two with evidence files."""
    first = register()
    services.hazard_submit(actor=enterprise_user, hazard_id=first.pk, note="已整改")
    services.hazard_close(actor=inspector, hazard_id=first.pk, note="复查合格")
    second = register(level="general", description="临边防护缺失")
    services.hazard_escalate(actor=regulator, hazard_id=second.pk, level=1, reason="逾期未整改")
    third = register(actor=other_regulator, project_id=other_project.pk, description="脚手架连墙件缺失")
    attachments = [
        services.attachment_add(actor=enterprise_user, hazard_id=second.pk,
                                upload=SimpleUploadedFile("现场照片.png", PNG, content_type="image/png")),
        services.attachment_add(actor=other_regulator, hazard_id=third.pk,
                                upload=SimpleUploadedFile("整改报告.pdf", PDF, content_type="application/pdf")),
    ]
    return [first, second, third], attachments


def restore_in_fresh_instance(archive: Path, instance: Path) -> subprocess.CompletedProcess:
    """`manage.py restore` in a new process whose database file and MEDIA_ROOT do not exist yet."""
    env = {key: value for key, value in os.environ.items() if key not in {"DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}}
    env.update(ZHIBEN_VAR_DIR=str(instance / "var"), ZHIBEN_MEDIA_ROOT=str(instance / "uploads"),
               DJANGO_SETTINGS_MODULE="config.settings")
    return subprocess.run(
        [sys.executable, "manage.py", "restore", str(archive)],
        cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, timeout=300, check=False,
    )


def table_rows(db, tables: list[str]) -> dict[str, list[tuple]]:
    """Every row of every table, in a stable order, leaving out the audit rows the backup and restore add.
    (Tables without a rowid, such as the FTS5 search index's shadow tables, are sorted by their contents.)"""
    rows = {}
    for table in tables:
        cursor = db.cursor()
        try:
            cursor.execute(f'SELECT * FROM "{table}" ORDER BY rowid')  # noqa: S608  (names from the schema)
            found = cursor.fetchall()
        except (sqlite3.OperationalError, django_db.OperationalError):
            cursor = db.cursor()
            cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608
            found = sorted(cursor.fetchall(), key=repr)
        if table == "core_auditlog":
            event = [d[0] for d in cursor.description].index("event")
            found = [row for row in found if row[event] not in ADDED_BY_THE_COMMANDS]
        rows[table] = found
    return rows


def test_a_backup_restores_into_an_empty_instance_with_every_chain_intact(ledger, tmp_path):
    hazards, attachments = ledger
    archive = tmp_path / "backups" / "zhiben.tar.gz"
    out = io.StringIO()
    call_command("backup", output=archive, stdout=out)
    assert "2 uploaded files" in out.getvalue()

    instance = tmp_path / "instance"
    result = restore_in_fresh_instance(archive, instance)

    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "hazard_history: 3 verified, all intact" in output
    assert "2 uploaded files" in output
    # The data: every table, row for row, as in the original.
    tables = sorted(connection.introspection.table_names())
    restored = sqlite3.connect(instance / "var" / "zhiben.sqlite3",
                               detect_types=sqlite3.PARSE_DECLTYPES | sqlite3.PARSE_COLNAMES)
    try:
        restored_tables = sorted(row[0] for row in restored.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"))
        assert restored_tables == tables
        assert table_rows(restored, tables) == table_rows(connection, tables)
        assert table_rows(restored, ["hazards_hazardevent"])["hazards_hazardevent"]  # not trivially equal
        restore_audit = restored.execute(
            "SELECT count(*) FROM core_auditlog WHERE event = 'backup.restored'").fetchone()[0]
        assert restore_audit == 1
    finally:
        restored.close()
    assert HazardEvent.objects.filter(hazard__in=hazards).count() >= 9
    # The evidence files are back under the new MEDIA_ROOT, byte for byte.
    for attachment, content in zip(attachments, [PNG, PDF], strict=True):
        assert (instance / "uploads" / attachment.file.name).read_bytes() == content


def test_a_chain_broken_before_the_backup_makes_the_restore_fail(ledger, tmp_path):
    hazards, _ = ledger
    broken = hazards[1]
    HazardEvent.objects.filter(hazard=broken, seq=1).update(data={"description": "改过的描述"})
    archive = tmp_path / "zhiben.tar.gz"
    call_command("backup", output=archive, stdout=io.StringIO())

    result = restore_in_fresh_instance(archive, tmp_path / "instance")

    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert "hazard_history: 1 of 3 fail verification" in output
    assert f"{Hazard.objects.get(pk=broken.pk).code} (id {broken.pk}): event 1: event content altered" in output
