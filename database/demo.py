"""Load the bilingual demo site (pages, webinars, whitepapers, media) into a new database."""

import hashlib
import json
import sqlite3
from datetime import timedelta
from pathlib import Path

import sqlite_utils

from . import consent
from . import demo_content as content
from .connection import transaction
from .demo_media import pdf_document, svg_dashboard, svg_image, svg_logo, svg_portrait
from .site import save_settings
from .timestamps import to_sqlite, utc_now

NAVIGATION = ("services", "about", "contact")


def load_demo(conn: sqlite3.Connection, media_dir: Path, author_id: int) -> None:
    """Insert the demo rows in one transaction; media files are written under `media_dir`."""
    now = utc_now().replace(minute=0, second=0)
    db = sqlite_utils.Database(conn, recursive_triggers=False)
    with transaction(conn):
        logo = add_media(db, media_dir, "images/logo.svg", svg_logo("#0b5394", "Voltaic Systems"),
                         "image/svg+xml", {"en": "Voltaic Systems logo", "de": "Logo von Voltaic Systems"},
                         author_id, (220, 48))  # fmt: skip
        add_media(db, media_dir, "images/dashboard.svg", svg_dashboard("#0b5394"), "image/svg+xml",
                  {"en": "A dashboard: a week of energy use falling", "de": "Ein Dashboard: eine Woche sinkender Energieverbrauch"},
                  author_id, (640, 420))  # fmt: skip
        avatar = add_media(db, media_dir, "images/lena-hoffmann.svg",
                           svg_portrait("#38761d"), "image/svg+xml",
                           {"en": "Portrait of Dr. Lena Hoffmann", "de": "Porträt von Dr. Lena Hoffmann"},
                           author_id, (320, 320))  # fmt: skip
        for slug, template, title, excerpt, body, status, offset in content.PAGES:
            db["pages"].insert(
                {
                    "slug": slug,
                    "template": template,
                    "title": json.dumps(title, ensure_ascii=False),
                    "content": json.dumps(body, ensure_ascii=False),
                    "excerpt": json.dumps(excerpt, ensure_ascii=False) if excerpt else None,
                    "meta_description": json.dumps(excerpt, ensure_ascii=False)
                    if excerpt
                    else None,
                    "status": status,
                    "is_featured": int(slug == "services"),
                    "sort_order": NAVIGATION.index(slug) + 1 if slug in NAVIGATION else 0,
                    "published_at": to_sqlite(now + timedelta(days=offset))
                    if offset is not None
                    else None,
                    "author_id": author_id,
                }
            )
        for slug, title, description, offset, status, capacity, recording in content.WEBINARS:
            scheduled = now.replace(hour=15) + timedelta(days=offset)
            webinar_id = (
                db["webinars"]
                .insert(
                    {
                        "slug": slug,
                        "title": json.dumps(title, ensure_ascii=False),
                        "description": json.dumps(description, ensure_ascii=False),
                        "scheduled_at": to_sqlite(scheduled),
                        "duration_minutes": 60,
                        "timezone": "Europe/Berlin",
                        "max_participants": capacity,
                        "recording_url": recording,
                        "status": status,
                        "registration_deadline": to_sqlite(scheduled - timedelta(hours=2)),
                        "presenter_name": "Dr. Lena Hoffmann",
                        "presenter_bio": json.dumps(content.PRESENTER_BIO, ensure_ascii=False),
                        "presenter_avatar_id": avatar,
                    }
                )
                .last_pk
            )
            if slug == "iso-50001-in-practice":
                for first, last, email, company in content.FULL_WEBINAR_ATTENDEES:
                    db["webinar_registrations"].insert(
                        {"webinar_id": webinar_id, "first_name": first, "last_name": last,
                         "email": email, "company": company, "registration_source": "import"}
                    )  # fmt: skip
        for index, (slug, title, description, preview, category, lines) in enumerate(
            content.WHITEPAPERS
        ):
            pdf = add_media(db, media_dir, f"whitepapers/{slug}.pdf",
                            pdf_document(title["en"], lines), "application/pdf", title, author_id)  # fmt: skip
            thumbnail = add_media(db, media_dir, f"images/{slug}-cover.svg",
                                  svg_image(title["en"], ["#b45f06", "#741b47"][index]),
                                  "image/svg+xml", title, author_id, (640, 360))  # fmt: skip
            db["whitepapers"].insert(
                {
                    "slug": slug,
                    "title": json.dumps(title, ensure_ascii=False),
                    "description": json.dumps(description, ensure_ascii=False),
                    "preview_content": json.dumps(preview, ensure_ascii=False),
                    "meta_description": json.dumps(description, ensure_ascii=False),
                    "file_id": pdf,
                    "thumbnail_id": thumbnail,
                    "category": category,
                    "tags": json.dumps(["energy", category]),
                    "status": "published",
                    "published_at": to_sqlite(now - timedelta(days=60 - index * 20)),
                    "author_id": author_id,
                    "sort_order": index,
                }
            )
        db["system_settings"].update(
            conn.execute("SELECT id FROM system_settings WHERE key = 'site_title'").fetchone()[0],
            {"value": json.dumps({"en": "Voltaic Systems", "de": "Voltaic Systems"})},
        )
        save_settings(conn, {"site_logo_id": str(logo), "main_navigation": json.dumps(NAVIGATION)})
        consent.save_wording(conn, content.CONSENT_WORDING, now)


def add_media(
    db: sqlite_utils.Database,
    media_dir: Path,
    relative_path: str,
    data: bytes,
    mime_type: str,
    title: dict,
    uploader: int,
    size: tuple[int, int] | None = None,
) -> int:
    """Write a media file under `media_dir` and record it in media_files (`size`: an image's
    width and height)."""
    target = media_dir / relative_path
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
    return (
        db["media_files"]
        .insert(
            {
                "filename": target.name,
                "original_filename": target.name,
                "file_path": relative_path,
                "file_size": len(data),
                "mime_type": mime_type,
                "file_hash": hashlib.sha256(data).hexdigest(),
                "title": json.dumps(title, ensure_ascii=False),
                "alt_text": json.dumps(title, ensure_ascii=False),
                "image_metadata": json.dumps({"width": size[0], "height": size[1], "format": "SVG"})
                if size
                else None,
                "folder": "/" + str(Path(relative_path).parent),
                "uploaded_by": uploader,
            }
        )
        .last_pk
    )
