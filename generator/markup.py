"""Markdown to safe HTML, and a cache of the results by content hash.

Bodies are CommonMark with GitHub's extensions (tables, strikethrough, autolinks),
converted by cmark-gfm, the C library GitHub and PyPI render Markdown with: what editors coming
from GitHub, Hugo or Decap expect, at about 0.1 ms a body (docs/build.md). Headings get ids;
raw HTML is sanitised by nh3, never trusted. A rebuild converts only bodies it has never seen.
"""

import hashlib
import re
import unicodedata
from html import unescape
from importlib.metadata import version
from pathlib import Path

import cmarkgfm
import nh3
from cmarkgfm.cmark import Options

from .cachedb import open_cache_db

ALLOWED_TAGS = (nh3.ALLOWED_TAGS - {"center", "acronym", "tt", "strike"}) | {"picture", "source"}
ALLOWED_ATTRIBUTES = {
    **{tag: {"id"} for tag in ("h1", "h2", "h3", "h4", "h5", "h6")},
    "a": {"href", "title", "hreflang"},
    "img": {"src", "alt", "title", "width", "height", "loading"},
    "source": {"srcset", "type", "media"},
    "code": {"class"},
    "th": {"align", "scope"},
    "td": {"align"},
    "ol": {"start"},
}
SANITISER = nh3.Cleaner(  # built once; `nh3.clean` builds its rules for every body (docs/build.md)
    tags=ALLOWED_TAGS,
    attributes=ALLOWED_ATTRIBUTES,
    url_schemes={"http", "https", "mailto", "tel"},
    link_rel=None,
)
EXTENSIONS = ("table", "strikethrough", "autolink")  # GitHub's, but task lists (no forms in bodies)
# Bump when the conversion changes, so cached HTML from an older version is not reused.
CONVERTER_VERSION = f"2|cmarkgfm {version('cmarkgfm')}|nh3 {version('nh3')}"

HEADING = re.compile(r"<h([1-6])>(.*?)</h\1>", re.S)
TAG = re.compile(r"<[^>]+>")


def slug(text: str) -> str:
    """A heading's id: its words in lower case joined by hyphens, letters of any script kept
    (`Über uns` → `über-uns`), as the Python-Markdown the site was built with before made them,
    so that links to a section keep working."""
    text = re.sub(r"[^\w\s-]", "", unicodedata.normalize("NFKC", text)).strip().lower()
    return re.sub(r"[-\s]+", "-", text)


def with_heading_ids(html: str) -> str:
    """Every heading with an id, unique within the body (a repeat gets `_1`, `_2`, …)."""
    taken: set[str] = set()

    def heading(match: re.Match) -> str:
        level, inner = match.groups()
        base = slug(unescape(TAG.sub("", inner))) or "section"
        ident, count = base, 0
        while ident in taken:
            count += 1
            ident = f"{base}_{count}"
        taken.add(ident)
        return f'<h{level} id="{ident}">{inner}</h{level}>'

    return HEADING.sub(heading, html)


def to_html(source: str) -> str:
    """A body as safe HTML: CommonMark + GitHub's extensions, heading ids, sanitised."""
    html = cmarkgfm.markdown_to_html_with_extensions(
        source, options=Options.CMARK_OPT_UNSAFE, extensions=EXTENSIONS
    )
    return SANITISER.clean(with_heading_ids(html.rstrip("\n")))


THEMATIC_BREAK = "\n<hr>\n"
NESTING_TAGS = ("blockquote", "li", "table", "div", "details")


def lead_and_rest(html: str) -> tuple[str, str]:
    """A body split at its first thematic break (`---`) outside quotes, lists and tables: the
    home page shows the part before it as its lead section. ("", html) when there is none."""
    start = 0
    while (at := html.find(THEMATIC_BREAK, start)) >= 0:
        before = html[:at]
        if all(before.count(f"<{tag}") == before.count(f"</{tag}>") for tag in NESTING_TAGS):
            return before, html[at + len(THEMATIC_BREAK) :]
        start = at + 1
    return "", html


def source_key(source: str) -> str:
    return hashlib.sha256(f"{CONVERTER_VERSION}\0{source}".encode()).hexdigest()


SCHEMA = "CREATE TABLE IF NOT EXISTS html (key TEXT PRIMARY KEY, html TEXT NOT NULL);"


class MarkupCache:
    """Converted HTML by source hash, kept in an SQLite file in the build cache folder."""

    def __init__(self, path: Path):
        self.path = path
        self.conn, _ = open_cache_db(path, 1, SCHEMA)

    def known(self, keys: list[str]) -> set[str]:
        """Which of `keys` are cached (asked without moving the HTML itself)."""
        found = set()
        for start in range(0, len(keys), 500):
            chunk = keys[start : start + 500]
            marks = ",".join("?" * len(chunk))
            found.update(
                row[0]
                for row in self.conn.execute(f"SELECT key FROM html WHERE key IN ({marks})", chunk)
            )
        return found

    def get(self, key: str) -> str | None:
        row = self.conn.execute("SELECT html FROM html WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def put_many(self, items: dict[str, str]) -> None:
        if items:
            self.conn.execute("BEGIN")
            self.conn.executemany("INSERT OR REPLACE INTO html VALUES (?, ?)", items.items())
            self.conn.execute("COMMIT")

    def close(self) -> None:
        self.conn.close()
