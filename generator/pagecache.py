"""The page rows of the last successful build, kept in the build cache (no bodies).

With them, a rebuild reads from the database only the pages whose (id, updated_at) changed,
and afterwards rewrites only those rows here. The cache belongs to one database (its
`instance_id` setting); anything unexpected in it means starting from scratch, never a wrong page.

A row is kept as `marshal` of its values (times as ISO text): plain data, read back at C speed.
At 10,000 pages that is 0.13 s against 0.37 s for the JSON it replaced, on every build. A
process that builds again and again (`magnetiq worker`, `serve`) keeps the rows it last read or
wrote and reads them again only when another process has written the file since: each save
leaves a new token in `meta`.
"""

import marshal
import secrets
import sqlite3
from dataclasses import fields
from datetime import datetime
from pathlib import Path

from .cachedb import open_cache_db
from .model import Page

FORMAT = 5
NAMES = [field.name for field in fields(Page)]
DATES = [NAMES.index("published_at"), NAMES.index("updated_at")]  # kept as ISO text


SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (format INTEGER NOT NULL, instance TEXT NOT NULL, token TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS pages (id INTEGER PRIMARY KEY, record BLOB NOT NULL);
"""


# This process's last reading or writing of each cache file: (its token, rows by id). A token is
# new with each save, so it alone says the rows are the file's (the instance is checked above it).
_kept: dict[Path, tuple[str, dict[int, Page]]] = {}


def open_cache(cache_dir: Path) -> sqlite3.Connection:
    conn, _ = open_cache_db(cache_dir / "pages.sqlite", FORMAT, SCHEMA)
    return conn


def load_known_pages(cache_dir: Path, instance: str) -> dict[int, Page]:
    """The rows by page id (shared with this process's next build: not to be changed)."""
    path = cache_dir / "pages.sqlite"
    try:
        conn = open_cache(cache_dir)
        try:
            meta = conn.execute("SELECT format, instance, token FROM meta").fetchone()
            if meta is None or meta[:2] != (FORMAT, instance):
                return {}
            kept = _kept.get(path)
            if kept and kept[0] == meta[2]:
                return kept[1]
            pages = (page_from_record(r) for (r,) in conn.execute("SELECT record FROM pages"))
            known = {page.id: page for page in pages}
            _kept[path] = (meta[2], known)
            return known
        finally:
            conn.close()
    except (sqlite3.Error, ValueError, EOFError, TypeError):  # what a damaged record raises
        return {}


def save_known_pages(
    cache_dir: Path, instance: str, pages: tuple[Page, ...], known: dict[int, Page]
) -> None:
    """Write the rows re-read by this build and drop the rows of pages no longer published."""
    fresh = [page for page in pages if known.get(page.id) is not page]
    gone = set(known) - {page.id for page in pages}
    path, token = cache_dir / "pages.sqlite", secrets.token_hex(8)
    _kept.pop(path, None)  # until the write has succeeded
    conn = open_cache(cache_dir)
    try:
        conn.execute("BEGIN")
        if conn.execute("SELECT format, instance FROM meta").fetchone() != (FORMAT, instance):
            conn.execute("DELETE FROM meta")
            conn.execute("DELETE FROM pages")
            conn.execute("INSERT INTO meta VALUES (?, ?, '')", (FORMAT, instance))
            fresh = list(pages)
        conn.executemany("DELETE FROM pages WHERE id = ?", ((page_id,) for page_id in gone))
        conn.executemany(
            "INSERT OR REPLACE INTO pages VALUES (?, ?)",
            ((page.id, page_record(page)) for page in fresh),
        )
        conn.execute("UPDATE meta SET token = ?", (token,))
        conn.execute("COMMIT")
    finally:
        conn.close()
    _kept[path] = (token, {page.id: page for page in pages})


def page_record(page: Page) -> bytes:
    values = [getattr(page, name) for name in NAMES]
    return marshal.dumps(
        tuple(value.isoformat() if i in DATES else value for i, value in enumerate(values))
    )


def page_from_record(record: bytes) -> Page:
    values = list(marshal.loads(record))
    for index in DATES:
        values[index] = datetime.fromisoformat(values[index])
    return Page(*values)
