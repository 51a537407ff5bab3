"""Markdown to safe HTML, and a cache of the results by content hash.

Converting a body costs milliseconds; a rebuild converts only bodies it has never seen.
"""

import hashlib
from pathlib import Path

import markdown
import nh3
from markdown.extensions.toc import slugify_unicode
from markdown.treeprocessors import InlineProcessor

from .cachedb import open_cache_db

EXTENSIONS = ("tables", "fenced_code", "toc")
EXTENSION_CONFIGS = {"toc": {"slugify": slugify_unicode, "permalink": False}}
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
# Bump when the conversion changes, so cached HTML from an older version is not reused.
CONVERTER_VERSION = f"1|{markdown.__version__}|{nh3.__name__}|{sorted(EXTENSIONS)}"

# Characters that can start any of Markdown's inline patterns (code, escapes, links, images,
# autolinks, raw HTML, entities, emphasis); "  \n" is a hard line break.
INLINE_TRIGGERS = frozenset("`\\[!<&*_")


class PlainTextShortcut(InlineProcessor):
    """Skips the ~20 inline patterns for text in which none of them can match.

    Most paragraphs are plain prose, and trying every pattern on them is most of the cost of a
    conversion. `_InlineProcessor__handleInline` is the stock per-text entry point; should a
    future Markdown rename it, this override is simply not called (slower, never different),
    and tests/test_markup.py compares the output with the stock converter's.
    """

    def _InlineProcessor__handleInline(self, data: str, patternIndex: int = 0) -> str:
        if patternIndex == 0 and "  \n" not in data and INLINE_TRIGGERS.isdisjoint(data):
            return data
        return super()._InlineProcessor__handleInline(data, patternIndex)


def make_converter(*, shortcut: bool = True) -> markdown.Markdown:
    converter = markdown.Markdown(extensions=list(EXTENSIONS), extension_configs=EXTENSION_CONFIGS)
    if shortcut:
        converter.treeprocessors.register(PlainTextShortcut(converter), "inline", 20)
    return converter


_converter: markdown.Markdown | None = None

THEMATIC_BREAK = "\n<hr>\n"
NESTING_TAGS = ("blockquote", "li", "table", "div", "details")


def to_html(source: str) -> str:
    """Markdown with tables, fenced code and heading ids; raw HTML is sanitised, never trusted."""
    global _converter
    if _converter is None:
        _converter = make_converter()
    html = _converter.reset().convert(source)
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto", "tel"},
        link_rel=None,
    )


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
