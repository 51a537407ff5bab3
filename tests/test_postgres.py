"""PostgreSQL as the site's database: one schema on both backends, `db copy` both ways, the
build byte-identical from either, and several capture services sharing one server."""

import http.client
import json
import re
import stat
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlsplit

import pytest

import database
from database.builds import build_lock
from database.catalog import POSTGRES_KINDS, SQLITE_KINDS, data_tables, foreign_keys
from database.export import JSON_COLUMNS
from database.migrations import POSTGRES_MIGRATIONS
from database.timestamps import from_sqlite

from .conftest import count_rows, tree
from .postgres_server import ThrowawayCluster
from .servers import gunicorn, request

PERSON = {"first_name": "Grace", "last_name": "Hopper", "company": "Navy"}
# The one JSON column kept as text on PostgreSQL: a webhook's body is signed byte for byte.
SIGNED_TEXT = {("webhook_deliveries", "body")}
# SQLite's FTS5 table for the editors' search is a pair of GIN indexes on PostgreSQL.
POSTGRES_SEARCH_INDEXES = {"idx_pages_search_en", "idx_pages_search_de"}


def sqlite_shape(conn) -> dict:
    shape = {}
    for table in data_tables(conn):
        columns = {
            row["name"]: (
                SQLITE_KINDS[row["type"]],
                bool(row["notnull"] or row["pk"]),
                row["dflt_value"] is not None,
            )
            for row in conn.execute(f"PRAGMA table_info({table})")
        }
        primary = tuple(
            row["name"]
            for row in sorted(conn.execute(f"PRAGMA table_info({table})"), key=lambda r: r["pk"])
            if row["pk"]
        )
        unique, indexes = set(), set()
        for index in conn.execute(f"PRAGMA index_list({table})"):
            names = tuple(r["name"] for r in conn.execute(f"PRAGMA index_info({index['name']})"))
            if index["unique"] and index["origin"] != "pk":
                unique.add((names, bool(index["partial"])))
            if index["origin"] == "c":
                indexes.add(index["name"])
        sql = conn.execute("SELECT sql FROM sqlite_master WHERE name = ?", (table,)).fetchone()[0]
        checks = len(re.findall(r"\bCHECK\s*\(", sql))
        shape[table] = dict(columns=columns, primary=primary, unique=unique, indexes=indexes,
                            checks=checks)  # fmt: skip
    return shape


def postgres_shape(conn) -> dict:
    shape = {}
    for table in data_tables(conn):
        rows = conn.execute(
            "SELECT column_name, data_type, is_nullable, column_default FROM information_schema.columns "
            "WHERE table_schema = current_schema() AND table_name = ? ORDER BY ordinal_position",
            (table,),
        )
        columns = {
            name: (
                POSTGRES_KINDS[kind].replace("json", "text"),
                nullable == "NO",
                default is not None,
            )
            for name, kind, nullable, default in rows
        }
        indexes = conn.execute(
            "SELECT i.indexrelid::regclass::text, i.indisunique, i.indisprimary, "
            "i.indpred IS NOT NULL, array_agg(a.attname ORDER BY k.n), "
            "EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid) "
            "FROM pg_index i CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, n) "
            "LEFT JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum "
            "WHERE i.indrelid = ?::regclass GROUP BY i.indexrelid, i.indisunique, i.indisprimary, i.indpred",
            (table,),
        ).fetchall()
        primary = next(tuple(names) for _, _, is_primary, _, names, _ in indexes if is_primary)
        unique = {(tuple(names), partial) for _, is_unique, is_primary, partial, names, _ in indexes
                  if is_unique and not is_primary}  # fmt: skip
        named = {name for name, _, _, _, _, constraint in indexes if not constraint}
        checks = conn.execute(
            "SELECT count(*) FROM pg_constraint WHERE conrelid = ?::regclass AND contype = 'c'",
            (table,),
        ).fetchone()[0]
        shape[table] = dict(columns=columns, primary=primary, unique=unique,
                            indexes=named - POSTGRES_SEARCH_INDEXES, checks=checks)  # fmt: skip
    return shape


