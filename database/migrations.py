"""Schema versions kept in PRAGMA user_version; each step runs in one transaction.

Step 1 is the spec's SQL exactly as published, so a database that someone created by running
the spec by hand is simply a database at version 1 and is adopted by applying the later steps.

PostgreSQL has its own history (database/sql/postgres/), numbered by the version each step
reaches: its first step creates version 8's schema at once, later steps follow SQLite's. The
version is kept in a one-row table, magnetiq_schema, and tests/test_postgres.py checks both
histories end at one schema.
"""

import sqlite3
from pathlib import Path

from .backends import is_postgres
from .catalog import VERSION_TABLE, user_tables
from .connection import transaction
from .errors import OperationError

SQL_FOLDER = Path(__file__).with_name("sql")  # package data (pyproject.toml)
MIGRATIONS = (
    "0001_spec_v2.sql",
    "0002_fixes.sql",
    "0003_capture.sql",
    "0004_studio.sql",
    "0005_mail.sql",
    "0006_consent_campaigns.sql",
    "0007_build_jobs.sql",
    "0008_navigation.sql",
    "0009_content_versions.sql",
)
SCHEMA_VERSION = len(MIGRATIONS)
POSTGRES_MIGRATIONS = ((8, "postgres/0008_schema.sql"), (9, "postgres/0009_content_versions.sql"))

SPEC_TABLES = frozenset(
    {
        "admin_users", "user_sessions", "pages", "media_files", "webinars",
        "webinar_registrations", "whitepapers", "whitepaper_downloads", "bookings",
        "analytics_events", "system_settings", "social_accounts", "social_content",
        "social_engagement", "email_campaigns", "email_templates",
    }
)  # fmt: skip


def migration_sql(name: str) -> str:
    return (SQL_FOLDER / name).read_text(encoding="utf-8")


def schema_version(conn: sqlite3.Connection) -> int:
    if not is_postgres(conn):
        return conn.execute("PRAGMA user_version").fetchone()[0]
    if conn.execute("SELECT to_regclass(?) IS NULL", (VERSION_TABLE,)).fetchone()[0]:
        return 0
    return conn.execute(f"SELECT version FROM {VERSION_TABLE}").fetchone()[0]


def current_version(conn: sqlite3.Connection) -> int:
    """The schema version, treating an unversioned database made from the spec as version 1."""
    version = schema_version(conn)
    if version:
        return version
    tables = user_tables(conn)
    if not tables:
        return 0
    if SPEC_TABLES <= tables:
        return 1
    raise OperationError(
        "the database has tables but no Magnetiq schema version, and it is not a database made "
        f"from the v2 spec (missing tables: {', '.join(sorted(SPEC_TABLES - tables))})"
    )


def pending_migrations(conn: sqlite3.Connection) -> list[tuple[int, str]]:
    version = current_version(conn)
    if version > SCHEMA_VERSION:
        raise OperationError(
            f"the database is at schema version {version}, newer than this Magnetiq "
            f"({SCHEMA_VERSION}); upgrade Magnetiq instead"
        )
    return [(number, MIGRATIONS[number - 1]) for number in range(version + 1, SCHEMA_VERSION + 1)]


def migrate(conn: sqlite3.Connection) -> list[int]:
    """Apply every pending step, each in its own transaction; return the versions applied."""
    if is_postgres(conn):
        return migrate_postgres(conn)
    applied = []
    for number, name in pending_migrations(conn):
        apply_migration(conn, number, migration_sql(name))
        applied.append(number)
    return applied


def apply_migration(conn: sqlite3.Connection, number: int, sql: str) -> None:
    # Table rebuilds need foreign keys off, and that PRAGMA is a no-op inside a transaction.
    conn.execute("PRAGMA foreign_keys = OFF")
    try:
        conn.execute("BEGIN IMMEDIATE")
        try:
            for statement in split_statements(sql):
                conn.execute(statement)
            violations = conn.execute("PRAGMA foreign_key_check").fetchall()
            if violations:
                table, rowid, parent, _ = violations[0]
                raise OperationError(
                    f"migration {number}: {len(violations)} foreign key violation(s), "
                    f"first: {table} row {rowid} points to a missing {parent} row"
                )
            conn.execute(f"PRAGMA user_version = {number}")
            conn.execute("COMMIT")
        except sqlite3.Error as error:
            conn.execute("ROLLBACK")
            raise OperationError(
                f"migration {number} failed and was rolled back: {error}"
            ) from error
        except BaseException:
            conn.execute("ROLLBACK")
            raise
    finally:
        conn.execute("PRAGMA foreign_keys = ON")


def migrate_postgres(conn) -> list[int]:
    version = schema_version(conn)
    if version > SCHEMA_VERSION:
        raise OperationError(
            f"the database is at schema version {version}, newer than this Magnetiq "
            f"({SCHEMA_VERSION}); upgrade Magnetiq instead"
        )
    if version == 0 and user_tables(conn):
        raise OperationError(
            "the database has tables but no Magnetiq schema version; use an empty database"
        )
    applied = []
    for number, name in POSTGRES_MIGRATIONS:
        if number <= version:
            continue
        try:
            with transaction(conn):  # PostgreSQL's DDL is transactional: a step applies whole
                conn.executescript(migration_sql(name))
                conn.execute(
                    f"CREATE TABLE IF NOT EXISTS {VERSION_TABLE} (version integer NOT NULL)"
                )
                conn.execute(f"DELETE FROM {VERSION_TABLE}")
                conn.execute(f"INSERT INTO {VERSION_TABLE} (version) VALUES (?)", (number,))
        except sqlite3.Error as error:
            raise OperationError(
                f"PostgreSQL migration {number} failed and was rolled back: {error}"
            ) from error
        applied.append(number)
    return applied


def split_statements(sql: str) -> list[str]:
    """Split a script into complete statements (executescript would commit on its own)."""
    statements, buffer = [], ""
    for line in sql.splitlines(keepends=True):
        buffer += line
        if sqlite3.complete_statement(buffer):
            if buffer.strip():
                statements.append(buffer.strip())
            buffer = ""
    if buffer.strip() and not buffer.strip().startswith("--"):
        statements.append(buffer.strip())
    return [s for s in statements if strip_comments(s)]


def strip_comments(statement: str) -> str:
    return "\n".join(
        line for line in statement.splitlines() if not line.strip().startswith("--")
    ).strip()
