"""The site's settings (`system_settings`), read and checked in one place for every part.

The build reports a broken setting as a content error and stops; the services read the same
values and fall back to safe defaults, so that a typo in a setting never takes the forms down.
"""

import json
import re
import sqlite3
from dataclasses import dataclass
from urllib.parse import urlsplit

LANGUAGE = re.compile(r"^[a-z]{2,3}(?:-[A-Z]{2})?$")
TRANSLATION_POLICIES = ("fallback", "omit")
DEFAULT_SITE_URL = "http://localhost:8000"
DEFAULT_CAPTURE_URL = "http://localhost:8001"


@dataclass(frozen=True)
class SiteSettings:
    languages: tuple[str, ...]
    default_language: str
    site_url: str
    capture_url: str
    translation_fallback: str  # "fallback" or "omit"
    title: dict[str, str]
    description: dict[str, str]

    @property
    def site_origin(self) -> str:
        parts = urlsplit(self.site_url)
        return f"{parts.scheme}://{parts.netloc}"


@dataclass(frozen=True)
class SettingProblem:
    key: str
    message: str


def read_site_settings(conn: sqlite3.Connection) -> tuple[SiteSettings, list[SettingProblem]]:
    """The settings, with safe values in place of broken ones, and what was broken."""
    stored = dict(conn.execute("SELECT key, value FROM system_settings"))
    problems: list[SettingProblem] = []

    def json_setting(key: str, default):
        try:
            return json.loads(stored[key]) if stored.get(key) else default
        except json.JSONDecodeError as error:
            problems.append(SettingProblem(key, f"setting is not valid JSON: {error}"))
            return default

    languages = json_setting("supported_languages", ["en"])
    default_language = stored.get("default_language") or "en"
    if (
        not isinstance(languages, list)
        or not languages
        or not all(isinstance(lang, str) and LANGUAGE.match(lang) for lang in languages)
    ):
        problems.append(SettingProblem("supported_languages", "supported_languages must be a JSON list of language codes"))  # fmt: skip
        languages = [default_language]
    if default_language not in languages:
        problems.append(SettingProblem("default_language", f"default_language {default_language!r} is not in supported_languages"))  # fmt: skip
        default_language = languages[0]
    policy = stored.get("translation_fallback") or "fallback"
    if policy not in TRANSLATION_POLICIES:
        problems.append(SettingProblem("translation_fallback", "translation_fallback must be 'fallback' or 'omit'"))  # fmt: skip
        policy = "fallback"
    settings = SiteSettings(
        languages=tuple(languages),
        default_language=default_language,
        site_url=(stored.get("site_url") or DEFAULT_SITE_URL).rstrip("/"),
        capture_url=(stored.get("capture_url") or DEFAULT_CAPTURE_URL).rstrip("/"),
        translation_fallback=policy,
        title=as_translations(json_setting("site_title", {}), default_language),
        description=as_translations(json_setting("site_description", {}), default_language),
    )
    return settings, problems


def as_translations(value, default_language: str) -> dict[str, str]:
    """A setting given as plain text counts as the default language's."""
    if isinstance(value, dict):
        return {str(k): str(v) for k, v in value.items() if isinstance(v, str)}
    return {default_language: str(value)} if value else {}