def test_both_migration_histories_end_at_one_schema(db, postgres_url):
    """Table for table, column for column: type, NOT NULL, default, keys, uniques, indexes,
    CHECKs and foreign keys (with their ON DELETE) agree; JSON is jsonb, times timestamptz."""
    server = database.connect(postgres_url)
    assert database.migrate(server) == [number for number, _ in POSTGRES_MIGRATIONS]
    assert database.migrate(server) == []  # a second run finds nothing to do
    assert database.schema_version(server) == database.schema_version(db)
    assert postgres_shape(server) == sqlite_shape(db)
    assert sorted(foreign_keys(server), key=repr) == sorted(foreign_keys(db), key=repr)
    jsonb = {
        (table, column)
        for table, column in server.execute(
            "SELECT table_name, column_name FROM information_schema.columns "
            "WHERE table_schema = current_schema() AND data_type = 'jsonb'"
        )
    }
    declared = {(table, column) for table, columns in JSON_COLUMNS.items() for column in columns}
    assert jsonb == declared - SIGNED_TEXT
    times = server.execute(
        "SELECT count(*) FROM information_schema.columns WHERE table_schema = current_schema() "
        "AND data_type LIKE 'timestamp%' AND data_type <> 'timestamp with time zone'"
    ).fetchone()[0]
    assert times == 0
    assert database.migrate(server) == []
    server.close()


def test_copy_to_postgres_and_back_keeps_every_row_and_builds_the_same_site(
    demo_db_path, postgres_url, run_cli, build, tmp_path
):
    source_bytes = demo_db_path.read_bytes()
    code, out, err = run_cli("db", "copy", demo_db_path, postgres_url)
    assert code == 0, err
    assert "counts and checksums match" in out
    assert demo_db_path.read_bytes() == source_bytes  # the source is only read

    back = tmp_path / "back.db"
    code, _, err = run_cli("db", "copy", postgres_url, back)
    assert code == 0, err
    original, returned = database.connect(demo_db_path), database.connect(back)
    for table in data_tables(original):
        ordered = f"SELECT * FROM {table} ORDER BY 1, 2"
        json_columns = JSON_COLUMNS.get(table, set())
        assert [normalised(row, json_columns) for row in original.execute(ordered)] == [
            normalised(row, json_columns) for row in returned.execute(ordered)
        ], table

    now = from_sqlite("2026-12-01 10:00:00")
    build(demo_db_path, "from-sqlite", now=now)
    build(postgres_url, "from-postgres", now=now)
    assert tree(tmp_path / "from-postgres") == tree(tmp_path / "from-sqlite")

    # the new rows on PostgreSQL continue after the copied ids
    server = database.connect(postgres_url)
    highest = server.execute("SELECT max(id) FROM pages").fetchone()[0]
    new_id = server.execute(
        "INSERT INTO pages (slug, title, content) VALUES ('new', '{}', '{}') RETURNING id"
    ).fetchone()[0]
    assert new_id == highest + 1


def normalised(row, json_columns: set[str]) -> dict:
    """JSON compared by value: jsonb keeps no key order or spacing."""
    return {key: json.loads(row[key]) if key in json_columns and row[key] else row[key]
            for key in row.keys()}  # fmt: skip


def test_copy_refuses_a_target_with_data_unless_told(demo_db_path, postgres_url, run_cli):
    assert run_cli("db", "copy", demo_db_path, postgres_url)[0] == 0
    server = database.connect(postgres_url)
    server.execute("INSERT INTO mail_suppressions (email, reason, created_at) VALUES "
                   "('kept@example.com', 'bounce', '2026-12-01 10:00:00')")  # fmt: skip
    code, _, err = run_cli("db", "copy", demo_db_path, postgres_url)
    assert code == 1 and "not empty" in err and "--replace" in err
    assert count_rows(postgres_url, "mail_suppressions") == 1  # nothing touched
    code, _, err = run_cli("db", "copy", demo_db_path, postgres_url, "--replace")
    assert code == 0, err
    assert count_rows(postgres_url, "mail_suppressions") == 0
    assert count_rows(postgres_url, "pages") == count_rows(demo_db_path, "pages")


def test_a_failed_copy_leaves_the_target_as_it_was(demo_db_path, postgres_url, run_cli):
    """A value PostgreSQL refuses (text that is not JSON in a JSON column): one clear error,
    naming the table, and not one row written."""
    conn = database.connect(demo_db_path)
    conn.execute("UPDATE webinars SET presenter_bio = 'not json' WHERE id = 2")
    conn.close()
    code, _, err = run_cli("db", "copy", demo_db_path, postgres_url)
    assert code == 1 and "copying webinars failed" in err and "nothing was written" in err
    assert count_rows(postgres_url, "pages") == 0


