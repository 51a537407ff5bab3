"""Signed one-click unsubscribe links (RFC 8058): the worker puts them in mail, the capture
service honours them. Signed so nobody can unsubscribe someone else; they do not expire, since
a person may act on a mail months later and the law expects the link to keep working. A
campaign's link also names the campaign, whose unsubscribe counter it then moves."""

from dataclasses import dataclass

from itsdangerous import BadSignature, URLSafeSerializer

SALT = "magnetiq.unsubscribe"


@dataclass(frozen=True)
class Unsubscribe:
    email: str
    campaign: int | None = None


def unsubscribe_token(secret: str, email: str, campaign: int | None = None) -> str:
    signed = email.lower() if campaign is None else [email.lower(), campaign]
    return URLSafeSerializer(secret, salt=SALT).dumps(signed)


def read_unsubscribe(secret: str, token: str) -> Unsubscribe | None:
    """Who the token was made for, or None for a forged or damaged token."""
    try:
        signed = URLSafeSerializer(secret, salt=SALT).loads(token)
    except BadSignature:
        return None
    if isinstance(signed, list) and len(signed) == 2 and isinstance(signed[1], int):
        signed, campaign = signed
    else:
        campaign = None
    return Unsubscribe(signed, campaign) if isinstance(signed, str) and "@" in signed else None
