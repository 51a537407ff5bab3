"""How content moves between states, whatever its kind: published now or from a time, back to
draft, into the trash and back, and out for good (only from the trash). Tables come from the
studio's own list of kinds, never from a request."""

import sqlite3
from datetime import datetime

from database.timestamps import to_sqlite

from .i18n import _

PUBLISHABLE = ("pages", "whitepapers")  # webinars have a status of their own
TRASHABLE = ("pages", "webinars", "whitepapers")


def set_publication(conn: sqlite3.Connection, table: str, row_id: int, publish: bool,
                    now: datetime) -> bool:  # fmt: skip
    """Publish keeps a publish time the row already had; unpublish makes it a draft again."""
    assert table in PUBLISHABLE
    if publish:
        return bool(conn.execute(
            f"UPDATE {table} SET status = 'published', published_at = coalesce(published_at, :now) "
            "WHERE id = :id AND deleted_at IS NULL",
            {"now": to_sqlite(now), "id": row_id},
        ).rowcount)  # fmt: skip
    return bool(conn.execute(
        f"UPDATE {table} SET status = 'draft' WHERE id = ? AND deleted_at IS NULL", (row_id,)
    ).rowcount)  # fmt: skip


def schedule(conn: sqlite3.Connection, table: str, row_id: int, when: datetime) -> bool:
    """Published from `when` on: the first build after that time puts it on the site."""
    assert table in PUBLISHABLE
    return bool(conn.execute(
        f"UPDATE {table} SET status = 'published', published_at = ? WHERE id = ? AND deleted_at IS NULL",
        (to_sqlite(when), row_id),
    ).rowcount)  # fmt: skip


def move_to_trash(conn: sqlite3.Connection, table: str, row_id: int, now: datetime) -> bool:
    assert table in TRASHABLE
    return bool(conn.execute(f"UPDATE {table} SET deleted_at = ? WHERE id = ? AND deleted_at IS NULL",
                             (to_sqlite(now), row_id)).rowcount)  # fmt: skip


def restore(conn: sqlite3.Connection, table: str, row_id: int, slug_taken) -> str | None:
    """Back from the trash, unless a live row took its slug meanwhile (then: why not)."""
    assert table in TRASHABLE
    row = conn.execute(
        f"SELECT slug FROM {table} WHERE id = ? AND deleted_at IS NOT NULL", (row_id,)
    ).fetchone()
    if row is None:
        return _("it is not in the trash")
    if slug_taken(conn, row["slug"], row_id):
        return _(
            "something live already uses the slug %(slug)r; rename that one first", slug=row["slug"]
        )
    conn.execute(f"UPDATE {table} SET deleted_at = NULL WHERE id = ?", (row_id,))
    return None


def delete_for_good(conn: sqlite3.Connection, table: str, row_id: int) -> bool:
    """Only from the trash."""
    assert table in TRASHABLE
    return bool(conn.execute(
        f"DELETE FROM {table} WHERE id = ? AND deleted_at IS NOT NULL", (row_id,)
    ).rowcount)  # fmt: skip
