"""The build queue (`build_jobs`, deviation D24): requests from the studio and from the clock,
merged while they wait, taken by one runner at a time, and the moments when time alone changes
what the site shows (a scheduled publication, a webinar's deadline, start and end).

One build at a time is a lock the operating system drops with its holder: a runner killed
mid-build leaves its job `running`, and the next runner, which can only take the lock because
the holder is gone, takes that job over. Plain SQL both SQLite and PostgreSQL run; times come
from the caller.
"""

import fcntl
import hashlib
import json
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path

from .backends import is_postgres_url
from .connection import connect
from .timestamps import from_sqlite, to_sqlite


def request(conn: sqlite3.Connection, reason: str, now: datetime, *, full: bool = False,
            staff_id: int | None = None) -> int:  # fmt: skip
    """Ask for a build (call inside a write transaction): merged into the one already waiting,
    if any, so a burst of edits is one build. Returns the job's id."""
    waiting = conn.execute(
        "SELECT id, reasons FROM build_jobs WHERE status = 'queued' ORDER BY id LIMIT 1"
    ).fetchone()
    if waiting:
        reasons = json.loads(waiting["reasons"])[-49:] + [reason]
        conn.execute(
            "UPDATE build_jobs SET reasons = ?, full_build = (full_build OR ?) WHERE id = ?",
            (json.dumps(reasons, ensure_ascii=False), full, waiting["id"]),
        )
        return waiting["id"]
    return conn.execute(
        "INSERT INTO build_jobs (full_build, reasons, requested_by, requested_at) VALUES (?, ?, ?, ?) RETURNING id",
        (full, json.dumps([reason], ensure_ascii=False), staff_id, to_sqlite(now)),
    ).fetchone()[0]


@contextmanager
def build_lock(database: Path | str, wait: bool = False) -> Iterator[bool]:
    """Hold the site's build lock while the block runs. Without `wait`, yields False at once
    when another holder has it. The lock is a file lock beside the database: the kernel
    releases it when its holder exits, however it exits. On PostgreSQL it is an advisory lock
    held by a connection of its own, which the server releases when that connection ends."""
    if is_postgres_url(database):
        with advisory_lock(database, BUILD_LOCK_KEY, wait) as held:
            yield held
        return
    handle = os.open(f"{database}.build-lock", os.O_RDWR | os.O_CREAT, 0o600)
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except BlockingIOError:
            yield False
            return
        yield True
    finally:
        os.close(handle)  # closing releases the lock


BUILD_LOCK_KEY = 0x6D61676E_6275696C  # "magnbuil": one number for every Magnetiq site's builds


@contextmanager
def advisory_lock(url: str, key: int, wait: bool) -> Iterator[bool]:
    conn = connect(url)
    try:
        if wait:
            conn.execute("SELECT pg_advisory_lock(?)", (key,))
        elif not conn.execute("SELECT pg_try_advisory_lock(?)", (key,)).fetchone()[0]:
            yield False
            return
        yield True
    finally:
        conn.close()  # ending the session releases the lock


def waiting(conn: sqlite3.Connection) -> bool:
    """Whether a request waits: one read of the queue's index, cheap enough to ask often."""
    return (
        conn.execute("SELECT 1 FROM build_jobs WHERE status = 'queued' LIMIT 1").fetchone()
        is not None
    )


def take(conn: sqlite3.Connection, now: datetime) -> tuple[list[int], bool]:
    """(job ids, full?) of everything waiting, now `running` (call with the build lock held,
    inside a write transaction). A job left `running` by a runner that died is taken too, and
    made a full build."""
    rows = conn.execute(
        "SELECT id, full_build, status FROM build_jobs WHERE status IN ('queued', 'running') ORDER BY id"
    ).fetchall()
    ids = [row["id"] for row in rows]
    # A build that died may have left staged files or half a commit: a full build, which
    # compares output/ with what it should hold, sets that right.
    full = any(row["full_build"] or row["status"] == "running" for row in rows)
    conn.executemany(
        "UPDATE build_jobs SET status = 'running', started_at = ?, progress = NULL WHERE id = ?",
        [(to_sqlite(now), job) for job in ids],
    )
    return ids, full


def report_progress(conn: sqlite3.Connection, ids: list[int], text: str) -> None:
    conn.executemany(
        "UPDATE build_jobs SET progress = ? WHERE id = ?", [(text, job) for job in ids]
    )


