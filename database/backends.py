"""Which database a target names or a connection talks to: SQLite (a file) or PostgreSQL (a URL).

Kept free of drivers so every module can ask without loading one.
"""

from urllib.parse import urlsplit, urlunsplit

URL_SCHEMES = ("postgresql://", "postgres://")


def is_postgres_url(target) -> bool:
    return isinstance(target, str) and target.startswith(URL_SCHEMES)


def is_postgres(conn) -> bool:
    return getattr(conn, "backend", "sqlite") == "postgresql"


def printable(target) -> str:
    """The database as a message may name it: a URL's password is left out."""
    if not is_postgres_url(target):
        return str(target)
    parts = urlsplit(target)
    if parts.password is None:
        return target
    host = parts.netloc.rsplit("@", 1)[1]
    return urlunsplit(parts._replace(netloc=f"{parts.username}@{host}"))
