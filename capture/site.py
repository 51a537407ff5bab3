"""The few site settings the service needs: languages, addresses, allowed origins."""

import json
import sqlite3
from dataclasses import dataclass
from urllib.parse import urlsplit


@dataclass(frozen=True)
class SiteSettings:
    languages: tuple[str, ...]
    default_language: str
    site_url: str
    capture_url: str

    @property
    def site_origin(self) -> str:
        parts = urlsplit(self.site_url)
        return f"{parts.scheme}://{parts.netloc}"


def load_site_settings(conn: sqlite3.Connection) -> SiteSettings:
    settings = dict(conn.execute("SELECT key, value FROM system_settings"))
    try:
        languages = tuple(json.loads(settings.get("supported_languages") or '["en"]'))
    except json.JSONDecodeError:
        languages = ("en",)
    default = settings.get("default_language") or languages[0]
    return SiteSettings(
        languages=languages,
        default_language=default if default in languages else languages[0],
        site_url=(settings.get("site_url") or "http://localhost:8000").rstrip("/"),
        capture_url=(settings.get("capture_url") or "http://localhost:8001").rstrip("/"),
    )
