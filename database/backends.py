"""Which database a target names or a connection talks to: SQLite (a file) or PostgreSQL (a URL).

Kept free of imports so every module can ask without loading a driver.
"""

URL_SCHEMES = ("postgresql://", "postgres://")


def is_postgres_url(target) -> bool:
    return isinstance(target, str) and target.startswith(URL_SCHEMES)


def is_postgres(conn) -> bool:
    return getattr(conn, "backend", "sqlite") == "postgresql"
