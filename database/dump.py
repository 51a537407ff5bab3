"""An SQL text dump that restores cleanly, full-text index included.

Python's `iterdump()` writes an FTS5 table as raw rows of its shadow tables plus a
`writable_schema` insert, which does not load back; here the index is rebuilt from its source.
"""

import sqlite3
from collections.abc import Iterator

from .catalog import data_tables
from .migrations import schema_version


def dump_lines(conn: sqlite3.Connection) -> Iterator[str]:
    yield "BEGIN TRANSACTION;"
    for table in data_tables(conn):
        yield (
            conn.execute("SELECT sql FROM sqlite_master WHERE name = ?", (table,)).fetchone()[0]
            + ";"
        )
        columns = [row[1] for row in conn.execute(f'PRAGMA table_info("{table}")')]
        values = " || ',' || ".join(f'quote("{column}")' for column in columns)
        for (line,) in conn.execute(
            f"SELECT 'INSERT INTO \"{table}\" VALUES(' || {values} || ');' FROM \"{table}\""
        ):
            yield line
    for name, seq in conn.execute("SELECT name, seq FROM sqlite_sequence ORDER BY name"):
        yield f"INSERT INTO sqlite_sequence (name, seq) VALUES ('{name}', {seq});"
    # Tables first, so that no trigger fires while the rows above are loaded.
    later = conn.execute(
        "SELECT sql FROM sqlite_master WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%' "
        "AND (type != 'table' OR sql LIKE 'CREATE VIRTUAL%') "
        "ORDER BY CASE type WHEN 'table' THEN 0 WHEN 'view' THEN 1 WHEN 'index' THEN 2 ELSE 3 END, name"
    )
    for (sql,) in later:
        yield sql + ";"
    if conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'pages_fts_source'").fetchone():
        yield (
            "INSERT INTO pages_fts (title, content, excerpt, page_id, lang) "
            "SELECT title, content, excerpt, page_id, lang FROM pages_fts_source;"
        )
    yield f"PRAGMA user_version = {schema_version(conn)};"
    yield "COMMIT;"
