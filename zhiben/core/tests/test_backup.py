"""`manage.py backup` writes an archive whose manifest describes and checksums every member; `manage.py restore`
refuses an archive that does not match its manifest, a non-empty instance without --force, and PostgreSQL.
(The restore of a backup into an empty instance, with every hazard chain verified, is
zhiben/hazards/tests/test_backup_restore.py.)"""

from __future__ import annotations

import hashlib
import io
import json
import tarfile
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from zhiben.core.backup import MANIFEST
from zhiben.core.integrity import registered_checks
from zhiben.core.models import AuditLog

ON_POSTGRESQL = "postgresql" in settings.DATABASES["default"]["ENGINE"]
sqlite_only = [
    pytest.mark.skipif(ON_POSTGRESQL, reason="manage.py backup/restore cover the embedded SQLite deployment; "
                                             "PostgreSQL uses pg_dump and WAL archiving (docs/operations.md)"),
    # Committed data, as a running server has (a backup inside the test's open transaction would wait for it).
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
EVIDENCE = b"%PDF-1.7\n" + bytes(range(256))


@pytest.fixture
def archive(tmp_path) -> Path:
    evidence = Path(settings.MEDIA_ROOT) / "hazards" / "2025" / "03" / "evidence.pdf"
    evidence.parent.mkdir(parents=True)
    evidence.write_bytes(EVIDENCE)
    path = tmp_path / "out" / "zhiben.tar.gz"
    call_command("backup", output=path, stdout=io.StringIO())
    return path


TAMPERINGS = {
    "changed-file": (lambda c: c.update({"media/hazards/2025/03/evidence.pdf": b"%PDF-1.7\nforged"}),
                     "media/hazards/2025/03/evidence.pdf: checksum mismatch"),
    "truncated-database": (lambda c: c.update({"database.sqlite3": c["database.sqlite3"][:-4096]}),
                           "database.sqlite3: checksum mismatch"),
    "missing-file": (lambda c: c.pop("media/hazards/2025/03/evidence.pdf"), "evidence.pdf: missing from the archive"),
    "extra-file": (lambda c: c.update({"media/extra.png": b"\x89PNG"}), "media/extra.png: not listed in the manifest"),
    "no-manifest": (lambda c: c.pop(MANIFEST), "the manifest is missing"),
    "foreign-manifest": (lambda c: c.update({MANIFEST: b'{"format": "other"}'}), "not a zhiben backup"),
}


def members(path: Path) -> dict[str, bytes]:
    with tarfile.open(path, "r:gz") as tar:
        return {m.name: tar.extractfile(m).read() for m in tar.getmembers() if m.isfile()}


def rewrite(path: Path, contents: dict[str, bytes]) -> None:
    with tarfile.open(path, "w:gz") as tar:
        for name, data in contents.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))


def restore(path: Path, *args: str) -> str:
    out = io.StringIO()
    call_command("restore", str(path), *args, stdout=out, stderr=out)
    return out.getvalue()


class TestArchive:
    pytestmark = sqlite_only

    def test_the_manifest_describes_and_checksums_every_member(self, archive):
        contents = members(archive)
        manifest = json.loads(contents[MANIFEST])
        assert manifest["format"] == "zhiben-backup"
        assert manifest["format_version"] == 1
        assert manifest["created_at"].endswith("Z")
        assert manifest["zhiben_version"]
        assert ["core", "0001_initial"] in manifest["database"]["migrations"]
        assert manifest["database"]["tables"]["hazards_hazard"] == 0
        assert manifest["media"] == {"files": 1, "bytes": len(EVIDENCE)}
        assert set(manifest["members"]) == {"database.sqlite3", "media/hazards/2025/03/evidence.pdf"}
        for name, described in manifest["members"].items():
            assert described == {"sha256": hashlib.sha256(contents[name]).hexdigest(), "size": len(contents[name])}
        assert contents["media/hazards/2025/03/evidence.pdf"] == EVIDENCE
        assert contents["database.sqlite3"].startswith(b"SQLite format 3\x00")
        assert archive.stat().st_mode & 0o777 == 0o600
        assert AuditLog.objects.filter(event="backup.created").count() == 1

    def test_an_existing_archive_is_never_overwritten(self, archive):
        before = archive.read_bytes()
        with pytest.raises(CommandError, match="already exists"):
            call_command("backup", output=archive, stdout=io.StringIO())
        assert archive.read_bytes() == before

    def test_an_archive_that_does_not_match_its_manifest_is_refused(self, archive, tmp_path):
        evidence = Path(settings.MEDIA_ROOT, "hazards", "2025", "03", "evidence.pdf")
        evidence.unlink()
        for case, (tamper, message) in TAMPERINGS.items():  # one archive for all cases: a backup costs a flush
            contents = members(archive)
            tamper(contents)
            tampered = tmp_path / f"{case}.tar.gz"
            rewrite(tampered, contents)
            with pytest.raises(CommandError, match=message):
                restore(tampered, "--force")  # --force: only the archive can be the reason
            assert not evidence.exists(), case

    def test_a_damaged_archive_is_refused(self, archive):
        data = archive.read_bytes()
        archive.write_bytes(data[: len(data) // 2])
        with pytest.raises(CommandError, match="not a readable backup archive"):
            restore(archive, "--force")

    def test_a_non_empty_instance_is_refused_without_force(self, archive, regulator):
        with pytest.raises(CommandError, match="the database is not empty"):
            restore(archive)
        assert AuditLog.objects.filter(event="backup.restored").count() == 0

    def test_files_in_media_root_are_refused_without_force(self, archive):
        AuditLog.objects.all().delete()
        with pytest.raises(CommandError, match=r"MEDIA_ROOT .* is not empty"):
            restore(archive)


def test_the_hazard_chains_are_a_registered_integrity_check():
    assert "hazard_history" in registered_checks()


@pytest.mark.postgres_only
@pytest.mark.django_db
@pytest.mark.parametrize("command", ["backup", "restore"])
def test_postgresql_is_refused_with_a_pointer_to_the_procedure(command, tmp_path):
    args = ["--output", str(tmp_path / "x.tar.gz")] if command == "backup" else [str(tmp_path / "x.tar.gz")]
    with pytest.raises(CommandError, match=r"docs/operations\.md") as error:
        call_command(command, *args, stdout=io.StringIO())
    assert "pg_dump" in str(error.value)
    assert not (tmp_path / "x.tar.gz").exists()
