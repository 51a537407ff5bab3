"""An outbox row as a message: the rows it is about read as they are now, the kind's sandboxed
template in the recipient's language, plain text and HTML, the headers, an `.ics` where a date
is promised. Something that no longer applies (the lead erased, the webinar cancelled before
its reminder, the address unsubscribed) is a `Drop` with the reason, not a message."""

import html
import json
import re
import sqlite3
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from email.message import EmailMessage
from email.utils import format_datetime, formataddr, make_msgid

from database import outbox, routes
from database.site import SiteSettings
from database.timestamps import from_sqlite
from generator.i18n import event_time
from generator.ics import webinar_calendar
from service.unsubscribe import unsubscribe_token

from .templating import VARIABLES, as_source, render, render_source

LEAD_LISTS = {"webinar_registrations": "registrations", "whitepaper_downloads": "downloads",
              "bookings": "bookings"}  # fmt: skip
WEBINAR_KINDS = ("registration_confirmation", "reminder_24h", "reminder_1h", "webinar_changed",
                 "webinar_cancelled", "recording")  # fmt: skip


@dataclass(frozen=True)
class Drop:
    reason: str


@dataclass(frozen=True)
class Sender:
    """What every message needs besides its row: the site, who sends, where links point."""

    site: SiteSettings
    secret: str
    studio_url: str  # where staff links lead (the studio's address)
    download_hours: int


def compose(conn: sqlite3.Connection, row, sender: Sender, now: datetime) -> EmailMessage | Drop:
    kind = row["kind"]
    optional = kind in outbox.UNSUBSCRIBABLE
    if optional and outbox.is_suppressed(conn, row["recipient"]):
        return Drop("the address unsubscribed")
    site = sender.site
    lang = row["language"] if row["language"] in site.languages else site.default_language
    values = read_values(conn, row, lang, sender, now)
    if isinstance(values, Drop):
        return values
    attachment = values.pop("calendar", None)
    unsubscribe = None
    if optional:
        token = unsubscribe_token(sender.secret, row["recipient"], row["campaign_id"])
        unsubscribe = f"{site.capture_url}{routes.unsubscribe(token)}?lang={lang}"
        values["unsubscribe_url"] = unsubscribe
    payload = json.loads(row["payload"])
    # A test of an edited text or a campaign is marked as a test.
    testing = payload.get("test") or kind == "template_test"
    values = {**values, "site_title": text_in(site.title, lang, site)}
    if kind == "campaign":
        subject, text = render_source(campaign_source(conn, payload["campaign"]), values)
    else:
        subject, text = render(conn, payload.get("template") or kind, lang, values)
    subject = f"[Test] {subject}" if testing else subject
    message = EmailMessage()
    message["From"] = formataddr((sender.site.sender_name, sender.site.sender_address))
    message["To"] = row["recipient"]
    message["Subject"] = subject
    message["Date"] = format_datetime(now)
    message["Message-ID"] = make_msgid(
        idstring=f"outbox{row['id']}", domain=sender.site.sender_address.rsplit("@", 1)[1]
    )
    message["Auto-Submitted"] = "auto-generated"  # RFC 3834: no vacation replies, please
    if unsubscribe:
        message["List-Unsubscribe"] = f"<{unsubscribe}>"
        message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message.set_content(text)
    message.add_alternative(as_html(text, lang, subject), subtype="html")
    if attachment:
        message.add_attachment(attachment, maintype="text", subtype="calendar", filename="invite.ics",
                               params={"method": "PUBLISH"})  # fmt: skip
    message["Content-Language"] = lang  # last: setting the content clears Content- headers
    return message


LINK = re.compile(r"https?://[^\s<>\"]+")


