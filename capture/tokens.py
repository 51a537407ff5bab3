"""Signed, expiring download links (itsdangerous, which Flask already depends on)."""

from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

SALT = "magnetiq.whitepaper-download"


class ExpiredToken(Exception):
    pass


class InvalidToken(Exception):
    pass


CONFIRM_SALT = "magnetiq.download-confirmation"  # double opt-in: a link of another kind


def make_token(secret: str, download_id: int, whitepaper_id: int, salt: str = SALT) -> str:
    return URLSafeTimedSerializer(secret, salt=salt).dumps({"d": download_id, "w": whitepaper_id})


def read_token(secret: str, token: str, max_age: int, salt: str = SALT) -> dict:
    serializer = URLSafeTimedSerializer(secret, salt=salt)
    try:
        data = serializer.loads(token, max_age=max_age)
    except SignatureExpired as error:
        raise ExpiredToken() from error
    except BadSignature as error:
        raise InvalidToken() from error
    if not isinstance(data, dict) or not isinstance(data.get("w"), int):
        raise InvalidToken()
    return data
