"""Writing the row an editor saved: every column the form holds, and an update only over the
version the editor started from (optimistic concurrency on `updated_at`). Tables come from the
studio's own modules, never from a request."""

import sqlite3


class Conflict(Exception):
    """Someone saved the row after this editor opened it."""


def insert_row(conn: sqlite3.Connection, table: str, values: dict) -> int:
    names = ", ".join(values)
    marks = ", ".join(f":{name}" for name in values)
    return conn.execute(
        f"INSERT INTO {table} ({names}) VALUES ({marks}) RETURNING id", values
    ).fetchone()[0]


def update_row(
    conn: sqlite3.Connection, table: str, row_id: int, values: dict, version: str
) -> None:
    """Conflict when the row changed since `version` (or went to the trash)."""
    assignments = ", ".join(f"{name} = :{name}" for name in values)
    changed = conn.execute(
        f"UPDATE {table} SET {assignments} WHERE id = :id AND updated_at = :version AND deleted_at IS NULL",
        {**values, "id": row_id, "version": version},
    ).rowcount
    if not changed:
        raise Conflict(row_id)


def slug_in_use(conn: sqlite3.Connection, table: str, slug: str, row_id: int | None) -> bool:
    """For tables whose slugs the spec keeps unique across deleted rows too (webinars,
    whitepapers); a page's slug is free again once the page is in the trash."""
    return (
        conn.execute(
            f"SELECT 1 FROM {table} WHERE slug = ? AND id IS DISTINCT FROM ?", (slug, row_id)
        ).fetchone()
        is not None
    )
