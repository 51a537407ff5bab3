"""The capture service through Flask's test client, on a real database from the real schema."""

import json
import sqlite3
import stat
import threading
import time
from datetime import timedelta

import pytest

import database
from capture import Config, ConfigError, create_app
from database.backends import is_postgres
from database.connection import for_update
from database.timestamps import to_sqlite, utc_now
from service.db import idle_connections, write, write_page_views

from .conftest import app_maker, count_rows

SITE = "http://localhost:8000"
PERSON = {
    "first_name": "Ada",
    "last_name": "Lovelace",
    "email": "Ada@Example.COM",
    "company": "Analytical Ltd",
}
UPCOMING = "/api/webinars/energy-monitoring-101/registrations"
PAPER = "/api/whitepapers/iso-50001-checklist/downloads"
BOOKING = {**PERSON, "booking_type": "demo", "preferred_date": "2030-06-03T10:00", "timezone": "Europe/Berlin",
           "budget_range": "50k_100k", "urgency": "high"}  # fmt: skip


@pytest.fixture
def demo_db_path(demo_site):
    """Every test here runs on SQLite and on PostgreSQL."""
    return demo_site


def rows(db_path, sql, *params):
    conn = database.connect(db_path)
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


def set_webinar(db_path, **columns):
    conn = database.connect(db_path)
    assignments = ", ".join(f"{name} = ?" for name in columns)
    conn.execute(
        f"UPDATE webinars SET {assignments} WHERE slug = 'energy-monitoring-101'",
        tuple(columns.values()),
    )
    conn.close()


# --- registrations -----------------------------------------------------------------------


def test_registration_is_stored_normalised_with_source_and_utm(client, demo_db_path):
    answer = client.post(UPCOMING, json={**PERSON, "utm_campaign": "autumn", "lang": "de"},
                         headers={"Origin": SITE})  # fmt: skip
    assert answer.status_code == 201
    assert answer.json["message"].startswith("Vielen Dank")
    assert answer.json["redirect_to"] == f"{SITE}/de/thank-you/registration/"
    assert answer.headers["Access-Control-Allow-Origin"] == SITE
    (row,) = rows(demo_db_path, "SELECT * FROM webinar_registrations WHERE email LIKE 'ada@%'")
    assert row["email"] == "ada@example.com"
    assert (row["registration_source"], row["utm_campaign"]) == ("website", "autumn")


def test_registering_twice_keeps_one_row_and_says_so(client, demo_db_path):
    assert client.post(UPCOMING, json=PERSON).status_code == 201
    again = client.post(UPCOMING, json={**PERSON, "email": "ada@example.com"})
    assert again.status_code == 200 and again.json["status"] == "already_registered"
    assert (
        len(rows(demo_db_path, "SELECT id FROM webinar_registrations WHERE email LIKE 'ada@%'"))
        == 1
    )


@pytest.mark.parametrize(
    "change, status, error",
    [
        ({"deleted_at": "2026-01-01 00:00:00"}, 404, "error_not_found"),
        ({"status": "cancelled"}, 409, "webinar_cancelled"),
        ({"status": "completed"}, 409, "webinar_completed"),
        (
            {"scheduled_at": "2020-01-01 10:00:00", "registration_deadline": None},
            409,
            "webinar_completed",
        ),
        ({"registration_enabled": 0}, 409, "webinar_closed"),
        ({"registration_deadline": "2020-01-01 00:00:00"}, 409, "webinar_deadline"),
        ({"max_participants": 0}, 409, "webinar_full"),
    ],
)
def test_registration_refusals(client, demo_db_path, change, status, error):
    set_webinar(demo_db_path, **change)
    before = count_rows(demo_db_path, "webinar_registrations")
    answer = client.post(UPCOMING, json=PERSON, headers={"Accept-Language": "de", "Origin": SITE})
    assert (answer.status_code, answer.json["error"]) == (status, error)
    assert answer.headers["Access-Control-Allow-Origin"] == SITE  # CORS on errors too
    assert count_rows(demo_db_path, "webinar_registrations") == before


def test_unknown_webinar_is_404(client):
    assert (
        client.post("/api/webinars/no-such-webinar/registrations", json=PERSON).status_code == 404
    )


