"""Staff sign-in: one bcrypt computation per attempt, whatever the outcome, and a lockout.

The answer, its headers and its timing must not tell an attacker whether an email exists, is
locked or inactive, so every path checks a password against a hash exactly once: the user's,
or a dummy one of the same cost.
"""

import sqlite3
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache

import bcrypt

from database.connection import transaction
from database.timestamps import from_sqlite, to_sqlite
from database.users import BCRYPT_COST, BCRYPT_MAX_BYTES, canonical_email

MAX_FAILURES = 5
LOCKOUT = timedelta(minutes=15)


@cache
def dummy_hash() -> bytes:
    """A hash at the same cost, checked when there is no real hash to check (made once, lazily)."""
    return bcrypt.hashpw(b"no account has this password", bcrypt.gensalt(BCRYPT_COST))


@dataclass(frozen=True)
class SignIn:
    user_id: int | None
    outcome: str  # ok, wrong_password, unknown, inactive, locked, locked_now


def check_password(password: str, hashed: bytes) -> bool:
    """bcrypt ignores bytes past 72; a longer password never matches rather than being cut."""
    encoded = password.encode("utf-8", "surrogatepass")
    too_long = len(encoded) > BCRYPT_MAX_BYTES
    matches = bcrypt.checkpw(encoded[:BCRYPT_MAX_BYTES], hashed)
    return matches and not too_long


def check_credentials(conn: sqlite3.Connection, email: str, password: str, now: datetime) -> SignIn:
    """Read-only, and slow on purpose (bcrypt): run it outside any write transaction."""
    user = conn.execute(
        "SELECT id, hashed_password, is_active, deleted_at, locked_until FROM admin_users WHERE email = ?",
        (canonical_email(email),),
    ).fetchone()
    usable = user is not None and user["is_active"] and user["deleted_at"] is None
    locked = usable and user["locked_until"] is not None and from_sqlite(user["locked_until"]) > now
    hashed = user["hashed_password"].encode() if usable and not locked else dummy_hash()
    matches = check_password(password, hashed)  # the one bcrypt computation of this attempt
    if user is None:
        return SignIn(None, "unknown")
    if not usable:
        return SignIn(user["id"], "inactive")
    if locked:
        return SignIn(user["id"], "locked")
    return SignIn(user["id"], "ok" if matches else "wrong_password")


def record_attempt(conn: sqlite3.Connection, attempt: SignIn, now: datetime) -> SignIn:
    """Reset the counter on success and when a lock has expired (OWASP); count other failures.

    A failure after an expired lock starts a new count at one, so a stranger who knows a staff
    email cannot keep the account locked with one wrong password per lockout period.
    """
    if attempt.outcome == "ok":
        conn.execute(
            "UPDATE admin_users SET failed_login_attempts = 0, locked_until = NULL, last_login = ? WHERE id = ?",
            (to_sqlite(now), attempt.user_id),
        )
        return attempt
    if attempt.outcome != "wrong_password":
        return attempt  # attempts on a locked account neither count nor extend the lock
    # One statement, so parallel wrong attempts each count (no read-modify-write race).
    counted = (
        "(CASE WHEN locked_until IS NOT NULL AND locked_until <= :now THEN 0 "
        "ELSE coalesce(failed_login_attempts, 0) END) + 1"
    )
    row = conn.execute(
        f"UPDATE admin_users SET failed_login_attempts = {counted}, "
        f"locked_until = CASE WHEN locked_until > :now THEN locked_until "
        f"WHEN {counted} >= :limit THEN :until ELSE NULL END "
        "WHERE id = :id RETURNING failed_login_attempts, locked_until",
        {
            "limit": MAX_FAILURES,
            "now": to_sqlite(now),
            "until": to_sqlite(now + LOCKOUT),
            "id": attempt.user_id,
        },
    ).fetchone()
    if row[0] >= MAX_FAILURES and row[1] == to_sqlite(now + LOCKOUT):
        return SignIn(attempt.user_id, "locked_now")
    return attempt


def sign_in(conn: sqlite3.Connection, email: str, password: str, now: datetime) -> SignIn:
    """Check, then record the attempt in its own short write transaction."""
    attempt = check_credentials(conn, email, password, now)
    with transaction(conn):
        return record_attempt(conn, attempt, now)
