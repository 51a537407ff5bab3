"""Signed one-click unsubscribe links (RFC 8058): the worker puts them in mail, the capture
service honours them. Signed so nobody can unsubscribe someone else; they do not expire, since
a person may act on a mail months later and the law expects the link to keep working."""

from itsdangerous import BadSignature, URLSafeSerializer

SALT = "magnetiq.unsubscribe"


def unsubscribe_token(secret: str, email: str) -> str:
    return URLSafeSerializer(secret, salt=SALT).dumps(email.lower())


def unsubscribed_email(secret: str, token: str) -> str | None:
    """The address the token was made for, or None for a forged or damaged token."""
    try:
        email = URLSafeSerializer(secret, salt=SALT).loads(token)
    except BadSignature:
        return None
    return email if isinstance(email, str) and "@" in email else None
