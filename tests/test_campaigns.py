"""Consent to marketing mail and campaigns: the forms' checkbox carries the wording's version,
the consent is stored with the lead, a changed wording is a new version; a campaign reaches only
people of its segment who consented in its language and did not unsubscribe, goes out through
the outbox and a real SMTP server, and keeps its counters true."""

from datetime import UTC, datetime, timedelta

import pytest

import database
from database import consent

from .mailserver import smtp_server
from .test_admin import page_token, sign_in_as
from .test_capture import PERSON, UPCOMING
from .test_mail import work

pytestmark = pytest.mark.usefixtures("staff", "builds_in_tmp")
WEBINAR = "energy-monitoring-101"


@pytest.fixture
def demo_db_path(demo_site):
    """Every test here runs on SQLite and on PostgreSQL."""
    return demo_site


def rows(db, sql: str, *params) -> list:
    conn = database.connect(db)
    return conn.execute(sql, params).fetchall()


def register(client, email: str, lang: str = "en", consent_version: str | None = "1"):
    body = {**PERSON, "email": email, "lang": lang}
    if consent_version is not None:
        body["marketing_consent"] = consent_version
    return client.post(UPCOMING, json=body)


def test_the_forms_offer_the_checkbox_and_a_tick_is_stored_with_its_wording(
    client, build, demo_db_path, tmp_path, studio_app
):
    build(demo_db_path)
    output = tmp_path / "output"
    page = (output / "de" / "webinars" / WEBINAR / "index.html").read_text()
    assert 'name="marketing_consent" type="checkbox" value="1"' in page
    assert "Ja, schicken Sie mir gelegentlich Neuigkeiten" in page
    booking = (output / "en" / "book" / "index.html").read_text()
    assert "Yes, send me Voltaic Systems&#39; news" in booking

    assert register(client, "ada@example.com", "de").status_code == 201
    assert register(client, "bob@example.com", consent_version=None).status_code == 201
    given = rows(demo_db_path, "SELECT * FROM marketing_consents")
    assert [(r["email"], r["version"], r["language"], r["lead_table"]) for r in given] == [
        ("ada@example.com", 1, "de", "webinar_registrations")
    ]
    forged = register(client, "eve@example.com", "de", consent_version="99")
    assert forged.status_code == 422
    assert "Werbe-Mails" in forged.json["errors"]["marketing_consent"]
    assert not rows(
        demo_db_path, "SELECT 1 FROM webinar_registrations WHERE email = 'eve@example.com'"
    )

    studio = studio_app().test_client()
    sign_in_as(studio, "admin")
    ada = rows(
        demo_db_path, "SELECT id FROM webinar_registrations WHERE email = 'ada@example.com'"
    )[0][0]
    detail = studio.get(f"/admin/leads/registrations/{ada}").text
    assert "wording version 1, de" in detail and "Ja, schicken Sie mir gelegentlich" in detail
    bob = rows(
        demo_db_path, "SELECT id FROM webinar_registrations WHERE email = 'bob@example.com'"
    )[0][0]
    assert "no consent" in studio.get(f"/admin/leads/registrations/{bob}").text
    studio.post("/admin/privacy/erase", data={"email": "ada@example.com", "confirm": "erase",
                                              "csrf_token": page_token(studio)})  # fmt: skip
    assert rows(demo_db_path, "SELECT * FROM marketing_consents") == []


def test_a_changed_wording_is_a_new_version_and_old_consents_keep_theirs(demo_db_path, client):
    register(client, "ada@example.com")
    conn = database.connect(demo_db_path)
    now = datetime.now(UTC)
    with database.transaction(conn):
        same = consent.save_wording(conn, consent.current_wording(conn).texts, now)
    assert same.version == 1
    with database.transaction(conn):
        changed = consent.save_wording(conn, {"en": "Send me news.", "de": ""}, now)
    assert changed == consent.Wording(2, {"en": "Send me news."})
    assert consent.current_wording(conn) == changed
    assert rows(demo_db_path, "SELECT version FROM marketing_consents")[0][0] == 1
    assert rows(
        demo_db_path, "SELECT text FROM consent_wordings WHERE version = 1 AND language = 'en'"
    )
    with database.transaction(conn):
        assert consent.save_wording(conn, {"en": "", "de": ""}, now) is None
    assert consent.current_wording(conn) is None
    conn.close()
    assert (
        register(client, "late@example.com", consent_version="1").status_code == 201
    )  # an old page


def campaign_form(client, **changes) -> dict:
    webinar = rows(client.application.config["MAGNETIQ"].database,
                   "SELECT id FROM webinars WHERE slug = ?", WEBINAR)[0][0]  # fmt: skip
    form = {"csrf_token": page_token(client), "name": "Autumn news", "language": "en",
            "subject": "News for {{ first_name }}",
            "text": "Hello {{ first_name }},\n\nnews.\n\nNo more: {{ unsubscribe_url }}",
            "segment": "webinar", "webinar_id": str(webinar), "attended": "any", "action": "save"}  # fmt: skip
    form.update(changes)
    return form


