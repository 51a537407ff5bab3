"""Mail through a real SMTP server (aiosmtpd): queued with the lead in one transaction, sent by
the worker in the lead's language with the right headers, parts and attachment; temporary
failures retried, permanent ones kept with their reason; nothing twice; unsubscribed and erased
people get nothing."""

import hashlib
import hmac
import http.server
import json
import re
import threading
from datetime import UTC, datetime, timedelta

import pytest

import database
from commands.worker_commands import MailWork
from database import outbox
from database.setup import media_directory
from database.timestamps import from_sqlite, to_sqlite
from mailer import worker
from mailer.retry import CLAIM
from service.config import Config

from .mailserver import smtp_server
from .test_admin import page_token, sign_in_as
from .test_capture import BOOKING, PAPER, PERSON, UPCOMING


@pytest.fixture
def demo_db_path(demo_site):
    """Every test here runs on SQLite and on PostgreSQL."""
    return demo_site


SECRET = "test-secret-" + "x" * 20


def work(db, smtp_url: str | None, **settings) -> MailWork:
    config = Config(
        database=db, media=media_directory(db), secret_key=SECRET, production=False, **settings
    )
    return MailWork(db, config, smtp_url)


def outbox_rows(db, where="1 = 1", *params) -> list:
    conn = database.connect(db)
    return conn.execute(f"SELECT * FROM mail_outbox WHERE {where} ORDER BY id", params).fetchall()


def by_recipient(inbox, address: str) -> list:
    return [m for m in inbox.messages if m["To"] == address]


def test_every_lead_queues_its_mail_in_its_own_transaction_and_a_refused_one_none(client, mail_db):
    assert client.post(UPCOMING, json={**PERSON, "lang": "de"}).status_code == 201
    assert client.post(PAPER, json=PERSON).status_code == 201
    assert client.post("/api/bookings", json=BOOKING).status_code == 201
    queued = [(r["kind"], r["recipient"], r["language"]) for r in outbox_rows(mail_db)]
    assert ("registration_confirmation", "ada@example.com", "de") in queued
    assert ("download_link", "ada@example.com", "en") in queued
    assert ("booking_received", "ada@example.com", "en") in queued
    assert [k for k, *_ in queued].count("staff_new_lead") == 3
    before = len(queued)
    assert (
        client.post("/api/webinars/no-such-webinar/registrations", json=PERSON).status_code == 404
    )
    assert client.post(UPCOMING, json={**PERSON, "email": "bad"}).status_code == 422
    assert client.post(UPCOMING, json=PERSON).status_code == 200  # already registered: no new mail
    assert len(outbox_rows(mail_db)) == before


def test_each_kind_arrives_in_the_leads_language_with_headers_parts_and_calendar(client, mail_db):
    client.post(UPCOMING, json={**PERSON, "lang": "de"})
    client.post(PAPER, json=PERSON)
    client.post("/api/bookings", json={**BOOKING, "email": "booker@example.com"})
    with smtp_server() as (inbox, url):
        report = work(mail_db, url, studio_url="https://studio.internal.example").run(
            datetime.now(UTC)
        )
    assert (report.sent, report.failed) == (6, 0)
    to_ada = {str(m["Subject"]): m for m in by_recipient(inbox, "ada@example.com")}
    confirmation = next(m for s, m in to_ada.items() if s.startswith("Sie sind angemeldet"))
    assert confirmation["From"] == "Voltaic Systems <hello@voltaic.example>"
    assert (
        confirmation["Content-Language"] == "de"
        and confirmation["Auto-Submitted"] == "auto-generated"
    )
    assert confirmation["Message-ID"].endswith("@voltaic.example>") and confirmation["Date"]
    assert confirmation["List-Unsubscribe"] is None  # transactional: what they just did
    text = confirmation.get_body(("plain",)).get_content()
    html = confirmation.get_body(("html",)).get_content()
    meeting = (
        database.connect(mail_db)
        .execute("SELECT meeting_url FROM webinars WHERE slug = 'energy-monitoring-101'")
        .fetchone()[0]
    )
    assert "Hallo Ada" in text and "Mitteleuropäische" in text and (meeting or "senden wir") in text
    assert "<p>Hallo Ada" in html
    calendar = next(part for part in confirmation.iter_attachments())
    assert calendar.get_content_type() == "text/calendar"
    ics = calendar.get_content()
    assert "BEGIN:VEVENT" in ics and "DTSTART:" in ics and "STATUS:CONFIRMED" in ics
    download = next(m for s, m in to_ada.items() if s.startswith("Your download"))
    assert "/api/downloads/" in download.get_body(("plain",)).get_content()
    assert [str(m["Subject"]) for m in by_recipient(inbox, "booker@example.com")] == [
        "We received your request"
    ]
    notices = by_recipient(inbox, "sales@voltaic.example")
    assert len(notices) == 3
    for notice in notices:
        body = notice.get_body(("plain",)).get_content()
        assert "https://studio.internal.example/admin/leads/" in body  # MAGNETIQ_STUDIO_URL
        assert "ada@example.com" not in body and "Ada" not in body
    assert all(r["status"] == "sent" for r in outbox_rows(mail_db))
    with smtp_server() as (again, url):
        assert work(mail_db, url).run(datetime.now(UTC)).sent == 0  # nothing twice
        assert again.messages == []


