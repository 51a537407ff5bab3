"""The kinds of content the studio edits, and what differs between them: the routes that show
one, how its form reads a row, and how its slug and saves are checked."""

from collections.abc import Callable
from dataclasses import dataclass

from flask import url_for

from . import pages, webinars, whitepapers


@dataclass(frozen=True)
class Kind:
    table: str
    noun: str
    list_endpoint: str
    edit_endpoint: str
    id_argument: str
    form: type  # has from_row(row)
    slug_taken: Callable
    update: Callable
    after_restore: Callable | None = None  # (conn, slug): what else a live row again changes

    def edit_url(self, row_id: int) -> str:
        return url_for(self.edit_endpoint, **{self.id_argument: row_id})

    def list_url(self, **args) -> str:
        return url_for(self.list_endpoint, **args)


KINDS = {
    "pages": Kind("pages", "page", "admin.pages", "admin.edit_page", "page_id", pages.PageForm,
                  pages.slug_taken, pages.update_page, after_restore=pages.take_slug),
    "webinars": Kind("webinars", "webinar", "admin.webinars", "admin.edit_webinar", "webinar_id",
                     webinars.WebinarForm, webinars.slug_taken, webinars.update_webinar),
    "whitepapers": Kind("whitepapers", "whitepaper", "admin.whitepapers", "admin.edit_whitepaper",
                        "whitepaper_id", whitepapers.WhitepaperForm, whitepapers.slug_taken,
                        whitepapers.update_whitepaper),
}  # fmt: skip
