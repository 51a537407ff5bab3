"""`db maintain`: routine upkeep that is safe to run from cron while the site is live.

Each step is its own short transaction, so visitors' writes wait milliseconds, not minutes.
"""

import sqlite3
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from .backends import is_postgres
from .catalog import data_tables, foreign_keys, table_columns
from .connection import transaction
from .timestamps import to_sqlite

# Rows that reference a purged row but are owned by it rather than worth keeping on their own.
OWNED_BY_PARENT = {"user_sessions"}


@dataclass
class MaintenanceReport:
    expired_sessions: int = 0
    purged: dict[str, int] = field(default_factory=dict)
    kept_referenced: dict[str, int] = field(default_factory=dict)


def soft_deletable_tables(conn: sqlite3.Connection) -> list[str]:
    return [name for name in data_tables(conn) if "deleted_at" in table_columns(conn, name)]


def blocking_references(conn: sqlite3.Connection, parent: str) -> list[tuple[str, str]]:
    """(table, column) pairs whose rows would be lost or orphaned if a `parent` row went away."""
    return [
        (key.table, key.column)
        for key in foreign_keys(conn)
        if key.parent == parent and key.table not in OWNED_BY_PARENT and key.on_delete != "SET NULL"
    ]


def purge_soft_deleted(
    conn: sqlite3.Connection, cutoff: datetime, report: MaintenanceReport
) -> None:
    """Delete rows soft-deleted before `cutoff` that nothing worth keeping still points at.

    The spec's plain `DELETE ... WHERE deleted_at < ...` fails with foreign keys on (or, through
    ON DELETE CASCADE, silently deletes leads); referenced rows are kept and counted instead.
    """
    for table in soft_deletable_tables(conn):
        unreferenced = " ".join(
            f"AND NOT EXISTS (SELECT 1 FROM {child} WHERE {child}.{column} = {table}.id)"
            for child, column in blocking_references(conn, table)
        )
        with transaction(conn):
            stale = "deleted_at IS NOT NULL AND deleted_at < ?"
            total = conn.execute(
                f"SELECT count(*) FROM {table} WHERE {stale}", (to_sqlite(cutoff),)
            ).fetchone()[0]
            deleted = conn.execute(
                f"DELETE FROM {table} WHERE {stale} {unreferenced}", (to_sqlite(cutoff),)
            ).rowcount
        if deleted:
            report.purged[table] = deleted
        if total - deleted:
            report.kept_referenced[table] = total - deleted


def maintain(
    conn: sqlite3.Connection,
    now: datetime,
    *,
    purge_after_days: int = 30,
    vacuum: bool = False,
    reindex: bool = False,
) -> MaintenanceReport:
    report = MaintenanceReport()
    with transaction(conn):
        report.expired_sessions = conn.execute(
            "DELETE FROM user_sessions WHERE expires_at < ?", (to_sqlite(now),)
        ).rowcount
    with transaction(conn):
        conn.execute(
            "DELETE FROM idempotency_keys WHERE created_at < ?",
            (to_sqlite(now - timedelta(days=1)),),
        )
    purge_soft_deleted(conn, now - timedelta(days=purge_after_days), report)
    if is_postgres(conn):
        return server_upkeep(conn, report, reindex)
    if reindex:
        with transaction(conn):
            conn.execute("DELETE FROM pages_fts")
            conn.execute(
                "INSERT INTO pages_fts (title, content, excerpt, page_id, lang) "
                "SELECT title, content, excerpt, page_id, lang FROM pages_fts_source"
            )
    conn.execute("ANALYZE")
    if vacuum:
        conn.execute("VACUUM")
    conn.execute("PRAGMA wal_checkpoint(PASSIVE)")
    return report


def server_upkeep(conn, report: MaintenanceReport, reindex: bool) -> MaintenanceReport:
    """PostgreSQL's own upkeep: VACUUM (ANALYZE) frees dead rows for reuse without locking
    writers (a full VACUUM, which would, is left to the operator); the text-search indexes
    follow every write by themselves, and REINDEX CONCURRENTLY rebuilds them if asked."""
    conn.execute("VACUUM (ANALYZE)")
    if reindex:
        conn.execute("REINDEX TABLE CONCURRENTLY pages")
    return report