def test_cors_only_for_the_sites_own_origin(client):
    answer = client.post(UPCOMING, json=PERSON, headers={"Origin": "https://evil.example"})
    assert "Access-Control-Allow-Origin" not in answer.headers
    preflight = client.options(
        UPCOMING, headers={"Origin": SITE, "Access-Control-Request-Method": "POST"}
    )
    assert preflight.status_code == 200 and preflight.headers["Access-Control-Allow-Origin"] == SITE
    assert "Idempotency-Key" in preflight.headers["Access-Control-Allow-Headers"]


# --- plain HTML forms --------------------------------------------------------------------


def test_plain_form_is_redirected_to_the_thank_you_page(client, demo_db_path):
    answer = client.post(UPCOMING, data={**PERSON, "lang": "de", "redirect_to": "https://evil.example/",
                                         "next": "//evil.example"})  # fmt: skip
    assert answer.status_code == 303
    assert answer.headers["Location"] == f"{SITE}/de/thank-you/registration/"


def test_plain_form_with_errors_goes_back_to_the_form_at_the_error(client, demo_db_path):
    answer = client.post(UPCOMING, data={**PERSON, "email": "not-an-email", "lang": "en"},
                         headers={"Referer": "https://evil.example/"})  # fmt: skip
    assert answer.status_code == 303
    assert answer.headers["Location"] == f"{SITE}/en/webinars/energy-monitoring-101/#error-email"


def test_a_double_clicked_plain_form_is_stored_once(client, demo_db_path):
    before = count_rows(demo_db_path, "bookings")
    first = client.post("/api/bookings", data=BOOKING)
    second = client.post("/api/bookings", data=BOOKING)
    assert first.status_code == second.status_code == 303
    assert (
        first.headers["Location"] == second.headers["Location"] == f"{SITE}/en/thank-you/booking/"
    )
    assert count_rows(demo_db_path, "bookings") == before + 1


def test_idempotency_key_replays_the_first_answer(client, demo_db_path):
    headers = {"Idempotency-Key": "3f1c9c0e-key"}
    first = client.post("/api/bookings", json=BOOKING, headers=headers)
    second = client.post("/api/bookings", json={**BOOKING, "subject": "changed"}, headers=headers)
    assert first.status_code == second.status_code == 201 and first.json == second.json
    assert count_rows(demo_db_path, "bookings") == 1
    assert (
        client.post("/api/bookings", json=BOOKING, headers={"Idempotency-Key": "other"}).status_code
        == 201
    )
    assert count_rows(demo_db_path, "bookings") == 2


# --- spam ----------------------------------------------------------------------------------


def test_honeypot_hit_looks_like_success_and_stores_nothing(client, demo_db_path):
    answer = client.post(UPCOMING, json={**PERSON, "website": "http://spam.example"})
    assert answer.status_code == 201 and answer.json["status"] == "ok"
    assert count_rows(demo_db_path, "webinar_registrations") == 3  # the demo's own


def test_too_fast_form_is_dropped_but_missing_timing_is_fine(client, demo_db_path):
    assert client.post(UPCOMING, json={**PERSON, "form_started_ms": "350"}).status_code == 201
    assert count_rows(demo_db_path, "webinar_registrations") == 3
    assert client.post(UPCOMING, json={**PERSON, "form_started_ms": "9000"}).status_code == 201
    assert client.post(UPCOMING, data={**PERSON, "email": "b@example.com"}).status_code == 303
    assert count_rows(demo_db_path, "webinar_registrations") == 5


# --- downloads ----------------------------------------------------------------------------


def test_download_records_the_lead_and_serves_the_file_with_a_signed_link(client, demo_db_path):
    answer = client.post(PAPER, json=PERSON)
    assert answer.status_code == 201
    (lead,) = rows(demo_db_path, "SELECT * FROM whitepaper_downloads")
    assert lead["download_ip"] == "127.0.0.0" and lead["download_source"] == "api"
    assert (
        rows(
            demo_db_path,
            "SELECT download_count FROM whitepapers WHERE slug = 'iso-50001-checklist'",
        )[0][0]
        == 1
    )
    link = answer.json["download_url"].removeprefix("http://localhost:8001")
    file = client.get(link)
    assert file.status_code == 200 and file.mimetype == "application/pdf"
    assert file.headers["Content-Disposition"] == "attachment; filename=iso-50001-checklist.pdf"
    assert file.data.startswith(b"%PDF")
    file.close()


