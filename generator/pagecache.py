"""The page rows of the last successful build, kept in the build cache (no bodies).

With them, a rebuild reads from the database only the pages whose (id, updated_at) changed,
and afterwards rewrites only those rows here. The cache belongs to one database (its
`instance_id` setting); anything unexpected in it means starting from scratch, never a wrong page.
"""

import json
import sqlite3
from dataclasses import fields
from datetime import datetime
from pathlib import Path

from .cachedb import open_cache_db
from .model import Page

FORMAT = 2
NAMES = [field.name for field in fields(Page)]
DATES = {"published_at", "updated_at"}
TUPLES = {"body_languages"}


SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (format INTEGER NOT NULL, instance TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS pages (id INTEGER PRIMARY KEY, record TEXT NOT NULL);
"""


def open_cache(cache_dir: Path) -> sqlite3.Connection:
    conn, _ = open_cache_db(cache_dir / "pages.sqlite", FORMAT, SCHEMA)
    return conn


def load_known_pages(cache_dir: Path, instance: str) -> dict[int, Page]:
    try:
        conn = open_cache(cache_dir)
        try:
            if conn.execute("SELECT format, instance FROM meta").fetchone() != (FORMAT, instance):
                return {}
            records = [record for (record,) in conn.execute("SELECT record FROM pages ORDER BY id")]
            pages = (page_from_json(record) for record in json.loads("[" + ",".join(records) + "]"))
            return {page.id: page for page in pages}  # one JSON parse for all rows: much faster
        finally:
            conn.close()
    except (sqlite3.Error, ValueError, KeyError, TypeError):
        return {}


def save_known_pages(
    cache_dir: Path, instance: str, pages: tuple[Page, ...], known: dict[int, Page]
) -> None:
    """Write the rows re-read by this build and drop the rows of pages no longer published."""
    fresh = [page for page in pages if known.get(page.id) is not page]
    gone = set(known) - {page.id for page in pages}
    conn = open_cache(cache_dir)
    try:
        conn.execute("BEGIN")
        if conn.execute("SELECT format, instance FROM meta").fetchone() != (FORMAT, instance):
            conn.execute("DELETE FROM meta")
            conn.execute("DELETE FROM pages")
            conn.execute("INSERT INTO meta VALUES (?, ?)", (FORMAT, instance))
            fresh = list(pages)
        conn.executemany("DELETE FROM pages WHERE id = ?", ((page_id,) for page_id in gone))
        conn.executemany(
            "INSERT OR REPLACE INTO pages VALUES (?, ?)",
            ((page.id, page_json(page)) for page in fresh),
        )
        conn.execute("COMMIT")
    finally:
        conn.close()


def page_json(page: Page) -> str:
    return json.dumps({name: json_value(getattr(page, name)) for name in NAMES}, ensure_ascii=False)


def json_value(value):
    return value.isoformat() if isinstance(value, datetime) else value


def page_from_json(record: dict) -> Page:
    values = {}
    for name in NAMES:
        value = record[name]
        if name in DATES:
            value = datetime.fromisoformat(value)
        elif name in TUPLES:
            value = tuple(value)
        values[name] = value
    return Page(**values)
