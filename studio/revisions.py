"""Every save is a revision (deviation D15): who saved, when, and the editable columns after the
save, so an editor can see what changed and bring any version back (as a new save)."""

import difflib
import json
import sqlite3
from datetime import datetime

from database.timestamps import to_sqlite

from . import webinars, whitepapers

# The editable columns of each revised table, in the order a diff shows them.
REVISED = {
    "pages": ("slug", "template", "sort_order", "is_featured", "title", "excerpt", "seo_title",
              "meta_description", "content"),
    "webinars": (*webinars.COLUMNS, "status"),
    "whitepapers": (*whitepapers.COLUMNS, "status", "published_at"),
}  # fmt: skip


def record(conn: sqlite3.Connection, table: str, row_id: int, actor_id: int, actor_label: str,
           now: datetime, note: str | None = None) -> int:  # fmt: skip
    """Call inside the save's transaction: the revision and the save commit together."""
    row = conn.execute(
        f"SELECT {', '.join(REVISED[table])} FROM {table} WHERE id = ?", (row_id,)
    ).fetchone()
    return conn.execute(
        "INSERT INTO revisions (table_name, row_id, actor_id, actor_label, note, data, created_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
        (table, row_id, actor_id, actor_label, note, json.dumps(dict(row), ensure_ascii=False, sort_keys=True),
         to_sqlite(now)),
    ).fetchone()[0]  # fmt: skip


def history(conn: sqlite3.Connection, table: str, row_id: int) -> list[dict]:
    """Newest first, each with the columns it changed against the one before."""
    rows = conn.execute(
        "SELECT id, actor_label, note, data, created_at FROM revisions WHERE table_name = ? AND row_id = ? ORDER BY id",
        (table, row_id),
    ).fetchall()
    revisions, previous = [], None
    for row in rows:
        data = json.loads(row["data"])
        changed = [c for c in REVISED[table] if previous is None or previous.get(c) != data.get(c)]
        revisions.append({**dict(row), "data": data, "changed": changed})
        previous = data
    return list(reversed(revisions))


def one(conn: sqlite3.Connection, table: str, row_id: int, revision_id: int) -> dict | None:
    row = conn.execute(
        "SELECT id, actor_label, note, data, created_at FROM revisions WHERE id = ? AND table_name = ? AND row_id = ?",
        (revision_id, table, row_id),
    ).fetchone()
    return {**dict(row), "data": json.loads(row["data"])} if row else None


def differences(old: dict, new: dict, table: str) -> list[tuple[str, list[str]]]:
    """(column or column.language, unified diff lines) for every value that differs."""
    result = []
    for column in REVISED[table]:
        before, after = old.get(column), new.get(column)
        if before == after:
            continue
        if (
            isinstance(before, str)
            and isinstance(after, str)
            and before.startswith("{")
            and after.startswith("{")
        ):
            old_texts, new_texts = json.loads(before), json.loads(after)
            for lang in sorted(set(old_texts) | set(new_texts)):
                if old_texts.get(lang) != new_texts.get(lang):
                    result.append(
                        (
                            f"{column}.{lang}",
                            diff_lines(old_texts.get(lang, ""), new_texts.get(lang, "")),
                        )
                    )
        else:
            result.append((column, diff_lines(str(before), str(after))))
    return result


def diff_lines(before: str, after: str) -> list[str]:
    return list(
        difflib.unified_diff(
            before.splitlines(), after.splitlines(), "this version", "now", lineterm="", n=2
        )
    )


def forget(conn: sqlite3.Connection, table: str, row_id: int) -> None:
    """With the row deleted for good, its history goes too."""
    conn.execute("DELETE FROM revisions WHERE table_name = ? AND row_id = ?", (table, row_id))


def outdated_languages(conn: sqlite3.Connection, table: str, row_id: int, default: str,
                       fields: tuple[str, ...] = ("title", "content")) -> set[str]:  # fmt: skip
    """Languages whose text was last saved before the default language's last change: their
    translation may no longer say what the reference says."""
    last_change: dict[str, int] = {}
    previous: dict = {}
    for number, revision in enumerate(reversed(history(conn, table, row_id))):
        texts = {field: json.loads(revision["data"].get(field) or "{}") for field in fields}
        for field, by_language in texts.items():
            before = previous.get(field, {})
            for lang in set(by_language) | set(before):
                if by_language.get(lang) != before.get(lang):
                    last_change[lang] = number
        previous = texts
    reference = last_change.get(default, -1)
    return {lang for lang, number in last_change.items() if lang != default and number < reference}
