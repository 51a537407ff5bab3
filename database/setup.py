"""Create a new database: schema, first admin user, and optionally the demo site."""

import os
import sqlite3
import tempfile
from pathlib import Path

from .backends import is_postgres_url
from .connection import connect
from .errors import OperationError
from .migrations import migrate


def media_directory(db_path: Path | str) -> Path:
    """Uploaded and gated files: MAGNETIQ_MEDIA, else `media/` beside the database (never output/).

    A database server has no "beside": its sites name the shared directory.
    """
    configured = os.environ.get("MAGNETIQ_MEDIA")
    if configured:
        return Path(configured)
    if is_postgres_url(db_path):
        raise OperationError(
            "MAGNETIQ_MEDIA is not set: with a PostgreSQL database, set it to the media "
            "directory every Magnetiq process of the site shares"
        )
    return db_path.resolve().parent / "media"


def create_database(
    path: Path, admin_email: str, admin_password: str, *, demo: bool = False
) -> None:
    """Build the database in a temporary file and move it into place only when it is complete.

    Refuses, changing nothing, when `path` already exists. On a PostgreSQL server the site is
    built the same way, then copied in by `db copy` in one transaction.
    """
    from .users import create_admin_user  # here: bcrypt would slow the start of every build

    if is_postgres_url(path):
        return create_on_server(path, admin_email, admin_password, demo=demo)
    if site_exists(path):
        raise OperationError(f"{path} already exists; init never overwrites a database")
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".init", dir=path.parent)
    os.close(handle)
    temp_path = Path(temp_name)
    try:
        conn = connect(temp_path)
        try:
            migrate(conn)
            admin_id = create_admin_user(conn, admin_email, admin_password, role="admin")
            if demo:
                from .demo import load_demo  # here: sqlite_utils would slow every command's start

                load_demo(conn, media_directory(path), admin_id)
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            conn.close()
        try:
            os.link(temp_path, path)  # unlike rename, refuses to replace a file created meanwhile
        except FileExistsError as error:
            raise OperationError(
                f"{path} appeared while init was running; left it alone"
            ) from error
    except sqlite3.Error as error:
        raise OperationError(f"could not create {path}: {error}") from error
    finally:
        for leftover in (temp_path, Path(f"{temp_path}-wal"), Path(f"{temp_path}-shm")):
            leftover.unlink(missing_ok=True)


def site_exists(target: Path | str) -> bool:
    """Whether there is a site to leave alone: a database file, or a server database that holds
    tables."""
    if not is_postgres_url(target):
        return Path(target).exists()
    from .catalog import user_tables

    conn = connect(target)
    try:
        return bool(user_tables(conn))
    finally:
        conn.close()


def create_on_server(url: str, admin_email: str, admin_password: str, *, demo: bool) -> None:
    from .copy import copy_database

    media_directory(url)  # a server site names its shared media directory before anything runs
    if site_exists(url):
        raise OperationError(
            "the PostgreSQL database already holds tables; init never overwrites a database "
            "(`db migrate` upgrades it)"
        )
    with tempfile.TemporaryDirectory(prefix="magnetiq-init-") as work:
        built = Path(work) / "site.db"
        create_database(built, admin_email, admin_password, demo=demo)
        copy_database(built, url, progress=lambda _line: None)
