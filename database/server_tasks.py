"""The operator's tasks on a PostgreSQL database, done by PostgreSQL's own tools.

- backup: `pg_dump --format=custom`, a consistent snapshot taken while the site runs, into a
  0600 file that `pg_restore --list` has read back;
- restore: `pg_restore` into a *new* database beside the live one, checked, and then switched to
  by the operator (MAGNETIQ_DB); the live database is never written, so a bad backup costs
  nothing and the old site stays one setting away;
- check: the server's facts, the schema version, whether this is a read-only standby.

The password of a URL never reaches a command line (which other users can read in `ps`): the
tools get it through PGPASSWORD.
"""

import glob
import os
import shutil
import subprocess
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from .catalog import user_tables
from .errors import OperationError
from .migrations import SCHEMA_VERSION, schema_version

BACKUP_SUFFIX = ".dump"


def server_tool(name: str) -> str:
    """`pg_dump`, `pg_restore` (or `initdb`): the newest installed server's own, else the one on
    PATH (Debian keeps the server's programs off PATH)."""
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"),
                   key=lambda path: int(Path(path).parent.parent.name))  # fmt: skip
    if found:
        return found[-1]
    if on_path := shutil.which(name):
        return on_path
    raise OperationError(f"{name} is not installed: install PostgreSQL's client programs")


def run_tool(name: str, url: str, *arguments: str) -> str:
    from psycopg.conninfo import conninfo_to_dict, make_conninfo

    params = conninfo_to_dict(url)
    password = params.pop("password", None)
    environment = {**os.environ, **({"PGPASSWORD": password} if password else {})}
    result = subprocess.run([server_tool(name), *arguments, f"--dbname={make_conninfo(**params)}"],
                            env=environment, capture_output=True, text=True)  # fmt: skip
    if result.returncode != 0:
        raise OperationError(f"{name} failed: {result.stderr.strip()[-2000:]}")
    return result.stdout


def default_backup_path(now: datetime) -> Path:
    return Path("backups") / f"magnetiq_backup_{now:%Y%m%d_%H%M%S}{BACKUP_SUFFIX}"


def backup_server(url: str, target: Path) -> Path:
    if target.exists():
        raise OperationError(f"{target} already exists; choose another backup path")
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.partial")
    os.close(os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600))
    try:
        run_tool("pg_dump", url, "--format=custom", "--no-owner", f"--file={partial}")
        listing = subprocess.run([server_tool("pg_restore"), "--list", str(partial)],
                                 capture_output=True, text=True)  # fmt: skip
        if listing.returncode != 0 or "TABLE DATA" not in listing.stdout:
            raise OperationError(f"the backup cannot be read back: {listing.stderr.strip()}")
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    return target


def restore_server(backup_file: Path, live_url: str, now: datetime) -> str:
    """Restore into a new database on the live one's server; return the new database's URL."""
    import psycopg

    if not backup_file.is_file():
        raise OperationError(f"no backup file at {backup_file}")
    live = urlsplit(live_url)
    name = f"{live.path.strip('/') or 'magnetiq'}_restored_{now:%Y%m%d_%H%M%S}"
    maintenance = urlunsplit(live._replace(path="/postgres"))
    with psycopg.connect(maintenance, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    new_url = urlunsplit(live._replace(path=f"/{name}"))
    try:
        run_tool("pg_restore", new_url, "--no-owner", "--exit-on-error", "--single-transaction",
                 str(backup_file))  # fmt: skip
        verify_restored(new_url)
    except OperationError:
        with psycopg.connect(maintenance, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE "{name}"')
        raise
    return new_url


def verify_restored(url: str) -> None:
    from .connection import connect

    conn = connect(url)
    try:
        version, tables = schema_version(conn), user_tables(conn)
    finally:
        conn.close()
    if version < 1 or "admin_users" not in tables:
        raise OperationError("the backup does not hold a Magnetiq database; nothing was switched")
    if version > SCHEMA_VERSION:
        raise OperationError(
            f"the backup has schema version {version}, newer than this Magnetiq ({SCHEMA_VERSION})"
        )


def server_facts(conn) -> tuple[list[str], list[str]]:
    """(facts, problems) for `db check` on PostgreSQL."""
    server = conn.execute("SHOW server_version").fetchone()[0]
    standby = conn.execute("SELECT pg_is_in_recovery()").fetchone()[0]
    version = schema_version(conn)
    facts = [f"PostgreSQL server {server}", f"schema version {version}",
             "a read-only standby" if standby else "the primary (writable)"]  # fmt: skip
    problems = []
    if version != SCHEMA_VERSION:
        problems.append(f"schema version is {version}, expected {SCHEMA_VERSION}: run `db migrate`")
    invalid = conn.execute(
        "SELECT count(*) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
        "WHERE NOT i.indisvalid AND c.relnamespace = current_schema()::regnamespace"
    ).fetchone()[0]
    if invalid:
        problems.append(f"{invalid} index(es) are invalid: run `db maintain --reindex`")
    return facts, problems
