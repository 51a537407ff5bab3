import sqlite3
from pathlib import Path

import pytest

import database
from commands import main as cli_main

from .postgres_server import ThrowawayCluster

REPO = Path(__file__).resolve().parent.parent
SPEC = REPO / "docs" / "spec" / "magnetiq-v2-database-schema.md"
TEST_PASSWORD = "correct horse battery staple"


@pytest.fixture
def db_path(tmp_path) -> Path:
    return tmp_path / "site.db"


@pytest.fixture
def db(db_path) -> sqlite3.Connection:
    conn = database.connect(db_path)
    database.migrate(conn)
    yield conn
    conn.close()


@pytest.fixture
def run_cli(monkeypatch, capsys, tmp_path):
    """Run the real command line in-process; returns (exit code, stdout, stderr)."""
    monkeypatch.setenv("MAGNETIQ_ADMIN_PASSWORD", TEST_PASSWORD)
    monkeypatch.setenv("MAGNETIQ_MEDIA", str(tmp_path / "media"))
    monkeypatch.delenv("MAGNETIQ_DB", raising=False)

    def run(*argv: str) -> tuple[int, str, str]:
        code = cli_main([str(arg) for arg in argv])
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    return run


def init_demo(run_cli, path: Path) -> Path:
    code, _, err = run_cli("--db", path, "init", "--demo")
    assert code == 0, err
    return path


@pytest.fixture
def demo_db_path(run_cli, tmp_path) -> Path:
    return init_demo(run_cli, tmp_path / "demo.db")


@pytest.fixture
def sqlite_demo_path(run_cli, tmp_path) -> Path:
    """The demo site in a file, for the tests about SQLite's own mechanics (PRAGMAs, files)."""
    return init_demo(run_cli, tmp_path / "sqlite-demo.db")


@pytest.fixture(scope="session")
def postgres_cluster():
    """One throwaway PostgreSQL server for the whole run (tests/postgres_server.py)."""
    cluster = ThrowawayCluster().start()
    yield cluster
    cluster.stop()


@pytest.fixture
def postgres_url(postgres_cluster) -> str:
    """A new, empty PostgreSQL database, dropped afterwards with the connections the test's
    apps still keep to it (the cluster serves the whole run)."""
    url = postgres_cluster.new_database()
    yield url
    postgres_cluster.drop_database(url)


@pytest.fixture(params=["sqlite", "postgresql"])
def demo_site(request, run_cli, tmp_path) -> Path | str:
    """The demo site on each backend: a file, or a PostgreSQL database made by `db copy`."""
    path = init_demo(run_cli, tmp_path / "demo.db")
    if request.param == "sqlite":
        return path
    url = request.getfixturevalue("postgres_url")
    code, _, err = run_cli("db", "copy", path, url)
    assert code == 0, err
    path.unlink()
    return url


@pytest.fixture
def build(tmp_path, monkeypatch):
    """Build a site with the real pipeline; each output folder gets its own cache folder."""
    from database.timestamps import utc_now
    from generator.builder import BuildPaths, build_site

    def run(
        db_path: Path,
        output: str = "output",
        *,
        now=None,
        full: bool = False,
        templates: Path | None = None,
    ):
        paths = BuildPaths(
            database=db_path,
            output=tmp_path / output,
            templates=templates or REPO / "content_templates",
            cache=tmp_path / f".cache-{output}",
            media=tmp_path / "media",
        )
        return build_site(paths, now or utc_now(), full=full)

    return run


def tree(directory: Path) -> dict[str, bytes]:
    """Every file under `directory` with its bytes, for byte-for-byte comparisons."""
    return {
        str(p.relative_to(directory)): p.read_bytes()
        for p in sorted(directory.rglob("*"))
        if p.is_file()
    }


def app_maker(create_app, db_path: Path, media: Path):
    """A real Flask app on the demo database (generous rate limit unless a test sets one)."""
    from service.config import Config

    def make(**overrides):
        settings = dict(database=db_path, media=media, secret_key="test-secret-" + "x" * 20,
                        rate_limit="1000/minute", production=False, testing=True)  # fmt: skip
        settings.update(overrides)
        return create_app(Config(**settings))

    return make


@pytest.fixture
def capture_app(demo_db_path, tmp_path):
    from capture import create_app

    return app_maker(create_app, demo_db_path, tmp_path / "media")


@pytest.fixture
def studio_app(demo_db_path, tmp_path):
    from studio import create_app

    return app_maker(create_app, demo_db_path, tmp_path / "media")


@pytest.fixture
def client(capture_app):
    return capture_app().test_client()


def count_rows(db_path: Path | str, table: str) -> int:
    conn = database.connect(db_path)
    try:
        return conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    finally:
        conn.close()


STAFF_PASSWORDS = {
    "viewer": "viewer-password-1",
    "editor": "editor-password-1",
    "admin": "admin-password-12",
}


@pytest.fixture
def staff(demo_db_path):
    """The demo database with one staff member per role: staff-<role>@example.com."""
    from database.users import create_admin_user

    conn = database.connect(demo_db_path)
    for role, password in STAFF_PASSWORDS.items():
        create_admin_user(conn, f"staff-{role}@example.com", password, role=role)
    conn.close()
    return demo_db_path


@pytest.fixture
def builds_in_tmp(monkeypatch, tmp_path, demo_db_path):
    """The builds the studio asks for write to tmp_path/output (not the repository's); call the
    fixture's value to run the build runner once, as `magnetiq worker --once` does."""
    from database.timestamps import utc_now
    from generator.builder import BuildPaths
    from generator.runner import run_pending

    monkeypatch.setenv("MAGNETIQ_OUTPUT", str(tmp_path / "output"))
    return lambda now=None: run_pending(BuildPaths.default(demo_db_path), now or utc_now())


@pytest.fixture
def mail_db(demo_db_path):
    """The demo database with a real sender and one staff address told of each new lead."""
    conn = database.connect(demo_db_path)
    conn.execute(
        "UPDATE system_settings SET value = 'Voltaic Systems' WHERE key = 'email_from_name'"
    )
    conn.execute(
        "UPDATE system_settings SET value = 'hello@voltaic.example' WHERE key = 'email_from_address'"
    )
    conn.execute(
        "INSERT INTO system_settings (key, value) VALUES ('lead_notification_recipients', 'sales@voltaic.example')"
    )
    conn.close()
    return demo_db_path
