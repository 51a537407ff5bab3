"""Staff sessions: a random token in the cookie, only its SHA-256 in user_sessions.

`expires_at` is the idle deadline (moved forward on every request, never past the absolute
limit counted from `created_at`); both limits are checked on every request.
"""

import hashlib
import secrets
import sqlite3
from dataclasses import dataclass
from datetime import datetime, timedelta

from database.timestamps import from_sqlite, to_sqlite

IDLE = timedelta(minutes=30)
ABSOLUTE = timedelta(hours=12)
COOKIE = "magnetiq_admin"


@dataclass(frozen=True)
class Staff:
    id: int
    email: str
    first_name: str
    role: str
    session_id: int
    token_hash: str
    language: str  # the studio's language for them (admin_users.language)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start_session(
    conn: sqlite3.Connection, user_id: int, now: datetime, user_agent: str, ip: str | None
) -> str:
    """A new 256-bit token for every sign-in; returns the cookie value."""
    token = secrets.token_urlsafe(32)
    conn.execute(
        "INSERT INTO user_sessions (user_id, session_token, expires_at, user_agent, ip_address, created_at) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        (user_id, token_hash(token), to_sqlite(now + IDLE), user_agent[:300], ip, to_sqlite(now)),
    )
    return token


def current_staff(conn: sqlite3.Connection, token: str | None, now: datetime) -> Staff | None:
    if not token or len(token) > 100:
        return None
    hashed = token_hash(token)
    row = conn.execute(
        "SELECT s.id AS session_id, s.created_at, u.id, u.email, u.first_name, u.role, u.language "
        "FROM user_sessions s "
        "JOIN admin_users u ON u.id = s.user_id WHERE s.session_token = ? AND s.expires_at > ? "
        "AND s.created_at > ? AND u.is_active AND u.deleted_at IS NULL",
        (hashed, to_sqlite(now), to_sqlite(now - ABSOLUTE)),
    ).fetchone()
    if row is None:
        return None
    expires = min(now + IDLE, from_sqlite(row["created_at"]) + ABSOLUTE)
    conn.execute(
        "UPDATE user_sessions SET expires_at = ? WHERE id = ?",
        (to_sqlite(expires), row["session_id"]),
    )
    return Staff(row["id"], row["email"], row["first_name"], row["role"], row["session_id"], hashed,
                 row["language"] or "en")  # fmt: skip


def end_session(conn: sqlite3.Connection, session_id: int) -> None:
    conn.execute("DELETE FROM user_sessions WHERE id = ?", (session_id,))


def end_all_sessions(conn: sqlite3.Connection, user_id: int) -> int:
    return conn.execute("DELETE FROM user_sessions WHERE user_id = ?", (user_id,)).rowcount
