"""Admin accounts: canonical emails, the password rules, and bcrypt hashes."""

import json
import re
import secrets
import sqlite3
import unicodedata
from collections.abc import Iterable
from urllib.parse import urlsplit

import bcrypt

from .connection import transaction
from .errors import OperationError

BCRYPT_COST = 12
BCRYPT_MAX_BYTES = 72
MIN_PASSWORD_LENGTH = 12
ROLES = ("viewer", "editor", "admin")
MIN_STRENGTH = 3  # zxcvbn: "safely unguessable", about 10^10 guesses, against bcrypt at cost 12
NOT_LETTERS = re.compile(r"[\W\d_]+")
WORD_SEPARATORS = re.compile(r"[^\w]+|_")


def canonical_email(email: str) -> str:
    """NFKC + casefold, so look-alike spellings of one address are one account."""
    return unicodedata.normalize("NFKC", email).strip().casefold()


def password_problem(password: str, context: Iterable[str] = ()) -> str | None:
    """Why `password` is refused, or None (ASVS 6.2.4, 6.2.11).

    Refused: under 12 characters; over 72 bytes (bcrypt would ignore the rest); made of the
    account's email or the site's name (`context`) plus digits and punctuation; and anything
    zxcvbn, with its lists of common passwords, names and words, finds easy to guess.
    """
    if len(password) < MIN_PASSWORD_LENGTH:
        return f"the password must have at least {MIN_PASSWORD_LENGTH} characters"
    if len(password.encode("utf-8")) > BCRYPT_MAX_BYTES:
        return (
            f"the password is longer than {BCRYPT_MAX_BYTES} bytes in UTF-8; bcrypt would "
            "silently ignore the rest, so choose a shorter one"
        )
    words = context_words(context)
    remainder = password.casefold()
    for word in sorted(words, key=len, reverse=True):
        remainder = remainder.replace(word, "")
    if remainder != password.casefold() and len(NOT_LETTERS.sub("", remainder)) < 4:
        return "the password is built from the email address or the site's name; choose another"
    from zxcvbn import zxcvbn  # here: its word lists would slow every command's start

    strength = zxcvbn(password, user_inputs=sorted(words))
    if strength["score"] < MIN_STRENGTH:
        feedback = strength["feedback"]
        reason = feedback["warning"] or "it follows a pattern that is easy to guess"
        advice = " ".join(feedback["suggestions"][:1])
        return f"the password is too easy to guess: {reason.rstrip('.')}. {advice}".strip()
    return None


def context_words(values: Iterable[str]) -> set[str]:
    """The email, its parts and the site's name, as words a guesser would try first."""
    words = set()
    for value in values:
        folded = value.casefold().strip()
        words.add(folded)
        words.update(part for part in WORD_SEPARATORS.split(folded) if len(part) >= 3)
    words.discard("")
    return words


def site_context(conn: sqlite3.Connection) -> list[str]:
    """The site's titles and host name: words a password must not be built from."""
    settings = dict(
        conn.execute(
            "SELECT key, value FROM system_settings WHERE key IN ('site_title', 'site_url')"
        )
    )
    titles = settings.get("site_title") or ""
    try:
        parsed = json.loads(titles)
    except json.JSONDecodeError:
        parsed = titles
    values = list(parsed.values()) if isinstance(parsed, dict) else [str(parsed)]
    return [*map(str, values), urlsplit(settings.get("site_url") or "").hostname or ""]


def hash_password(password: str, context: Iterable[str] = ()) -> str:
    problem = password_problem(password, context)
    if problem:
        raise OperationError(problem)
    return bcrypt.hashpw(password.encode("utf-8"), bcrypt.gensalt(BCRYPT_COST)).decode("ascii")


def generate_password() -> str:
    """A random 24-character password (about 143 bits)."""
    return secrets.token_urlsafe(18)


def create_admin_user(
    conn: sqlite3.Connection,
    email: str,
    password: str,
    *,
    role: str = "admin",
    first_name: str = "Site",
    last_name: str = "Administrator",
) -> int:
    if role not in ROLES:
        raise OperationError(f"unknown role {role!r}; choose one of: {', '.join(ROLES)}")
    if "@" not in email:
        raise OperationError(f"{email!r} is not an email address")
    hashed = hash_password(password, [email, first_name, last_name, *site_context(conn)])
    email = canonical_email(email)
    with transaction(conn):
        existing = conn.execute("SELECT id FROM admin_users WHERE email = ?", (email,)).fetchone()
        if existing:
            raise OperationError(f"an admin user with the email {email} already exists")
        cursor = conn.execute(
            "INSERT INTO admin_users (email, hashed_password, first_name, last_name, role) "
            "VALUES (?, ?, ?, ?, ?) RETURNING id",
            (email, hashed, first_name, last_name, role),
        )
        user_id = cursor.fetchone()[0]
        record(conn, "user.create", user_id, role=role)
    return user_id


def set_password(conn: sqlite3.Connection, email: str, password: str) -> int:
    """New password; every session of the user ends (a stolen session dies with the old password)."""
    hashed = hash_password(password, [email, *site_context(conn)])
    with transaction(conn):
        user = existing_user(conn, email)
        conn.execute(
            "UPDATE admin_users SET hashed_password = ?, failed_login_attempts = 0, locked_until = NULL WHERE id = ?",
            (hashed, user),
        )
        conn.execute("DELETE FROM user_sessions WHERE user_id = ?", (user,))
        record(conn, "user.password", user)
    return user


def disable_user(conn: sqlite3.Connection, email: str) -> int:
    with transaction(conn):
        user = existing_user(conn, email)
        conn.execute("UPDATE admin_users SET is_active = FALSE WHERE id = ?", (user,))
        conn.execute("DELETE FROM user_sessions WHERE user_id = ?", (user,))
        record(conn, "user.active", user, active=False)
    return user


def existing_user(conn: sqlite3.Connection, email: str) -> int:
    row = conn.execute(
        "SELECT id FROM admin_users WHERE email = ? AND deleted_at IS NULL",
        (canonical_email(email),),
    ).fetchone()
    if row is None:
        raise OperationError(f"no admin user with the email {canonical_email(email)}")
    return row[0]


def record(conn: sqlite3.Connection, action: str, user_id: int, **details) -> None:
    conn.execute(
        "INSERT INTO audit_log (actor_label, action, target_table, target_id, details) VALUES ('cli', ?, 'admin_users', ?, ?)",
        (action, user_id, json.dumps(details) if details else None),
    )
