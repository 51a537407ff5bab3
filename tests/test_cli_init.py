"""`init` and the command line's error handling."""

import stat
import subprocess
import sys

import bcrypt
import pytest

import database
from database.backends import is_postgres_url
from database.catalog import data_tables

from .conftest import REPO, TEST_PASSWORD


@pytest.fixture(params=["sqlite", "postgresql"])
def site_target(request, db_path):
    """Where `init` makes a site: a file that does not exist yet, or an empty server database."""
    return db_path if request.param == "sqlite" else request.getfixturevalue("postgres_url")


@pytest.fixture
def demo_db_path(demo_site):
    """The demo site on SQLite and on PostgreSQL."""
    return demo_site


def stored_state(target):
    """All a site holds, to see that a refused command changed nothing: a file's bytes, or a
    server database's tables and their rows."""
    if not is_postgres_url(target):
        return target.read_bytes() if target.exists() else None
    conn = database.connect(target)
    try:
        return {
            table: sorted(map(tuple, conn.execute(f"SELECT * FROM {table}")))
            for table in data_tables(conn)
        }
    finally:
        conn.close()


def test_init_creates_schema_and_admin_with_bcrypt_hash(run_cli, site_target):
    code, out, _ = run_cli("--db", site_target, "init")
    assert code == 0, out
    conn = database.connect(site_target)
    assert database.schema_version(conn) == database.SCHEMA_VERSION
    email, hashed, role = conn.execute(
        "SELECT email, hashed_password, role FROM admin_users"
    ).fetchone()
    assert (email, role) == ("admin@example.com", "admin")
    assert hashed.startswith("$2b$12$")
    assert bcrypt.checkpw(TEST_PASSWORD.encode(), hashed.encode())
    assert TEST_PASSWORD not in out


def test_init_refuses_an_existing_database_and_changes_nothing(run_cli, site_target):
    assert run_cli("--db", site_target, "init")[0] == 0
    before = stored_state(site_target)
    code, out, err = run_cli("--db", site_target, "init", "--demo")
    assert code == 1
    assert "already" in err and len(err.strip().splitlines()) == 1, err
    assert stored_state(site_target) == before


def test_init_generates_and_prints_a_password_when_none_is_given(run_cli, site_target, monkeypatch):
    monkeypatch.delenv("MAGNETIQ_ADMIN_PASSWORD")
    code, out, _ = run_cli("--db", site_target, "init")
    assert code == 0
    generated = out.split("store it now): ")[1].strip()
    assert len(generated) >= 20
    conn = database.connect(site_target)
    hashed = conn.execute("SELECT hashed_password FROM admin_users").fetchone()[0]
    conn.close()
    assert bcrypt.checkpw(generated.encode(), hashed.encode())


@pytest.mark.parametrize(
    "password, reason",
    [("short", "at least 12 characters"), ("ä" * 40, "longer than 72 bytes")],
)
def test_init_refuses_weak_or_truncated_passwords(
    run_cli, site_target, db_path, monkeypatch, password, reason
):
    before = stored_state(site_target)
    monkeypatch.setenv("MAGNETIQ_ADMIN_PASSWORD", password)
    code, _, err = run_cli("--db", site_target, "init")
    assert code == 1 and reason in err
    assert stored_state(site_target) == before  # no file; an empty server database stays empty
    assert list(db_path.parent.glob("*.init")) == []


GUESSABLE = [
    ("aaaaaaaaaaaa", "Repeats"),
    ("password1234", "common password"),
    ("123456789012", "commonly used password"),
    (" " * 12, "Repeats"),
    ("lena.hoffmann@example.com", "built from the email address"),
    ("Lena.Hoffmann2026!", "built from the email address"),
    ("VoltaicSystems2026", "site's name"),
]


@pytest.mark.parametrize("password, reason", GUESSABLE)
def test_admin_create_and_passwd_refuse_guessable_passwords(
    run_cli, demo_db_path, monkeypatch, password, reason
):
    email = "lena.hoffmann@example.com"
    monkeypatch.setenv("MAGNETIQ_ADMIN_PASSWORD", password)
    code, _, err = run_cli("--db", demo_db_path, "admin", "create", email, "--role", "editor")
    assert code == 1 and reason in err and err.count("\n") == 1, err
    monkeypatch.setenv("MAGNETIQ_ADMIN_PASSWORD", "a sturdy Pelican 47 swims")
    assert run_cli("--db", demo_db_path, "admin", "create", email, "--role", "editor")[0] == 0
    monkeypatch.setenv("MAGNETIQ_ADMIN_PASSWORD", password)
    code, _, err = run_cli("--db", demo_db_path, "admin", "passwd", email)
    assert code == 1 and reason in err, err


