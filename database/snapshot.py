"""`db snapshot --content-only`: a consistent copy with what the build reads and nothing about
people, so CI can build the site without personal data: no leads, consents, mail, sessions,
staff accounts, audit log, revisions or analytics, and no setting that names a person."""

import sqlite3
from pathlib import Path

from .backup import backup_database
from .catalog import data_tables
from .connection import connect

# What the build reads (generator/load.py), and the wording of the forms' consent checkbox.
CONTENT_TABLES = frozenset({"pages", "page_redirects", "media_files", "webinars", "whitepapers",
                            "system_settings", "consent_wordings"})  # fmt: skip
# Columns of kept rows that point at people.
PEOPLE_COLUMNS = {"pages": ("author_id",), "whitepapers": ("author_id",),
                  "media_files": ("uploaded_by", "upload_ip")}  # fmt: skip
PERSONAL_SETTINGS = ("lead_notification_recipients", "email_from_name", "email_from_address")


def content_snapshot(db_path: Path, target: Path) -> dict[str, int]:
    """Write the snapshot (mode 0600, like a backup); rows kept per content table."""
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
