"""The rate-limit counters' own small SQLite file beside the database (`<database>.ratelimit`).

Kept apart from the database so that counting requests never competes with storing leads, and so
that a backup never carries it. On PostgreSQL the counters are the UNLOGGED table `counters` in
the site's database, so that every capture instance on every machine counts in one place
(unlogged: no write-ahead log, emptied by a server crash, which only forgets who was counted).
Its keys are keyed hashes of client addresses, never the addresses (service/ratelimit.py); the
file is private to its owner and `db maintain` empties it of expired counters.
"""

import os
import sqlite3
import time
from pathlib import Path

from .backends import is_postgres_url
from .connection import BUSY_TIMEOUT_MS, connect

SCHEMA = "CREATE TABLE IF NOT EXISTS counters (key TEXT PRIMARY KEY, count INTEGER NOT NULL, expires_at REAL NOT NULL)"


def counters_path(database: Path | str) -> Path | str:
    if is_postgres_url(database):
        return database
    return database.with_name(database.name + ".ratelimit")


def open_counters(path: Path | str, busy_timeout_ms: int = BUSY_TIMEOUT_MS) -> sqlite3.Connection:
    """Mode 0600 before SQLite writes a byte; its -wal and -shm files inherit the mode.
    `busy_timeout_ms=0` for callers that wait for the lock themselves (`wait_cooperatively`)."""
    if is_postgres_url(path):
        return connect(path)
    os.close(os.open(path, os.O_RDWR | os.O_CREAT, 0o600))
    os.chmod(path, 0o600)  # also a file made by an older version, readable by everyone
    conn = sqlite3.connect(path, isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = OFF")  # counters may be lost on power failure
    conn.execute(SCHEMA)
    conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")  # opening above waits anyway
    return conn


def purge_expired_counters(database: Path | str) -> int:
    """Delete counters whose window has passed; returns how many. No file, nothing to do."""
    path = counters_path(database)
    if not is_postgres_url(path) and not path.exists():
        return 0
    conn = open_counters(path)
    try:
        return conn.execute("DELETE FROM counters WHERE expires_at <= ?", (time.time(),)).rowcount
    finally:
        conn.close()
