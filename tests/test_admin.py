"""Staff admin: sign-in, sessions, CSRF, roles, lists and CSV, bookings workflow, privacy."""

import csv
import hashlib
import io
import json
import re
import threading
from datetime import timedelta

import pytest

import database
from database.timestamps import to_sqlite, utc_now
from database.users import create_admin_user, set_password
from studio import auth as auth_module
from studio.auth import sign_in

from .conftest import STAFF_PASSWORDS as PASSWORDS


@pytest.fixture
def demo_db_path(demo_site):
    """Every test here runs on SQLite and on PostgreSQL."""
    return demo_site


@pytest.fixture
def client(studio_app):
    """Every test here is about the staff studio."""
    return studio_app().test_client()


def login_token(client) -> str:
    page = client.get("/admin/login")
    return re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)


def sign_in_as(client, role: str, password: str | None = None):
    return client.post("/admin/login", data={"email": f"staff-{role}@example.com", "csrf_token": login_token(client),
                                             "password": password or PASSWORDS[role]})  # fmt: skip


def page_token(client, path: str = "/admin/") -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', client.get(path).text).group(1)


def one(db, sql, *params) -> tuple | None:
    conn = database.connect(db)
    try:
        row = conn.execute(sql, params).fetchone()
        return tuple(row) if row else None
    finally:
        conn.close()


def add_booking(db, email="lead@example.com", status="pending") -> int:
    conn = database.connect(db)
    booking = conn.execute(
        "INSERT INTO bookings (first_name, last_name, email, booking_type, preferred_date, status) "
        "VALUES ('Lead', 'Person', ?, 'demo', '2031-01-01 10:00:00', ?) RETURNING id", (email, status)
    ).fetchone()[0]  # fmt: skip
    conn.close()
    return booking


# --- sign-in --------------------------------------------------------------------------------


def test_sign_in_stores_only_a_hash_of_the_session_token(client, staff):
    answer = sign_in_as(client, "editor")
    assert answer.status_code == 303 and answer.headers["Location"] == "/admin/"
    cookie = client.get_cookie("magnetiq_admin", path="/admin/")
    assert cookie.http_only and cookie.same_site == "Strict" and len(cookie.value) >= 40
    stored, agent = one(staff, "SELECT session_token, user_agent FROM user_sessions")
    assert stored != cookie.value and stored == hashlib.sha256(cookie.value.encode()).hexdigest()
    assert one(
        staff, "SELECT last_login FROM admin_users WHERE email = 'staff-editor@example.com'"
    )[0]
    assert client.get("/admin/").status_code == 200


def test_every_sign_in_gets_a_new_token(client, studio_app, staff):
    sign_in_as(client, "editor")
    first = client.get_cookie("magnetiq_admin", path="/admin/").value
    sign_in_as(client, "editor")
    assert client.get_cookie("magnetiq_admin", path="/admin/").value != first


def failure_page(answer) -> str:
    return re.sub(r'value="[^"]+"', "", answer.text)


def test_failures_look_the_same_whatever_the_reason(client, staff):
    conn = database.connect(staff)
    create_admin_user(conn, "gone@example.com", "gone-password-12", role="viewer")
    conn.execute("UPDATE admin_users SET is_active = FALSE WHERE email = 'gone@example.com'")
    conn.close()
    wrong = sign_in_as(client, "editor", "not-the-password")
    unknown = client.post("/admin/login", data={"email": "nobody@example.com", "password": "x" * 12,
                                                "csrf_token": login_token(client)})  # fmt: skip
    inactive = client.post("/admin/login", data={"email": "gone@example.com", "password": "gone-password-12",
                                                 "csrf_token": login_token(client)})  # fmt: skip
    assert wrong.status_code == unknown.status_code == inactive.status_code == 200
    assert failure_page(wrong) == failure_page(unknown) == failure_page(inactive)
    assert (
        sorted(wrong.headers.keys())
        == sorted(unknown.headers.keys())
        == sorted(inactive.headers.keys())
    )
    assert client.get_cookie("magnetiq_admin", path="/admin/") is None
    actions = [
        row[0]
        for row in database.connect(staff).execute(
            "SELECT action FROM audit_log WHERE action LIKE 'auth.%'"
        )
    ]
    assert actions == ["auth.sign_in_failed"] * 3