def test_a_temporary_refusal_is_retried_and_delivered_once(client, mail_db):
    client.post(PAPER, json=PERSON)
    now = datetime.now(UTC)
    with smtp_server() as (inbox, url):
        inbox.answers = [
            "421 try later",
            "421 try later",
        ]  # the download link, then the staff notice
        first = work(mail_db, url).run(now)
        assert (first.sent, first.retried) == (0, 2)
        row = outbox_rows(mail_db, "kind = 'download_link'")[0]
        assert row["status"] == "queued" and row["last_error"].startswith("421")
        assert from_sqlite(row["send_after"]) > now
        assert work(mail_db, url).run(now).sent == 0  # not before its backoff
        assert work(mail_db, url).run(now + timedelta(minutes=5)).sent == 2
        assert len(by_recipient(inbox, "ada@example.com")) == 1


def test_a_permanent_refusal_gives_up_with_the_reason(client, mail_db):
    client.post(PAPER, json=PERSON)
    with smtp_server() as (inbox, url):
        inbox.answers = ["550 5.1.1 no such mailbox"]
        report = work(mail_db, url).run(datetime.now(UTC))
    row = outbox_rows(mail_db, "kind = 'download_link'")[0]
    assert (
        report.failed == 1 and row["status"] == "failed" and "no such mailbox" in row["last_error"]
    )


def test_a_dropped_connection_and_a_missing_server_are_retried(client, mail_db):
    client.post(PAPER, json=PERSON)
    now = datetime.now(UTC)
    with smtp_server() as (inbox, url):
        inbox.answers = ["drop"]  # the first message's connection is cut before the answer
        first = work(mail_db, url).run(now)
        assert (first.retried, first.sent) == (1, 1)
    assert work(mail_db, url).run(now + timedelta(minutes=5)).retried == 1  # nobody listening now
    with smtp_server() as (inbox, url):
        assert work(mail_db, url).run(now + timedelta(hours=1)).sent == 1
    assert {r["status"] for r in outbox_rows(mail_db)} == {"sent"}


def test_a_worker_killed_mid_batch_repeats_at_most_the_message_in_flight(client, mail_db):
    for n in range(5):
        client.post(PAPER, json={**PERSON, "email": f"reader{n}@example.com"})
    now = datetime.now(UTC)
    conn = database.connect(mail_db)
    claimed = worker.claim(conn, now)  # a worker took the batch …
    assert len(claimed) == 10
    with smtp_server() as (inbox, url):
        in_flight = work(mail_db, url)
        from mailer.compose import compose
        from mailer.smtp import SmtpSettings, send

        site = database.site.read_site_settings(conn)[0]
        smtp = SmtpSettings.from_url(url)
        connection = smtp.connect()
        send(connection, compose(conn, claimed[0], in_flight.sender(site), now))  # … sent one …
        connection.quit()  # … and died before marking it sent.
        assert in_flight.run(now).sent == 0  # the claim still holds: nobody else sends them
        assert in_flight.run(now + CLAIM + timedelta(seconds=1)).sent == 10
        recipients = [m["To"] for m in inbox.messages]
    assert len(recipients) == 11 and len(set(recipients)) == 6  # one repeat at most
    assert all(r["status"] == "sent" for r in outbox_rows(mail_db))


