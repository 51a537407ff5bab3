"""`db copy SOURCE TARGET`: a whole site from SQLite to PostgreSQL or back, checked row for row.

The target is brought to the current schema first (its own migration history), then every
table is copied in one transaction, parents before children, ids kept; PostgreSQL's identity
sequences are set past the copied ids. The source is only read, inside one snapshot. Before
the copy commits, both sides are read again and compared per table: the row count and a
checksum of the rows as Magnetiq reads them (JSON by value, times as instants), so the same
site gives the same figures on both backends whatever each one's text form.
"""

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from graphlib import TopologicalSorter

from .backends import is_postgres
from .catalog import column_kinds, data_tables, foreign_keys, table_columns
from .connection import connect, transaction
from .errors import OperationError
from .migrations import SCHEMA_VERSION, migrate, schema_version
from .timestamps import from_sqlite

BATCH_ROWS = 500


@dataclass(frozen=True)
class TableCopy:
    table: str
    rows: int
    checksum: str


def copy_database(
    source_target, destination, *, replace: bool = False, progress: Callable[[str], None] = print
) -> list[TableCopy]:
    source, target = connect(source_target), connect(destination)
    try:
        if schema_version(source) != SCHEMA_VERSION:
            raise OperationError(
                f"the source is at schema version {schema_version(source)}, not "
                f"{SCHEMA_VERSION}: run `db migrate` on it first"
            )
        created = schema_version(target) == 0  # only the migrations' own seed rows: not data
        migrate(target)
        tables = dependency_order(target)
        source.execute("BEGIN")  # one read snapshot of the source for the whole copy
        try:
            with transaction(target):
                refuse_or_empty(target, tables, replace or created)
                for table in tables:
                    copied = copy_table(source, target, table)
                    progress(f"{table}: {copied} row(s)")
                if is_postgres(target):
                    set_identity_sequences(target)
                copies = verify(source, target, tables)  # a difference rolls the copy back
        finally:
            source.execute("ROLLBACK")
        return copies
    finally:
        source.close()
        target.close()


def refuse_or_empty(target, tables: list[str], replace: bool) -> None:
    filled = {t: n for t in tables if (n := count(target, t))}
    if filled and not replace:
        listing = ", ".join(f"{table} ({rows} rows)" for table, rows in filled.items())
        raise OperationError(
            f"the target is not empty: {listing}; pass --replace to empty it first"
        )
    for table in reversed(tables):  # children before parents
        target.execute(f"DELETE FROM {table}")


def count(conn, table: str) -> int:
    return conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def copy_table(source, target, table: str) -> int:
    columns = table_columns(target, table)
    listing = ", ".join(columns)
    insert = f"INSERT INTO {table} ({listing}) VALUES ({', '.join('?' for _ in columns)})"
    cursor = source.execute(f"SELECT {listing} FROM {table}")
    copied = 0
    while batch := cursor.fetchmany(BATCH_ROWS):
        try:
            target.executemany(insert, [tuple(row) for row in batch])
        except Exception as error:
            first = dict(zip(columns, batch[0], strict=True)).get("id", "?")
            raise OperationError(
                f"copying {table} failed in the {len(batch)} rows from id {first}: {error}; "
                "nothing was written to the target"
            ) from error
        copied += len(batch)
    return copied


def dependency_order(conn) -> list[str]:
    """The data tables with every table after the tables its foreign keys point at."""
    graph = {table: set() for table in data_tables(conn)}
    for key in foreign_keys(conn):
        if key.parent != key.table:
            graph[key.table].add(key.parent)
    return list(TopologicalSorter(graph).static_order())


def set_identity_sequences(conn) -> None:
    """Next ids start after the copied ones, as SQLite's AUTOINCREMENT does by itself."""
    identities = conn.execute(
        "SELECT table_name, column_name FROM information_schema.columns "
        "WHERE table_schema = current_schema() AND is_identity = 'YES'"
    ).fetchall()
    for table, column in identities:
        conn.execute(
            f"SELECT setval(pg_get_serial_sequence(?, ?), "
            f"coalesce((SELECT max({column}) FROM {table}), 0) + 1, false)",
            (table, column),
        )


# --- the check after the copy --------------------------------------------------------------


def verify(source, target, tables: list[str]) -> list[TableCopy]:
    described = target if is_postgres(target) else source  # SQLite's types say less
    copies = []
    for table in tables:
        kinds = column_kinds(described, table)
        before = table_checksum(source, table, kinds)
        after = table_checksum(target, table, kinds)
        if before != after:
            raise OperationError(
                f"{table}: the copy differs from the source ({before[0]} rows and checksum "
                f"{before[1][:12]} in the source, {after[0]} and {after[1][:12]} in the target)"
            )
        copies.append(TableCopy(table, *after))
    return copies


def table_checksum(conn, table: str, kinds: dict[str, str]) -> tuple[int, str]:
    """(rows, checksum); the checksum adds up row digests, so it ignores each side's row order."""
    total, rows = 0, 0
    cursor = conn.execute(f"SELECT * FROM {table}")
    columns = [d[0] for d in cursor.description]
    for row in cursor:
        values = [
            canonical(value, kinds.get(name)) for name, value in zip(columns, row, strict=True)
        ]
        digest = hashlib.sha256(json.dumps(values, sort_keys=True).encode()).digest()
        total = (total + int.from_bytes(digest)) % (1 << 256)
        rows += 1
    return rows, f"{total:064x}"


def canonical(value, kind: str | None):
    if value is None:
        return None
    if kind == "json":
        return json.loads(value)
    if kind == "time":
        return from_sqlite(value).isoformat()
    return value