def test_a_campaign_reaches_only_consenting_people_in_its_language_and_counts_its_outcomes(
    client, mail_db, studio_app, tmp_path
):
    register(client, "ada@example.com")  # consented in English
    register(client, "bob@example.com", consent_version=None)  # no consent
    register(client, "cleo@example.com", "de")  # consented in German
    register(client, "dan@example.com")  # consented, then unsubscribed
    register(client, "eve@example.com")  # consented; their server refuses the campaign
    conn = database.connect(mail_db)
    with database.transaction(conn):
        database.outbox.suppress(conn, "dan@example.com", "unsubscribed", datetime.now(UTC))
    conn.close()
    with smtp_server() as (inbox, url):
        work(mail_db, url).run(datetime.now(UTC))  # the registrations' own mail first

    studio = studio_app().test_client()
    sign_in_as(studio, "viewer")
    assert studio.get("/admin/campaigns").status_code == 403
    sign_in_as(studio, "editor")
    broken = studio.post(
        "/admin/campaigns/new", data=campaign_form(studio, text="{{ first_name.__class__ }}")
    )
    assert broken.status_code == 422 and rows(mail_db, "SELECT * FROM email_campaigns") == []
    saved = studio.post("/admin/campaigns/new", data=campaign_form(studio), follow_redirects=True)
    assert "reaches 2 people now" in saved.text  # ada and eve
    campaign = rows(mail_db, "SELECT * FROM email_campaigns")[0]
    assert (campaign["status"], campaign["recipient_type"], campaign["language"]) == (
        "draft",
        "segment",
        "en",
    )

    tested = studio.post(
        f"/admin/campaigns/{campaign['id']}", data=campaign_form(studio, action="test")
    )
    assert tested.status_code == 303
    later = (datetime.now(UTC) + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    studio.post(f"/admin/campaigns/{campaign['id']}",
                data=campaign_form(studio, action="schedule", send_at=later, zone="UTC"))  # fmt: skip
    assert rows(mail_db, "SELECT status FROM email_campaigns")[0][0] == "scheduled"
    changed = studio.post(f"/admin/campaigns/{campaign['id']}", data=campaign_form(studio, name="Changed"),
                          follow_redirects=True)  # fmt: skip
    assert "only a draft can be changed" in changed.text
    assert rows(mail_db, "SELECT name FROM email_campaigns")[0][0] == "Autumn news"

    with smtp_server() as (inbox, url):
        work(mail_db, url).run(datetime.now(UTC))
        assert [str(m["Subject"]) for m in inbox.messages] == ["[Test] News for Ada"]
        assert inbox.messages[0]["To"] == "staff-editor@example.com"
        assert rows(mail_db, "SELECT status FROM email_campaigns")[0][0] == "scheduled"
        inbox.answers = ["250 OK", "550 5.1.1 no such mailbox"]  # ada, then eve
        inbox.messages.clear()
        report = work(mail_db, url).run(datetime.now(UTC) + timedelta(days=1, minutes=1))
        assert (report.sent, report.failed) == (1, 1)
    # "250 OK" scripted is an answer without recording: count the outbox instead
    sent = rows(
        mail_db,
        "SELECT recipient, status FROM mail_outbox WHERE campaign_id IS NOT NULL ORDER BY recipient",
    )
    assert [tuple(r) for r in sent] == [("ada@example.com", "sent"), ("eve@example.com", "failed")]
    campaign = rows(mail_db, "SELECT * FROM email_campaigns")[0]
    assert (campaign["status"], campaign["total_recipients"], campaign["emails_sent"],
            campaign["emails_bounced"], campaign["unsubscribes"]) == ("sent", 2, 1, 1, 0)  # fmt: skip
    assert campaign["sent_at"]


def test_a_campaign_mail_unsubscribes_in_one_click_and_counts_it(client, mail_db, studio_app):
    register(client, "ada@example.com")
    studio = studio_app().test_client()
    sign_in_as(studio, "editor")
    studio.post("/admin/campaigns/new", data=campaign_form(studio))
    campaign_id = rows(mail_db, "SELECT id FROM email_campaigns")[0][0]
    studio.post(f"/admin/campaigns/{campaign_id}/now", data={"csrf_token": page_token(studio)})
    with smtp_server() as (inbox, url):
        work(mail_db, url).run(datetime.now(UTC) + timedelta(seconds=1))
        news = next(m for m in inbox.messages if str(m["Subject"]) == "News for Ada")
    assert news["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    body = news.get_body(("plain",)).get_content()
    assert body.startswith("Hello Ada,") and news["List-Unsubscribe"].strip("<>") in body
    path = "/" + news["List-Unsubscribe"].strip("<>").split("://", 1)[1].split("/", 1)[1]
    assert client.get(path).status_code == 200
    assert (
        rows(mail_db, "SELECT unsubscribes FROM email_campaigns")[0][0] == 0
    )  # a GET does nothing
    client.post(path, data={"List-Unsubscribe": "One-Click"})
    client.post(path, data={"List-Unsubscribe": "One-Click"})  # twice is still one person
    assert rows(mail_db, "SELECT unsubscribes FROM email_campaigns")[0][0] == 1
    # the next campaign to the same segment leaves them out
    studio.post("/admin/campaigns/new", data=campaign_form(studio, name="Winter news"))
    again = studio.get(f"/admin/campaigns/{campaign_id + 1}")
    assert "reaches 0 people now" in again.text
