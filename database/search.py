"""Editors' full-text search over pages (drafts included): SQLite's FTS5, or PostgreSQL's
text search with the english and german configurations.

Whatever an editor types is turned into a safe query: only its words are kept, each quoted
(so `AND`, `NEAR`, `-`, `*`, `&`, `!`, quotes and parentheses are plain text), all words must
match, and the last one also matches as a prefix. Accents fold on both backends.
"""

import re
import sqlite3
from dataclasses import dataclass

from .backends import is_postgres
from .timestamps import to_sqlite, utc_now

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


def tsquery(text: str) -> str | None:
    """`energy "meter` → `'energy' & 'meter':*` (PostgreSQL's tsquery syntax)."""
    words = WORD.findall(text)
    if not words:
        return None
    return " & ".join(f"'{word}'" for word in words) + ":*"


# The languages PostgreSQL indexes (database/sql/postgres/0008_schema.sql), with their
# configurations; the expression is the one the GIN index holds, so the index answers.
SERVER_CONFIGURATIONS = {"en": "magnetiq_english", "de": "magnetiq_german"}
SERVER_DOCUMENT = ("to_tsvector('{config}'::regconfig, coalesce(p.title ->> '{lang}', '') || ' ' || "
                   "coalesce(p.excerpt ->> '{lang}', '') || ' ' || coalesce(p.content ->> '{lang}', ''))")  # fmt: skip
STATUS = (
    "CASE WHEN p.status = 'draft' THEN 'draft' "
    "WHEN datetime(p.published_at) > datetime(:now) THEN 'scheduled' ELSE 'published' END"
)


def search_pages(
    conn: sqlite3.Connection, text: str, lang: str | None = None, limit: int = 20
) -> list[Hit]:
    rows = (
        search_server(conn, text, lang, limit)
        if is_postgres(conn)
        else search_file(conn, text, lang, limit)
    )
    return [
        Hit(slug, lang, status, title, " ".join(snippet.split()))
        for slug, lang, status, title, snippet in rows
    ]


def search_server(conn, text: str, lang: str | None, limit: int) -> list:
    query = tsquery(text)
    if query is None:
        return []
    branches = []
    for code, config in SERVER_CONFIGURATIONS.items():
        if lang not in (None, code):
            continue
        document = SERVER_DOCUMENT.format(config=config, lang=code)
        branches.append(
            f"SELECT p.slug, '{code}' AS lang, {STATUS} AS status, coalesce(p.title ->> '{code}', '') AS title, "
            f"ts_headline('{config}'::regconfig, coalesce(p.content ->> '{code}', ''), "
            f"to_tsquery('{config}'::regconfig, :query), "
            "'StartSel=[, StopSel=], MaxWords=12, MinWords=4, MaxFragments=1') AS snippet, "
            f"ts_rank({document}, to_tsquery('{config}'::regconfig, :query)) AS rank "
            f"FROM pages p WHERE p.deleted_at IS NULL AND {document} @@ to_tsquery('{config}'::regconfig, :query)"
        )  # fmt: skip
    if not branches:
        return []
    return conn.execute(
        "SELECT slug, lang, status, title, snippet FROM ("
        + " UNION ALL ".join(branches)
        + ") AS hits "
        "ORDER BY rank DESC, slug, lang LIMIT :limit",
        {"query": query, "limit": limit, "now": to_sqlite(utc_now())},
    ).fetchall()


def search_file(conn, text: str, lang: str | None, limit: int) -> list:
    query = fts_query(text)
    if query is None:
        return []
    return conn.execute(
        f"SELECT p.slug, f.lang, {STATUS}, coalesce(f.title, ''), "
        "snippet(pages_fts, 1, '[', ']', '…', 12) FROM pages_fts f JOIN pages p ON p.id = f.page_id "
        "WHERE pages_fts MATCH :query AND (:lang IS NULL OR f.lang = :lang) AND p.deleted_at IS NULL "
        "ORDER BY bm25(pages_fts, 5.0, 1.0, 2.0), p.slug, f.lang LIMIT :limit",
        {"query": query, "lang": lang, "limit": limit, "now": to_sqlite(utc_now())},
    ).fetchall()