def test_tampered_and_expired_links_get_no_file(client, capture_app):
    link = (
        client.post(PAPER, json=PERSON).json["download_url"].removeprefix("http://localhost:8001")
    )
    tampered = link[:-3] + ("abc" if not link.endswith("abc") else "xyz")
    assert client.get(tampered).status_code == 403
    forged = link.replace("/api/downloads/", "/api/downloads/eyJkIjoxLCJ3IjoxfQ.")
    assert client.get(forged).status_code == 403
    expired_client = capture_app(download_ttl_seconds=-1).test_client()
    answer = expired_client.get(link)
    assert answer.status_code == 410 and not answer.data.startswith(b"%PDF")


def test_open_whitepaper_needs_no_form_but_gated_one_does(client, demo_db_path):
    assert client.get("/api/whitepapers/iso-50001-checklist/file").status_code == 403
    database.connect(demo_db_path).execute(
        "UPDATE whitepapers SET requires_registration = FALSE WHERE slug = 'iso-50001-checklist'"
    )
    answer = client.get("/api/whitepapers/iso-50001-checklist/file")
    assert answer.status_code == 200 and answer.data.startswith(b"%PDF")
    answer.close()


# --- bookings -----------------------------------------------------------------------------


def test_booking_is_stored_in_utc_with_a_lead_score(client, demo_db_path):
    answer = client.post("/api/bookings", json={**BOOKING, "phone": "+49 89 1234"})
    assert answer.status_code == 201
    (booking,) = rows(demo_db_path, "SELECT * FROM bookings")
    assert booking["preferred_date"] == "2030-06-03 08:00:00"  # 10:00 CEST
    assert (booking["status"], booking["lead_source"]) == ("pending", "api")
    assert booking["lead_score"] == 20 + 25 + 10 + 10 + 5  # demo, budget, urgency, company, phone


@pytest.mark.parametrize(
    "local, expected",
    [
        ("2030-03-31T01:30", "2030-03-31 00:30:00"),  # CET, before the spring switch
        ("2030-03-31T03:30", "2030-03-31 01:30:00"),  # CEST, after it
        ("2030-10-27T02:30", "2030-10-27 00:30:00"),  # repeated hour: the first (CEST) one
        ("2030-10-27T03:30", "2030-10-27 02:30:00"),  # CET again
    ],
)
def test_booking_times_across_berlin_daylight_saving_switches(
    client, demo_db_path, local, expected
):
    assert (
        client.post("/api/bookings", json={**BOOKING, "preferred_date": local}).status_code == 201
    )
    assert rows(demo_db_path, "SELECT preferred_date FROM bookings")[0][0] == expected


def test_booking_in_the_skipped_hour_or_past_or_bad_zone_is_refused(client, demo_db_path):
    gap = client.post(
        "/api/bookings", json={**BOOKING, "preferred_date": "2030-03-31T02:30", "lang": "de"}
    )
    assert gap.status_code == 422 and "Zeitumstellung" in gap.json["errors"]["preferred_date"]
    past = client.post("/api/bookings", json={**BOOKING, "preferred_date": "2020-01-01T10:00"})
    assert "future" in past.json["errors"]["preferred_date"]
    zone = client.post("/api/bookings", json={**BOOKING, "timezone": "Mars/Olympus"})
    assert zone.json["errors"]["timezone"].startswith("Your time zone")
    assert count_rows(demo_db_path, "bookings") == 0


# --- analytics ----------------------------------------------------------------------------

BROWSER = {"User-Agent": "Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0"}


def test_beacon_event_is_stored_without_raw_ip_or_cookie(client, demo_db_path):
    body = json.dumps({"event_type": "page_view", "page_path": "/de/", "utm_source": "newsletter",
                       "referrer": "https://www.google.com/search?q=secret"})  # fmt: skip
    answer = client.post(
        "/api/events", data=body, content_type="text/plain;charset=UTF-8", headers=BROWSER
    )
    assert answer.status_code == 204 and "Set-Cookie" not in answer.headers
    (event,) = rows(demo_db_path, "SELECT * FROM analytics_events")
    assert event["ip_address"] == "127.0.0.0" and len(event["session_id"]) == 32
    assert (
        event["referrer"] == "https://www.google.com/search" and event["utm_source"] == "newsletter"
    )


def flushes_on_commit(conn) -> bool:
    """Whether a commit waits for the disk: SQLite's synchronous=FULL, PostgreSQL's
    synchronous_commit=on."""
    if is_postgres(conn):
        return conn.execute("SHOW synchronous_commit").fetchone()[0] == "on"
    return conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL; NORMAL is 1


