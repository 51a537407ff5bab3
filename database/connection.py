"""Opening the database: the spec's PRAGMAs, a busy timeout, and explicit transactions."""

import os
import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

from .backends import is_postgres, is_postgres_url
from .errors import OperationError

DEFAULT_DB_PATH = "magnetiq_dev.db"
BUSY_TIMEOUT_MS = 5000
T = TypeVar("T")

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
def transaction(
    conn: sqlite3.Connection, mode: str = "IMMEDIATE", *, patience_ms: int | None = None
) -> Iterator[sqlite3.Connection]:
    """A short write transaction: BEGIN IMMEDIATE, COMMIT on success, ROLLBACK on any error.

    With `patience_ms` (the connection's own busy timeout), a SQLite connection waits for
    another writer's lock in Python (`wait_cooperatively`) rather than in its busy handler.
    """
    begin(conn, mode, patience_ms)
    try:
        yield conn
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def begin(conn: sqlite3.Connection, mode: str, patience_ms: int | None) -> None:
    if patience_ms is None or is_postgres(conn):  # a server waits for its locks in the server
        conn.execute(f"BEGIN {mode}")
        return
    conn.execute("PRAGMA busy_timeout = 0")
    try:
        wait_cooperatively(lambda: conn.execute(f"BEGIN {mode}"), patience_ms)
    finally:
        conn.execute(f"PRAGMA busy_timeout = {int(patience_ms)}")


def wait_cooperatively(attempt: Callable[[], T], patience_ms: int) -> T:
    """`attempt()`, tried again while another SQLite connection holds the write lock, for up to
    `patience_ms`; for connections opened with `busy_timeout_ms=0`.

    SQLite's own busy handler sleeps inside C, which in a gevent worker stalls every request the
    worker holds, not just the one that waits: page views queued behind one another's sleeps
    (p99 over a second at 32 connections). Waiting here, in `time.sleep`, which gevent makes
    cooperative, lets the others run. An attempt that failed on the lock changed nothing.
    """
    deadline = time.monotonic() + patience_ms / 1000
    pause = 0.0005
    while True:
        try:
            return attempt()
        except sqlite3.OperationalError as error:
            code = getattr(error, "sqlite_errorcode", 0) & 0xFF  # BUSY_SNAPSHOT etc. too
            locked = code in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)
            if not locked or time.monotonic() >= deadline:
                raise
        time.sleep(pause)
        pause = min(pause * 2, 0.01)


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