def test_one_build_at_a_time_across_machines(postgres_url):
    """The build lock is a PostgreSQL advisory lock: whoever holds it, anywhere, others wait."""
    database.migrate(database.connect(postgres_url))
    with build_lock(postgres_url, wait=False) as held:
        assert held
        with build_lock(postgres_url, wait=False) as second:
            assert not second
    with build_lock(postgres_url, wait=False) as again:
        assert again  # released with its connection


def test_the_service_refuses_an_outdated_server_schema(postgres_url, tmp_path):
    from capture import Config, ConfigError, create_app

    with pytest.raises(ConfigError, match="schema version 0"):
        create_app(Config(database=postgres_url, media=tmp_path, secret_key="k" * 32))


# --- several capture services, one PostgreSQL ----------------------------------------------


@pytest.fixture
def server_demo(demo_db_path, postgres_url, run_cli) -> str:
    assert run_cli("db", "copy", demo_db_path, postgres_url)[0] == 0
    return postgres_url


def test_two_capture_services_never_exceed_capacity_together(server_demo, tmp_path):
    """Two gunicorn masters, as on two machines, take 100 registrations for 20 seats at once."""
    database.connect(server_demo).execute(
        "UPDATE webinars SET max_participants = 20 WHERE slug = 'energy-monitoring-101'"
    )
    media = tmp_path / "media"
    with (
        gunicorn(server_demo, media, workers=2) as first,
        gunicorn(server_demo, media, workers=2) as second,
    ):

        def register(n: int) -> int:
            server = (first, second)[n % 2]
            url = f"{server.url}/api/webinars/energy-monitoring-101/registrations"
            return request(url, {**PERSON, "email": f"grace{n}@example.com"})[0]

        with ThreadPoolExecutor(max_workers=32) as pool:
            statuses = list(pool.map(register, range(100)))
    assert statuses.count(201) == 20 and statuses.count(409) == 80, sorted(set(statuses))
    stored = (
        database.connect(server_demo)
        .execute(
            "SELECT count(*) FROM webinar_registrations r JOIN webinars w ON w.id = r.webinar_id "
            "WHERE w.slug = 'energy-monitoring-101'"
        )
        .fetchone()[0]
    )
    assert stored == 20


def test_the_rate_limit_holds_across_capture_services(server_demo, tmp_path):
    media = tmp_path / "media"
    limit = {"MAGNETIQ_RATE_LIMIT": "6/minute"}
    with (
        gunicorn(server_demo, media, **limit) as first,
        gunicorn(server_demo, media, **limit) as second,
    ):
        statuses = [
            request(f"{(first, second)[n % 2].url}/api/webinars/energy-monitoring-101/registrations",
                    {**PERSON, "email": f"g{n}@example.com"})[0]
            for n in range(10)
        ]  # fmt: skip
    assert statuses == [201] * 6 + [429] * 4
    counters = database.connect(server_demo).execute("SELECT key FROM counters").fetchall()
    assert counters and not any("127.0.0.1" in row[0] for row in counters)


def test_killing_one_capture_service_loses_no_acknowledged_lead(server_demo, tmp_path):
    """Clients post to both services; one is killed with SIGKILL mid-stream; every booking
    either service acknowledged is stored, and the other service never stopped answering."""
    acknowledged, lock, stop = [], threading.Lock(), threading.Event()
    booking = {**PERSON, "email": "grace@example.com", "booking_type": "consultation",
               "preferred_date": "2031-01-10T10:00", "timezone": "Europe/Berlin"}  # fmt: skip
    media = tmp_path / "media"
    with gunicorn(server_demo, media) as doomed, gunicorn(server_demo, media) as survivor:

        def client(number: int) -> None:
            server, n = (doomed, survivor)[number % 2], 0
            while not stop.is_set():
                subject = f"c{number}-{n}"
                n += 1
                try:
                    status, _, _ = request(f"{server.url}/api/bookings",
                                           {**booking, "subject": subject}, timeout=5)  # fmt: skip
                except (OSError, http.client.HTTPException):
                    continue  # cut by the kill: not acknowledged
                if status == 201:
                    with lock:
                        acknowledged.append(subject)

        threads = [threading.Thread(target=client, args=(i,)) for i in range(8)]
        for thread in threads:
            thread.start()
        deadline = time.monotonic() + 60
        while len(acknowledged) < 60 and time.monotonic() < deadline:
            time.sleep(0.01)
        doomed.kill()
        after_kill = len(acknowledged)
        time.sleep(1)
        stop.set()
        for thread in threads:
            thread.join()
        assert len(acknowledged) > after_kill  # the survivor kept taking leads
    stored = {
        row[0] for row in database.connect(server_demo).execute("SELECT subject FROM bookings")
    }
    assert set(acknowledged) <= stored and len(acknowledged) >= 60