def test_page_views_commit_without_the_disk_flush_that_leads_keep(capture_app):
    """A page view is not a lead: it may skip the flush, and must not take it from the next lead."""
    with capture_app().test_request_context():
        with pytest.raises(sqlite3.IntegrityError):
            write_page_views("INSERT INTO analytics_events (event_type) VALUES (NULL)", ())
        page_views = idle_connections(durable=False)
        conn = page_views.take()  # the one that statement used, given back
        assert not conn.in_transaction and not flushes_on_commit(conn)
        page_views.give_back(conn)
        with write() as conn:
            assert flushes_on_commit(conn)


def test_beacon_batches_and_opt_outs(client, demo_db_path):
    batch = [{"event_type": "page_view", "page_path": f"/en/{n}/"} for n in range(3)]
    assert client.post("/api/events", json=batch, headers=BROWSER).status_code == 204
    assert count_rows(demo_db_path, "analytics_events") == 3
    for headers in (
        {"DNT": "1"},
        {"Sec-GPC": "1"},
        {"User-Agent": "Googlebot/2.1"},
        {"User-Agent": ""},
    ):
        assert (
            client.post("/api/events", json=batch, headers={**BROWSER, **headers}).status_code
            == 204
        )
    assert count_rows(demo_db_path, "analytics_events") == 3
    too_many = [{"event_type": "page_view"}] * 26
    assert client.post("/api/events", json=too_many, headers=BROWSER).status_code == 400
    assert (
        client.post("/api/events", json={"event_type": "purchase"}, headers=BROWSER).status_code
        == 422
    )
    assert count_rows(demo_db_path, "analytics_events") == 3


# --- health, OpenAPI, failures ------------------------------------------------------------


def test_health_and_openapi_describe_every_route(client, capture_app):
    assert client.get("/api/health").json == {"status": "ok", "database": "writable"}
    document = client.get("/api/openapi.json").json
    app = capture_app()
    routes = {
        (rule.rule.replace("<", "{").replace(">", "}"), method.lower())
        for rule in app.url_map.iter_rules() if rule.rule.startswith("/api/")
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }  # fmt: skip
    described = {(path, method) for path, item in document["paths"].items() for method in item}
    assert routes == described


def test_busy_database_gets_503_with_retry_after(capture_app, demo_db_path):
    client = capture_app(busy_timeout_ms=100).test_client()
    blocker = database.connect(demo_db_path)
    blocker.execute("BEGIN IMMEDIATE")  # SQLite: the write lock; PostgreSQL: the webinars' rows
    blocker.execute("SELECT id FROM webinars" + for_update(blocker)).fetchall()
    try:
        answer = client.post(UPCOMING, json=PERSON)
    finally:
        blocker.execute("ROLLBACK")
    assert answer.status_code == 503 and answer.headers["Retry-After"] == "2"
    assert count_rows(demo_db_path, "webinar_registrations") == 3


def test_full_disk_gets_503_and_no_partial_row(sqlite_demo_path, tmp_path, monkeypatch):
    """SQLite only: PostgreSQL's full disk is the server's, out of a test's reach."""
    import service.db

    demo_db_path = sqlite_demo_path

    real_connect = database.connect

    def full_disk(*args, **kwargs):
        conn = real_connect(*args, **kwargs)
        pages = conn.execute("PRAGMA page_count").fetchone()[0]
        conn.execute(f"PRAGMA max_page_count = {pages}")  # SQLite answers SQLITE_FULL past this
        return conn

    monkeypatch.setattr(service.db.database, "connect", full_disk)
    client = app_maker(create_app, demo_db_path, tmp_path / "media")().test_client()
    before = {t: count_rows(demo_db_path, t) for t in ("bookings", "idempotency_keys")}
    answer = client.post("/api/bookings", json={**BOOKING, "message": "x" * 4000})
    assert answer.status_code == 503
    assert {t: count_rows(demo_db_path, t) for t in before} == before


