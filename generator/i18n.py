"""Languages: picking a translation (or falling back), UI message catalogs, and locale formats."""

import json
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_datetime, format_time

from .errors import BuildError, ContentError


def pick(translations: dict[str, str], lang: str, default_language: str) -> tuple[str, str]:
    """(text, language of that text): the requested language, else the default one, else any."""
    for candidate in (lang, default_language, *sorted(translations)):
        text = translations.get(candidate)
        if text:
            return text, candidate
    return "", lang


def has_translation(lang: str, *fields: dict[str, str]) -> bool:
    return all(field.get(lang) for field in fields)


def variant(native: tuple[str, ...], lang: str, fallback: bool) -> str | None:
    """How an item with real translations in `native` is shown in `lang`: 'native', 'fallback'
    (the original's text at this language's address, when the site falls back) or None."""
    if lang in native:
        return "native"
    if fallback and native:
        return "fallback"
    return None


def original_language(native: tuple[str, ...], default_language: str) -> str:
    """The language a fallback copy takes its text from, and its canonical points at."""
    return default_language if default_language in native else native[0]


def load_catalogs(directory: Path, languages: tuple[str, ...]) -> dict[str, dict[str, str]]:
    """One JSON catalog per language; every catalog must have the default catalog's keys."""
    catalogs, problems = {}, []
    for lang in languages:
        path = directory / f"{lang}.json"
        try:
            catalogs[lang] = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            problems.append(
                ContentError(f"no message catalog {path}; copy en.json and translate it", lang=lang)
            )
        except json.JSONDecodeError as error:
            problems.append(ContentError(f"{path} is not valid JSON: {error}", lang=lang))
    if problems:
        raise BuildError(problems, "message catalogs are incomplete")
    reference = set(catalogs[languages[0]])
    for lang, messages in catalogs.items():
        missing = sorted(reference - set(messages))
        if missing:
            problems.append(ContentError(f"catalog lacks {', '.join(missing[:5])}", lang=lang))
    if problems:
        raise BuildError(problems, "message catalogs are incomplete")
    return catalogs


def long_date(moment: datetime, lang: str) -> str:
    return long_day(moment.date(), lang)


@lru_cache(maxsize=4096)
def long_day(day: date, lang: str) -> str:
    """Babel takes ~0.06 ms a date (a third of making a page's context); pages share days."""
    return format_date(day, format="long", locale=lang)


def event_time(moment: datetime, timezone: str, lang: str) -> str:
    """Date and time in the event's own time zone, with the zone named, in the visitor's locale."""
    zone = ZoneInfo(timezone)
    local = moment.astimezone(zone)
    day = format_date(local.date(), format="full", locale=lang)
    clock = format_time(local, format="short", locale=lang)
    zone_name = format_datetime(local, "zzzz", tzinfo=zone, locale=lang)
    return f"{day}, {clock} ({zone_name})"