def as_html(text: str, lang: str, title: str) -> str:
    """The plain text as simple HTML: paragraphs, line breaks and clickable links, all escaped."""

    def paragraph(block: str) -> str:
        escaped = html.escape(block)
        linked = LINK.sub(lambda m: f'<a href="{m.group(0)}">{m.group(0)}</a>', escaped)
        return "<p>" + linked.replace("\n", "<br>\n") + "</p>"

    body = "\n".join(paragraph(block) for block in text.strip().split("\n\n"))
    return (f'<!doctype html>\n<html lang="{lang}"><head><meta charset="utf-8"><title>{html.escape(title)}</title></head>\n'
            f'<body style="font-family: sans-serif; line-height: 1.5; max-width: 40rem">\n{body}\n</body></html>\n')  # fmt: skip


def text_in(texts: dict, lang: str, site: SiteSettings) -> str:
    return texts.get(lang) or texts.get(site.default_language) or next(iter(texts.values()), "")


def translations(raw: str | None) -> dict:
    try:
        value = json.loads(raw or "{}")
    except json.JSONDecodeError:
        return {}
    return value if isinstance(value, dict) else {}


def campaign_source(conn, campaign_id: int) -> str:
    found = conn.execute(
        "SELECT subject, text_content FROM email_campaigns WHERE id = ?", (campaign_id,)
    ).fetchone()
    return as_source(found["subject"], found["text_content"] or "")


def read_values(conn, row, lang: str, sender: Sender, now: datetime) -> dict | Drop:
    kind, site = row["kind"], sender.site
    if kind == "template_test":
        return dict(VARIABLES[json.loads(row["payload"])["template"]])
    if kind == "campaign":
        return campaign_values(conn, row)
    if kind in ("staff_new_lead", "staff_assigned"):
        return staff_values(conn, row, lang, sender)
    if kind == "staff_digest":
        return digest_values(conn, row, sender)
    if kind in WEBINAR_KINDS:
        found = conn.execute(
            "SELECT r.first_name, r.send_reminder, r.send_recording, w.* FROM webinar_registrations r "
            "JOIN webinars w ON w.id = r.webinar_id WHERE r.id = ?", (row["lead_id"],)).fetchone()  # fmt: skip
        if found is None:
            return Drop("the registration no longer exists")
        return webinar_values(found, kind, lang, site, now)
    if kind in ("download_link", "download_confirm"):
        found = conn.execute(
            "SELECT d.first_name, w.title FROM whitepaper_downloads d JOIN whitepapers w ON w.id = d.whitepaper_id "
            "WHERE d.id = ?", (row["lead_id"],)).fetchone()  # fmt: skip
        if found is None:
            return Drop("the download no longer exists")
        return {"first_name": found["first_name"], "whitepaper_title": text_in(translations(found["title"]), lang, site),
                "download_url": json.loads(row["payload"])["url"], "link_hours": sender.download_hours}  # fmt: skip
    found = conn.execute(
        "SELECT * FROM bookings WHERE id = ? AND deleted_at IS NULL", (row["lead_id"],)
    ).fetchone()
    if found is None:
        return Drop("the booking no longer exists")
    return booking_values(found, kind, lang, site)


def campaign_values(conn, row) -> dict | Drop:
    """A campaign greets by the name of the lead that put the person in its segment; a test
    send, which has no lead, uses the example values."""
    campaign = conn.execute(
        "SELECT status, deleted_at FROM email_campaigns WHERE id = ?",
        (json.loads(row["payload"])["campaign"],),
    ).fetchone()
    if campaign is None or (row["campaign_id"] and campaign["deleted_at"]):
        return Drop("the campaign no longer exists")
    if row["lead_table"] is None:
        return dict(VARIABLES["campaign"])
    assert row["lead_table"] in LEAD_LISTS
    found = conn.execute(
        f"SELECT first_name FROM {row['lead_table']} WHERE id = ?", (row["lead_id"],)
    ).fetchone()
    if found is None:
        return Drop("the lead no longer exists")
    return {"first_name": found["first_name"]}


