"""Who may do what in the admin: roles, CSRF tokens, and the headers of every admin page."""

import hashlib
import hmac
import secrets
from functools import wraps

from flask import abort, current_app, g, request

ROLE_RANK = {"viewer": 1, "editor": 2, "admin": 3}
LOGIN_CSRF_COOKIE = "magnetiq_login_csrf"
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'"
)


def require(role: str):
    """Refuse (403) staff whose role ranks below `role`."""

    def decorate(view):
        @wraps(view)
        def guarded(*args, **kwargs):
            if ROLE_RANK[g.staff.role] < ROLE_RANK[role]:
                abort(403)
            return view(*args, **kwargs)

        return guarded

    return decorate


def may(role: str) -> bool:
    return ROLE_RANK[g.staff.role] >= ROLE_RANK[role]


def session_csrf_token(token_hash: str) -> str:
    """Bound to the session: useless to anyone who cannot read the admin page itself."""
    secret = current_app.config["MAGNETIQ"].secret_key.encode()
    return hmac.new(secret, f"csrf:{token_hash}".encode(), hashlib.sha256).hexdigest()


def new_login_csrf_token() -> str:
    return secrets.token_urlsafe(24)


def csrf_ok(expected: str | None) -> bool:
    submitted = request.form.get("csrf_token", "")
    return bool(expected) and hmac.compare_digest(submitted.encode(), expected.encode())


def add_admin_headers(response):
    response.headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
    response.headers["X-Frame-Options"] = "DENY"
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "same-origin"
    return response
