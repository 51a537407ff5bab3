"""The schema against the spec: every difference is a documented deviation."""

import re
import sqlite3

import pytest

import database
from database.migrations import MIGRATIONS, migration_sql

from .conftest import REPO, SPEC
from .schema_shape import describe, differences
from .spec_sql import spec_schema_sql

DEVIATIONS_DOC = REPO / "docs" / "schema.md"


def spec_database(path) -> sqlite3.Connection:
    conn = sqlite3.connect(path, isolation_level=None)
    conn.executescript(spec_schema_sql(SPEC))
    return conn


def documented_objects() -> set[str]:
    return set(re.findall(r"`([a-z_]+(?:\.[a-z_]+)?)`", DEVIATIONS_DOC.read_text(encoding="utf-8")))


def test_first_migration_is_the_spec_sql_verbatim():
    assert migration_sql(MIGRATIONS[0]) == spec_schema_sql(SPEC)


def test_spec_defines_sixteen_tables(tmp_path):
    spec = describe(spec_database(tmp_path / "spec.db"))
    assert len([key for key in spec if key.startswith("table ") and "fts" not in key]) == 16


def test_every_difference_from_the_spec_is_documented(tmp_path, db):
    spec = describe(spec_database(tmp_path / "spec.db"))
    changed = differences(spec, describe(db))
    assert changed, "the fixes migration must differ from the spec"
    documented = documented_objects()
    undocumented = {
        key: change for key, change in changed.items() if key.split(" ", 1)[1] not in documented
    }
    assert undocumented == {}


def test_known_defects_are_fixed(tmp_path, db):
    changed = differences(describe(spec_database(tmp_path / "spec.db")), describe(db))
    assert changed["index idx_system_settings_key"] == "removed"
    assert changed["table audit_log"] == "added"
    assert "unique" not in describe(db)["column pages.slug"]
    assert changed["trigger pages_updated_at"] == "added"


def test_all_spec_tables_indexes_and_settings_exist(tmp_path, db):
    spec, ours = describe(spec_database(tmp_path / "spec.db")), describe(db)
    removed = {key for key in spec if key not in ours}
    # Only the redundant duplicates of UNIQUE constraints' own indexes are gone (deviation D4).
    assert removed == {
        "index idx_system_settings_key", "index idx_admin_users_email",
        "index idx_user_sessions_token", "index idx_webinars_slug", "index idx_whitepapers_slug",
    }  # fmt: skip
    assert {key for key in spec if key.startswith("setting ")} <= set(ours)


def test_connections_apply_the_spec_pragmas(db):
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert db.execute("PRAGMA synchronous").fetchone()[0] == 1  # NORMAL
    assert db.execute("PRAGMA cache_size").fetchone()[0] == 10000
    assert db.execute("PRAGMA temp_store").fetchone()[0] == 2  # MEMORY
    assert db.execute("PRAGMA busy_timeout").fetchone()[0] >= 1000


def test_updated_at_changes_on_update(db):
    db.execute(
        "INSERT INTO system_settings (key, value, updated_at) VALUES ('x', '1', '2000-01-01 00:00:00')"
    )
    db.execute("UPDATE system_settings SET value = '2' WHERE key = 'x'")
    updated = db.execute("SELECT updated_at FROM system_settings WHERE key = 'x'").fetchone()[0]
    assert updated > "2020"


def test_soft_deleted_page_frees_its_slug(db):
    insert = "INSERT INTO pages (slug, title, content) VALUES ('offer', '{}', '{}')"
    db.execute(insert)
    with pytest.raises(sqlite3.IntegrityError):
        db.execute(insert)
    db.execute("UPDATE pages SET deleted_at = CURRENT_TIMESTAMP WHERE slug = 'offer'")
    db.execute(insert)
    assert db.execute("SELECT count(*) FROM pages WHERE slug = 'offer'").fetchone()[0] == 2


def test_full_text_index_holds_each_language_separately(db):
    db.execute(
        "INSERT INTO pages (slug, title, content) VALUES "
        """('p', '{"en": "Energy", "de": "Energie"}', '{"en": "Meters", "de": "Zähler"}')"""
    )
    rows = db.execute(
        "SELECT lang FROM pages_fts WHERE pages_fts MATCH 'zahler' ORDER BY lang"
    ).fetchall()
    assert [row[0] for row in rows] == ["de"]
    db.execute("""UPDATE pages SET content = '{"en": "Sensors"}' WHERE slug = 'p'""")
    assert (
        db.execute("SELECT count(*) FROM pages_fts WHERE pages_fts MATCH 'zahler'").fetchone()[0]
        == 0
    )
    db.execute("DELETE FROM pages")
    assert db.execute("SELECT count(*) FROM pages_fts").fetchone()[0] == 0


def test_broken_json_in_a_page_does_not_block_the_editor(db):
    db.execute("INSERT INTO pages (slug, title, content) VALUES ('b', 'not json', '{oops')")
    assert db.execute("SELECT count(*) FROM pages WHERE slug = 'b'").fetchone()[0] == 1


def test_migrate_is_idempotent(db):
    assert database.migrate(db) == []
    assert database.schema_version(db) == database.SCHEMA_VERSION


def test_migrate_adopts_a_database_made_from_the_spec(tmp_path):
    path = tmp_path / "hand-made.db"
    conn = spec_database(path)
    conn.execute(
        "INSERT INTO pages (slug, title, content, status) "
        """VALUES ('home', '{"en": "Home"}', '{"en": "Hello"}', 'published')"""
    )
    conn.close()
    conn = database.connect(path)
    assert database.migrate(conn) == list(range(2, database.SCHEMA_VERSION + 1))
    assert conn.execute("SELECT slug FROM pages").fetchone()[0] == "home"
    assert (
        conn.execute("SELECT lang FROM pages_fts WHERE pages_fts MATCH 'hello'").fetchone()[0]
        == "en"
    )
    assert database.migrate(conn) == []


def test_migrate_refuses_a_foreign_database(tmp_path):
    conn = database.connect(tmp_path / "other.db")
    conn.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY)")
    with pytest.raises(database.OperationError, match="not a database made from the v2 spec"):
        database.migrate(conn)


def test_failed_migration_rolls_back(tmp_path):
    path = tmp_path / "dupes.db"
    conn = spec_database(path)
    conn.execute(
        "INSERT INTO webinars (id, title, slug, scheduled_at) VALUES (1, '{}', 'w', '2030-01-01')"
    )
    for _ in range(2):  # the same person twice: the new unique index cannot be built
        conn.execute(
            "INSERT INTO webinar_registrations (webinar_id, first_name, last_name, email) "
            "VALUES (1, 'A', 'B', 'a@example.com')"
        )
    conn.close()
    conn = database.connect(path)
    with pytest.raises(database.OperationError, match="migration 2 failed and was rolled back"):
        database.migrate(conn)
    assert database.schema_version(conn) == 0
    assert "audit_log" not in {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
    assert conn.execute("SELECT count(*) FROM webinar_registrations").fetchone()[0] == 2
