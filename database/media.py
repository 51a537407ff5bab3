"""The media library's rows (`media_files`): storing an upload under a stable path, finding the
same bytes again (SHA-256, as the spec intends), where an item is used, and the rules that keep
uses intact: an item in use is not deleted; replacing its file keeps its id and path.

Plain SQL both SQLite and PostgreSQL run; times come from the caller. The caller decides what
the bytes are (generator/images.py) before anything is stored.
"""

import hashlib
import json
import os
import re
import sqlite3
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from . import routes
from .timestamps import to_sqlite

SAFE_NAME = re.compile(r"[^a-z0-9]+")


@dataclass(frozen=True)
class Upload:
    """Bytes the library accepted, with what their inspection found."""

    data: bytes
    mime_type: str
    extension: str
    original_filename: str
    metadata: dict | None  # {"width", "height", "format"} for images

    @property
    def file_hash(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


@dataclass(frozen=True)
class Use:
    table: str  # pages, webinars, whitepapers or system_settings
    row_id: int
    name: str  # the slug
    how: str  # body, presenter_avatar_id, file_id, thumbnail_id


def stored_name(upload: Upload) -> str:
    """`uploads/ab/quarterly-report-ab12cd34.pdf`: readable, and unique by content."""
    stem = SAFE_NAME.sub("-", Path(upload.original_filename).stem.lower()).strip("-")[:60] or "file"
    digest = upload.file_hash
    return f"uploads/{digest[:2]}/{stem}-{digest[:8]}.{upload.extension}"


def same_bytes(conn: sqlite3.Connection, file_hash: str) -> int | None:
    """The library item that already holds these bytes, if any (dedupe)."""
    row = conn.execute(
        "SELECT id FROM media_files WHERE file_hash = ? AND deleted_at IS NULL ORDER BY id LIMIT 1",
        (file_hash,),
    ).fetchone()
    return row[0] if row else None


def add(conn: sqlite3.Connection, media_dir: Path, upload: Upload, *, folder: str, tags: list[str],
        staff_id: int | None, now: datetime) -> int:  # fmt: skip
    """Write the file, then its row (call inside a transaction: a failed insert leaves at most a
    file no row names, which the same upload later reuses)."""
    path = stored_name(upload)
    write_file(media_dir / path, upload.data)
    return conn.execute(
        "INSERT INTO media_files (filename, original_filename, file_path, file_size, mime_type, file_hash, "
        "image_metadata, folder, tags, uploaded_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        (Path(path).name, upload.original_filename[:255], path, len(upload.data), upload.mime_type,
         upload.file_hash, json.dumps(upload.metadata) if upload.metadata else None, folder,
         json.dumps(tags, ensure_ascii=False), staff_id, to_sqlite(now), to_sqlite(now)),
    ).fetchone()[0]  # fmt: skip


def replace(conn: sqlite3.Connection, media_dir: Path, media_id: int, upload: Upload) -> bool:
    """New bytes for an item, same id and path, so every use shows them after the next build
    (call inside a transaction; the file is swapped atomically just before it commits)."""
    row = conn.execute(
        "SELECT file_path FROM media_files WHERE id = ? AND deleted_at IS NULL", (media_id,)
    ).fetchone()
    if row is None:
        return False
    conn.execute(
        "UPDATE media_files SET file_size = ?, file_hash = ?, image_metadata = ?, original_filename = ? "
        "WHERE id = ?",  # updated_at follows by trigger (D2)
        (len(upload.data), upload.file_hash, json.dumps(upload.metadata) if upload.metadata else None,
         upload.original_filename[:255], media_id),
    )  # fmt: skip
    write_file(media_dir / row[0], upload.data)
    return True


def write_file(path: Path, data: bytes) -> None:
    """Whole or not at all: a reader never sees half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.partial")
    partial.write_bytes(data)
    os.replace(partial, path)


def like_pattern(text: str) -> str:
    """`text` anywhere, with LIKE's wildcards in it taken literally (ESCAPE '\\')."""
    return "%" + re.sub(r"([\\%_])", r"\\\1", text) + "%"


def where_used(conn: sqlite3.Connection, media_id: int) -> list[Use]:
    """Every page, webinar and whitepaper (not in the trash) that shows or offers the item, and
    the site settings when it is the logo."""
    row = conn.execute("SELECT file_path FROM media_files WHERE id = ?", (media_id,)).fetchone()
    if row is None:
        return []
    uses = [
        Use("pages", found[0], found[1], "body")
        for found in conn.execute(
            "SELECT id, slug FROM pages WHERE deleted_at IS NULL AND CAST(content AS TEXT) LIKE ? ESCAPE '\\' ORDER BY id",
            (like_pattern(routes.media(row[0])),),
        )
    ]
    for table, column in (("webinars", "presenter_avatar_id"), ("webinars", "presentation_file_id"),
                          ("whitepapers", "file_id"), ("whitepapers", "thumbnail_id")):  # fmt: skip
        uses += [
            Use(table, found[0], found[1], column)
            for found in conn.execute(
                f"SELECT id, slug FROM {table} WHERE {column} = ? AND deleted_at IS NULL ORDER BY id",
                (media_id,),
            )
        ]
    logo = conn.execute("SELECT value FROM system_settings WHERE key = 'site_logo_id'").fetchone()
    if logo and logo[0] == str(media_id):
        uses.append(Use("system_settings", 0, "site_logo_id", "logo"))
    return uses


def delete(conn: sqlite3.Connection, media_id: int, now: datetime) -> list[Use]:
    """Move an unused item to the trash; an item in use stays, and its uses are returned."""
    uses = where_used(conn, media_id)
    if not uses:
        conn.execute(
            "UPDATE media_files SET deleted_at = ? WHERE id = ? AND deleted_at IS NULL",
            (to_sqlite(now), media_id),
        )
    return uses
