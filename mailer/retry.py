"""Taking due work and trying again, for mail and webhooks alike: both queues have `status`,
`send_after`, `claim` and `claimed_until`."""

import random
import secrets
import sqlite3
from datetime import datetime, timedelta

from database.connection import for_update, transaction
from database.timestamps import to_sqlite

CLAIM = timedelta(minutes=5)  # a claimed message or delivery is someone's for this long
MAX_ATTEMPTS = 8


def backoff(attempts: int) -> timedelta:
    """1, 2, 4, … minutes, at most an hour, each spread by ±20 % so retries do not bunch up."""
    minutes = min(2 ** max(attempts - 1, 0), 60)
    return timedelta(minutes=minutes * random.uniform(0.8, 1.2))


def claim_due(
    conn: sqlite3.Connection, table: str, now: datetime, batch: int, ready: str = ""
) -> str:
    """Claim up to `batch` rows of `table` that are due at `now` (queued and past `send_after`,
    or sending under a claim that ran out) and, if given, meet `ready` (SQL on the row `d`), for
    this worker alone, in one write transaction; the claim's token. Workers on other machines
    skip the rows this one holds (PostgreSQL's SKIP LOCKED) and take others."""
    token = secrets.token_hex(8)
    with transaction(conn):
        conn.execute(
            f"UPDATE {table} SET status = 'sending', claim = :claim, claimed_until = :until WHERE id IN "
            f"(SELECT d.id FROM {table} d WHERE ((d.status = 'queued' AND d.send_after <= :now) "
            f"OR (d.status = 'sending' AND d.claimed_until <= :now)){f' AND {ready}' if ready else ''} "
            f"ORDER BY d.send_after, d.id LIMIT :batch{for_update(conn, skip_locked=True)})",
            {"claim": token, "until": to_sqlite(now + CLAIM), "now": to_sqlite(now), "batch": batch},
        )  # fmt: skip
    return token