def test_init_creates_a_site_on_an_empty_server(postgres_url, run_cli, tmp_path):
    code, out, err = run_cli("--db", postgres_url, "init", "--demo")
    assert code == 0, err
    assert count_rows(postgres_url, "pages") > 0
    assert (tmp_path / "media").is_dir()
    code, _, err = run_cli("--db", postgres_url, "init")
    assert code == 1 and "already" in err


# --- the operator's tasks, done by PostgreSQL's tools --------------------------------------


def test_backup_and_restore_into_a_new_database(server_demo, run_cli, tmp_path, monkeypatch):
    """pg_dump while the site runs; pg_restore into a new database beside the live one, which
    is never written; the operator switches MAGNETIQ_DB to the restored one."""
    backup = tmp_path / "site.dump"
    code, out, err = run_cli("--db", server_demo, "db", "backup", backup)
    assert code == 0, err
    assert stat.S_IMODE(backup.stat().st_mode) == 0o600
    database.connect(server_demo).execute("DELETE FROM webinar_registrations")  # after the backup

    code, out, err = run_cli("--db", server_demo, "db", "restore", backup)
    assert code == 0, err
    restored = re.search(r"new database: (.+)", out).group(1).strip()
    assert "password" not in restored
    assert count_rows(server_demo, "webinar_registrations") == 0  # the live one is untouched
    assert count_rows(restored, "webinar_registrations") == 3
    code, out, _ = run_cli("--db", restored, "db", "check")
    assert code == 0 and "PostgreSQL server" in out and "check passed" in out


def test_restore_refuses_a_file_that_is_no_backup(server_demo, run_cli, tmp_path):
    junk = tmp_path / "junk.dump"
    junk.write_text("not a dump")
    code, _, err = run_cli("--db", server_demo, "db", "restore", junk)
    assert code == 1 and "pg_restore failed" in err
    prefix = urlsplit(server_demo).path.strip("/") + "_restored"
    databases = (
        database.connect(server_demo)
        .execute("SELECT count(*) FROM pg_database WHERE starts_with(datname, ?)", (prefix,))
        .fetchone()[0]
    )
    assert databases == 0  # the half-made database was dropped


def test_content_snapshot_of_a_server_site_is_an_sqlite_file_without_people(
    server_demo, run_cli, tmp_path, build
):
    snapshot = tmp_path / "content.db"
    code, _, err = run_cli("--db", server_demo, "db", "snapshot", snapshot, "--content-only")
    assert code == 0, err
    assert stat.S_IMODE(snapshot.stat().st_mode) == 0o600
    assert count_rows(snapshot, "webinar_registrations") == 0
    assert count_rows(snapshot, "admin_users") == 0
    assert count_rows(snapshot, "pages") == count_rows(server_demo, "pages")


# --- queues ----------------------------------------------------------------------------------


def test_mail_workers_on_several_machines_each_take_other_messages(server_demo):
    """Four workers claim at once: every due message is taken exactly once; a row another
    worker holds is skipped at once (SKIP LOCKED), never waited for and taken twice."""
    from database import outbox
    from mailer.retry import claim_due

    now = from_sqlite("2026-12-01 10:00:00")
    conn = database.connect(server_demo)
    for n in range(200):
        outbox.queue(conn, "registration_confirmation", f"p{n}@example.com", "en", now)
    due = [row[0] for row in conn.execute("SELECT id FROM mail_outbox ORDER BY id")]

    holder = database.connect(server_demo)
    holder.execute("BEGIN")
    holder.execute("SELECT id FROM mail_outbox WHERE id = ? FOR UPDATE", (due[0],))
    started = time.monotonic()
    token = claim_due(database.connect(server_demo), "mail_outbox", now, batch=5)
    assert time.monotonic() - started < 2  # did not wait for the held row
    taken = sorted(
        r[0] for r in conn.execute("SELECT id FROM mail_outbox WHERE claim = ?", (token,))
    )
    assert taken == due[1:6]
    holder.execute("ROLLBACK")

    def worker(_: int) -> list[int]:
        own = database.connect(server_demo)
        claimed = []
        while True:
            token = claim_due(own, "mail_outbox", now, batch=7)
            rows = [
                r[0] for r in own.execute("SELECT id FROM mail_outbox WHERE claim = ?", (token,))
            ]
            if not rows:
                return claimed
            claimed += rows

    with ThreadPoolExecutor(max_workers=4) as pool:
        claims = list(pool.map(worker, range(4)))
    everything = [row_id for claim in claims for row_id in claim]
    assert sorted(everything) == sorted(set(due) - set(taken))  # each once, none lost


