"""Consent to marketing mail (deviations D21, D22): the checkbox's wording, versioned, and the
consents people gave by ticking it. A consent records the version and language of the wording
the person was shown, so the wording may change without changing what they agreed to.

Plain SQL both SQLite and PostgreSQL run; times come from the caller.
"""

import sqlite3
from dataclasses import dataclass
from datetime import datetime

from .numbers import whole_number
from .timestamps import to_sqlite

VERSION_SETTING = "marketing_consent_version"
MAX_WORDING = 500


@dataclass(frozen=True)
class Wording:
    version: int
    texts: dict[str, str]  # language -> the checkbox's label


def current_wording(conn: sqlite3.Connection) -> Wording | None:
    """The wording the forms show now; None: the forms have no consent checkbox."""
    row = conn.execute(
        "SELECT value FROM system_settings WHERE key = ?", (VERSION_SETTING,)
    ).fetchone()
    version = whole_number(row[0]) if row else None
    if version is None:
        return None
    texts = dict(conn.execute(
        "SELECT language, text FROM consent_wordings WHERE version = ? ORDER BY language", (version,)
    ))  # fmt: skip
    return Wording(version, texts) if texts else None


def save_wording(conn: sqlite3.Connection, texts: dict[str, str], now: datetime) -> Wording | None:
    """Make `texts` (language -> label; empty ones left out) what the forms show: a new version
    when they differ from the current wording, none at all when every text is empty."""
    texts = {lang: text for lang, text in texts.items() if text}
    current = current_wording(conn)
    if current and current.texts == texts:
        return current
    version = None
    if texts:
        version = conn.execute(
            "SELECT coalesce(max(version), 0) + 1 FROM consent_wordings"
        ).fetchone()[0]
        conn.executemany(
            "INSERT INTO consent_wordings (version, language, text, created_at) VALUES (?, ?, ?, ?)",
            [(version, lang, text, to_sqlite(now)) for lang, text in sorted(texts.items())],
        )
    conn.execute(
        "INSERT INTO system_settings (key, value, type, description) VALUES (?, ?, 'integer', ?) "
        "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        (VERSION_SETTING, "" if version is None else str(version),
         "Version of the marketing-consent wording the forms show (consent_wordings); empty: none"),
    )  # fmt: skip
    return Wording(version, texts) if version else None


def versions(conn: sqlite3.Connection) -> list[int]:
    return [
        row[0]
        for row in conn.execute("SELECT DISTINCT version FROM consent_wordings ORDER BY version")
    ]


def wording_exists(conn: sqlite3.Connection, version: int, language: str) -> bool:
    """Whether a form could have shown this version in this language (any version, old ones too:
    a page built before the wording changed may still be open in someone's browser)."""
    return (
        conn.execute(
            "SELECT 1 FROM consent_wordings WHERE version = ? AND language = ?", (version, language)
        ).fetchone()
        is not None
    )


def record(conn: sqlite3.Connection, email: str, version: int, language: str,
           lead: tuple[str, int], now: datetime) -> None:  # fmt: skip
    """Call inside the lead's transaction: the consent and the lead commit together."""
    conn.execute(
        "INSERT INTO marketing_consents (email, version, language, lead_table, lead_id, given_at) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        (email.lower(), version, language, *lead, to_sqlite(now)),
    )


def given(conn: sqlite3.Connection, email: str) -> list:
    """The person's consents, newest first, each with the words they agreed to."""
    return conn.execute(
        "SELECT c.given_at, c.version, c.language, w.text FROM marketing_consents c "
        "JOIN consent_wordings w ON w.version = c.version AND w.language = c.language "
        "WHERE c.email = ? ORDER BY c.given_at DESC, c.id DESC",
        (email.lower(),),
    ).fetchall()


def forget(conn: sqlite3.Connection, email: str) -> int:
    """A privacy erase: the person's consents go with their leads."""
    return conn.execute("DELETE FROM marketing_consents WHERE email = ?", (email.lower(),)).rowcount