def test_a_page_view_waits_for_another_writer_in_python_then_gives_up(sqlite_demo_path, tmp_path):
    """SQLite only (a server waits in the server): page views' connections have no busy
    handler, so the wait for the write lock is `wait_cooperatively`'s: it is stored once the
    other writer commits, and answered 503 when the writer holds on past the busy timeout."""
    client = app_maker(create_app, sqlite_demo_path, tmp_path / "media")(
        busy_timeout_ms=2000
    ).test_client()
    view = {"event_type": "page_view", "page_path": "/en/"}
    holding = threading.Event()

    def hold_the_write_lock_briefly():
        other = database.connect(sqlite_demo_path)
        other.execute("BEGIN IMMEDIATE")
        holding.set()
        time.sleep(0.3)
        other.execute("COMMIT")
        other.close()

    holder = threading.Thread(target=hold_the_write_lock_briefly)
    holder.start()
    holding.wait()
    try:
        assert client.post("/api/events", json=view, headers=BROWSER).status_code == 204
    finally:
        holder.join()
    assert count_rows(sqlite_demo_path, "analytics_events") == 1

    impatient = app_maker(create_app, sqlite_demo_path, tmp_path / "media")(
        busy_timeout_ms=100
    ).test_client()
    blocker = database.connect(sqlite_demo_path)
    blocker.execute("BEGIN IMMEDIATE")
    try:
        answer = impatient.post("/api/events", json=view, headers=BROWSER)
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    assert answer.status_code == 503 and answer.headers["Retry-After"] == "2"
    assert count_rows(sqlite_demo_path, "analytics_events") == 1


def test_service_refuses_to_start_on_a_corrupt_database_and_leaves_it(sqlite_demo_path, tmp_path):
    demo_db_path = sqlite_demo_path
    broken = tmp_path / "broken.db"
    data = bytearray(demo_db_path.read_bytes())
    data[4096 * 3 : 4096 * 6] = b"\xff" * (4096 * 3)
    broken.write_bytes(bytes(data))
    with pytest.raises(ConfigError, match="corrupt|cannot be read"):
        create_app(Config(database=broken, media=tmp_path, secret_key="k" * 32))
    assert broken.read_bytes() == bytes(data)
    not_sqlite = tmp_path / "notes.db"
    not_sqlite.write_text("hello")
    with pytest.raises(ConfigError, match="not an SQLite database"):
        create_app(Config(database=not_sqlite, media=tmp_path, secret_key="k" * 32))


def test_production_needs_a_secret_key(monkeypatch, demo_db_path):
    monkeypatch.setenv("MAGNETIQ_DB", str(demo_db_path))
    monkeypatch.delenv("MAGNETIQ_SECRET_KEY", raising=False)
    monkeypatch.delenv("MAGNETIQ_ENV", raising=False)
    with pytest.raises(ConfigError, match="MAGNETIQ_SECRET_KEY is not set"):
        Config.from_environment()
    monkeypatch.setenv("MAGNETIQ_RATE_LIMIT", "lots")
    monkeypatch.setenv("MAGNETIQ_SECRET_KEY", "s" * 32)
    with pytest.raises(ConfigError, match="MAGNETIQ_RATE_LIMIT"):
        Config.from_environment()


def test_rate_limit_answers_429_with_retry_after(capture_app, demo_db_path):
    client = capture_app(rate_limit="3/minute").test_client()
    statuses = [
        client.post("/api/bookings", json={**BOOKING, "subject": str(n)}).status_code
        for n in range(5)
    ]
    assert statuses == [201, 201, 201, 429, 429]
    limited = client.post("/api/bookings", json=BOOKING)
    assert int(limited.headers["Retry-After"]) > 0 and limited.json["error"] == "error_rate_limited"
    assert client.get("/api/health").status_code == 200  # other endpoints keep their own budget


def test_rate_limit_counters_hold_no_address_are_private_and_purged(
    sqlite_demo_path, tmp_path, run_cli
):
    """SQLite keeps the counters in a file of their own (PostgreSQL: tests/test_postgres.py)."""
    demo_db_path = sqlite_demo_path
    capture_app = app_maker(create_app, demo_db_path, tmp_path / "media")
    client = capture_app(rate_limit="3/minute").test_client()
    for n in range(2):
        client.post(
            "/api/bookings",
            json={**BOOKING, "subject": str(n)},
            environ_base={"REMOTE_ADDR": "203.0.113.77"},
        )
    counters = demo_db_path.with_name(demo_db_path.name + ".ratelimit")
    assert stat.S_IMODE(counters.stat().st_mode) == 0o600
    raw = b"".join(p.read_bytes() for p in counters.parent.glob(counters.name + "*"))
    assert b"203.0.113" not in raw and b"127.0.0.1" not in raw
    conn = sqlite3.connect(counters)
    assert conn.execute("SELECT count(*) FROM counters").fetchone()[0] >= 1
    conn.execute("UPDATE counters SET expires_at = 0")
    conn.commit()
    conn.close()
    code, out, _ = run_cli("--db", demo_db_path, "db", "maintain")
    assert code == 0 and "expired rate-limit counter" in out
    assert sqlite3.connect(counters).execute("SELECT count(*) FROM counters").fetchone()[0] == 0


