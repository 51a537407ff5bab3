"""Opening the database: the spec's PRAGMAs, a busy timeout, and explicit transactions."""

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .backends import is_postgres, is_postgres_url
from .errors import OperationError

DEFAULT_DB_PATH = "magnetiq_dev.db"
BUSY_TIMEOUT_MS = 5000

SPEC_PRAGMAS = (
    "PRAGMA journal_mode = WAL",
    "PRAGMA foreign_keys = ON",
    "PRAGMA synchronous = NORMAL",
    "PRAGMA cache_size = 10000",
    "PRAGMA temp_store = MEMORY",
)


def database_path(cli_value: str | None = None) -> Path | str:
    """The database: the --db option, else MAGNETIQ_DB, else magnetiq_dev.db.

    A file path (SQLite) comes back as a Path, a postgresql:// URL as the string itself.
    """
    value = cli_value or os.environ.get("MAGNETIQ_DB") or DEFAULT_DB_PATH
    return value if is_postgres_url(value) else Path(value)


def require_database(target: Path | str, hint: str = "create one with `init`") -> Path | str:
    """`target` itself when there is a database to open: a file that exists, or a server URL
    (connecting will say whether the server has it); else a clear error."""
    if not is_postgres_url(target) and not Path(target).exists():
        raise OperationError(f"no database at {target}; {hint}")
    return target


def absolute(target: Path | str) -> Path | str:
    """A file path made absolute (for a process started elsewhere); a URL as it is."""
    return target if is_postgres_url(target) else Path(target).resolve()


def connect(
    path: str | os.PathLike, *, synchronous: str = "NORMAL", busy_timeout_ms: int = BUSY_TIMEOUT_MS
) -> sqlite3.Connection:
    """Open `path` in autocommit mode with the spec's PRAGMAs; use `transaction()` to write.

    `synchronous` may be raised to FULL by services that must not lose an acknowledged write
    on power loss. A postgresql:// URL opens a server connection with the same interface
    (database/postgres.py), where every commit waits for the disk.
    """
    if is_postgres_url(path):
        from . import postgres  # psycopg is loaded only by sites that use a server

        return postgres.connect(path, busy_timeout_ms)
    conn = sqlite3.connect(path, isolation_level=None, timeout=busy_timeout_ms / 1000)
    conn.row_factory = sqlite3.Row
    conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
    for pragma in SPEC_PRAGMAS:
        conn.execute(pragma)
    if synchronous != "NORMAL":
        if synchronous not in ("FULL", "EXTRA"):
            raise ValueError(f"unsupported synchronous level {synchronous!r}")
        conn.execute(f"PRAGMA synchronous = {synchronous}")
    return conn


@contextmanager
def transaction(conn: sqlite3.Connection, mode: str = "IMMEDIATE") -> Iterator[sqlite3.Connection]:
    """A short write transaction: BEGIN IMMEDIATE, COMMIT on success, ROLLBACK on any error."""
    conn.execute(f"BEGIN {mode}")
    try:
        yield conn
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def for_update(conn, *, skip_locked: bool = False) -> str:
    """The clause that locks the rows a write transaction counts or takes.

    SQLite needs none: BEGIN IMMEDIATE already makes one writer at a time. PostgreSQL locks the
    rows, as `NO KEY UPDATE`: the `KEY SHARE` lock that inserting a row which refers to them
    takes does not block it, so a transaction that inserts first and locks last cannot deadlock
    with its twin. A queue's worker passes `skip_locked` to take the rows no other worker
    holds, rather than wait for them and take them twice.
    """
    if not is_postgres(conn):
        return ""
    return " FOR NO KEY UPDATE" + (" SKIP LOCKED" if skip_locked else "")


def probe_writable(conn) -> None:
    """Raise unless a write could start now: SQLite takes its write lock for a moment; a
    PostgreSQL standby (a read-only replica) refuses a read-write transaction."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        if is_postgres(conn):
            conn.execute("SET TRANSACTION READ WRITE")
    finally:
        conn.execute("ROLLBACK")


def is_sqlite_file(path: Path) -> bool:
    """True when `path` starts with SQLite's 16-byte file header."""
    try:
        with open(path, "rb") as handle:
            return handle.read(16) == b"SQLite format 3\x00"
    except OSError:
        return False
