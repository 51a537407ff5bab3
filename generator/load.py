"""Read what a build publishes: the only module of the generator that runs SQL.

Problems in the rows (broken JSON, unsafe slugs, unknown time zones) are collected, not raised
one at a time, so that an editor sees every problem of a build at once.
"""

import json
import posixpath
import sqlite3
import zlib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import replace
from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from database.links import LINK_RULE, is_safe_link
from database.publishing import published, webinar_state
from database.routes import slug_problem
from database.site import SENDER_SETTINGS, SiteSettings, read_site_settings
from database.timestamps import from_sqlite, to_sqlite

from .errors import BuildError, ContentError
from .images import media_in_markdown
from .markup import source_key
from .model import Content, Media, Page, Webinar, Whitepaper


def load_content(
    conn: sqlite3.Connection,
    now: datetime,
    known_pages: dict[int, Page] | None = None,
    addresses: dict[str, str] | None = None,
    preview: tuple[str, int] | None = None,
) -> Content:
    """Everything one build renders, at one build clock; `known_pages` are rows from the last build.

    `addresses` (`site_url`, `capture_url`) replace the stored settings for this build only:
    a local preview builds for the ports it actually serves. `preview` is a (table, id) to treat as
    published whatever its state (the studio's preview of a draft; never a build's).
    """
    problems: list[ContentError] = []
    site = replace(load_site(conn, problems), **(addresses or {}))
    params = {"now": to_sqlite(now)}
    media = load_media(conn, problems)
    table, row_id = preview or ("", None)
    pages = tuple(
        load_pages(conn, params, problems, known_pages or {}, row_id if table == "pages" else None)
    )
    webinars = tuple(load_webinars(conn, params, now, media, problems))
    whitepapers = tuple(
        load_whitepapers(conn, params, media, problems, row_id if table == "whitepapers" else None)
    )
    if problems:
        raise BuildError(problems, "the content has errors")
    gated = gated_files(conn)
    public_media = {m.file_path: m for m in media.values() if not is_gated(m, gated)}
    return Content(
        site=site,
        now=now,
        pages=pages,
        webinars=webinars,
        whitepapers=whitepapers,
        media=public_media,
        next_scheduled_publish=next_scheduled_publish(conn, params),
        redirects=load_redirects(conn, pages),
    )


def load_redirects(
    conn: sqlite3.Connection, pages: tuple[Page, ...]
) -> tuple[tuple[str, int], ...]:
    """Old slugs of the published pages loaded here; never one a page itself uses now."""
    published_ids, slugs = {page.id for page in pages}, {page.slug for page in pages}
    return tuple(
        (old_slug, page_id)
        for old_slug, page_id in conn.execute(
            "SELECT old_slug, page_id FROM page_redirects ORDER BY old_slug"
        )
        if page_id in published_ids and old_slug not in slugs
    )


def gated_files(conn: sqlite3.Connection) -> tuple[set[str], set[str]]:
    """Paths and hashes of every whitepaper's file, drafts and deleted ones included."""
    rows = conn.execute(
        "SELECT m.file_path, m.file_hash FROM whitepapers w JOIN media_files m ON m.id = w.file_id"
    ).fetchall()
    return {posixpath.normpath(row[0]) for row in rows}, {row[1] for row in rows if row[1]}


def is_gated(media: Media, gated: tuple[set[str], set[str]]) -> bool:
    """Gating follows the file, not the row: another row with the same path or bytes is gated too."""
    paths, hashes = gated
    return posixpath.normpath(media.file_path) in paths or media.file_hash in hashes


def load_site(conn: sqlite3.Connection, problems: list[ContentError]) -> SiteSettings:
    """The settings; a broken one the site shows stops the build (the mail sender's do not)."""
    settings, broken = read_site_settings(conn)
    problems += [ContentError(p.message, "system_settings", slug=p.key) for p in broken
                 if p.key not in SENDER_SETTINGS]  # fmt: skip
    return settings


