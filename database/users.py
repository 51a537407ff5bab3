"""Admin accounts: canonical emails, the password rules, and bcrypt hashes."""

import json
import secrets
import sqlite3
import unicodedata

import bcrypt

from .connection import transaction
from .errors import OperationError

BCRYPT_COST = 12
BCRYPT_MAX_BYTES = 72
MIN_PASSWORD_LENGTH = 12
ROLES = ("viewer", "editor", "admin")


def canonical_email(email: str) -> str:
    """NFKC + casefold, so look-alike spellings of one address are one account."""
    return unicodedata.normalize("NFKC", email).strip().casefold()


def password_problem(password: str) -> str | None:
    """Why `password` is refused, or None. Over 72 bytes is refused: bcrypt would ignore the rest."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return f"the password must have at least {MIN_PASSWORD_LENGTH} characters"
    if len(password.encode("utf-8")) > BCRYPT_MAX_BYTES:
        return (
            f"the password is longer than {BCRYPT_MAX_BYTES} bytes in UTF-8; bcrypt would "
            "silently ignore the rest, so choose a shorter one"
        )
    return None


def hash_password(password: str) -> str:
    problem = password_problem(password)
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
    hashed = hash_password(password)
    email = canonical_email(email)
    with transaction(conn):
        existing = conn.execute("SELECT id FROM admin_users WHERE email = ?", (email,)).fetchone()
        if existing:
            raise OperationError(f"an admin user with the email {email} already exists")
        cursor = conn.execute(
            "INSERT INTO admin_users (email, hashed_password, first_name, last_name, role) "
            "VALUES (?, ?, ?, ?, ?)",
            (email, hashed, first_name, last_name, role),
        )
        record(conn, "user.create", cursor.lastrowid, role=role)
    return cursor.lastrowid


def set_password(conn: sqlite3.Connection, email: str, password: str) -> int:
    """New password; every session of the user ends (a stolen session dies with the old password)."""
    hashed = hash_password(password)
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
        conn.execute("UPDATE admin_users SET is_active = 0 WHERE id = ?", (user,))
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
