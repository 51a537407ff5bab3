"""The SQLite files of the build cache (manifest, Markdown, page rows, search index).

Each file carries its format in `PRAGMA user_version`. A file of another format (an older
Magnetiq), or one that is not a database any more (a crash, a bad copy), is started afresh:
the build then redoes that work instead of failing or trusting it.
"""

import sqlite3
from pathlib import Path


def open_cache_db(
    path: Path, format_version: int, schema: str, *, durable: bool = False, shared: bool = False
) -> tuple[sqlite3.Connection, bool]:
    """(connection, whether the file was started afresh). `durable` keeps SQLite's fsyncs,
    for the manifest; the pure caches skip them, a lost entry being merely recomputed.
    `shared`: usable from several threads (SQLite serialises the calls)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        return connect(path, format_version, schema, durable, shared)
    except sqlite3.DatabaseError:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        conn, _ = connect(path, format_version, schema, durable, shared)
        return conn, True


def connect(
    path: Path, format_version: int, schema: str, durable: bool, shared: bool
) -> tuple[sqlite3.Connection, bool]:
    conn = sqlite3.connect(path, isolation_level=None, check_same_thread=not shared)
    try:
        conn.execute("PRAGMA journal_mode = WAL")
        if not durable:
            conn.execute("PRAGMA synchronous = OFF")
        fresh = conn.execute("PRAGMA user_version").fetchone()[0] != format_version
        if fresh:
            tables = conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()
            for (table,) in tables:
                conn.execute(f'DROP TABLE "{table}"')
            conn.execute(f"PRAGMA user_version = {int(format_version)}")
        conn.executescript(schema)
        return conn, fresh
    except sqlite3.DatabaseError:
        conn.close()
        raise