def test_reminders_come_once_each_with_the_worker_clock_moved(
    run_cli, mail_db, monkeypatch, client
):
    starts = datetime(2031, 3, 12, 15, 0, tzinfo=UTC)
    conn = database.connect(mail_db)
    conn.execute("UPDATE webinars SET scheduled_at = ?, registration_deadline = NULL, status = 'scheduled' "
                 "WHERE slug = 'energy-monitoring-101'", (to_sqlite(starts),))  # fmt: skip
    conn.close()
    client.post(UPCOMING, json=PERSON)
    with smtp_server() as (inbox, url):
        monkeypatch.setenv("MAGNETIQ_SMTP_URL", url)
        monkeypatch.setenv("MAGNETIQ_SECRET_KEY", SECRET)
        for hours_before in (30, 23, 22, 0.8, 0.5, -1):
            moment = (starts - timedelta(hours=hours_before)).isoformat()
            code, out, err = run_cli("--db", str(mail_db), "worker", "--once", "--now", moment)
            assert code == 0, err
        subjects = [str(m["Subject"]) for m in by_recipient(inbox, "ada@example.com")]
    reminders = [s for s in subjects if s.startswith(("Tomorrow", "Starting in one hour"))]
    assert sorted(reminders) == sorted(
        ["Tomorrow: Energy monitoring 101", "Starting in one hour: Energy monitoring 101"]
    ), subjects
    assert "List-Unsubscribe" in "".join(
        k
        for m in by_recipient(inbox, "ada@example.com")
        if str(m["Subject"]).startswith("Tomorrow")
        for k in m.keys()
    )


def test_unsubscribed_and_erased_people_get_nothing(
    client, mail_db, capture_app, studio_app, staff
):
    client.post(UPCOMING, json=PERSON)
    conn = database.connect(mail_db)
    registration = conn.execute(
        "SELECT id FROM webinar_registrations WHERE email = 'ada@example.com'"
    ).fetchone()[0]
    with database.transaction(conn):
        outbox.queue(conn, "reminder_24h", "ada@example.com", "en", datetime.now(UTC),
                     lead=("webinar_registrations", registration), dedupe_key="test-reminder")  # fmt: skip
    conn.close()
    with smtp_server() as (inbox, url):
        mail = work(mail_db, url)
        mail.run(datetime.now(UTC))
        reminder = next(m for m in inbox.messages if m["List-Unsubscribe"])
    link = reminder["List-Unsubscribe"].strip("<>")
    path = link.split("://", 1)[1].split("/", 1)[1]
    page = client.get("/" + path)
    assert page.status_code == 200 and '<form method="post"' in page.text
    assert (
        outbox_rows(mail_db, "1 = 1")
        and not database.connect(mail_db).execute("SELECT 1 FROM mail_suppressions").fetchone()
    )  # a scanner's GET unsubscribes nobody
    assert client.post("/" + path, data={"List-Unsubscribe": "One-Click"}).status_code == 200
    assert client.post("/" + path.replace("unsubscribe/", "unsubscribe/x")).status_code == 403
    conn = database.connect(mail_db)
    with database.transaction(conn):
        outbox.queue(conn, "reminder_1h", "ada@example.com", "en", datetime.now(UTC),
                     lead=("webinar_registrations", registration), dedupe_key="test-reminder-2")  # fmt: skip
    conn.close()
    with smtp_server() as (inbox, url):
        assert work(mail_db, url).run(datetime.now(UTC)).dropped == 1
        assert inbox.messages == []
    # erased: the queued mail goes with the person
    client.post(PAPER, json={**PERSON, "email": "erase.me@example.com"})
    studio = studio_app().test_client()
    sign_in_as(studio, "admin")
    erased = studio.post("/admin/privacy/erase", data={"email": "erase.me@example.com", "confirm": "erase",
                                                       "csrf_token": page_token(studio)})  # fmt: skip
    assert erased.status_code in (200, 303)
    assert outbox_rows(mail_db, "recipient = 'erase.me@example.com'") == []
    with smtp_server() as (inbox, url):
        work(mail_db, url).run(datetime.now(UTC))
        assert not [m for m in inbox.messages if m["To"] == "erase.me@example.com"]
        assert all("erase.me" not in m.get_body(("plain",)).get_content() for m in inbox.messages)


def test_without_an_smtp_server_mail_stays_queued(client, mail_db):
    client.post(PAPER, json=PERSON)
    report = work(mail_db, None).run(datetime.now(UTC))
    assert report.sent == 0 and {r["status"] for r in outbox_rows(mail_db)} == {"queued"}


