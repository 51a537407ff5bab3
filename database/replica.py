"""The build's reads from a streaming replica (`MAGNETIQ_BUILD_REPLICA`), off the primary's back.

A standby replays the primary's write-ahead log a moment behind it. A build that read it at once
could miss what an editor published a second ago, so the build notes how far the primary's log
had got when the build began and reads the replica only once it has replayed that far. A replica
that cannot be reached, is not a standby, or does not catch up within
`MAGNETIQ_BUILD_REPLICA_WAIT` seconds (30 by default) is passed over for the primary, with a line
that says why: the build is then slower for the primary, never staler.
"""

import os
import sqlite3
import sys
import time
from collections.abc import Callable

from .backends import is_postgres_url, printable
from .connection import connect
from .errors import OperationError

REPLICA_VARIABLE = "MAGNETIQ_BUILD_REPLICA"
WAIT_VARIABLE = "MAGNETIQ_BUILD_REPLICA_WAIT"
DEFAULT_WAIT_SECONDS = 30.0
POLL_SECONDS = 0.05


def build_replica(primary) -> str | None:
    """The replica's URL when one is configured for a site on PostgreSQL; a clear error when
    the setting cannot work."""
    replica = os.environ.get(REPLICA_VARIABLE, "").strip()
    if not replica:
        return None
    if not is_postgres_url(primary) or not is_postgres_url(replica):
        raise OperationError(
            f"{REPLICA_VARIABLE} is the postgresql:// URL of a standby of the site's PostgreSQL "
            f"database; it cannot apply to {printable(primary)}"
        )
    return replica


def wait_seconds() -> float:
    value = os.environ.get(WAIT_VARIABLE, "").strip()
    try:
        seconds = float(value) if value else DEFAULT_WAIT_SECONDS
    except ValueError:
        seconds = -1.0
    if not 0 <= seconds <= 3600:
        raise OperationError(
            f"{WAIT_VARIABLE} is a number of seconds from 0 to 3600, not {value!r}"
        )
    return seconds


def connect_for_reading(primary, report: Callable[[str], None] | None = None):
    """A connection to read the whole site from: the replica once it has caught up with the
    primary, else the primary itself."""
    replica = build_replica(primary)
    if replica is None:
        return connect(primary)
    report = report or (lambda line: print(line, file=sys.stderr))
    patience = wait_seconds()
    conn = connect(primary)
    try:
        position = conn.execute("SELECT CAST(pg_current_wal_lsn() AS text)").fetchone()[0]
    finally:
        conn.close()
    started = time.monotonic()
    try:
        conn = connect(replica)
    except sqlite3.Error as error:
        report(f"the build replica cannot be reached ({error}); reading from the primary")
        return connect(primary)
    try:
        problem = catch_up(conn, position, started + patience)
    except BaseException:
        conn.close()
        raise
    if problem is None:
        report(f"reading from the build replica (caught up in {time.monotonic() - started:.2f} s)")
        return conn
    conn.close()
    report(f"{problem}; reading from the primary")
    return connect(primary)


def catch_up(conn, position: str, deadline: float) -> str | None:
    """Wait until the replica has replayed the primary's log up to `position`: None then, else
    why it is not to be read."""
    while True:
        in_recovery, caught_up = conn.execute(
            "SELECT pg_is_in_recovery(), "
            "pg_wal_lsn_diff(pg_last_wal_replay_lsn(), CAST(? AS pg_lsn)) >= 0",
            (position,),
        ).fetchone()
        if not in_recovery:
            return "the build replica is not a standby"
        if caught_up:
            return None
        if time.monotonic() >= deadline:
            return "the build replica has not replayed the primary's latest changes in time"
        time.sleep(POLL_SECONDS)
