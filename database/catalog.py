"""What a database holds: its tables, their columns, their foreign keys, on either backend.

SQLite answers from sqlite_master and its PRAGMAs, PostgreSQL from its catalogs; callers get the
same shapes from both.
"""

from dataclasses import dataclass

from .backends import is_postgres

# PostgreSQL's own bookkeeping, not site data: the schema version, and the capture services'
# shared rate-limit counters (SQLite keeps those in a file of their own, database/counters.py).
VERSION_TABLE = "magnetiq_schema"
POSTGRES_ONLY_TABLES = (VERSION_TABLE, "counters")


@dataclass(frozen=True)
class ForeignKey:
    table: str
    column: str
    parent: str
    parent_column: str
    on_delete: str  # CASCADE, SET NULL, RESTRICT, SET DEFAULT or NO ACTION


def user_tables(conn) -> set[str]:
    if is_postgres(conn):
        return set(data_tables(conn))
    rows = conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
    )
    return {row[0] for row in rows}


def data_tables(conn) -> list[str]:
    """Ordinary tables, sorted: no SQLite internals, no full-text index or its shadow tables,
    no PostgreSQL bookkeeping."""
    if is_postgres(conn):
        rows = conn.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename"
        )
        return [row[0] for row in rows if row[0] not in POSTGRES_ONLY_TABLES]
    rows = conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
        "AND name NOT LIKE 'pages_fts%' ORDER BY name"
    )
    return [row[0] for row in rows]


def table_columns(conn, table: str) -> list[str]:
    """The columns of `table`, in their order."""
    if is_postgres(conn):
        rows = conn.execute(
            "SELECT column_name FROM information_schema.columns "
            "WHERE table_schema = current_schema() AND table_name = ? ORDER BY ordinal_position",
            (table,),
        )
        return [row[0] for row in rows]
    return [row[1] for row in conn.execute(f"PRAGMA table_info({table})")]


# Each backend's column types, as the kinds of value Magnetiq stores: SQLite's declared types,
# PostgreSQL's own (docs/postgresql.md). JSON is TEXT in SQLite: `export.JSON_COLUMNS` names it.
SQLITE_KINDS = {"INTEGER": "integer", "TEXT": "text", "DATETIME": "time", "BOOLEAN": "boolean",
                "REAL": "real"}  # fmt: skip
POSTGRES_KINDS = {"bigint": "integer", "integer": "integer", "text": "text", "jsonb": "json",
                  "timestamp with time zone": "time", "boolean": "boolean",
                  "double precision": "real"}  # fmt: skip


def column_kinds(conn, table: str) -> dict[str, str]:
    """integer, real, text, json, time or boolean for each column of `table`, in order."""
    if is_postgres(conn):
        rows = conn.execute(
            "SELECT column_name, data_type FROM information_schema.columns "
            "WHERE table_schema = current_schema() AND table_name = ? ORDER BY ordinal_position",
            (table,),
        )
        return {name: POSTGRES_KINDS[kind] for name, kind in rows}
    return {
        row["name"]: SQLITE_KINDS.get(row["type"].upper(), "text")
        for row in conn.execute(f"PRAGMA table_info({table})")
    }


def primary_key(conn, table: str) -> tuple[str, ...]:
    if is_postgres(conn):
        rows = conn.execute(
            "SELECT a.attname FROM pg_index i "
            "CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, n) "
            "JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum "
            "WHERE i.indrelid = ?::regclass AND i.indisprimary ORDER BY k.n",
            (table,),
        )
        return tuple(row[0] for row in rows)
    rows = sorted(
        (row["pk"], row["name"]) for row in conn.execute(f"PRAGMA table_info({table})") if row["pk"]
    )
    return tuple(name for _, name in rows)


POSTGRES_ON_DELETE = {"c": "CASCADE", "n": "SET NULL", "r": "RESTRICT", "d": "SET DEFAULT",
                      "a": "NO ACTION"}  # fmt: skip


def foreign_keys(conn) -> list[ForeignKey]:
    """Every column that references another table, one entry per column pair."""
    if is_postgres(conn):
        rows = conn.execute(
            "SELECT c.conrelid::regclass::text, child.attname, c.confrelid::regclass::text, "
            "parent.attname, c.confdeltype FROM pg_constraint c "
            "CROSS JOIN LATERAL unnest(c.conkey, c.confkey) AS k(child_number, parent_number) "
            "JOIN pg_attribute child ON child.attrelid = c.conrelid AND child.attnum = k.child_number "
            "JOIN pg_attribute parent ON parent.attrelid = c.confrelid AND parent.attnum = k.parent_number "
            "WHERE c.contype = 'f' AND c.connamespace = current_schema()::regnamespace"
        )
        return [ForeignKey(t, c, p, pc, POSTGRES_ON_DELETE[d]) for t, c, p, pc, d in rows]
    return [
        ForeignKey(table, row["from"], row["table"], row["to"] or "id", row["on_delete"])
        for table in data_tables(conn)
        for row in conn.execute(f"PRAGMA foreign_key_list({table})")
    ]
