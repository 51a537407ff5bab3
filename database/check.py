"""`db check`: integrity, foreign keys, full-text index consistency, and the SQLite version."""

import sqlite3
from dataclasses import dataclass, field

from .backends import is_postgres
from .migrations import SCHEMA_VERSION, schema_version
from .server_tasks import server_facts

# SQLite before 3.51.3 can corrupt a WAL database when the WAL is reset while another
# connection is mid-checkpoint (the "WAL-reset" bug, fixed in 3.51.3).
FIXED_SQLITE = (3, 51, 3)
SQLITE_UPGRADE_HINT = (
    "install a Python built against SQLite 3.51.3 or newer (e.g. a current python.org or pyenv "
    "build with a newer libsqlite3, or Debian's libsqlite3-0 from a release that ships it)"
)


@dataclass
class CheckReport:
    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    facts: list[str] = field(default_factory=list)


def check_database(
    conn: sqlite3.Connection, sqlite_version: str = sqlite3.sqlite_version
) -> CheckReport:
    report = CheckReport()
    if is_postgres(conn):  # the server keeps its own pages and foreign keys whole
        report.facts, report.problems = server_facts(conn)
        return report
    report.facts.append(f"SQLite library {sqlite_version}")
    if tuple(int(part) for part in sqlite_version.split(".")) < FIXED_SQLITE:
        report.warnings.append(
            f"SQLite {sqlite_version} has the WAL-reset corruption bug fixed in 3.51.3; "
            f"{SQLITE_UPGRADE_HINT}"
        )
    version = schema_version(conn)
    report.facts.append(f"schema version {version}")
    if version != SCHEMA_VERSION:
        report.problems.append(
            f"schema version is {version}, expected {SCHEMA_VERSION}: run `db migrate`"
        )
    integrity = [row[0] for row in conn.execute("PRAGMA integrity_check")]
    if integrity != ["ok"]:
        report.problems.extend(f"integrity: {line}" for line in integrity[:20])
    for table, rowid, parent, _ in conn.execute("PRAGMA foreign_key_check").fetchall()[:20]:
        report.problems.append(f"foreign key: {table} row {rowid} points to a missing {parent} row")
    if version >= 2:
        report.problems.extend(full_text_problems(conn))
    return report


def full_text_problems(conn: sqlite3.Connection) -> list[str]:
    """FTS5's own integrity check plus a comparison with what pages_fts_source says to index."""
    problems = []
    try:
        conn.execute("INSERT INTO pages_fts(pages_fts) VALUES ('integrity-check')")
    except sqlite3.DatabaseError as error:
        problems.append(f"full-text index: {error}")
    indexed = "SELECT page_id, lang, title, content, excerpt FROM pages_fts"
    expected = "SELECT page_id, lang, title, content, excerpt FROM pages_fts_source"
    differing = sum(
        conn.execute(f"SELECT count(*) FROM ({left} EXCEPT {right})").fetchone()[0]
        for left, right in ((expected, indexed), (indexed, expected))
    )
    if differing:
        problems.append(
            f"full-text index: {differing} row(s) out of step with pages; run `db maintain --reindex`"
        )
    return problems
