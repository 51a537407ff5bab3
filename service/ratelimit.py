"""Flask-Limiter with counters in a small SQLite file, so a limit holds across all workers.

Flask-Limiter (and the `limits` library under it) decides what to count and answers 429 with
Retry-After; only the storage is ours, because its built-in shared stores need Redis, Memcached
or MongoDB, and Magnetiq runs on one SQLite file, or on one PostgreSQL server whose `counters`
table every capture instance shares (database/counters.py): the same SQL on both. Clients are
counted under a keyed hash of their address: the file never holds an IP address.
"""

import hashlib
import hmac
import sqlite3
import time
from functools import partial
from pathlib import Path

from flask import request
from flask_limiter import Limiter
from limits.storage import Storage

from database.connection import BUSY_TIMEOUT_MS, wait_cooperatively
from database.counters import open_counters
from database.pool import IdleConnections


class CounterStorage(Storage):
    """Fixed-window counters in the table `counters` of `options["counters"]` (a file or a URL)."""

    STORAGE_SCHEME = ["magnetiq"]

    def __init__(self, uri: str, wrap_exceptions: bool = False, *, counters, **options):
        super().__init__(uri, wrap_exceptions=wrap_exceptions, **options)
        self.connections = IdleConnections(partial(open_counters, counters, busy_timeout_ms=0))

    @property
    def base_exceptions(self):
        return sqlite3.Error

    def run(self, sql: str, params=()) -> tuple[tuple | None, int]:
        """One statement on an idle connection: (its first row, rows changed). A file's lock
        held by another worker is waited for cooperatively (`wait_cooperatively`)."""

        def attempt():
            rows = conn.execute(sql, params)
            return rows.fetchone(), rows.rowcount

        conn = self.connections.take()
        try:
            return wait_cooperatively(attempt, BUSY_TIMEOUT_MS)
        finally:
            self.connections.give_back(conn)

    def incr(self, key: str, expiry: int, amount: int = 1) -> int:
        row, _ = self.run(
            "INSERT INTO counters (key, count, expires_at) VALUES (:key, :amount, :now + :expiry) "
            "ON CONFLICT (key) DO UPDATE SET "
            "count = CASE WHEN counters.expires_at <= :now THEN :amount ELSE counters.count + :amount END, "
            "expires_at = CASE WHEN counters.expires_at <= :now THEN :now + :expiry ELSE counters.expires_at END "
            "RETURNING count",
            {"key": key, "amount": amount, "now": time.time(), "expiry": expiry},
        )
        return row[0]

    def get(self, key: str) -> int:
        row, _ = self.run(
            "SELECT count FROM counters WHERE key = ? AND expires_at > ?", (key, time.time())
        )
        return row[0] if row else 0

    def get_expiry(self, key: str) -> float:
        row, _ = self.run("SELECT expires_at FROM counters WHERE key = ?", (key,))
        return row[0] if row else time.time()

    def check(self) -> bool:
        return self.run("SELECT 1")[0] == (1,)

    def reset(self) -> int | None:
        return self.run("DELETE FROM counters")[1]

    def clear(self, key: str) -> None:
        self.run("DELETE FROM counters WHERE key = ?", (key,))


def make_limiter(counters: Path | str, secret: str) -> Limiter:
    key = hashlib.sha256(f"ratelimit:{secret}".encode()).digest()

    def client_key() -> str:
        """A keyed hash of the client's address: the same client, the same counter, no IP."""
        address = (request.remote_addr or "unknown").encode()
        return hmac.new(key, address, hashlib.sha256).hexdigest()[:32]

    return Limiter(
        key_func=client_key,
        storage_uri="magnetiq://counters",
        storage_options={"counters": counters},
        strategy="fixed-window",
        headers_enabled=False,  # Retry-After is set on 429 answers only (capture/__init__.py)
    )