def test_what_staff_change_in_the_studio_reaches_the_people_concerned(
    client, mail_db, studio_app, staff
):
    client.post("/api/bookings", json={**BOOKING, "lang": "de", "email": "booker@example.com"})
    client.post(UPCOMING, json=PERSON)
    booking = database.connect(mail_db).execute("SELECT max(id) FROM bookings").fetchone()[0]
    studio = studio_app().test_client()
    sign_in_as(studio, "editor")
    token = page_token(studio)
    admin = database.connect(mail_db).execute(
        "SELECT id FROM admin_users WHERE email = 'staff-admin@example.com'").fetchone()[0]  # fmt: skip
    studio.post(f"/admin/leads/bookings/{booking}/details",
                data={"csrf_token": token, "meeting_url": "https://meet.example/abc", "assigned_to": str(admin)})  # fmt: skip
    studio.post(f"/admin/leads/bookings/{booking}/details",
                data={"csrf_token": token, "meeting_url": "https://meet.example/abc", "assigned_to": str(admin)})  # fmt: skip
    studio.post(
        f"/admin/leads/bookings/{booking}/status", data={"csrf_token": token, "status": "confirmed"}
    )
    webinar = database.connect(mail_db).execute(
        "SELECT id FROM webinars WHERE slug = 'energy-monitoring-101'").fetchone()[0]  # fmt: skip
    studio.post(f"/admin/webinars/{webinar}/status",
                data={"csrf_token": token, "status": "cancelled", "confirm": "1"})  # fmt: skip
    with smtp_server() as (inbox, url):
        work(mail_db, url).run(datetime.now(UTC))
    confirmed = next(
        m
        for m in by_recipient(inbox, "booker@example.com")
        if str(m["Subject"]).startswith("Bestätigt")
    )
    assert "https://meet.example/abc" in confirmed.get_body(("plain",)).get_content()
    assert "BEGIN:VEVENT" in next(confirmed.iter_attachments()).get_content()
    cancelled = next(
        m
        for m in by_recipient(inbox, "ada@example.com")
        if str(m["Subject"]).startswith("Cancelled")
    )
    assert "STATUS:CANCELLED" in next(cancelled.iter_attachments()).get_content()
    assigned = by_recipient(inbox, "staff-admin@example.com")  # once: saving again is no news
    assert [str(m["Subject"]) for m in assigned] == ["Assigned to you (bookings): demo"]
    assert f"/admin/leads/bookings/{booking}" in assigned[0].get_body(("plain",)).get_content()
    assert "booker@example.com" not in assigned[0].get_body(("plain",)).get_content()
    assert cancelled["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_the_studio_shows_the_outbox_and_the_caught_mail(
    client, mail_db, studio_app, staff, tmp_path
):
    from mailer.catcher import start_catcher

    from .servers import free_port

    client.post(PAPER, json=PERSON)
    studio = studio_app().test_client()
    sign_in_as(studio, "viewer")
    waiting = studio.get("/admin/mail").text
    assert "MAGNETIQ_SMTP_URL is not set" in waiting and "ada@example.com" in waiting
    port, folder = free_port(), tmp_path / "caught"
    catcher = start_catcher(folder, "127.0.0.1", port)
    try:
        assert work(mail_db, f"smtp://127.0.0.1:{port}").run(datetime.now(UTC)).sent == 2
    finally:
        catcher.stop()
    studio = studio_app(smtp_url=f"smtp://127.0.0.1:{port}", mail_catcher=folder).test_client()
    sign_in_as(studio, "viewer")
    page = studio.get("/admin/mail").text
    assert "MAGNETIQ_SMTP_URL is not set" not in page and "Your download: " in page
    key = re.search(r"/admin/mail/caught/([^\"]+)\"", page).group(1)
    shown = studio.get(f"/admin/mail/caught/{key}").text
    assert "/api/downloads/" in shown or "/admin/leads/" in shown
    assert studio.get("/admin/mail/caught/no-such-key").status_code == 404


@pytest.mark.parametrize(
    "subject, text, reason",
    [
        ("Registered: {{ webinar_title }", "Hello", "TemplateSyntaxError"),
        ("Registered", "Hello {{ nickname }}", "UndefinedError"),
        ("Registered", "{{ webinar_title.__class__.__mro__ }}", "SecurityError"),
        ("Registered", "{{ ''.format.__globals__ }}", "SecurityError"),
        ("", "   ", "may not be empty"),
    ],
)
def test_a_broken_or_unsafe_mail_text_is_refused_on_save(studio_app, staff, subject, text, reason):
    studio = studio_app().test_client()
    sign_in_as(studio, "admin")
    answer = studio.post("/admin/mail/templates/registration_confirmation/de",
                         data={"csrf_token": page_token(studio), "subject": subject, "text": text})  # fmt: skip
    assert answer.status_code == 422 and reason in answer.text
    assert (
        database.connect(staff).execute("SELECT count(*) FROM email_templates").fetchone()[0] == 0
    )


