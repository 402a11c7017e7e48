"""Create, verify and restore backups: the database (SQLite backup API / pg_dump) and the attachment files.

A backup is a directory ``tiepdan-YYYYmmdd-HHMMSS`` holding ``database.sqlite3`` or ``database.dump``
(pg_dump custom format), ``attachments/`` (a copy of ATTACHMENTS_DIR) and ``manifest.json``: when, which
backend, the Alembic revision, the row count of every table (counted in the very snapshot that was
saved) and the SHA-256 of every file. A restore checks the checksums first and the row counts after.
"""

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass, field
from datetime import datetime

from flask import current_app
from sqlalchemy import inspect, text

from ..attachments.storage import attachments_dir
from ..audit.operations import record
from ..core.timeutil import VN_TZ, utcnow
from ..extensions import db

MANIFEST = "manifest.json"
SQLITE_FILE = "database.sqlite3"
PG_FILE = "database.dump"
ATTACHMENTS = "attachments"
PREFIX = "tiepdan-"


class BackupError(Exception):
    """A backup could not be made or restored; the message says why (shown by the CLI)."""


@dataclass
class BackupInfo:
    path: str
    manifest: dict = field(default_factory=dict)

    @property
    def name(self) -> str:
        return os.path.basename(self.path)


def backup_dir() -> str:
    return current_app.config.get("BACKUP_DIR") or os.path.join(current_app.instance_path, "backups")


def backend() -> str:
    return db.engine.dialect.name


# --- create ----------------------------------------------------------------------------------------------


def create_backup(output: str | None = None) -> BackupInfo:
    """Write a new backup directory under ``output`` (default BACKUP_DIR); its audit event is flushed."""
    parent = output or backup_dir()
    os.makedirs(parent, exist_ok=True)
    target = _new_directory(parent)
    try:
        if backend() == "sqlite":
            counts = _dump_sqlite(os.path.join(target, SQLITE_FILE))
        elif backend() == "postgresql":
            counts = _dump_postgresql(os.path.join(target, PG_FILE))
        else:  # pragma: no cover
            raise BackupError(f"backups of {backend()} databases are not supported")
        source = attachments_dir()
        if os.path.isdir(source):
            shutil.copytree(source, os.path.join(target, ATTACHMENTS), ignore=shutil.ignore_patterns(".upload-*"))
        else:
            os.makedirs(os.path.join(target, ATTACHMENTS))
        manifest = {
            "format": 1,
            "created_at": utcnow().isoformat(timespec="seconds") + "Z",
            "backend": backend(),
            "alembic_revision": _revision(),
            "row_counts": counts,
            "files": _checksums(target),
        }
        with open(os.path.join(target, MANIFEST), "w", encoding="utf-8") as out:
            json.dump(manifest, out, indent=2, sort_keys=True)
            out.flush()
            os.fsync(out.fileno())
        _owner_only(target)
    except BaseException:
        shutil.rmtree(target, ignore_errors=True)  # never leave a half-written backup that looks complete
        raise
    _record("backup.create", target, manifest)
    return BackupInfo(target, manifest)


def _owner_only(root: str) -> None:
    """A backup holds every citizen's data: readable by the owner (the service account) only."""
    for dirpath, _dirs, files in os.walk(root):
        os.chmod(dirpath, 0o700)
        for name in files:
            os.chmod(os.path.join(dirpath, name), 0o600)


def _new_directory(parent: str) -> str:
    stamp = datetime.now(VN_TZ).strftime("%Y%m%d-%H%M%S")
    for n in range(100):
        path = os.path.join(parent, f"{PREFIX}{stamp}" + (f"-{n}" if n else ""))
        try:
            os.makedirs(path)
            return path
        except FileExistsError:
            continue
    raise BackupError(f"could not create a new backup directory in {parent}")  # pragma: no cover


def _sqlite_path() -> str:
    path = db.engine.url.database
    if not path or path == ":memory:":
        raise BackupError("the database is in memory: nothing to back up")
    return path


def _dump_sqlite(dest: str) -> dict:
    """Copy the live database with SQLite's backup API (consistent while the app writes), then count rows."""
    src = sqlite3.connect(_sqlite_path(), timeout=30)
    dst = sqlite3.connect(dest)
    try:
        src.backup(dst)
    finally:
        src.close()
    try:
        dst.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal beside it
        return _count_sqlite(dst)
    finally:
        dst.close()


def _count_sqlite(conn) -> dict:
    present = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    return {name: conn.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0] for name in _table_names(present)}


