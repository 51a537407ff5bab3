"""The capture service's database access: durable connections and short write transactions."""

import os
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from flask import current_app

import database
from database.connection import is_sqlite_file

from .config import ConfigError


def check_at_start(path) -> None:
    """Refuse to start on a missing, foreign, corrupt or outdated database; never touch it."""
    if not path.exists():
        raise ConfigError(f"no database at {path}; create one with `magnetiq init`")
    if not is_sqlite_file(path):
        raise ConfigError(
            f"{path} is not an SQLite database; refusing to start (the file was left as it is)"
        )
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            verdict = conn.execute("PRAGMA quick_check").fetchone()[0]
            version = database.schema_version(conn)
        finally:
            conn.close()
    except sqlite3.DatabaseError as error:
        raise ConfigError(
            f"{path} cannot be read ({error}); refusing to start, restore a backup"
        ) from error
    if verdict != "ok":
        raise ConfigError(
            f"{path} is corrupt ({verdict}); refusing to start, restore a backup with `db restore`"
        )
    if version != database.SCHEMA_VERSION:
        raise ConfigError(
            f"{path} has schema version {version}, expected {database.SCHEMA_VERSION}: run `db migrate`"
        )


_local = threading.local()


def get_db() -> sqlite3.Connection:
    """This thread's connection, with synchronous=FULL: an acknowledged lead survives power loss.

    Kept open between requests: opening costs six PRAGMAs, and closing the last connection to a
    WAL database checkpoints it, which would put a checkpoint on every request.
    """
    config = current_app.config["MAGNETIQ"]
    key = (os.getpid(), str(config.database), config.busy_timeout_ms)
    kept = getattr(_local, "kept", None)  # (key, connection)
    if kept is None or kept[0] != key:
        if kept is not None and kept[0][0] == os.getpid():  # never close a parent's connection
            kept[1].close()
        conn = database.connect(
            config.database, synchronous="FULL", busy_timeout_ms=config.busy_timeout_ms
        )
        kept = _local.kept = (key, conn)
    return kept[1]


def end_request(_error=None) -> None:
    """Never carry a transaction from one request into the next."""
    kept = getattr(_local, "kept", None)
    if kept is not None and kept[1].in_transaction:
        kept[1].execute("ROLLBACK")


@contextmanager
def write() -> Iterator[sqlite3.Connection]:
    """One short BEGIN IMMEDIATE transaction; the answer is sent only after it commits."""
    with database.transaction(get_db()) as conn:
        yield conn


def unavailable(error: sqlite3.Error) -> bool:
    """Errors that mean "try again later" (busy, locked, disk full, read-only), not a bug."""
    text = str(error).lower()
    return isinstance(error, sqlite3.OperationalError | sqlite3.DatabaseError) and any(
        marker in text
        for marker in (
            "locked",
            "busy",
            "disk is full",
            "readonly",
            "read-only",
            "unable to open",
            "disk i/o",
        )
    )