def finish(conn: sqlite3.Connection, ids: list[int], now: datetime, *, ok: bool, summary: dict,
           errors: list[dict], deploy: tuple[str, str] | None = None) -> None:  # fmt: skip
    """Record the outcome; a failed deploy fails the job although the build itself succeeded."""
    deploy_status, deploy_log = deploy or (None, None)
    status = "done" if ok and deploy_status != "failed" else "failed"
    conn.executemany(
        "UPDATE build_jobs SET status = ?, finished_at = ?, progress = NULL, summary = ?, errors = ?, "
        "deploy_status = ?, deploy_log = ? WHERE id = ?",
        [(status, to_sqlite(now), json.dumps(summary), json.dumps(errors, ensure_ascii=False),
          deploy_status, deploy_log, job) for job in ids],
    )  # fmt: skip


def last_built_at(conn: sqlite3.Connection) -> datetime | None:
    """When the last finished build started: the moments after it are not yet on the site."""
    row = conn.execute(
        "SELECT started_at FROM build_jobs WHERE status IN ('done', 'failed') ORDER BY id DESC LIMIT 1"
    ).fetchone()
    return from_sqlite(row[0]) if row else None


def moments(conn: sqlite3.Connection, after: datetime) -> list[datetime]:
    """The times after `after` at which time alone changes the site, sorted: a page or a
    whitepaper scheduled to appear; a webinar's registration deadline, start and end."""
    found = [
        from_sqlite(row[0])
        for row in conn.execute(
            "SELECT published_at FROM pages INDEXED BY idx_pages_build "  # covering: no bodies read
            "WHERE status = 'published' AND deleted_at IS NULL AND published_at > ? "
            "UNION ALL SELECT published_at FROM whitepapers WHERE status = 'published' AND deleted_at IS NULL "
            "AND published_at > ?",
            (to_sqlite(after), to_sqlite(after)),
        )
    ]  # fmt: skip
    for row in conn.execute(
        "SELECT scheduled_at, duration_minutes, registration_deadline FROM webinars "
        "WHERE deleted_at IS NULL AND status IN ('scheduled', 'live')"
    ):
        starts = from_sqlite(row["scheduled_at"])
        ends = starts + timedelta(minutes=row["duration_minutes"] or 60)
        deadline = (
            from_sqlite(row["registration_deadline"]) if row["registration_deadline"] else None
        )
        found += [moment for moment in (deadline, starts, ends) if moment and moment > after]
    return sorted(found)


def database_instance(conn: sqlite3.Connection) -> str:
    row = conn.execute("SELECT value FROM system_settings WHERE key = 'instance_id'").fetchone()
    return row[0] if row and row[0] else "unknown"


VERSIONED_TABLES = ("pages", "webinars", "whitepapers", "media_files", "system_settings")


def content_version(conn: sqlite3.Connection) -> str:
    """Changes whenever a row the build reads changes, and stays put for commits that touch only
    leads or analytics: `watch` rebuilds on a change of this, not on file events alone.

    Every content table bumps `updated_at` on update (deviation D2), so the (id, updated_at)
    pairs of all its rows move with any insert, update or delete; redirects have no
    `updated_at` and are taken whole; each webinar's number of registrations decides whether it
    is full. Plain SQL, read from covering indexes (D26): 0.016 s at 10,000 pages (0.16 s when
    SQLite had to step over every page's body to reach its `updated_at`).
    """
    versions = hashlib.blake2b(digest_size=16)
    for table in VERSIONED_TABLES:
        for row in conn.execute(f"SELECT id, updated_at FROM {table} ORDER BY id"):
            versions.update(f"{table}\x1f{row[0]}\x1f{row[1]}\x1e".encode())
    for old_slug, page in conn.execute(
        "SELECT old_slug, page_id FROM page_redirects ORDER BY old_slug"
    ):
        versions.update(f"redirect\x1f{old_slug}\x1f{page}\x1e".encode())
    for webinar, registered in conn.execute(
        "SELECT webinar_id, count(*) FROM webinar_registrations GROUP BY webinar_id ORDER BY webinar_id"
    ):
        versions.update(f"registrations\x1f{webinar}\x1f{registered}\x1e".encode())
    return versions.hexdigest()
