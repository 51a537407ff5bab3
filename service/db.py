"""The services' database access: durable connections and short write transactions."""

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial

from flask import current_app, g

import database
from database.backends import is_postgres, is_postgres_url
from database.connection import is_sqlite_file, wait_cooperatively
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


_pools: dict[tuple[str, int, bool], IdleConnections] = {}


def idle_connections(durable: bool) -> IdleConnections:
    """This process's idle connections of one kind (see `open_connection`)."""
    config = current_app.config["MAGNETIQ"]
    key = (str(config.database), config.busy_timeout_ms, durable)
    if key not in _pools:
        _pools[key] = IdleConnections(
            partial(open_connection, config.database, config.busy_timeout_ms, durable)
        )
    return _pools[key]


def open_connection(target, busy_timeout_ms: int, durable: bool) -> sqlite3.Connection:
    """Leads are durable: every commit waits for the disk (SQLite's synchronous=FULL,
    PostgreSQL's default). Page views are not leads: their commits survive the process being
    killed, and only the last few may be lost with the power (SQLite's NORMAL in WAL mode,
    PostgreSQL's synchronous_commit off). Each kind has connections of its own, so a page view
    never leaves its setting behind for the next lead. Page views' SQLite connections have no
    busy handler: `write_page_views` waits for the write lock itself, cooperatively."""
    if durable:
        return database.connect(target, synchronous="FULL", busy_timeout_ms=busy_timeout_ms)
    if is_postgres_url(target):
        conn = database.connect(target, busy_timeout_ms=busy_timeout_ms)
        conn.execute("SET synchronous_commit = off")
        return conn
    conn = database.connect(target, busy_timeout_ms=busy_timeout_ms)  # opening waits as usual
    conn.execute("PRAGMA busy_timeout = 0")
    return conn


def get_db() -> sqlite3.Connection:
    """This request's durable connection, taken from the process's idle ones and given back
    when the request ends."""
    if "db" not in g:
        g.db_pool = idle_connections(durable=True)
        g.db = g.db_pool.take()
    return g.db


def end_request(_error=None) -> None:
    """Give the connection back, with no transaction left open."""
    conn = g.pop("db", None)
    if conn is not None:
        g.pop("db_pool").give_back(conn)


@contextmanager
def write() -> Iterator[sqlite3.Connection]:
    """One short BEGIN IMMEDIATE transaction on the durable connection; the answer is sent
    only after it commits."""
    patience = current_app.config["MAGNETIQ"].busy_timeout_ms
    conn = get_db()
    with one_writer(conn, patience), database.transaction(conn, patience_ms=patience):
        yield conn


_writing = threading.Lock()  # gevent's own in a gevent worker (this module loads after patching)


@contextmanager
def one_writer(conn, patience_ms: int) -> Iterator[None]:
    """SQLite takes one writer at a time: a process's writes queue for it here, in order, and
    only the one at the head waits (cooperatively) for other processes' writers. Were every
    request to poll SQLite's lock itself, the unlucky ones would lose the race for seconds. A
    server takes many writers at once."""
    if is_postgres(conn):
        yield
        return
    if not _writing.acquire(timeout=patience_ms / 1000):
        raise sqlite3.OperationalError("database is locked (by this process's other writes)")
    try:
        yield
    finally:
        _writing.release()


def write_page_views(sql: str, params) -> None:
    """One statement for page views, in autocommit: atomic by itself, one round trip to a
    server, its commit not waiting for the disk (`open_connection`)."""
    patience = current_app.config["MAGNETIQ"].busy_timeout_ms
    pool = idle_connections(durable=False)
    conn = pool.take()
    try:
        with one_writer(conn, patience):
            wait_cooperatively(lambda: conn.execute(sql, params), patience)
    finally:
        pool.give_back(conn)


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