def _table_names(present: set[str]) -> list[str]:
    """The application's tables that exist in the database (an older schema may lack the newest ones)."""
    return sorted(t.name for t in db.metadata.sorted_tables if t.name in present)


def _count_tables(conn) -> dict:
    present = set(inspect(conn).get_table_names())
    return {name: conn.execute(text(f'SELECT count(*) FROM "{name}"')).scalar() for name in _table_names(present)}


def _libpq() -> tuple[str, dict]:
    """The configured PostgreSQL URL in libpq form (no driver suffix) and the environment carrying its password."""
    url = db.engine.url
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    return url.set(drivername="postgresql", password=None).render_as_string(hide_password=False), env


def _run(args: list[str], env: dict) -> None:
    binary = shutil.which(args[0])
    if binary is None:
        raise BackupError(f"{args[0]} was not found: install the PostgreSQL client (apt-get install postgresql-client)")
    result = subprocess.run([binary, *args[1:]], env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise BackupError(f"{args[0]} failed: {result.stderr.strip() or result.returncode}")


def _dump_postgresql(dest: str) -> dict:
    """pg_dump the snapshot in which the rows are counted (so the manifest matches the dump exactly)."""
    url, env = _libpq()
    with db.engine.connect().execution_options(isolation_level="REPEATABLE READ") as conn, conn.begin():
        snapshot = conn.execute(text("SELECT pg_export_snapshot()")).scalar()
        counts = _count_tables(conn)
        _run(
            ["pg_dump", "--format=custom", "--no-owner", f"--snapshot={snapshot}", f"--file={dest}", f"--dbname={url}"],
            env,
        )
    return counts


def _revision() -> str | None:
    try:
        with db.engine.connect() as conn:
            return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
    except Exception:  # noqa: BLE001 - a database not built by Alembic has no revision
        return None


def _sha256(path: str) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(1024 * 1024):
            digest.update(chunk)
    return digest.hexdigest()


def _checksums(root: str) -> dict:
    out = {}
    for dirpath, _dirs, files in os.walk(root):
        for name in files:
            path = os.path.join(dirpath, name)
            rel = os.path.relpath(path, root).replace(os.sep, "/")
            if rel != MANIFEST:
                out[rel] = _sha256(path)
    return dict(sorted(out.items()))


def _record(action: str, path: str, manifest: dict, **extra) -> None:
    """Append the audit event (flushed; the command commits it)."""

    record(
        action,
        actor=None,
        object_type="backup",
        detail={
            "directory": os.path.basename(path),
            "backend": manifest.get("backend"),
            "created_at": manifest.get("created_at"),
            "alembic_revision": manifest.get("alembic_revision"),
            "rows": sum((manifest.get("row_counts") or {}).values()),
            **extra,
        },
    )


# --- list and verify -------------------------------------------------------------------------------------


def list_backups(parent: str | None = None) -> list[BackupInfo]:
    """The backup directories under ``parent`` (default BACKUP_DIR), newest first."""
    parent = parent or backup_dir()
    if not os.path.isdir(parent):
        return []
    out = []
    for name in sorted(os.listdir(parent), reverse=True):
        path = os.path.join(parent, name)
        if name.startswith(PREFIX) and os.path.isdir(path):
            out.append(BackupInfo(path, _read_manifest(path) or {}))
    return out


def resolve(path_or_name: str) -> str:
    """A backup directory given as a path, or as a name under BACKUP_DIR."""
    if os.path.isdir(path_or_name):
        return path_or_name
    candidate = os.path.join(backup_dir(), path_or_name)
    if os.path.sep not in path_or_name and os.path.isdir(candidate):
        return candidate
    raise BackupError(f"no backup directory {path_or_name}")


def _read_manifest(path: str) -> dict | None:
    try:
        with open(os.path.join(path, MANIFEST), encoding="utf-8") as f:
            manifest = json.load(f)
    except (OSError, ValueError):
        return None
    return manifest if isinstance(manifest, dict) else None


def _symlinks(root: str) -> list[str]:
    """Symbolic links inside a backup: refused (a restore would copy whatever they point to, unchecked)."""
    out = []
    for dirpath, dirs, files in os.walk(root):
        for name in dirs + files:
            full = os.path.join(dirpath, name)
            if os.path.islink(full):
                out.append(os.path.relpath(full, root).replace(os.sep, "/"))
    return sorted(out)


def _schema_revisions() -> tuple[set, str | None]:
    """The migration revisions this code knows, and its head."""
    from alembic.script import ScriptDirectory
    from flask import current_app

    script = ScriptDirectory.from_config(current_app.extensions["migrate"].migrate.get_config())
    return {rev.revision for rev in script.walk_revisions()}, script.get_current_head()


def verify(path: str) -> dict:
    """Return the manifest if every file is present with its checksum and nothing was added; else raise."""
    manifest = _read_manifest(path)
    if not manifest or not isinstance(manifest.get("files"), dict) or not isinstance(manifest.get("row_counts"), dict):
        raise BackupError(f"{path}: the manifest is missing or unreadable")
    expected, actual = manifest["files"], _checksums(path)
    problems = [f"missing {rel}" for rel in sorted(set(expected) - set(actual))]
    problems += [f"unexpected {rel}" for rel in sorted(set(actual) - set(expected))]
    problems += [
        f"checksum mismatch {rel}" for rel in sorted(set(expected) & set(actual)) if expected[rel] != actual[rel]
    ]
    problems += [f"symbolic link {rel}" for rel in _symlinks(path)]
    db_file = SQLITE_FILE if manifest.get("backend") == "sqlite" else PG_FILE
    if db_file not in expected:
        problems.append(f"missing {db_file}")
    if problems:
        raise BackupError(f"{path}: the backup is damaged: " + "; ".join(problems))
    return manifest


# --- restore ---------------------------------------------------------------------------------------------


@dataclass
class RestoreResult:
    manifest: dict
    #: table -> (rows in the manifest, rows now in the database)
    counts: dict
    files: int
    #: The backup's schema revision when the restore had to upgrade it to the code's (else None).
    upgraded_from: str | None = None

    @property
    def mismatched(self) -> dict:
        return {t: c for t, c in self.counts.items() if c[0] != c[1]}


def restore_backup(path: str) -> RestoreResult:
    """Replace the configured database and add the attachment files from a verified backup.

    Stop the web workers and the scheduler first: the restore replaces the whole database. The audit event
    is flushed into the restored database after the row counts were compared (the caller commits it and
    reports ``mismatched`` counts as a failure).
    """
    manifest = verify(path)
    if manifest.get("backend") != backend():
        raise BackupError(f"this is a {manifest.get('backend')} backup; the configured database is {backend()}")
    known, head = _schema_revisions()
    revision = manifest.get("alembic_revision")
    if revision not in known:
        raise BackupError(
            f"the backup's schema revision {revision!r} is unknown to this version of TiepDan "
            "(a backup made by a newer version?): install that version to restore it. Nothing was restored."
        )
    db.session.remove()
    db.engine.dispose()  # no pooled connection may hold a lock or a stale view of the old database
    if backend() == "sqlite":
        _restore_sqlite(os.path.join(path, SQLITE_FILE))
    else:
        _restore_postgresql(os.path.join(path, PG_FILE))
    files = _restore_attachments(os.path.join(path, ATTACHMENTS))
    counts = _current_counts()
    result = RestoreResult(
        manifest,
        {t: (manifest["row_counts"].get(t), counts.get(t)) for t in sorted(set(manifest["row_counts"]) | set(counts))},
        files,
    )
    if revision != head:
        # A backup of an older schema: bring it to this code's schema, as `flask db upgrade` would.
        from flask_migrate import upgrade

        db.session.remove()
        upgrade()
        result.upgraded_from = revision
    extra: dict[str, object] = {"mismatched": sorted(result.mismatched)} if result.mismatched else {}
    if result.upgraded_from:
        extra["upgraded_from"] = revision
    _record("backup.restore", path, manifest, **extra)  # into the restored database, after the check
    return result


def _restore_sqlite(source: str) -> None:
    dest = _sqlite_path()
    os.makedirs(os.path.dirname(os.path.abspath(dest)), exist_ok=True)
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    dst = sqlite3.connect(dest, timeout=30)
    try:
        src.backup(dst)
    finally:
        src.close()
        dst.close()


def _restore_postgresql(source: str) -> None:
    url, env = _libpq()
    _run(
        [
            "pg_restore",
            "--clean",
            "--if-exists",
            "--no-owner",
            "--single-transaction",
            "--exit-on-error",
            f"--dbname={url}",
            source,
        ],
        env,
    )


def _restore_attachments(source: str) -> int:
    """Copy the backup's files into ATTACHMENTS_DIR (files there that the backup lacks are kept)."""
    if not os.path.isdir(source):
        return 0
    target = attachments_dir()
    os.makedirs(target, exist_ok=True)
    shutil.copytree(source, target, dirs_exist_ok=True)
    return sum(len(files) for _d, _s, files in os.walk(source))


def _current_counts() -> dict:
    with db.engine.connect() as conn:
        return _count_tables(conn)