def test_no_default_password_anywhere_in_the_code():
    sources = [p for p in REPO.rglob("*.py") if ".venv" not in p.parts and "tests" not in p.parts]
    sources += list((REPO / "database" / "sql").glob("*.sql"))
    spec_hash = "$2b$12$LQv3c1yqBWVHxkd0LHAkCOYz6TtxMQJqhN8/LewdBP7QQQ7NTGdzi"
    for source in sources:
        text = source.read_text(encoding="utf-8")
        assert "admin123" not in text, source
        assert spec_hash not in text, source
        assert "INSERT INTO admin_users" not in text or source.name == "users.py", source


def test_demo_site_content(demo_db_path, tmp_path):
    conn = database.connect(demo_db_path)
    pages = dict(conn.execute("SELECT slug, status FROM pages").fetchall())
    assert {"home", "about", "services", "contact", "privacy", "imprint"} <= set(pages)
    assert pages["pricing"] == "draft"
    future = conn.execute(
        "SELECT count(*) FROM pages WHERE status = 'published' AND published_at > datetime('now')"
    ).fetchone()[0]
    assert future == 1
    statuses = dict(conn.execute("SELECT slug, status FROM webinars").fetchall())
    assert sorted(statuses.values()) == ["completed", "scheduled", "scheduled"]
    full = conn.execute(
        "SELECT w.max_participants, count(r.id) FROM webinars w "
        "JOIN webinar_registrations r ON r.webinar_id = w.id GROUP BY w.id"
    ).fetchone()
    assert full[0] == full[1]
    pdfs = conn.execute(
        "SELECT m.file_path FROM whitepapers w JOIN media_files m ON m.id = w.file_id"
    ).fetchall()
    assert len(pdfs) == 2
    for (relative,) in pdfs:
        data = (tmp_path / "media" / relative).read_bytes()
        assert data.startswith(b"%PDF-1.4") and data.rstrip().endswith(b"%%EOF")


def test_every_command_has_help():
    for argv in (["--help"], ["init", "--help"], ["db", "--help"], ["db", "backup", "--help"],
                 ["db", "restore", "--help"], ["db", "check", "--help"], ["db", "maintain", "--help"],
                 ["db", "migrate", "--help"], ["db", "export", "--help"], ["build", "--help"],
                 ["watch", "--help"], ["serve", "--help"], ["capture", "--help"], ["search", "--help"],
                 ["admin", "create", "--help"], ["admin", "passwd", "--help"], ["admin", "disable", "--help"]):  # fmt: skip
        result = subprocess.run(
            [sys.executable, "build.py", *argv], cwd=REPO, capture_output=True, text=True
        )
        assert result.returncode == 0 and "usage:" in result.stdout, argv


def test_each_command_is_loaded_from_the_module_that_defines_it():
    """`commands.COMMAND_MODULES` lets a run import one module: it must name every command's."""
    import argparse

    from commands import COMMAND_MODULES, build_parser

    def commands_of(parser: argparse.ArgumentParser) -> list[str]:
        (subparsers,) = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
        return list(subparsers.choices)

    every = commands_of(build_parser())
    assert every == list(COMMAND_MODULES)
    for command in every:
        assert command in commands_of(build_parser(command))
    listed = subprocess.run(
        [sys.executable, "build.py", "--help"], cwd=REPO, capture_output=True, text=True
    )
    assert all(command in listed.stdout for command in every)
    mistyped = subprocess.run(
        [sys.executable, "build.py", "biuld"], cwd=REPO, capture_output=True, text=True
    )
    assert mistyped.returncode == 2 and "invalid choice: 'biuld'" in mistyped.stderr
    assert "worker" in mistyped.stderr  # the choices offered are all the commands


@pytest.mark.parametrize(
    "argv, reason",
    [
        (["db", "check"], "no database at"),
        (["db", "backup"], "no database at"),
        (["db", "export", "out"], "no database at"),
        (["db", "restore", "missing.db"], "no backup file at"),
    ],
)
def test_cli_errors_exit_non_zero_with_one_line(run_cli, tmp_path, argv, reason):
    code, _, err = run_cli("--db", tmp_path / "absent.db", *argv)
    assert code == 1
    assert reason in err and len(err.strip().splitlines()) == 1


def test_backup_file_is_private(run_cli, demo_db_path, tmp_path):
    target = tmp_path / "b.db"
    assert run_cli("--db", demo_db_path, "db", "backup", target)[0] == 0
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