def test_an_admin_rewrites_a_mail_text_and_the_next_message_uses_it(
    client, mail_db, studio_app, staff
):
    studio = studio_app().test_client()
    sign_in_as(studio, "editor")
    assert studio.get("/admin/mail/templates").status_code == 403  # admins only
    sign_in_as(studio, "admin")
    page = studio.get("/admin/mail/templates/download_link/en")
    assert (
        page.status_code == 200 and "ISO 50001 checklist" in page.text
    )  # shown with example values
    saved = studio.post("/admin/mail/templates/download_link/en", data={
        "csrf_token": page_token(studio), "subject": "Here it is: {{ whitepaper_title }}",
        "text": "Dear {{ first_name }}, {{ download_url }}",
    })  # fmt: skip
    assert saved.status_code == 303
    client.post(PAPER, json=PERSON)
    studio.post(
        "/admin/mail/templates/download_link/en/test", data={"csrf_token": page_token(studio)}
    )
    with smtp_server() as (inbox, url):
        work(mail_db, url).run(datetime.now(UTC))
    (test,) = by_recipient(inbox, "staff-admin@example.com")
    assert str(test["Subject"]) == "[Test] Here it is: ISO 50001 checklist"  # the example values
    (mine,) = by_recipient(inbox, "ada@example.com")
    assert (
        str(mine["Subject"]).startswith("Here it is: ")
        and "Dear Ada," in mine.get_body(("plain",)).get_content()
    )
    studio.post(
        "/admin/mail/templates/download_link/en/default", data={"csrf_token": page_token(studio)}
    )
    assert "The default text" in studio.get("/admin/mail/templates/download_link/en").text


class Receiver(http.server.BaseHTTPRequestHandler):
    """A webhook receiver that fails as scripted, then accepts, recording what it accepted."""

    answers: list[int] = []
    accepted: list[tuple[dict, bytes]] = []

    def do_POST(self):  # noqa: N802 (http.server's name)
        body = self.rfile.read(int(self.headers["Content-Length"]))
        status = self.answers.pop(0) if self.answers else 200
        if status == 200:
            self.accepted.append((dict(self.headers), body))
        self.send_response(status)
        self.end_headers()

    def log_message(self, *args):
        pass


def test_webhooks_are_signed_retried_and_arrive_once_in_order(client, mail_db, studio_app, staff):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    Receiver.answers, Receiver.accepted = [500, 503], []
    try:
        studio = studio_app().test_client()
        sign_in_as(studio, "admin")
        url = f"http://127.0.0.1:{server.server_address[1]}/hook"
        refused = studio.post(
            "/admin/webhooks", data={"csrf_token": page_token(studio), "url": "ftp://x"}
        )
        assert refused.status_code == 422
        studio.post("/admin/webhooks", data={"csrf_token": page_token(studio), "url": url,
                                             "lead.created": "1", "lead.status_changed": "1"})  # fmt: skip
        secret = database.connect(mail_db).execute("SELECT secret FROM webhooks").fetchone()[0]
        client.post("/api/bookings", json=BOOKING)
        booking = database.connect(mail_db).execute("SELECT max(id) FROM bookings").fetchone()[0]
        studio.post(f"/admin/leads/bookings/{booking}/status",
                    data={"csrf_token": page_token(studio), "status": "confirmed"})  # fmt: skip
        now = datetime.now(UTC)
        first = work(mail_db, None).run(now)  # webhooks go out even without an SMTP server
        assert (first.webhooks.delivered, first.webhooks.retried) == (
            0,
            1,
        )  # the second waits its turn
        assert work(mail_db, None).run(now + timedelta(minutes=5)).webhooks.retried == 1
        assert work(mail_db, None).run(now + timedelta(hours=1)).webhooks.delivered == 2
    finally:
        server.shutdown()
        server.server_close()
    events = [json.loads(body)["event"] for _headers, body in Receiver.accepted]
    assert events == ["lead.created", "lead.status_changed"]  # once each, in order
    for headers, body in Receiver.accepted:  # the documented recipe
        fields = dict(part.split("=", 1) for part in headers["Magnetiq-Signature"].split(","))
        expected = hmac.new(
            secret.encode(), f"{fields['t']}.".encode() + body, hashlib.sha256
        ).hexdigest()
        assert hmac.compare_digest(fields["v1"], expected)
    assert json.loads(Receiver.accepted[1][1])["old_status"] == "pending"
    log = studio.get("/admin/webhooks").text
    assert "lead.status_changed" in log and "Send again" in log
    delivery = (
        database.connect(mail_db).execute("SELECT min(id) FROM webhook_deliveries").fetchone()[0]
    )
    studio.post(
        f"/admin/webhooks/deliveries/{delivery}/again", data={"csrf_token": page_token(studio)}
    )
    assert database.connect(mail_db).execute(
        "SELECT status FROM webhook_deliveries WHERE id = ?", (delivery,)).fetchone()[0] == "queued"  # fmt: skip