def test_lockout_after_five_failures_and_its_expiry(client, staff):
    for _ in range(5):
        sign_in_as(client, "editor", "wrong-password-x")
    failures, locked_until = one(staff, "SELECT failed_login_attempts, locked_until FROM admin_users "
                                        "WHERE email = 'staff-editor@example.com'")  # fmt: skip
    assert failures == 5 and locked_until
    assert sign_in_as(client, "editor").status_code == 200  # the right password, but locked
    assert one(staff, "SELECT count(*) FROM audit_log WHERE action = 'auth.lockout'")[0] == 1
    database.connect(staff).execute(
        "UPDATE admin_users SET locked_until = ? WHERE email = 'staff-editor@example.com'",
        (to_sqlite(utc_now() - timedelta(seconds=1)),),
    )
    assert sign_in_as(client, "editor").status_code == 303
    assert one(staff, "SELECT failed_login_attempts, locked_until FROM admin_users "
                      "WHERE email = 'staff-editor@example.com'") == (0, None)  # fmt: skip


@pytest.mark.parametrize("case", ["ok", "wrong", "unknown", "inactive", "locked", "too_long"])
def test_bcrypt_runs_exactly_once_per_attempt(staff, monkeypatch, case):
    conn = database.connect(staff)
    if case == "inactive":
        conn.execute(
            "UPDATE admin_users SET is_active = FALSE WHERE email = 'staff-viewer@example.com'"
        )
    if case == "locked":
        conn.execute(
            "UPDATE admin_users SET locked_until = '2999-01-01 00:00:00' WHERE email = 'staff-viewer@example.com'"
        )
    calls = []
    real = auth_module.bcrypt.checkpw
    monkeypatch.setattr(auth_module.bcrypt, "checkpw", lambda *a: calls.append(1) or real(*a))
    email = "nobody@example.com" if case == "unknown" else "staff-viewer@example.com"
    password = {"wrong": "nope-nope-nope", "too_long": PASSWORDS["viewer"] + "ü" * 40}.get(
        case, PASSWORDS["viewer"]
    )
    result = sign_in(conn, email, password, utc_now())
    assert len(calls) == 1
    assert (result.outcome == "ok") == (case == "ok")


