"""Editors' full-text search over pages (drafts included) through SQLite FTS5.

Whatever an editor types is turned into a safe FTS5 query: every word becomes a quoted string
(so `AND`, `NEAR`, `-`, `*`, quotes and parentheses are plain text), all words must match, and
the last one also matches as a prefix.
"""

import re
import sqlite3
from dataclasses import dataclass

WORD = re.compile(r"[^\W_]+", re.UNICODE)


@dataclass(frozen=True)
class Hit:
    slug: str
    lang: str
    status: str  # published, scheduled (published_at still ahead) or draft
    title: str
    snippet: str


def fts_query(text: str) -> str | None:
    """`energy "meter` → `"energy" "meter"*`; None when there is no word to look for."""
    words = WORD.findall(text)
    if not words:
        return None
    quoted = [f'"{word}"' for word in words]
    quoted[-1] += "*"
    return " ".join(quoted)


def search_pages(
    conn: sqlite3.Connection, text: str, lang: str | None = None, limit: int = 20
) -> list[Hit]:
    query = fts_query(text)
    if query is None:
        return []
    rows = conn.execute(
        "SELECT p.slug, f.lang, CASE WHEN p.status = 'draft' THEN 'draft' "
        "WHEN datetime(p.published_at) > datetime('now') THEN 'scheduled' ELSE 'published' END, coalesce(f.title, ''), "
        "snippet(pages_fts, 1, '[', ']', '…', 12) FROM pages_fts f JOIN pages p ON p.id = f.page_id "
        "WHERE pages_fts MATCH :query AND (:lang IS NULL OR f.lang = :lang) AND p.deleted_at IS NULL "
        "ORDER BY bm25(pages_fts, 5.0, 1.0, 2.0), p.slug, f.lang LIMIT :limit",
        {"query": query, "lang": lang, "limit": limit},
    ).fetchall()
    return [
        Hit(slug, lang, status, title, " ".join(snippet.split()))
        for slug, lang, status, title, snippet in rows
    ]