class RowReader:
    """Decodes one row's JSON columns, recording problems against the row."""

    def __init__(self, table: str, row: sqlite3.Row, problems: list[ContentError]):
        self.table, self.row, self.problems = table, row, problems

    def problem(self, message: str) -> None:
        self.problems.append(ContentError(message, self.table, self.row["id"], self.row["slug"]))

    def translations(self, column: str) -> dict[str, str]:
        raw = self.row[column]
        if raw is None or raw == "":
            return {}
        try:
            value = json.loads(raw)
        except json.JSONDecodeError as error:
            self.problem(
                f"column {column} is not valid JSON ({error.msg} at character {error.pos})"
            )
            return {}
        if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
            self.problem(
                f'column {column} must be a JSON object of texts, like {{"en": "…", "de": "…"}}'
            )
            return {}
        return value

    def link(self, column: str) -> str | None:
        url = self.row[column]
        if url and not is_safe_link(url):
            self.problem(f"column {column} {LINK_RULE}: {url[:80]!r}")
            return None
        return url or None

    def slug(self) -> str:
        slug = self.row["slug"]
        problem = slug_problem(slug, page=self.table == "pages")
        if problem:
            self.problem(str(problem))
        return slug

    def time(self, column: str, fallback: str = "created_at") -> datetime:
        raw = self.row[column] or self.row[fallback]
        try:
            return from_sqlite(raw)
        except (TypeError, ValueError):
            self.problem(f"column {column} is not a timestamp: {raw!r}")
            return from_sqlite("1970-01-01 00:00:00")

    def fingerprint(self, *extra) -> str:
        """Detects any change to the row (not a security hash: two checksums and the length)."""
        data = "\x1f".join(map(str, (*self.row, *extra))).encode()
        return f"{zlib.crc32(data):08x}{zlib.adler32(data):08x}{len(data):x}"


def load_media(conn: sqlite3.Connection, problems: list[ContentError]) -> dict[int, Media]:
    media = {}
    for row in conn.execute(
        "SELECT id, file_path, mime_type, file_hash, alt_text, image_metadata, updated_at, "
        "NULL AS slug FROM media_files WHERE deleted_at IS NULL ORDER BY id"
    ):
        reader = RowReader("media_files", row, problems)
        path = row["file_path"]
        if path.startswith("/") or ".." in path.split("/") or "\\" in path:
            reader.problem(f"file_path {path!r} must be relative to the media folder")
            continue
        size = image_size(row["image_metadata"])
        media[row["id"]] = Media(row["id"], path, row["mime_type"], row["file_hash"],
                                 reader.translations("alt_text"), *size, reader.fingerprint())  # fmt: skip
    return media


def image_size(metadata: str | None) -> tuple[int | None, int | None]:
    """(width, height) from `image_metadata`, when both are positive whole numbers."""
    try:
        found = json.loads(metadata or "{}")
    except json.JSONDecodeError:
        return None, None
    width, height = (
        (found.get("width"), found.get("height")) if isinstance(found, dict) else (None, None)
    )
    if all(isinstance(v, int) and not isinstance(v, bool) and v > 0 for v in (width, height)):
        return width, height
    return None, None


def load_pages(
    conn, params, problems, known: dict[int, Page], preview_page: int | None = None
) -> list[Page]:
    """Published pages in navigation order; rows whose (id, updated_at) is in `known` are not re-read.

    `updated_at` rises strictly on every update (deviation D2), so an unchanged pair means an
    unchanged row, and a one-page edit reads one page rather than every body on the site.
    """
    versions = conn.execute(
        "SELECT id, updated_at, sort_order, slug FROM pages INDEXED BY idx_pages_build "
        f"WHERE {published()} "
        "ORDER BY sort_order, slug, id",
        params,
    ).fetchall()
    if preview_page is not None and preview_page not in {row[0] for row in versions}:
        versions += conn.execute(
            "SELECT id, updated_at, sort_order, slug FROM pages WHERE id = ?", (preview_page,)
        ).fetchall()
        versions.sort(key=lambda row: (row[2], row[3], row[0]))
    versions = [(row[0], row[1]) for row in versions]
    fresh = [
        page_id
        for page_id, updated in versions
        if known.get(page_id) is None or known[page_id].version != updated
    ]
    read = {row["id"]: page_from_row(row, problems) for row in pages_by_id(conn, "*", fresh)}
    return [read.get(page_id) or known[page_id] for page_id, _ in versions]


def pages_by_id(conn, columns: str, page_ids: Sequence[int]) -> Iterator[sqlite3.Row]:
    """`columns` of these pages, asked 500 ids at a time (a statement's parameters are bounded)."""
    for start in range(0, len(page_ids), 500):
        chunk = page_ids[start : start + 500]
        marks = ",".join("?" * len(chunk))
        yield from conn.execute(f"SELECT {columns} FROM pages WHERE id IN ({marks})", chunk)


