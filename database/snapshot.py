"""`db snapshot --content-only`: a consistent copy with what the build reads and nothing about
people, so CI can build the site without personal data: no leads, consents, mail, sessions,
staff accounts, audit log, revisions or analytics, and no setting that names a person."""

import os
import sqlite3
from pathlib import Path

from .backends import is_postgres_url
from .backup import backup_database
from .catalog import data_tables
from .connection import connect
from .copy import copy_database
from .errors import OperationError

# What the build reads (generator/load.py), and the wording of the forms' consent checkbox.
CONTENT_TABLES = frozenset({"pages", "page_redirects", "media_files", "webinars", "whitepapers",
                            "system_settings", "consent_wordings"})  # fmt: skip
# Columns of kept rows that point at people.
PEOPLE_COLUMNS = {"pages": ("author_id",), "whitepapers": ("author_id",),
                  "media_files": ("uploaded_by", "upload_ip")}  # fmt: skip
PERSONAL_SETTINGS = ("lead_notification_recipients", "email_from_name", "email_from_address")


def content_snapshot(db_path: Path | str, target: Path) -> dict[str, int]:
    """Write the snapshot (mode 0600, like a backup); rows kept per content table.

    The snapshot is always an SQLite file, so CI builds without a server: a PostgreSQL site is
    copied into it by `db copy` first."""
    if is_postgres_url(db_path):
        if target.exists():
            raise OperationError(f"{target} already exists; choose another path")
        # An empty file is an empty SQLite database: made 0600 before the first row arrives.
        os.close(os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        copy_database(db_path, target, progress=lambda _line: None)
    else:
        backup_database(db_path, target)
    conn = connect(target)
    try:
        conn.execute("PRAGMA foreign_keys = OFF")  # the references to people go in this same step
        with conn:
            for table, columns in PEOPLE_COLUMNS.items():
                conn.execute(f"UPDATE {table} SET {', '.join(f'{c} = NULL' for c in columns)}")
            conn.executemany(
                "DELETE FROM system_settings WHERE key = ?", [(k,) for k in PERSONAL_SETTINGS]
            )
            for table in data_tables(conn):
                if table not in CONTENT_TABLES:
                    conn.execute(f"DELETE FROM {table}")
        if problems := conn.execute("PRAGMA foreign_key_check").fetchall():
            raise sqlite3.IntegrityError(f"the snapshot has dangling references: {problems[:3]}")
        conn.execute("VACUUM")  # deleted rows leave no trace in free pages
        return {
            table: conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            for table in sorted(CONTENT_TABLES)
        }
    finally:
        conn.close()
