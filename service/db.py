"""The services' database access: durable connections and short write transactions."""

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial

from flask import current_app, g

import database
from database.backends import is_postgres, is_postgres_url
from database.connection import is_sqlite_file
from database.pool import IdleConnections

from .config import ConfigError


def check_at_start(path) -> None:
    """Refuse to start on a missing, foreign, corrupt or outdated database; never touch it."""
    if is_postgres_url(path):
        return check_server_at_start(path)
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


def check_server_at_start(url: str) -> None:
    try:
        conn = database.connect(url)
        try:
            version = database.schema_version(conn)
        finally:
            conn.close()
    except (sqlite3.Error, database.OperationError) as error:
        raise ConfigError(
            f"the PostgreSQL database cannot be read ({error}); refusing to start"
        ) from error
    if version != database.SCHEMA_VERSION:
        raise ConfigError(
            f"the PostgreSQL database has schema version {version}, expected "
            f"{database.SCHEMA_VERSION}: run `db migrate`"
        )


_pools: dict[tuple[str, int], IdleConnections] = {}


def get_db() -> sqlite3.Connection:
    """This request's connection, with synchronous=FULL: an acknowledged lead survives power loss.

    Taken from the process's idle connections and given back when the request ends.
    """
    if "db" not in g:
        config = current_app.config["MAGNETIQ"]
        key = (str(config.database), config.busy_timeout_ms)
        if key not in _pools:
            _pools[key] = IdleConnections(
                partial(database.connect, config.database, synchronous="FULL",
                        busy_timeout_ms=config.busy_timeout_ms)
            )  # fmt: skip
        g.db_pool = _pools[key]
        g.db = g.db_pool.take()
    return g.db


def end_request(_error=None) -> None:
    """Give the connection back, with no transaction left open."""
    conn = g.pop("db", None)
    if conn is not None:
        g.pop("db_pool").give_back(conn)


@contextmanager
def write(durable: bool = True) -> Iterator[sqlite3.Connection]:
    """One short BEGIN IMMEDIATE transaction; the answer is sent only after it commits.

    Leads are durable: the commit waits for the disk. Page views pass `durable=False` and commit
    at WAL's NORMAL level, without a disk flush each: they survive the process being killed, and
    only the last few may be lost with the power.
    """
    conn = get_db()
    if durable:
        with database.transaction(conn):
            yield conn
        return
    if is_postgres(conn):  # the same promise in PostgreSQL's words, for this transaction only
        with database.transaction(conn):
            conn.execute("SET LOCAL synchronous_commit = off")
            yield conn
        return
    conn.execute("PRAGMA synchronous = NORMAL")
    try:
        with database.transaction(conn):
            yield conn
    finally:
        conn.execute("PRAGMA synchronous = FULL")


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
            "unavailable",  # PostgreSQL: connection lost, deadlock, serialisation failure
        )
    )
