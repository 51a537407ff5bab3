"""Pages as editors see them: listed by state, checked field by field, saved only if nobody
saved in between (optimistic concurrency on `updated_at`), moved to the trash and back."""

import json
import sqlite3
from dataclasses import dataclass, field
from datetime import datetime

from database import routes
from database.numbers import whole_number
from database.publishing import published
from database.routes import slug_problem
from database.site import SiteSettings
from database.timestamps import from_sqlite, to_sqlite

from .i18n import _
from .leads import like
from .rows import insert_row, update_row
from .texts import as_json, read_texts

PAGE_SIZE = 50
STATES = ("draft", "scheduled", "published", "trash")
SORTS = {
    "updated": "updated_at DESC, id DESC",
    "title": "lower(title) ASC, id ASC",
    "slug": "slug ASC",
}
# Per language; the SEO lengths are what search engines show, the others keep rows sane.
TEXT_FIELDS = {
    "title": 200,
    "excerpt": 500,
    "seo_title": 70,
    "meta_description": 160,
    "content": 200_000,
}
REQUIRED_IN_DEFAULT = ("title", "content")


def state_condition(state: str) -> str:
    return {
        "draft": "deleted_at IS NULL AND status = 'draft'",
        "scheduled": "deleted_at IS NULL AND status = 'published' AND published_at > :now",
        "published": "deleted_at IS NULL AND status = 'published' AND (published_at IS NULL OR published_at <= :now)",
        "trash": "deleted_at IS NOT NULL",
    }[state]


def page_state(row, now: datetime) -> str:
    if row["deleted_at"]:
        return "trash"
    if row["status"] != "published":
        return "draft"
    if row["published_at"] and from_sqlite(row["published_at"]) > now:
        return "scheduled"
    return "published"


def translations(raw: str | None) -> dict[str, str]:
    try:
        value = json.loads(raw or "{}")
    except json.JSONDecodeError:
        return {}
    return {k: v for k, v in value.items() if isinstance(v, str)} if isinstance(value, dict) else {}


def complete_languages(row, languages: tuple[str, ...]) -> list[str]:
    """Languages with both a title and a body (a listed row's `body`)."""
    titles, bodies = translations(row["title"]), translations(row["body"])
    return [
        lang for lang in languages if titles.get(lang, "").strip() and bodies.get(lang, "").strip()
    ]


SLUG_OR_TITLE = (
    "(slug LIKE :q ESCAPE '\\' OR CAST(title AS TEXT) LIKE :q ESCAPE '\\')"  # :q from like()
)


@dataclass(frozen=True)
class PageQuery:
    state: str = ""
    q: str = ""
    sort: str = "updated"
    page: int = 1

    def where(self) -> tuple[str, dict]:
        clauses = [state_condition(self.state)] if self.state in STATES else ["deleted_at IS NULL"]
        params: dict = {}
        if self.q:
            clauses.append(SLUG_OR_TITLE)
            params["q"] = like(self.q)
        return " WHERE " + " AND ".join(f"({c})" for c in clauses), params


# What a listed row needs with its title to be complete in a language.
BODIES = {"pages": "content", "whitepapers": "description"}


def list_content(
    conn: sqlite3.Connection, table: str, query: PageQuery, now: datetime
) -> tuple[list, int]:
    """One page of the list of pages or whitepapers, and how many match in all."""
    clause, params = query.where()
    params["now"] = to_sqlite(now)
    total = conn.execute(f"SELECT count(*) FROM {table}{clause}", params).fetchone()[0]
    # Sort and cut on the small columns first: sorting whole rows would carry every body along.
    ids = [row[0] for row in conn.execute(
        f"SELECT id FROM {table}{clause} ORDER BY {SORTS.get(query.sort, SORTS['updated'])} LIMIT :limit OFFSET :offset",
        {**params, "limit": PAGE_SIZE, "offset": (query.page - 1) * PAGE_SIZE},
    )]  # fmt: skip
    marks = ", ".join("?" * len(ids))
    rows = {row["id"]: row for row in conn.execute(
        f"SELECT id, slug, title, {BODIES[table]} AS body, status, published_at, deleted_at, updated_at "
        f"FROM {table} WHERE id IN ({marks})", ids,
    )}  # fmt: skip
    return [rows[page_id] for page_id in ids], total