def test_parallel_wrong_attempts_are_all_counted(staff):
    outcomes = []

    def attempt() -> None:
        conn = database.connect(staff)
        outcomes.append(
            sign_in(conn, "staff-admin@example.com", "wrong-password-x", utc_now()).outcome
        )
        conn.close()

    threads = [threading.Thread(target=attempt) for _ in range(50)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    counted = sum(outcome in ("wrong_password", "locked_now") for outcome in outcomes)
    assert counted >= 5 and "locked_now" in outcomes
    assert one(staff, "SELECT failed_login_attempts FROM admin_users "
                      "WHERE email = 'staff-admin@example.com'")[0] == counted  # fmt: skip


def test_an_expired_lock_is_not_re_armed_by_one_wrong_password(client, staff):
    """lock → expiry → one wrong → one right: the owner gets in; a stranger cannot keep them out."""
    for _ in range(5):
        sign_in_as(client, "editor", "wrong-password-x")
    database.connect(staff).execute(
        "UPDATE admin_users SET locked_until = ? WHERE email = 'staff-editor@example.com'",
        (to_sqlite(utc_now() - timedelta(seconds=1)),),
    )
    assert sign_in_as(client, "editor", "wrong-password-x").status_code == 200
    assert one(staff, "SELECT failed_login_attempts, locked_until FROM admin_users "
                      "WHERE email = 'staff-editor@example.com'") == (1, None)  # fmt: skip
    assert sign_in_as(client, "editor").status_code == 303
    assert one(staff, "SELECT count(*) FROM audit_log WHERE action = 'auth.lockout'")[0] == 1


def test_login_throttle_answers_429_before_hashing(studio_app, staff, monkeypatch):
    client = studio_app(login_rate_limit="3/minute").test_client()
    calls = []
    real = auth_module.bcrypt.checkpw
    monkeypatch.setattr(auth_module.bcrypt, "checkpw", lambda *a: calls.append(1) or real(*a))
    statuses = [sign_in_as(client, "editor", "wrong-password-x").status_code for _ in range(5)]
    assert statuses == [200, 200, 200, 429, 429] and len(calls) == 3


def test_look_alike_emails_are_one_account(staff):
    conn = database.connect(staff)
    with pytest.raises(database.OperationError, match="already exists"):
        create_admin_user(
            conn, "ＳＴＡＦＦ-ＥＤＩＴＯＲ@example.com", "another-password", role="viewer"
        )  # fullwidth letters
    assert sign_in(conn, "Staff-Editor@Example.com", PASSWORDS["editor"], utc_now()).outcome == "ok"


# --- sessions ----------------------------------------------------------------------------------


def test_idle_and_absolute_expiry_are_enforced_on_every_request(client, staff):
    sign_in_as(client, "viewer")
    database.connect(staff).execute(
        "UPDATE user_sessions SET expires_at = ?", (to_sqlite(utc_now() - timedelta(seconds=1)),)
    )
    assert client.get("/admin/").status_code == 302
    sign_in_as(client, "viewer")
    database.connect(staff).execute(
        "UPDATE user_sessions SET created_at = ?", (to_sqlite(utc_now() - timedelta(hours=13)),)
    )
    answer = client.get("/admin/leads/bookings")
    assert answer.status_code == 302 and answer.headers["Location"].startswith("/admin/login")


def test_logout_and_sign_out_everywhere(studio_app, staff):
    first, second = studio_app().test_client(), studio_app().test_client()
    sign_in_as(first, "editor")
    sign_in_as(second, "editor")
    assert one(staff, "SELECT count(*) FROM user_sessions")[0] == 2
    first.post("/admin/logout", data={"csrf_token": page_token(first)})
    assert first.get("/admin/").status_code == 302 and second.get("/admin/").status_code == 200
    second.post("/admin/logout-everywhere", data={"csrf_token": page_token(second)})
    assert one(staff, "SELECT count(*) FROM user_sessions")[0] == 0
    assert second.get("/admin/").status_code == 302


def test_password_change_and_deactivation_end_all_sessions(client, studio_app, staff):
    sign_in_as(client, "editor")
    set_password(database.connect(staff), "staff-editor@example.com", "a-brand-new-password")
    assert client.get("/admin/").status_code == 302
    sign_in_as(client, "editor", "a-brand-new-password")
    admin = studio_app().test_client()
    sign_in_as(admin, "admin")
    editor_id = one(staff, "SELECT id FROM admin_users WHERE email = 'staff-editor@example.com'")[0]
    admin.post(
        f"/admin/users/{editor_id}",
        data={"role": "editor", "csrf_token": page_token(admin, "/admin/users")},
    )
    assert client.get("/admin/").status_code == 302
    assert one(staff, "SELECT count(*) FROM audit_log WHERE action = 'user.active'")[0] == 1


# --- CSRF, headers, roles ----------------------------------------------------------------------


def test_state_changes_need_the_csrf_token(client, staff):
    booking = add_booking(staff)
    sign_in_as(client, "editor")
    assert (
        client.post(
            f"/admin/leads/bookings/{booking}/status", data={"status": "confirmed"}
        ).status_code
        == 400
    )
    forged = client.post(
        f"/admin/leads/bookings/{booking}/status",
        data={"status": "confirmed", "csrf_token": "x" * 64},
    )
    assert forged.status_code == 400
    assert one(staff, "SELECT status FROM bookings WHERE id = ?", booking)[0] == "pending"
    assert (
        client.post(
            "/admin/login", data={"email": "staff-editor@example.com", "password": "x"}
        ).status_code
        == 400
    )


def test_admin_pages_send_security_headers(client, staff):
    sign_in_as(client, "viewer")
    headers = client.get("/admin/").headers
    assert "unsafe-inline" not in headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    assert headers["X-Frame-Options"] == "DENY" and headers["Cache-Control"] == "no-store"


ACTIONS = [
    (
        "read lists",
        "GET",
        "/admin/leads/registrations",
        {"viewer": 200, "editor": 200, "admin": 200},
    ),
    ("export", "GET", "/admin/leads/bookings.csv", {"viewer": 200, "editor": 200, "admin": 200}),
    (
        "change booking",
        "POST",
        "/admin/leads/bookings/{booking}/status",
        {"viewer": 403, "editor": 303, "admin": 303},
    ),
    (
        "attendance",
        "POST",
        "/admin/leads/registrations/1/attendance",
        {"viewer": 403, "editor": 303, "admin": 303},
    ),
    ("privacy", "POST", "/admin/privacy", {"viewer": 403, "editor": 403, "admin": 200}),
    (
        "privacy export",
        "POST",
        "/admin/privacy/export",
        {"viewer": 403, "editor": 403, "admin": 200},
    ),
    ("audit log", "GET", "/admin/audit", {"viewer": 403, "editor": 403, "admin": 200}),
    ("staff", "GET", "/admin/users", {"viewer": 403, "editor": 403, "admin": 200}),
]


@pytest.mark.parametrize("role", ["viewer", "editor", "admin"])
@pytest.mark.parametrize("action, method, path, expected", ACTIONS, ids=[a[0] for a in ACTIONS])
def test_each_role_is_allowed_or_refused(studio_app, staff, role, action, method, path, expected):
    client = studio_app().test_client()
    sign_in_as(client, role)
    path = path.format(booking=add_booking(staff))
    if method == "GET":
        answer = client.get(path)
    else:
        answer = client.post(path, data={"status": "confirmed", "attended": "1", "email": "a@example.com",
                                         "csrf_token": page_token(client)})  # fmt: skip
    assert answer.status_code == expected[role]


# --- lists and CSV -----------------------------------------------------------------------------


def test_lists_filter_search_and_paginate(client, staff):
    conn = database.connect(staff)
    for n in range(60):
        conn.execute(
            "INSERT INTO webinar_registrations (webinar_id, first_name, last_name, email, utm_campaign, registered_at) "
            "VALUES (1, 'Person', ?, ?, ?, ?)",
            (f"N{n}", f"p{n}@example.com", "spring" if n % 2 else "autumn", f"2026-03-{1 + n % 28:02d} 10:00:00"),
        )  # fmt: skip
    sign_in_as(client, "viewer")
    assert "(63)" in client.get("/admin/leads/registrations").text
    assert "(30)" in client.get("/admin/leads/registrations?campaign=spring").text
    assert "p7@example.com" in client.get("/admin/leads/registrations?q=p7@").text
    narrowed = client.get("/admin/leads/registrations?from=2026-03-01&to=2026-03-02").text
    assert "(6)" in narrowed  # days 1 and 2 of each 28-day cycle
    assert "Page 2 of 2" in client.get("/admin/leads/registrations?page=2").text
    assert (
        "(0)" in client.get("/admin/leads/registrations?q=%25").text
    )  # a literal %, not a wildcard


def test_csv_export_neutralises_formulas_and_is_audited(client, staff):
    conn = database.connect(staff)
    hostile = [
        '=HYPERLINK("http://evil")',
        "+1+2",
        "-3",
        "@SUM(A1)",
        "\tTab",
        "\rReturn",
        'Müller; "quoted"',
    ]
    for n, value in enumerate(hostile):
        conn.execute("INSERT INTO webinar_registrations (webinar_id, first_name, last_name, email) VALUES (1, ?, 'X', ?)",
                     (value, f"h{n}@hostile.example"))  # fmt: skip
    sign_in_as(client, "viewer")
    answer = client.get("/admin/leads/registrations.csv?separator=semicolon&q=hostile.example")
    assert answer.mimetype == "text/csv" and answer.data.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(answer.data.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:4] == ["id", "registered_at (UTC)", "webinar", "first_name"]
    first_names = {row[3] for row in rows[1:]}
    assert first_names == {"'" + v if v[0] in "=+-@\t\r" else v for v in hostile}
    (details,) = one(staff, "SELECT details FROM audit_log WHERE action = 'leads.export'")
    assert '"rows": 7' in details


def csv_rows(client, path: str) -> list[dict]:
    answer = client.get(path)
    return list(csv.DictReader(io.StringIO(answer.data.decode("utf-8-sig"))))


def test_leads_read_as_a_salesperson_reads_them(client, staff):
    """Which webinar or whitepaper, the booking's phone and message, its time on the visitor's
    clock with the zone named, and the best bookings first."""
    conn = database.connect(staff)
    conn.execute(
        "INSERT INTO whitepaper_downloads (whitepaper_id, first_name, last_name, email) "
        "VALUES (2, 'Dora', 'Download', 'dora@example.com')"
    )
    for email, score, when in (("low@example.com", 10, "2031-06-01 08:00:00"),
                               ("high@example.com", 90, "2031-06-02 08:00:00")):  # fmt: skip
        conn.execute(
            "INSERT INTO bookings (first_name, last_name, email, phone, booking_type, preferred_date, timezone, "
            "message, lead_score) VALUES ('B', 'K', ?, '+49 30 1234', 'demo', ?, 'Europe/Berlin', "
            "'Please call after lunch', ?)",
            (email, when, score),
        )
    sign_in_as(client, "viewer")
    registrations = csv_rows(client, "/admin/leads/registrations.csv")
    titles = {json.loads(row[0])["en"] for row in database.connect(staff).execute(
        "SELECT w.title FROM webinar_registrations r JOIN webinars w ON w.id = r.webinar_id")}  # fmt: skip
    assert registrations and {row["webinar"] for row in registrations} == titles
    (download,) = [
        row
        for row in csv_rows(client, "/admin/leads/downloads.csv")
        if row["email"] == "dora@example.com"
    ]
    assert download["whitepaper"] == "ISO 50001 checklist"
    bookings = csv_rows(client, "/admin/leads/bookings.csv?sort=score")
    assert [row["email"] for row in bookings[:2]] == ["high@example.com", "low@example.com"]
    top = bookings[0]
    assert top["phone"] == "'+49 30 1234" and top["message"] == "Please call after lunch"
    assert (
        top["preferred_time (in the booking's time zone)"] == "2031-06-02 10:00"
    )  # 08:00 UTC, summer
    assert top["timezone"] == "Europe/Berlin" and "created_at (UTC)" in top
    listed = client.get("/admin/leads/bookings?sort=score").text
    assert listed.index("high@example.com") < listed.index("low@example.com")
    assert "2031-06-02 10:00 <small>Europe/Berlin</small>" in listed
    booking_id = one(staff, "SELECT id FROM bookings WHERE email = 'high@example.com'")[0]
    detail = client.get(f"/admin/leads/bookings/{booking_id}").text
    assert (
        "preferred time (in the booking&#39;s time zone)" in detail and "2031-06-02 10:00" in detail
    )
    registration_id, titles = one(staff, "SELECT r.id, w.title FROM webinar_registrations r "
                                         "JOIN webinars w ON w.id = r.webinar_id LIMIT 1")  # fmt: skip
    title = json.loads(titles)["en"]
    assert title in client.get(f"/admin/leads/registrations/{registration_id}").text


# --- bookings workflow and attendance ---------------------------------------------------------


def test_booking_transitions(client, staff):
    booking = add_booking(staff)
    sign_in_as(client, "editor")

    def move(status):
        return client.post(
            f"/admin/leads/bookings/{booking}/status",
            data={"status": status, "csrf_token": page_token(client)},
        )

    assert move("completed").status_code == 409  # pending cannot jump to completed
    assert move("confirmed").status_code == 303
    assert one(
        staff, "SELECT status, confirmed_at IS NOT NULL FROM bookings WHERE id = ?", booking
    ) == ("confirmed", 1)
    assert move("pending").status_code == 409
    assert move("completed").status_code == 303
    assert move("cancelled").status_code == 409  # completed is final
    assert one(
        staff, "SELECT status, completed_at IS NOT NULL FROM bookings WHERE id = ?", booking
    ) == ("completed", 1)
    changes = (
        database.connect(staff)
        .execute("SELECT details FROM audit_log WHERE action = 'booking.status'")
        .fetchall()
    )
    assert len(changes) == 2


def test_a_soft_deleted_booking_is_gone_for_staff(client, staff):
    booking = add_booking(staff, "deleted.lead@example.com")
    database.connect(staff).execute(
        "UPDATE bookings SET deleted_at = ? WHERE id = ?", (to_sqlite(utc_now()), booking)
    )
    sign_in_as(client, "admin")
    assert client.get(f"/admin/leads/bookings/{booking}").status_code == 404
    token = page_token(client)
    changed = client.post(
        f"/admin/leads/bookings/{booking}/status", data={"status": "confirmed", "csrf_token": token}
    )
    assert changed.status_code == 404
    details = client.post(f"/admin/leads/bookings/{booking}/details",
                          data={"meeting_notes": "x", "csrf_token": token})  # fmt: skip
    assert details.status_code == 404
    assert one(staff, "SELECT status, meeting_notes FROM bookings WHERE id = ?", booking) == (
        "pending",
        None,
    )
    assert "deleted.lead@example.com" not in client.get("/admin/leads/bookings").text
    assert "deleted.lead@example.com" not in client.get("/admin/leads/bookings.csv").text


def test_booking_assignment_and_notes(client, staff):
    booking = add_booking(staff)
    sign_in_as(client, "editor")
    editor = one(staff, "SELECT id FROM admin_users WHERE email = 'staff-editor@example.com'")[0]
    client.post(f"/admin/leads/bookings/{booking}/details", data={
        "assigned_to": str(editor), "meeting_url": "https://meet.example/abc", "meeting_notes": "Call back Tuesday",
        "follow_up_required": "1", "csrf_token": page_token(client)})  # fmt: skip
    assert one(staff, "SELECT assigned_to, meeting_url, follow_up_required FROM bookings WHERE id = ?", booking) == (
        editor, "https://meet.example/abc", 1)  # fmt: skip


def test_attendance_csv_marks_matching_registrations(client, staff):
    sign_in_as(client, "editor")
    upload = "Email;Minutes\nMARIA.SCHMIDT@example.com;55\ntom.becker@example.com;20\nstranger@example.com;10\n"
    webinar = one(staff, "SELECT id FROM webinars WHERE slug = 'iso-50001-in-practice'")[0]
    answer = client.post(f"/admin/webinars/{webinar}/attendance", content_type="multipart/form-data", data={
        "csrf_token": page_token(client), "file": (io.BytesIO(upload.encode()), "attendance.csv")})  # fmt: skip
    assert answer.status_code == 303
    attended = (
        database.connect(staff)
        .execute(
            "SELECT email, attendance_duration FROM webinar_registrations WHERE attended ORDER BY email"
        )
        .fetchall()
    )
    assert [tuple(row) for row in attended] == [
        ("maria.schmidt@example.com", 55),
        ("tom.becker@example.com", 20),
    ]


# --- privacy ----------------------------------------------------------------------------------


def test_erasure_removes_every_row_of_one_email_and_nothing_else(client, staff):
    conn = database.connect(staff)
    target, other = "erase.me@example.com", "keep.me@example.com"
    for email in (target, other):
        conn.execute(
            "INSERT INTO webinar_registrations (webinar_id, first_name, last_name, email) VALUES (1, 'A', 'B', ?)",
            (email,),
        )
        conn.execute(
            "INSERT INTO whitepaper_downloads (whitepaper_id, first_name, last_name, email) VALUES (1, 'A', 'B', ?)",
            (email,),
        )
        add_booking(staff, email)
    before = {
        t: one(staff, f"SELECT count(*) FROM {t}")[0]
        for t in ("webinar_registrations", "whitepaper_downloads", "bookings")
    }
    sign_in_as(client, "admin")
    found = client.post("/admin/privacy", data={"email": target, "csrf_token": page_token(client)})
    assert "webinar registrations: 1 row<" in found.text
    assert "?email=" not in found.text  # no link carries the address
    exported = client.post(
        "/admin/privacy/export", data={"email": target.upper(), "csrf_token": page_token(client)}
    ).json
    assert {table: len(rows) for table, rows in exported["data"].items()} == {
        "webinar_registrations": 1, "whitepaper_downloads": 1, "bookings": 1, "marketing_consents": 0,
        "mail_outbox": 0}  # fmt: skip
    client.post(
        "/admin/privacy/erase",
        data={"email": target, "confirm": "erase", "csrf_token": page_token(client)},
    )
    after = {t: one(staff, f"SELECT count(*) FROM {t}")[0] for t in before}
    assert after == {t: n - 1 for t, n in before.items()}
    for table in before:
        assert one(staff, f"SELECT count(*) FROM {table} WHERE email = ?", target)[0] == 0
        assert one(staff, f"SELECT count(*) FROM {table} WHERE email = ?", other)[0] == 1
    log = " ".join(
        str(tuple(r))
        for r in database.connect(staff).execute(
            "SELECT * FROM audit_log WHERE action LIKE 'privacy.%'"
        )
    )
    assert "privacy.erase" in log and "privacy.export" in log and target not in log


def test_privacy_requests_never_put_the_email_in_an_address(client, staff):
    sign_in_as(client, "admin")
    assert "a@example.com" not in client.get("/admin/privacy?email=a@example.com").text
    assert client.get("/admin/privacy/export?email=a@example.com").status_code == 405
    unconfirmed = client.post(
        "/admin/privacy/erase", data={"email": "a@example.com", "csrf_token": page_token(client)}
    )
    assert unconfirmed.status_code == 200 and "Tick the confirmation" in unconfirmed.text


@pytest.mark.parametrize(
    "path",
    [
        "/admin/leads/bookings?page=100000000000000000000",
        "/admin/leads/bookings?page=²",
        "/admin/leads/registrations?item=²",
        "/admin/leads/downloads?item=99999999999999999999999",
        "/admin/audit?page=100000000000000000000",
        "/admin/audit?page=٣",
        "/admin/leads/bookings/100000000000000000000000",
    ],
)
def test_numbers_in_addresses_are_read_safely(client, staff, path):
    sign_in_as(client, "admin")
    assert client.get(path).status_code in (200, 404)