def test_stale_entries_expire_from_the_idempotency_table(demo_db_path, client):
    from database.maintain import maintain

    client.post("/api/bookings", json=BOOKING, headers={"Idempotency-Key": "k1"})
    conn = database.connect(demo_db_path)
    conn.execute(
        "UPDATE idempotency_keys SET created_at = ?", (to_sqlite(utc_now() - timedelta(days=2)),)
    )
    maintain(conn, utc_now())
    assert count_rows(demo_db_path, "idempotency_keys") == 0


def test_a_day_old_submission_key_no_longer_replays(client, demo_db_path):
    headers = {"Idempotency-Key": "old-key"}
    assert client.post("/api/bookings", json=BOOKING, headers=headers).status_code == 201
    conn = database.connect(demo_db_path)
    conn.execute(
        "UPDATE idempotency_keys SET created_at = ?", (to_sqlite(utc_now() - timedelta(days=2)),)
    )
    assert client.post("/api/bookings", json=BOOKING, headers=headers).status_code == 201
    assert (
        count_rows(demo_db_path, "bookings") == 2
        and count_rows(demo_db_path, "idempotency_keys") == 1
    )


def test_twin_submissions_racing_store_one_lead_and_get_one_answer(
    client, demo_db_path, monkeypatch
):
    import capture.submission

    headers = {"Idempotency-Key": "twin"}
    first = client.post("/api/bookings", json=BOOKING, headers=headers)
    # The twin checked for a stored answer just before the first one committed:
    monkeypatch.setattr(capture.submission, "previous_answer", lambda conn, key: None)
    twin = client.post("/api/bookings", json=BOOKING, headers=headers)
    assert twin.status_code == 201 and twin.json == first.json
    assert count_rows(demo_db_path, "bookings") == 1


def test_plain_form_takes_utm_values_from_the_sites_own_referer(client, demo_db_path):
    page = f"{SITE}/en/webinars/energy-monitoring-101/?utm_source=linkedin&utm_campaign=launch"
    client.post(UPCOMING, data={**PERSON, "email": "ref@example.com"}, headers={"Referer": page})
    client.post(UPCOMING, data={**PERSON, "email": "evil@example.com"},
                headers={"Referer": "https://evil.example/?utm_source=spoofed"})  # fmt: skip
    got = dict(rows(demo_db_path, "SELECT email, utm_source FROM webinar_registrations WHERE email IN "
                                  "('ref@example.com', 'evil@example.com')"))  # fmt: skip
    assert got == {"ref@example.com": "linkedin", "evil@example.com": None}


def test_read_only_database_gets_503_and_no_row(capture_app, demo_db_path, monkeypatch):
    import service.db

    real_connect = database.connect

    def read_only(*args, **kwargs):
        conn = real_connect(*args, **kwargs)
        if is_postgres(conn):  # as on a standby: every transaction is read-only
            conn.execute("SET default_transaction_read_only = on")
        else:
            conn.execute("PRAGMA query_only = ON")  # SQLite answers SQLITE_READONLY to any write
        return conn

    monkeypatch.setattr(service.db.database, "connect", read_only)
    client = capture_app().test_client()
    answer = client.post(UPCOMING, json=PERSON)
    assert answer.status_code == 503 and answer.headers["Retry-After"] == "2"
    assert count_rows(demo_db_path, "webinar_registrations") == 3


def test_the_host_header_never_chooses_the_download_link(client):
    """Public addresses come from configuration: a forged Host cannot send a lead elsewhere."""
    answer = client.post(PAPER, json=PERSON, headers={"Host": "evil.test"})
    assert answer.json["download_url"].startswith("http://localhost:8001/api/downloads/")
    plain = client.post(PAPER, data=PERSON, headers={"Host": "evil.test"})
    assert plain.status_code == 303
    assert plain.headers["Location"].startswith("http://localhost:8001/api/downloads/")
