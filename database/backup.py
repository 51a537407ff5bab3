"""Consistent backups of a live WAL database, and restores that verify before they replace.

A WAL database is the main file plus its -wal file; copying the main file alone loses or tears
committed transactions, so both directions go through SQLite's online backup API.
"""

import gzip
import os
import sqlite3
from datetime import datetime
from pathlib import Path

from .catalog import user_tables
from .connection import connect, is_sqlite_file
from .dump import dump_lines
from .errors import OperationError
from .migrations import SCHEMA_VERSION, schema_version

BACKUP_PREFIX = "magnetiq_backup_"
STAMP_FORMAT = "%Y%m%d_%H%M%S"


def default_backup_path(db_path: Path, now: datetime) -> Path:
    return db_path.resolve().parent / "backups" / f"{BACKUP_PREFIX}{now:{STAMP_FORMAT}}.db"


def backup_database(db_path: Path, target: Path, *, gzip_dump: bool = False) -> list[Path]:
    """Copy the live database to `target` (mode 0600) and return the files written."""
    if not db_path.exists():
        raise OperationError(f"no database at {db_path}")
    if target.exists():
        raise OperationError(f"{target} already exists; choose another backup path")
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.partial")
    create_private_file(partial)
    try:
        source = connect(db_path)
        try:
            copy = sqlite3.connect(partial, isolation_level=None)
            try:
                source.backup(copy)
                # A standalone backup is one file: leave WAL mode so it needs no -wal/-shm.
                copy.execute("PRAGMA journal_mode = DELETE")
                verdict = copy.execute("PRAGMA integrity_check").fetchone()[0]
            finally:
                copy.close()
        finally:
            source.close()
        if verdict != "ok":
            raise OperationError(f"the backup copy failed its integrity check: {verdict}")
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    written = [target]
    if gzip_dump:
        written.append(write_gzip_dump(target))
    return written


def write_gzip_dump(backup_file: Path) -> Path:
    """An SQL text dump of the (already consistent) backup copy, gzip-compressed, mode 0600."""
    dump_path = backup_file.with_suffix(".sql.gz")
    create_private_file(dump_path)
    conn = sqlite3.connect(f"file:{backup_file}?mode=ro", uri=True)
    try:
        with gzip.open(dump_path, "wt", encoding="utf-8") as out:
            for line in dump_lines(conn):
                out.write(f"{line}\n")
    finally:
        conn.close()
    return dump_path


def create_private_file(path: Path) -> None:
    """Create an empty file readable by its owner only (backups hold leads' personal data)."""
    path.unlink(missing_ok=True)
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))


def rotate_backups(directory: Path, keep: int) -> list[Path]:
    """Delete all but the newest `keep` timestamped backups (and their dumps) in `directory`."""
    if keep < 1:
        raise OperationError("--keep must be at least 1")
    backups = sorted(directory.glob(f"{BACKUP_PREFIX}*.db"), reverse=True)
    removed = []
    for old in backups[keep:]:
        for path in (old, old.with_suffix(".sql.gz")):
            if path.exists():
                path.unlink()
                removed.append(path)
    return removed


def verify_backup(backup_file: Path) -> int:
    """Refuse anything but an intact Magnetiq database; return its schema version."""
    if not backup_file.is_file():
        raise OperationError(f"no backup file at {backup_file}")
    if not is_sqlite_file(backup_file):
        raise OperationError(f"{backup_file} is not an SQLite database; nothing was restored")
    try:
        conn = sqlite3.connect(f"file:{backup_file}?mode=ro&immutable=1", uri=True)
        try:
            verdict = conn.execute("PRAGMA integrity_check").fetchall()
            version = schema_version(conn)
            tables = user_tables(conn)
        finally:
            conn.close()
    except sqlite3.DatabaseError as error:
        raise OperationError(f"{backup_file} is damaged ({error}); nothing was restored") from error
    if [tuple(row) for row in verdict] != [("ok",)]:
        first = verdict[0][0]
        raise OperationError(
            f"{backup_file} fails its integrity check ({first}); nothing was restored"
        )
    if version < 1 or "admin_users" not in tables:
        raise OperationError(
            f"{backup_file} is an SQLite database but not a Magnetiq one; nothing was restored"
        )
    if version > SCHEMA_VERSION:
        raise OperationError(
            f"{backup_file} has schema version {version}, newer than this Magnetiq "
            f"({SCHEMA_VERSION}); nothing was restored"
        )
    return version


def restore_database(backup_file: Path, db_path: Path, now: datetime) -> Path | None:
    """Replace the live database with a verified backup; return where the old one was kept.

    Writing through the backup API into the live database (rather than copying files over it)
    first recovers any hot -wal a crashed writer left behind, then replaces every page inside a
    transaction, so no stale WAL frame can ever be replayed over the restored data.
    """
    verify_backup(backup_file)
    kept = None
    if db_path.exists():
        kept = db_path.with_name(f"{db_path.name}.before-restore-{now:{STAMP_FORMAT}}")
        set_aside_live_database(db_path, kept)
    source = sqlite3.connect(f"file:{backup_file}?mode=ro&immutable=1", uri=True)
    try:
        live = sqlite3.connect(db_path, isolation_level=None)
        try:
            source.backup(live)
            live.execute("PRAGMA journal_mode = WAL")
            live.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            verdict = live.execute("PRAGMA integrity_check").fetchone()[0]
        finally:
            live.close()
    finally:
        source.close()
    os.chmod(db_path, 0o600)
    if verdict != "ok":
        raise OperationError(f"the restored database fails its integrity check: {verdict}")
    return kept


def set_aside_live_database(db_path: Path, kept: Path) -> None:
    """Keep a consistent copy of the live database (including its WAL) before it is replaced.

    A live file that SQLite cannot open is moved aside whole, with its -wal and -shm.
    """
    try:
        backup_database(db_path, kept)
        return
    except (sqlite3.DatabaseError, OperationError):
        pass
    os.replace(db_path, kept)
    for suffix in ("-wal", "-shm"):
        side = Path(f"{db_path}{suffix}")
        if side.exists():
            os.replace(side, Path(f"{kept}{suffix}"))