def test_double_opt_in_mails_the_link_and_only_a_persons_post_confirms(
    client, mail_db, capture_app
):
    conn = database.connect(mail_db)
    conn.execute("INSERT INTO system_settings (key, value) VALUES ('download_double_opt_in', 'true') "
                 "ON CONFLICT (key) DO UPDATE SET value = excluded.value")  # fmt: skip
    conn.close()
    answer = client.post(PAPER, json={**PERSON, "lang": "de"})
    assert answer.status_code == 201 and "download_url" not in answer.json
    assert answer.json["redirect_to"].endswith("/de/thank-you/confirm/")
    assert [r["kind"] for r in outbox_rows(mail_db, "recipient = 'ada@example.com'")] == [
        "download_confirm"
    ]
    with smtp_server() as (inbox, url):
        work(mail_db, url).run(datetime.now(UTC))
    (mail,) = by_recipient(inbox, "ada@example.com")
    assert str(mail["Subject"]).startswith("Bitte bestätigen")
    link = re.search(
        r"https?://\S+/api/downloads/confirm/\S+", mail.get_body(("plain",)).get_content()
    ).group(0)
    path = "/" + link.split("://", 1)[1].split("/", 1)[1]
    confirmed = "SELECT confirmed_at FROM whitepaper_downloads WHERE email = 'ada@example.com'"
    page = client.get(path)  # what a mail scanner does
    assert page.status_code == 200 and "<button>Bestätigen und herunterladen</button>" in page.text
    assert database.connect(mail_db).execute(confirmed).fetchone()[0] is None
    assert client.post(path.replace("confirm/", "confirm/x")).status_code == 403
    onward = client.post(path)  # the person's click
    assert onward.status_code == 303 and "/api/downloads/" in onward.headers["Location"]
    assert database.connect(mail_db).execute(confirmed).fetchone()[0] is not None
    download = client.get("/" + onward.headers["Location"].split("://", 1)[1].split("/", 1)[1])
    assert download.status_code == 200 and download.mimetype == "application/pdf"
    download.close()


def test_with_the_daily_digest_staff_get_one_count_a_day_instead_of_a_notice_each(client, mail_db):
    conn = database.connect(mail_db)
    conn.execute(
        "INSERT INTO system_settings (key, value) VALUES ('lead_notification_mode', 'daily')"
    )
    conn.close()
    client.post(PAPER, json=PERSON)
    client.post(UPCOMING, json=PERSON)
    assert outbox_rows(mail_db, "kind = 'staff_new_lead'") == []
    now = datetime.now(UTC)
    with smtp_server() as (inbox, url):
        work(mail_db, url).run(now)  # the day is not over: no digest yet
        assert by_recipient(inbox, "sales@voltaic.example") == []
        work(mail_db, url).run(now + timedelta(days=1))
        work(mail_db, url).run(now + timedelta(days=1, hours=1))  # once a day
        work(mail_db, url).run(now + timedelta(days=2))  # a day without leads: nothing
    digests = by_recipient(inbox, "sales@voltaic.example")
    counts = {table: database.connect(mail_db).execute(f"SELECT count(*) FROM {table}").fetchone()[0]
              for table in ("webinar_registrations", "whitepaper_downloads", "bookings")}  # fmt: skip
    assert counts["whitepaper_downloads"] == 1  # all made today, with the demo's registrations
    assert len(digests) == 1 and str(digests[0]["Subject"]).endswith(f": {sum(counts.values())}")
    body = digests[0].get_body(("plain",)).get_content()
    assert f"Registrations: {counts['webinar_registrations']}" in body and "Downloads: 1" in body
    assert "ada@example.com" not in body and "/admin/" in body
