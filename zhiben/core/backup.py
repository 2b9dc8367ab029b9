"""Backups of the embedded deployment: the SQLite database and the uploaded files (MEDIA_ROOT) in one archive.

The archive is a .tar.gz holding `database.sqlite3` (a snapshot taken with SQLite's online backup API, so it is
consistent while the server runs and writes), `media/<path>` for every uploaded file, and `manifest.json`
(format, creation time, zhiben version, the snapshot's migrations and row counts, and the SHA-256 and size of
every member). `restore_archive` refuses an archive whose members do not match its manifest. PostgreSQL
deployments use pg_dump / WAL archiving instead (docs/operations.md), so both refuse anything but SQLite.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import shutil
import sqlite3
import tarfile
import tempfile
import zlib
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connections

from zhiben.core.models import AuditLog

FORMAT = "zhiben-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
DATABASE_MEMBER = "database.sqlite3"
MEDIA_DIR = "media"
CHUNK = 1024 * 1024

POSTGRESQL_REFUSAL = (
    "manage.py {command} covers the embedded SQLite deployment only. This instance runs on {vendor}: back it up "
    "with pg_dump / pg_basebackup and WAL archiving, and copy MEDIA_ROOT ({media}) on the same schedule, as "
    "described in docs/operations.md, section \"Backups on PostgreSQL\"."
)


class BackupError(Exception):
    """A backup or restore refused or failed; the message is meant for the operator."""


def require_sqlite(command: str, using: str = "default") -> None:
    connection = connections[using]
    if connection.vendor != "sqlite":
        raise BackupError(POSTGRESQL_REFUSAL.format(command=command, vendor=connection.display_name,
                                                    media=settings.MEDIA_ROOT))


def zhiben_version() -> str:
    try:
        return metadata.version("zhiben")
    except metadata.PackageNotFoundError:
        return "unknown"


def file_digest(path: Path) -> tuple[str, int]:
    digest = hashlib.sha256()
    size = 0
    with path.open("rb") as f:
        while block := f.read(CHUNK):
            digest.update(block)
            size += len(block)
    return digest.hexdigest(), size


class _HashingReader:
    """Hashes what tarfile reads from a file, so each member is read once."""

    def __init__(self, f):
        self.f = f
        self.digest = hashlib.sha256()
        self.size = 0

    def read(self, size: int = -1) -> bytes:
        block = self.f.read(size)
        self.digest.update(block)
        self.size += len(block)
        return block


def _add_file(tar: tarfile.TarFile, path: Path, arcname: str) -> dict:
    info = tar.gettarinfo(str(path), arcname)
    info.uid = info.gid = 0
    info.uname = info.gname = ""
    with path.open("rb") as f:
        reader = _HashingReader(f)
        tar.addfile(info, reader)
    return {"sha256": reader.digest.hexdigest(), "size": reader.size}


# --- Taking a backup ---------------------------------------------------------------------------------------


def snapshot_database(dest: Path, using: str = "default") -> dict:
    """Copy the live database into `dest` with SQLite's online backup API; return the snapshot's description.

    One backup step copies every page under one read transaction: a consistent snapshot. In WAL mode readers
    never block writers, so the running server keeps writing meanwhile.
    """
    connection = connections[using]
    if connection.in_atomic_block:
        # Inside a transaction the snapshot would include uncommitted rows (or wait for them forever).
        raise BackupError("backup cannot run inside a transaction")
    connection.ensure_connection()
    target = sqlite3.connect(dest)
    try:
        connection.connection.backup(target)
        # The copy is a self-contained file: no -wal beside it.
        target.execute("PRAGMA journal_mode=DELETE")
        check = target.execute("PRAGMA integrity_check").fetchone()[0]
        if check != "ok":
            raise BackupError(f"the database snapshot fails SQLite's integrity check: {check}")
        return describe_database(target)
    finally:
        target.close()


def describe_database(db: sqlite3.Connection) -> dict:
    tables = [row[0] for row in db.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")]
    migrations: list[list[str]] = []
    if "django_migrations" in tables:
        migrations = [list(row) for row in db.execute("SELECT app, name FROM django_migrations ORDER BY id")]
    counts = {name: db.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0] for name in tables}  # noqa: S608
    return {"vendor": "sqlite", "sqlite_version": sqlite3.sqlite_version, "migrations": migrations,
            "tables": counts}


def media_files(exclude: list[Path]) -> list[tuple[Path, str]]:
    """Every regular file under MEDIA_ROOT (symbolic links are not followed), with its name in the archive."""
    root = Path(settings.MEDIA_ROOT)
    if not root.is_dir():
        return []
    excluded = [p.resolve() for p in exclude]
    found = []
    for path in sorted(root.rglob("*")):
        if path.is_symlink() or not path.is_file():
            continue
        resolved = path.resolve()
        if any(resolved == e or e in resolved.parents for e in excluded):
            continue
        found.append((path, f"{MEDIA_DIR}/{path.relative_to(root).as_posix()}"))
    return found


def create_backup(output: Path, *, using: str = "default") -> dict:
    """Write the archive to `output` (which must not exist yet) and return its manifest.

    The database is copied first, then the files: a file the snapshot refers to was uploaded before it, so it is
    in the archive unless deleted meanwhile. The archive is written beside `output` and renamed into place when
    complete, so a crash never leaves a truncated archive under the expected name.
    """
    require_sqlite("backup", using)
    output = Path(output)
    if output.exists():
        raise BackupError(f"{output} already exists; choose another name (backups are never overwritten)")
    output.parent.mkdir(parents=True, exist_ok=True)
    created_at = dt.datetime.now(dt.UTC)
    with tempfile.TemporaryDirectory(prefix=".zhiben-backup-", dir=output.parent) as tmp:
        work = Path(tmp)
        snapshot = work / DATABASE_MEMBER
        database = snapshot_database(snapshot, using)
        partial = work / "archive.tar.gz"
        members: dict[str, dict] = {}
        with tarfile.open(partial, "w:gz") as tar:
            members[DATABASE_MEMBER] = _add_file(tar, snapshot, DATABASE_MEMBER)
            for path, arcname in media_files(exclude=[work, output]):
                members[arcname] = _add_file(tar, path, arcname)
            media = [m for name, m in members.items() if name.startswith(f"{MEDIA_DIR}/")]
            manifest = {
                "format": FORMAT,
                "format_version": FORMAT_VERSION,
                "created_at": created_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
                "zhiben_version": zhiben_version(),
                "database": database,
                "media": {"files": len(media), "bytes": sum(m["size"] for m in media)},
                "members": members,
            }
            body = json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True).encode("utf-8")
            info = tarfile.TarInfo(MANIFEST)
            info.size = len(body)
            info.mtime = int(created_at.timestamp())
            info.mode = 0o644
            tar.addfile(info, io.BytesIO(body))
        os.replace(partial, output)
    output.chmod(0o600)  # the archive holds resident ID numbers and evidence: readable by its owner only
    return manifest


# --- Reading and restoring ---------------------------------------------------------------------------------


def _safe_name(name: str) -> bool:
    path = PurePosixPath(name)
    return bool(name) and not path.is_absolute() and ".." not in path.parts


def extract_and_verify(archive: Path, workdir: Path) -> dict:
    """Unpack `archive` into `workdir` and check it against its manifest; return the manifest.

    Refused: an unreadable or truncated archive, a manifest of another format or a newer version, a member
    missing, unexpected, or whose SHA-256 or size differs from the manifest.
    """
    archive = Path(archive)
    if not archive.is_file():
        raise BackupError(f"{archive}: no such archive")
    try:
        with tarfile.open(archive, "r:gz") as tar:
            for member in tar.getmembers():
                if not (member.isfile() or member.isdir()) or not _safe_name(member.name):
                    raise BackupError(f"{archive}: unexpected member {member.name!r}; not a zhiben backup")
            tar.extractall(workdir, filter="data")
    except (tarfile.TarError, EOFError, zlib.error, OSError) as exc:
        raise BackupError(f"{archive}: not a readable backup archive ({exc})") from exc
    try:
        manifest = json.loads((workdir / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise BackupError(f"{archive}: the manifest is missing or unreadable") from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(f"{archive}: not a zhiben backup (manifest format {manifest.get('format')!r})")
    if manifest.get("format_version") != FORMAT_VERSION:
        raise BackupError(f"{archive}: backup format version {manifest.get('format_version')!r} is not supported "
                          f"by this zhiben (it reads version {FORMAT_VERSION})")
    listed = manifest.get("members")
    if not isinstance(listed, dict) or DATABASE_MEMBER not in listed:
        raise BackupError(f"{archive}: the manifest lists no database")
    present = {p.relative_to(workdir).as_posix() for p in workdir.rglob("*") if p.is_file()} - {MANIFEST}
    problems = [f"{name}: missing from the archive" for name in sorted(set(listed) - present)]
    problems += [f"{name}: not listed in the manifest" for name in sorted(present - set(listed))]
    for name in sorted(set(listed) & present):
        digest, size = file_digest(workdir / name)
        expected = listed[name]
        if digest != expected.get("sha256") or size != expected.get("size"):
            problems.append(f"{name}: checksum mismatch (the file was altered or damaged)")
    if problems:
        raise BackupError(f"{archive}: refused, the archive does not match its manifest:\n  " + "\n  ".join(problems))
    return manifest


def unknown_migrations(manifest: dict) -> list[tuple[str, str]]:
    """Migrations recorded in the backup that this code does not have (the backup comes from a newer zhiben)."""
    from django.db.migrations.loader import MigrationLoader

    known = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    recorded = {tuple(m) for m in manifest["database"].get("migrations", [])}
    return sorted(recorded - known)


def database_holds_data(using: str = "default") -> bool:
    """An instance holds data once it has a user or an audit row; a freshly migrated one has neither (the data
    that migrations load, such as the standards library, is restored with the backup anyway)."""
    connection = connections[using]
    tables = set(connection.introspection.table_names())
    for model in (get_user_model(), AuditLog):
        if model._meta.db_table in tables and model._default_manager.using(using).exists():
            return True
    return False


def media_holds_files() -> bool:
    root = Path(settings.MEDIA_ROOT)
    return root.is_dir() and any(p.is_file() for p in root.rglob("*"))


@dataclass
class RestoreResult:
    manifest: dict
    media_files: int


def restore_archive(archive: Path, *, force: bool = False, using: str = "default") -> RestoreResult:
    """Verify `archive`, then replace the database's content with its snapshot and put its files under MEDIA_ROOT.

    Refuses a non-empty database or MEDIA_ROOT unless `force`. Stop the server first: the database is
    overwritten page by page through SQLite's backup API (running migrations and checks is the caller's part).
    """
    require_sqlite("restore", using)
    with tempfile.TemporaryDirectory(prefix="zhiben-restore-") as tmp:
        work = Path(tmp)
        manifest = extract_and_verify(archive, work)
        newer = unknown_migrations(manifest)
        if newer:
            names = ", ".join(f"{app}.{name}" for app, name in newer)
            raise BackupError(f"the backup was made by a newer zhiben (migrations unknown here: {names}); "
                              "install that version or newer before restoring")
        if not force:
            if database_holds_data(using):
                raise BackupError("the database is not empty (it has users or audit rows); restore into an empty "
                                  "instance, or pass --force to overwrite it")
            if media_holds_files():
                raise BackupError(f"MEDIA_ROOT ({settings.MEDIA_ROOT}) is not empty; restore into an empty "
                                  "instance, or pass --force to overwrite it")
        snapshot = work / DATABASE_MEMBER
        source = sqlite3.connect(snapshot)
        try:
            check = source.execute("PRAGMA integrity_check").fetchone()[0]
            if check != "ok":
                raise BackupError(f"the database in the archive fails SQLite's integrity check: {check}")
            connection = connections[using]
            connection.ensure_connection()
            if connection.in_atomic_block:
                raise BackupError("restore cannot run inside a transaction")
            source.backup(connection.connection)
        finally:
            source.close()
        connection.close()  # the next query opens a fresh connection on the restored content
        media_root = Path(settings.MEDIA_ROOT)
        restored = 0
        media_src = work / MEDIA_DIR
        if media_src.is_dir():
            for path in sorted(media_src.rglob("*")):
                if path.is_file():
                    dest = media_root / path.relative_to(media_src)
                    dest.parent.mkdir(parents=True, exist_ok=True)
                    shutil.copy2(path, dest)
                    restored += 1
    return RestoreResult(manifest=manifest, media_files=restored)