@pytest.fixture(scope="module")
def primary_and_replica():
    """A cluster and a hot standby streaming from it, for this module's replica tests alone."""
    primary = ThrowawayCluster().start()
    replica = ThrowawayCluster().start(replica_of=primary)
    yield primary, replica
    replica.stop()
    primary.stop()


def site_with_replica(primary_and_replica, demo_db_path, run_cli) -> tuple[str, str]:
    primary, replica = primary_and_replica
    url = primary.new_database()
    code, _, err = run_cli("db", "copy", demo_db_path, url)
    assert code == 0, err
    return url, replica.url(url.split("/")[3].split("?")[0])


def edit_about_page(url: str, heading: str) -> None:
    conn = database.connect(url)
    conn.execute(
        "UPDATE pages SET content = ? WHERE slug = 'about'",
        (json.dumps({"en": f"# {heading}", "de": f"# {heading}"}),),
    )
    conn.close()


def shows(output, text: str) -> bool:
    return any(text.encode() in data for data in tree(output).values())


def test_the_build_reads_the_replica_once_it_has_caught_up(
    primary_and_replica, demo_db_path, run_cli, tmp_path, monkeypatch
):
    primary_url, replica_url = site_with_replica(primary_and_replica, demo_db_path, run_cli)
    edit_about_page(primary_url, "Published a moment ago")  # the build starts at once
    monkeypatch.setenv("MAGNETIQ_BUILD_REPLICA", replica_url)
    code, _, err = run_cli("--db", primary_url, "build", "--output", tmp_path / "replica")
    assert code == 0, err
    assert "reading from the build replica (caught up in" in err
    assert shows(tmp_path / "replica", "Published a moment ago")

    monkeypatch.delenv("MAGNETIQ_BUILD_REPLICA")
    code, _, err = run_cli("--db", primary_url, "build", "--output", tmp_path / "primary")
    assert code == 0 and "replica" not in err
    assert tree(tmp_path / "replica") == tree(tmp_path / "primary")


def test_a_replica_behind_the_primary_is_passed_over(
    primary_and_replica, demo_db_path, run_cli, tmp_path, monkeypatch
):
    primary_url, replica_url = site_with_replica(primary_and_replica, demo_db_path, run_cli)
    standby = database.connect(replica_url)
    standby.execute("SELECT pg_wal_replay_pause()")
    try:
        edit_about_page(primary_url, "Not on the replica yet")
        monkeypatch.setenv("MAGNETIQ_BUILD_REPLICA", replica_url)
        monkeypatch.setenv("MAGNETIQ_BUILD_REPLICA_WAIT", "0.5")
        code, _, err = run_cli("--db", primary_url, "build", "--output", tmp_path / "out")
    finally:
        standby.execute("SELECT pg_wal_replay_resume()")
        standby.close()
    assert code == 0, err
    assert "has not replayed the primary's latest changes in time; reading from the primary" in err
    assert shows(tmp_path / "out", "Not on the replica yet")


def test_a_replica_setting_that_cannot_work_is_refused_or_passed_over(
    primary_and_replica, demo_db_path, run_cli, tmp_path, monkeypatch
):
    primary_url, replica_url = site_with_replica(primary_and_replica, demo_db_path, run_cli)
    monkeypatch.setenv("MAGNETIQ_BUILD_REPLICA", replica_url)
    code, _, err = run_cli("--db", demo_db_path, "build", "--output", tmp_path / "out")
    assert code != 0 and "MAGNETIQ_BUILD_REPLICA is the postgresql:// URL of a standby" in err
    monkeypatch.setenv("MAGNETIQ_BUILD_REPLICA", primary_url)  # a primary is no standby
    code, _, err = run_cli("--db", primary_url, "build", "--output", tmp_path / "built")
    assert code == 0 and "the build replica is not a standby; reading from the primary" in err
    monkeypatch.setenv("MAGNETIQ_BUILD_REPLICA", replica_url)
    monkeypatch.setenv("MAGNETIQ_BUILD_REPLICA_WAIT", "soon")
    code, _, err = run_cli("--db", primary_url, "build", "--output", tmp_path / "out")
    assert code != 0 and "MAGNETIQ_BUILD_REPLICA_WAIT is a number of seconds" in err
    assert not (tmp_path / "out").exists()
