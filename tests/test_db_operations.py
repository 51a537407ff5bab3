"""Backup, restore, check, maintain and export on real database files."""

import gzip
import json
import re
import sqlite3
import stat
import subprocess
import sys
import textwrap
import time
from datetime import timedelta

import pytest

import database
from database.backup import backup_database, restore_database, rotate_backups
from database.catalog import data_tables
from database.check import check_database
from database.maintain import maintain
from database.timestamps import to_sqlite, utc_now

WRITER = textwrap.dedent(
    """
    import sys, database
    conn = database.connect(sys.argv[1])
    conn.execute("PRAGMA wal_autocheckpoint = 0")   # keep every commit in the -wal file
    for n in range(int(sys.argv[2])):
        with database.transaction(conn):
            conn.execute(
                "INSERT INTO analytics_events (event_type, page_path) VALUES ('page_view', ?)",
                (f"/en/{n}/",),
            )
    if sys.argv[3] == "crash":
        import os; os._exit(0)                       # no close: leaves a hot -wal behind
    """
)


def run_writer(db_path, rows: int, mode: str = "close", wait: bool = True):
    args = [sys.executable, "-c", WRITER, str(db_path), str(rows), mode]
    if wait:
        subprocess.run(args, check=True)
        return None
    return subprocess.Popen(args)


def event_ids(path) -> list[int]:
    conn = sqlite3.connect(path)
    try:
        return [row[0] for row in conn.execute("SELECT id FROM analytics_events ORDER BY id")]
    finally:
        conn.close()


def test_backup_during_writes_is_consistent_and_complete(db, db_path, tmp_path):
    writer = run_writer(db_path, 3000, wait=False)
    try:
        while not db.execute("SELECT count(*) FROM analytics_events").fetchone()[0]:
            time.sleep(0.01)
        committed_before = db.execute("SELECT max(id) FROM analytics_events").fetchone()[0]
        backup_database(db_path, tmp_path / "during.db")
    finally:
        writer.wait()
    restored = tmp_path / "restored.db"
    restore_database(tmp_path / "during.db", restored, utc_now())
    conn = database.connect(restored)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    ids = event_ids(restored)
    assert len(ids) >= committed_before
    assert ids == list(range(1, len(ids) + 1)), "a backup holds whole transactions only"


def test_restore_over_a_hot_wal_gives_exactly_the_backup(db, db_path, tmp_path):
    run_writer(db_path, 10)
    backup_database(db_path, tmp_path / "ten.db")
    db.close()
    run_writer(db_path, 25, mode="crash")
    wal = db_path.with_name(db_path.name + "-wal")
    assert wal.exists() and wal.stat().st_size > 0, "the crashed writer must leave a hot -wal"
    kept = restore_database(tmp_path / "ten.db", db_path, utc_now())
    assert event_ids(db_path) == list(range(1, 11))
    assert not wal.exists() or wal.stat().st_size == 0
    assert not db_path.with_name(db_path.name + "-shm").exists()
    assert len(event_ids(kept)) == 35, "the replaced database, crash state included, is kept"