def webinar_values(found, kind: str, lang: str, site: SiteSettings, now: datetime) -> dict | Drop:
    starts = from_sqlite(found["scheduled_at"])
    if kind.startswith("reminder_") and not found["send_reminder"]:
        return Drop("no reminders wanted")
    if kind.startswith("reminder_") and (found["status"] != "scheduled" or now >= starts):
        return Drop("the webinar is not ahead any more")
    if kind == "recording" and not (found["send_recording"] and found["recording_url"]):
        return Drop("no recording to send")
    title = text_in(translations(found["title"]), lang, site)
    page = site.site_url + routes.webinar(lang, found["slug"])
    values = {
        "first_name": found["first_name"], "webinar_title": title, "when": event_time(starts, found["timezone"] or "UTC", lang),
        "duration_minutes": found["duration_minutes"] or 60, "join_url": found["meeting_url"] or "",
        "webinar_url": page, "recording_url": found["recording_url"] or "",
        "hours": 24 if kind == "reminder_24h" else 1,
    }  # fmt: skip
    if kind != "recording":
        host = site.site_url.split("://", 1)[-1]
        values["calendar"] = webinar_calendar(
            uid=f"webinar-{found['id']}@{host}", title=title, description=found["meeting_url"] or page,
            url=found["meeting_url"] or page, start=starts, minutes=values["duration_minutes"],
            stamp=from_sqlite(found["updated_at"]), cancelled=kind == "webinar_cancelled", language=lang,
        )  # fmt: skip
    return values


def booking_values(found, kind: str, lang: str, site: SiteSettings) -> dict:
    zone = found["timezone"] or "UTC"
    starts = from_sqlite(found["preferred_date"]) if found["preferred_date"] else None
    values = {"first_name": found["first_name"], "booking_type": found["booking_type"] or "",
              "when": event_time(starts, zone, lang) if starts else "", "meeting_url": found["meeting_url"] or "",
              "subject": found["subject"] or ""}  # fmt: skip
    if kind == "booking_confirmed" and starts:
        host = site.site_url.split("://", 1)[-1]
        values["calendar"] = webinar_calendar(
            uid=f"booking-{found['id']}@{host}", title=text_in(site.title, lang, site),
            description=found["meeting_url"] or "", url=found["meeting_url"] or site.site_url, start=starts,
            minutes=found["duration_minutes"] or 30, stamp=from_sqlite(found["updated_at"]), cancelled=False,
            language=lang,
        )  # fmt: skip
    return values


def digest_values(conn, row, sender: Sender) -> dict:
    """Counts and a link, no person: the day's leads as they are now (erased ones not counted)."""
    day = date.fromisoformat(json.loads(row["payload"])["day"])
    start = datetime.combine(day, time(), tzinfo=UTC)
    counts = outbox.leads_between(conn, start, start + timedelta(days=1))
    return {
        **counts,
        "day": day.isoformat(),
        "studio_url": sender.studio_url + routes.studio_home(),
    }


def staff_values(conn, row, lang: str, sender: Sender) -> dict | Drop:
    """Enough to act on, no more: what kind of lead, about what, and the link into the studio."""
    table, lead_id = row["lead_table"], row["lead_id"]
    about = {
        "webinar_registrations": "SELECT w.title FROM webinar_registrations r JOIN webinars w ON w.id = r.webinar_id WHERE r.id = ?",
        "whitepaper_downloads": "SELECT w.title FROM whitepaper_downloads d JOIN whitepapers w ON w.id = d.whitepaper_id WHERE d.id = ?",
        "bookings": "SELECT booking_type AS title FROM bookings WHERE id = ? AND deleted_at IS NULL",
    }[table]  # fmt: skip
    found = conn.execute(about, (lead_id,)).fetchone()
    if found is None:
        return Drop("the lead no longer exists")
    title = found["title"] or ""
    title = text_in(translations(title), lang, sender.site) if title.startswith("{") else title
    return {"lead_kind": LEAD_LISTS[table], "about": title,
            "studio_url": sender.studio_url + routes.studio_lead(LEAD_LISTS[table], lead_id)}  # fmt: skip
