"""Content as files and the content-only snapshot, for Git and CI: export → import into an empty
database → build gives the same output as the original content; export is deterministic,
import idempotent and all-or-nothing with errors naming file and line; a Hugo content folder
imports and builds; the snapshot holds no row about any person."""

import os

import pytest

import database
from database.snapshot import CONTENT_TABLES

from .conftest import tree


@pytest.fixture
def demo_db_path(demo_site):
    """Every test here runs on SQLite and on PostgreSQL."""
    return demo_site


@pytest.fixture
def snapshot(demo_db_path, tmp_path, run_cli):
    path = tmp_path / "snapshot.db"
    code, out, err = run_cli("--db", demo_db_path, "db", "snapshot", "--content-only", path)
    assert code == 0, err
    return path


@pytest.fixture
def empty_db(tmp_path, run_cli, monkeypatch):
    monkeypatch.setenv("MAGNETIQ_ADMIN_PASSWORD", "an-import-admin-password-1")
    path = tmp_path / "empty" / "site.db"
    path.parent.mkdir()
    code, _, err = run_cli("--db", path, "init")
    assert code == 0, err
    return path


def test_the_content_only_snapshot_has_no_row_about_any_person(demo_db_path, snapshot, client):
    client.post("/api/webinars/energy-monitoring-101/registrations", json={
        "first_name": "Ada", "last_name": "L", "email": "ada@example.com", "marketing_consent": "1"})  # fmt: skip
    conn = database.connect(snapshot)
    tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'pages_fts%'")]  # fmt: skip
    for table in tables:
        count = conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
        assert (count > 0) == (table in CONTENT_TABLES and table != "page_redirects"), table
    assert not conn.execute("SELECT 1 FROM pages WHERE author_id IS NOT NULL").fetchone()
    settings = dict(conn.execute("SELECT key, value FROM system_settings"))
    assert "email_from_address" not in settings and "lead_notification_recipients" not in settings
    assert oct(os.stat(snapshot).st_mode & 0o777) == "0o600"
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_export_then_import_into_an_empty_database_builds_the_same_site(
    snapshot, empty_db, tmp_path, run_cli, build
):
    exported = tmp_path / "exported"
    assert run_cli("--db", snapshot, "content", "export", exported)[0] == 0
    assert (exported / "content" / "de" / "pages" / "services.md").read_text().startswith("---\n")
    again = tmp_path / "again"
    run_cli("--db", snapshot, "content", "export", again)
    assert tree(again) == tree(exported)  # deterministic: diffs only where content changed

    code, out, err = run_cli("--db", empty_db, "content", "import", exported, "--dry-run")
    assert code == 0 and "pages:" in out and "to create" in out, err
    assert database.connect(empty_db).execute("SELECT count(*) FROM pages").fetchone()[0] == 0
    code, out, err = run_cli("--db", empty_db, "content", "import", exported)
    assert code == 0, err
    build(snapshot, "original")
    build(empty_db, "imported")
    assert tree(tmp_path / "imported") == tree(tmp_path / "original")

    code, out, _ = run_cli("--db", empty_db, "content", "import", exported)  # idempotent
    assert code == 0 and " 0 to create, 0 to update" in out and "to update" in out
    assert all(" 0 to create, 0 to update" in line for line in out.splitlines()[1:]), out


def test_a_broken_file_names_its_line_and_nothing_is_imported(
    snapshot, empty_db, tmp_path, run_cli
):
    exported = tmp_path / "exported"
    run_cli("--db", snapshot, "content", "export", exported)
    broken = exported / "content" / "en" / "pages" / "services.md"
    lines = broken.read_text().splitlines()
    lines[3] = "title: [unclosed"
    broken.write_text("\n".join(lines) + "\n")
    code, out, err = run_cli("--db", empty_db, "content", "import", exported)
    assert code != 0 and f"{broken}:4" in err and "nothing was imported" in err
    conn = database.connect(empty_db)
    assert conn.execute("SELECT count(*) FROM pages").fetchone()[0] == 0
    assert conn.execute("SELECT count(*) FROM media_files").fetchone()[0] == 0


def test_a_hugo_content_folder_imports_and_builds(empty_db, tmp_path, run_cli, build):
    hugo = tmp_path / "hugo-site"
    (hugo / "content" / "posts").mkdir(parents=True)
    (hugo / "content" / "_index.md").write_text("---\ntitle: Home\n---\nWelcome.\n")
    (hugo / "content" / "about.md").write_text(
        '---\ntitle: "About us"\ndescription: Who we are\ndate: 2024-05-01T10:00:00Z\ndraft: false\n---\n# About us\n\nWe measure energy.\n'
    )
    (hugo / "content" / "about.de.md").write_text(
        "---\ntitle: Über uns\ndate: 2024-05-01\n---\n# Über uns\n\nWir messen Energie.\n"
    )
    (hugo / "content" / "posts" / "first-post.md").write_text(
        "---\ntitle: First post\nslug: hello\ndraft: true\n---\nSoon.\n"
    )
    code, out, err = run_cli("--db", empty_db, "content", "import", hugo)
    assert code == 0 and "pages: 2 to create" in out, (out, err)
    build(empty_db)
    assert "We measure energy." in (tmp_path / "output" / "en" / "about" / "index.html").read_text()
    assert (
        "Wir messen Energie." in (tmp_path / "output" / "de" / "about" / "index.html").read_text()
    )
    assert not (tmp_path / "output" / "en" / "hello").exists()  # a draft stays a draft
    status = (
        database.connect(empty_db)
        .execute("SELECT status FROM pages WHERE slug = 'hello'")
        .fetchone()[0]
    )
    assert status == "draft"
