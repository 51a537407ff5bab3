"""What the planner deals in: content items, planned outputs, and the keys that say when to
render them again."""

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from database import routes

from ..jobs import View
from ..model import Page, Webinar, Whitepaper


def digest(*parts) -> str:
    """A stable hash of plain values (str, int, bool, None, and tuples or lists of them)."""
    return hashlib.blake2b(repr(parts).encode(), digest_size=16).hexdigest()


def published_on(row) -> datetime:
    """Pages and whitepapers have a publication time; a webinar counts from its last change."""
    return getattr(row, "published_at", None) or row.updated_at


@dataclass(frozen=True)
class Output:
    path: str  # relative to output/
    key: str  # changes whenever anything that decides the bytes changes
    template: str | None  # a Jinja template, or None when `make` returns bytes
    make: Callable[[], View | bytes]
    origin: dict = field(default_factory=dict)  # table/row/slug/lang, for error messages


@dataclass(frozen=True)
class Item:
    """A page, webinar or whitepaper as the planner sees it: which languages it exists in."""

    kind: str  # "page", "webinar", "whitepaper"
    row: Page | Webinar | Whitepaper
    native: tuple[str, ...]  # languages with a real translation

    def url(self, lang: str) -> str:
        return {"page": routes.page, "webinar": routes.webinar, "whitepaper": routes.whitepaper}[
            self.kind
        ](lang, self.row.slug)

    @property
    def table(self) -> str:
        return self.kind + "s"