def page_from_row(row: sqlite3.Row, problems: list[ContentError]) -> Page:
    reader = RowReader("pages", row, problems)
    slug = reader.slug()
    content = reader.translations("content")
    return Page(
        id=row["id"],
        slug=slug,
        template=row["template"] or "default",
        title=reader.translations("title"),
        body_keys={lang: source_key(text) for lang, text in sorted(content.items()) if text},
        body_media={
            lang: tuple(media_in_markdown(text)) for lang, text in sorted(content.items()) if text
        },
        excerpt=reader.translations("excerpt"),
        meta_description=reader.translations("meta_description"),
        seo_title=reader.translations("seo_title"),
        is_featured=bool(row["is_featured"]),
        sort_order=row["sort_order"] or 0,
        published_at=reader.time("published_at"),
        updated_at=reader.time("updated_at"),
        version=row["updated_at"],
        fingerprint=reader.fingerprint(),
    )


def page_markdown(conn, sources: Iterable[tuple[int, str]]) -> dict[tuple[int, str], str]:
    """The Markdown body of each (page id, language), read inside the build's snapshot: each
    page's row once for all its languages, 500 at a time, keeping only the texts asked for."""
    wanted: dict[int, set[str]] = {}
    for page_id, lang in sources:
        wanted.setdefault(page_id, set()).add(lang)
    texts = {}
    for row in pages_by_id(conn, "id, content", sorted(wanted)):
        body = json.loads(row[1])
        texts.update({(row[0], lang): body.get(lang, "") for lang in wanted[row[0]]})
    return texts


def load_webinars(conn, params, now, media, problems):
    rows = conn.execute(
        "SELECT w.*, (SELECT count(*) FROM webinar_registrations r WHERE r.webinar_id = w.id) "
        "AS registered FROM webinars w WHERE w.deleted_at IS NULL ORDER BY w.scheduled_at, w.slug"
    )
    for row in rows:
        reader = RowReader("webinars", row, problems)
        timezone = row["timezone"] or "UTC"
        try:
            ZoneInfo(timezone)
        except (ZoneInfoNotFoundError, ValueError):
            reader.problem(f"timezone {timezone!r} is not an IANA time zone such as Europe/Berlin")
            timezone = "UTC"
        starts = reader.time("scheduled_at")
        state = webinar_state(
            status=row["status"],
            starts=starts,
            duration_minutes=row["duration_minutes"],
            registration_enabled=bool(row["registration_enabled"]),
            deadline=reader.time("registration_deadline") if row["registration_deadline"] else None,
            registered=row["registered"],
            capacity=row["max_participants"],
            now=now,
        )
        yield Webinar(
            id=row["id"],
            slug=reader.slug(),
            title=reader.translations("title"),
            description=reader.translations("description"),
            scheduled_at=starts,
            duration_minutes=row["duration_minutes"] or 60,
            timezone=timezone,
            status=row["status"],
            state=state,
            recording_url=reader.link("recording_url"),
            presenter_name=row["presenter_name"],
            presenter_bio=reader.translations("presenter_bio"),
            presenter_avatar=media.get(row["presenter_avatar_id"]),
            presentation=media.get(row["presentation_file_id"]),
            updated_at=reader.time("updated_at"),
            fingerprint=reader.fingerprint(state),
        )


def load_whitepapers(conn, params, media, problems, preview_id: int | None = None):
    """Published, active whitepapers; and `preview_id` whatever its state (the studio's preview)."""
    rows = conn.execute(
        f"SELECT * FROM whitepapers WHERE ({published()} AND lead_magnet_active) OR id = :preview "
        "ORDER BY sort_order, slug",
        {**params, "preview": preview_id},
    )
    for row in rows:
        reader = RowReader("whitepapers", row, problems)
        if row["file_id"] not in media:
            reader.problem(f"file_id {row['file_id']} is not a media file that exists")
        yield Whitepaper(
            id=row["id"],
            slug=reader.slug(),
            title=reader.translations("title"),
            description=reader.translations("description"),
            preview_content=reader.translations("preview_content"),
            meta_title=reader.translations("meta_title"),
            meta_description=reader.translations("meta_description"),
            category=row["category"],
            requires_registration=bool(row["requires_registration"]),
            thumbnail=media.get(row["thumbnail_id"]),
            sort_order=row["sort_order"] or 0,
            published_at=reader.time("published_at"),
            updated_at=reader.time("updated_at"),
            fingerprint=reader.fingerprint(),
        )


def next_scheduled_publish(conn, params) -> datetime | None:
    row = conn.execute(
        "SELECT min(datetime(published_at)) FROM ("
        "SELECT published_at FROM pages INDEXED BY idx_pages_build WHERE status = 'published' AND deleted_at IS NULL "
        "UNION ALL SELECT published_at FROM whitepapers WHERE status = 'published' "
        "AND deleted_at IS NULL) AS scheduled WHERE datetime(published_at) > datetime(:now)",
        params,
    ).fetchone()
    return from_sqlite(row[0]) if row[0] else None