@dataclass
class PageForm:
    """What an editor submitted, checked; `errors` name the field (and language) at fault."""

    slug: str = ""
    template: str = "default"
    sort_order: int = 0
    is_featured: bool = False
    texts: dict[str, dict[str, str]] = field(
        default_factory=lambda: {name: {} for name in TEXT_FIELDS}
    )
    version: str = ""  # the updated_at the editor started from
    errors: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_row(cls, row) -> "PageForm":
        return cls(
            slug=row["slug"],
            template=row["template"] or "default",
            sort_order=row["sort_order"] or 0,
            is_featured=bool(row["is_featured"]),
            texts={name: translations(row[name]) for name in TEXT_FIELDS},
            version=row["updated_at"] or "",
        )

    @staticmethod
    def from_row_titles(row, language: str) -> str:
        """The title editors know the page by: the default language's, else any."""
        titles = translations(row["title"])
        return titles.get(language) or next(iter(titles.values()), "") or row["slug"]

    @classmethod
    def from_submission(cls, form, site: SiteSettings, templates: list[str]) -> "PageForm":
        page = cls(version=form.get("version", ""))
        page.slug = form.get("slug", "").strip()
        problem = slug_problem(page.slug, page=True)
        if problem:
            page.errors["slug"] = problem
        page.template = form.get("template", "default")
        if page.template not in templates:
            page.errors["template"] = _(
                "choose one of: %(templates)s", templates=", ".join(templates)
            )
        order = whole_number(form.get("sort_order", "0") or "0", maximum=10_000)
        if order is None:
            page.errors["sort_order"] = _("a whole number from 0 to 10000")
        else:
            page.sort_order = order
        page.is_featured = form.get("is_featured") == "1"
        page.texts = read_texts(form, TEXT_FIELDS, site.languages, site.default_language,
                                REQUIRED_IN_DEFAULT, page.errors)  # fmt: skip
        return page

    def columns(self) -> dict:
        return {**as_json(self.texts), "slug": self.slug, "template": self.template, "sort_order": self.sort_order,
                "is_featured": int(self.is_featured)}  # fmt: skip


def slug_taken(conn: sqlite3.Connection, slug: str, page_id: int | None) -> bool:
    row = conn.execute(
        "SELECT 1 FROM pages WHERE slug = ? AND deleted_at IS NULL AND id IS DISTINCT FROM ?",
        (slug, page_id),
    ).fetchone()
    return row is not None


def create_page(conn: sqlite3.Connection, form: PageForm, author_id: int) -> int:
    take_slug(conn, form.slug)
    return insert_row(conn, "pages", {**form.columns(), "status": "draft", "author_id": author_id})


def update_page(conn: sqlite3.Connection, page_id: int, form: PageForm) -> None:
    """Only if the row is still the version the editor started from; else Conflict. A published
    page that changes its slug keeps its old address as a redirect (deviation D14)."""
    before = conn.execute("SELECT slug, status FROM pages WHERE id = ?", (page_id,)).fetchone()
    update_row(conn, "pages", page_id, form.columns(), form.version)
    take_slug(conn, form.slug)
    if before["slug"] != form.slug and before["status"] == "published":
        conn.execute(
            "INSERT INTO page_redirects (old_slug, page_id) VALUES (?, ?) "
            "ON CONFLICT (old_slug) DO UPDATE SET page_id = excluded.page_id",
            (before["slug"], page_id),
        )


def take_slug(conn: sqlite3.Connection, slug: str) -> None:
    """A live page at an address ends any redirect from it."""
    conn.execute("DELETE FROM page_redirects WHERE old_slug = ?", (slug,))


LINK_CHOICES = 200  # of each kind in the editor's link picker: a bigger site searches for the rest
# Pages are ordered on their build index, which covers every column the choice needs: the rows,
# bodies and all, are read only for the few chosen (0.08 → 0.02 s at 10,000 pages).
CHOICE_INDEX = {"pages": " INDEXED BY idx_pages_build"}


def link_targets(conn: sqlite3.Connection, lang: str, now: datetime, q: str = "",
                 limit: int = LINK_CHOICES) -> tuple[list[tuple[str, str]], bool]:  # fmt: skip
    """(label, path) of the published content a page may link to in `lang` — only what the build
    publishes, so a link picked here never breaks the build's link check — whose slug or title
    contains `q`: of each kind the `limit` changed last, and whether there were more."""
    params = {"now": to_sqlite(now), "q": like(q), "limit": limit + 1}
    targets, more = [], False
    for kind, table, path in ((_("Page"), "pages", routes.page), (_("Webinar"), "webinars", routes.webinar),
                              (_("Whitepaper"), "whitepapers", routes.whitepaper)):  # fmt: skip
        condition = "deleted_at IS NULL" if table == "webinars" else published()
        source = f"{table} WHERE {condition} AND {SLUG_OR_TITLE}" if q else (
            f"{table}{CHOICE_INDEX.get(table, '')} WHERE {condition}"
        )  # fmt: skip
        ids = [row[0] for row in conn.execute(
            f"SELECT id FROM {source} ORDER BY updated_at DESC, id DESC LIMIT :limit", params
        )]  # fmt: skip
        more |= len(ids) > limit
        chosen = ids[:limit]
        rows = conn.execute(
            f"SELECT slug, title FROM {table} WHERE id IN ({', '.join('?' * len(chosen))})", chosen
        ).fetchall() if chosen else []  # fmt: skip
        for slug, titles in sorted(tuple(row) for row in rows):
            title = translations(titles)
            label = title.get(lang) or next(iter(title.values()), slug)
            targets.append((f"{kind}: {label}", path(lang, slug)))
    return targets, more