@pytest.mark.parametrize(
    "make_bad, message",
    [
        (lambda good, bad: bad.write_bytes(good.read_bytes()[: len(good.read_bytes()) // 2]),
         "damaged|integrity"),
        (lambda good, bad: bad.write_text("id,name\n1,not a database\n"), "not an SQLite database"),
        (lambda good, bad: sqlite3.connect(bad).execute("CREATE TABLE t (x)").connection.commit(),
         "not a Magnetiq one"),
    ],
    ids=["truncated", "not-sqlite", "foreign-sqlite"],
)  # fmt: skip
def test_restore_refuses_bad_files_and_leaves_the_live_database(
    run_cli, demo_db_path, tmp_path, make_bad, message
):
    good = tmp_path / "good.db"
    backup_database(demo_db_path, good)
    bad = tmp_path / "bad.db"
    make_bad(good, bad)
    before = demo_db_path.read_bytes()
    code, _, err = run_cli("--db", demo_db_path, "db", "restore", bad)
    assert code == 1 and len(err.strip().splitlines()) == 1
    assert re.search(message, err), err
    assert demo_db_path.read_bytes() == before
    assert list(tmp_path.glob("demo.db.before-restore-*")) == []


def test_backup_cli_gzip_dump_and_rotation(run_cli, demo_db_path, tmp_path):
    backups = tmp_path / "backups"
    for stamp in ("20260101_000000", "20260102_000000", "20260103_000000"):
        (backups / f"magnetiq_backup_{stamp}.db").parent.mkdir(exist_ok=True)
        (backups / f"magnetiq_backup_{stamp}.db").write_bytes(b"old")
    code, out, _ = run_cli("--db", demo_db_path, "db", "backup", "--gzip-dump", "--keep", "2")
    assert code == 0
    remaining = sorted(p.name for p in backups.glob("*.db"))
    assert len(remaining) == 2 and remaining[0] == "magnetiq_backup_20260103_000000.db"
    dump = next(backups.glob("*.sql.gz"))
    restored = sqlite3.connect(":memory:")
    restored.executescript(gzip.decompress(dump.read_bytes()).decode())
    assert restored.execute("SELECT count(*) FROM pages").fetchone()[0] == 8
    match = "SELECT count(*) FROM pages_fts WHERE pages_fts MATCH 'Impressum'"
    assert restored.execute(match).fetchone()[0] == 1
    assert restored.execute("PRAGMA user_version").fetchone()[0] == database.SCHEMA_VERSION
    assert rotate_backups(backups, 5) == []


def test_check_passes_on_a_healthy_database_and_warns_on_old_sqlite(db):
    report = check_database(db, sqlite_version="3.40.1")
    assert report.problems == []
    assert "3.51.3" in report.warnings[0]
    assert check_database(db, sqlite_version="3.51.3").warnings == []


def test_check_finds_foreign_key_and_full_text_problems(run_cli, demo_db_path):
    conn = database.connect(demo_db_path)
    conn.execute("PRAGMA foreign_keys = OFF")
    conn.execute(
        "INSERT INTO webinar_registrations (webinar_id, first_name, last_name, email) "
        "VALUES (999, 'A', 'B', 'orphan@example.com')"
    )
    conn.execute("DELETE FROM pages_fts WHERE page_id = 1")
    conn.close()
    code, out, _ = run_cli("--db", demo_db_path, "db", "check")
    assert code == 1
    assert "webinar_registrations row" in out and "full-text index" in out
    assert run_cli("--db", demo_db_path, "db", "maintain", "--reindex")[0] == 0
    conn = database.connect(demo_db_path)
    assert not any("full-text" in p for p in check_database(conn).problems)


def test_maintain_purges_only_unreferenced_soft_deleted_rows(demo_site):
    demo_db_path = demo_site
    conn = database.connect(demo_db_path)
    old = to_sqlite(utc_now() - timedelta(days=40))
    recent = to_sqlite(utc_now() - timedelta(days=2))
    conn.execute("UPDATE pages SET deleted_at = ? WHERE slug = 'pricing'", (old,))
    conn.execute("UPDATE pages SET deleted_at = ? WHERE slug = 'contact'", (recent,))
    conn.execute("UPDATE admin_users SET deleted_at = ?", (old,))  # still the author of pages
    conn.execute("UPDATE webinars SET deleted_at = ? WHERE slug = 'iso-50001-in-practice'", (old,))
    conn.execute(
        "INSERT INTO user_sessions (user_id, session_token, expires_at) VALUES (1, 'h', ?)", (old,)
    )
    report = maintain(conn, utc_now())
    assert report.purged == {"pages": 1}
    assert report.expired_sessions == 1
    assert report.kept_referenced == {"admin_users": 1, "webinars": 1}
    slugs = {row[0] for row in conn.execute("SELECT slug FROM pages")}
    assert "pricing" not in slugs and "contact" in slugs
    assert conn.execute("SELECT count(*) FROM webinar_registrations").fetchone()[0] == 3


def test_export_writes_every_table_with_decoded_values(run_cli, demo_site, tmp_path):
    demo_db_path = demo_site
    out_dir = tmp_path / "export"
    code, _, _ = run_cli("--db", demo_db_path, "db", "export", out_dir, "--include-deleted")
    assert code == 0
    conn = database.connect(demo_db_path)
    manifest = json.loads((out_dir / "manifest.json").read_text())
    tables = data_tables(conn)
    assert sorted(manifest["tables"]) == sorted(tables) and len(tables) == 27
    for written in [out_dir, *out_dir.iterdir()]:  # leads and password hashes: owner only
        assert stat.S_IMODE(written.stat().st_mode) in (0o600, 0o700), written
    for table in tables:
        rows = json.loads((out_dir / f"{table}.json").read_text())
        assert len(rows) == conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0], table
    pages = json.loads((out_dir / "pages.json").read_text())
    home = next(p for p in pages if p["slug"] == "home")
    assert home["title"]["de"].startswith("Energiedaten")
    assert home["created_at"].endswith("Z") and "T" in home["created_at"]
    assert home["is_featured"] is False
    settings = {
        s["key"]: s["value"] for s in json.loads((out_dir / "system_settings.json").read_text())
    }
    assert settings["supported_languages"] == ["en", "de"] and settings["maintenance_mode"] is False


def test_export_leaves_out_soft_deleted_rows_by_default(run_cli, demo_site, tmp_path):
    demo_db_path = demo_site
    database.connect(demo_db_path).execute(
        "UPDATE pages SET deleted_at = CURRENT_TIMESTAMP WHERE slug = 'pricing'"
    )
    run_cli("--db", demo_db_path, "db", "export", tmp_path / "e")
    slugs = {p["slug"] for p in json.loads((tmp_path / "e" / "pages.json").read_text())}
    assert "pricing" not in slugs and "home" in slugs


def test_migrate_cli_is_idempotent(run_cli, demo_site):
    demo_db_path = demo_site
    code, out, _ = run_cli("--db", demo_db_path, "db", "migrate")
    assert code == 0 and "nothing to do" in out
