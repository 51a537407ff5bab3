"""The mail outbox (deviation D16) as every part writes to it: capture and the studio queue a
message in the transaction that causes it; the worker (`mailer/`) sends it.

A queued row names what to send, to whom, in which language and about which lead; the worker
renders it from the rows as they are when it is sent. Plain SQL both SQLite and PostgreSQL run;
times come from the caller.
"""

import json
import sqlite3
from datetime import datetime

from . import webhooks
from .timestamps import to_sqlite

# Mail that confirms what the person just did: sent even to a suppressed address, with no
# unsubscribe link. Everything else (reminders, recordings, notices) honours the suppression list.
TRANSACTIONAL = frozenset({"registration_confirmation", "download_link", "download_confirm", "booking_received",
                           "booking_confirmed", "booking_cancelled"})  # fmt: skip
# Mail to the person that they may turn off (one-click unsubscribe); staff notices and tests of
# an edited text are internal.
UNSUBSCRIBABLE = frozenset({"reminder_24h", "reminder_1h", "webinar_changed", "webinar_cancelled",
                            "recording", "campaign"})  # fmt: skip
STAFF = frozenset({"staff_new_lead", "staff_assigned", "staff_digest"})
KINDS = TRANSACTIONAL | UNSUBSCRIBABLE | STAFF | {"template_test"}


def queue(
    conn: sqlite3.Connection,
    kind: str,
    recipient: str,
    language: str,
    now: datetime,
    *,
    lead: tuple[str, int] | None = None,
    payload: dict | None = None,
    dedupe_key: str | None = None,
    send_after: datetime | None = None,
    campaign: int | None = None,
) -> bool:
    """Queue one message (call inside the transaction of what causes it); False when a message
    with the same `dedupe_key` was queued before, which then stays the only one. `campaign`
    marks a campaign's own sends, whose outcomes its counters follow (a test send is not one)."""
    assert kind in KINDS, kind
    table, lead_id = lead or (None, None)
    return bool(
        conn.execute(
            "INSERT INTO mail_outbox (kind, recipient, language, lead_table, lead_id, payload, "
            "dedupe_key, send_after, created_at, campaign_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT (dedupe_key) DO NOTHING",
            (kind, recipient, language, table, lead_id, json.dumps(payload or {}, sort_keys=True),
             dedupe_key, to_sqlite(send_after or now), to_sqlite(now), campaign),
        ).rowcount
    )  # fmt: skip


def staff_recipients(conn: sqlite3.Connection) -> list[str]:
    """Who hears of each new lead: the `lead_notification_recipients` setting (addresses
    separated by commas)."""
    row = conn.execute(
        "SELECT value FROM system_settings WHERE key = 'lead_notification_recipients'"
    ).fetchone()
    return [address.strip() for address in (row[0] if row else "").split(",") if address.strip()]


def announce_new_lead(
    conn: sqlite3.Connection, lead_table: str, lead_id: int, now: datetime
) -> None:
    """Everyone who hears of a new lead: staff by mail, and the webhooks that want it."""
    notify_staff(conn, lead_table, lead_id, now)
    webhooks.queue_event(conn, "lead.created", lead_table, lead_id, now)


def notify_staff(conn: sqlite3.Connection, lead_table: str, lead_id: int, now: datetime) -> None:
    """One notice per configured staff address about a new lead, in that staff member's studio
    language (else the site's default). It names the lead's kind and links into the studio; the
    person's details stay there. With the daily digest chosen, the digest tells them instead."""
    if notification_mode(conn) == "daily":
        return
    for address in staff_recipients(conn):
        queue(conn, "staff_new_lead", address, staff_language(conn, address), now,
              lead=(lead_table, lead_id), dedupe_key=f"staff_new_lead:{lead_table}:{lead_id}:{address}")  # fmt: skip


def tell_assignee(conn: sqlite3.Connection, booking_id: int, staff_id: int, now: datetime) -> None:
    """The staff member a booking was just assigned to hears of it, in their studio language."""
    (address,) = conn.execute("SELECT email FROM admin_users WHERE id = ?", (staff_id,)).fetchone()
    queue(conn, "staff_assigned", address, staff_language(conn, address), now,
          lead=("bookings", booking_id))  # fmt: skip


# How staff hear of new leads: a notice for each, or one digest a day (the setting
# `lead_notification_mode`).
NOTIFICATION_MODES = ("each", "daily")


def notification_mode(conn: sqlite3.Connection) -> str:
    row = conn.execute(
        "SELECT value FROM system_settings WHERE key = 'lead_notification_mode'"
    ).fetchone()
    return row[0] if row and row[0] in NOTIFICATION_MODES else "each"


def staff_language(conn: sqlite3.Connection, address: str) -> str:
    """A staff member's studio language, else the site's default (an address of no staff member)."""
    staff = conn.execute(
        "SELECT language FROM admin_users WHERE lower(email) = ?", (address.lower(),)
    ).fetchone()
    return (staff and staff[0]) or default_language(conn)


LEAD_TIMES = {"registrations": ("webinar_registrations", "registered_at"),
              "downloads": ("whitepaper_downloads", "downloaded_at"), "bookings": ("bookings", "created_at")}  # fmt: skip


def leads_between(conn: sqlite3.Connection, start: datetime, end: datetime) -> dict[str, int]:
    """New leads per list (registrations, downloads, bookings) from `start` up to `end`."""
    return {
        name: conn.execute(
            f"SELECT count(*) FROM {table} WHERE {column} >= ? AND {column} < ?",
            (to_sqlite(start), to_sqlite(end)),
        ).fetchone()[0]  # fmt: skip
        for name, (table, column) in LEAD_TIMES.items()
    }


def default_language(conn: sqlite3.Connection) -> str:
    """The site's default language as stored (the worker falls back to it for any it cannot use)."""
    row = conn.execute(
        "SELECT value FROM system_settings WHERE key = 'default_language'"
    ).fetchone()
    return (row and row[0]) or "en"


def lead_language(conn: sqlite3.Connection, lead_table: str, lead_id: int) -> str | None:
    """The language a lead wrote in, as its first message was queued (lead rows have none)."""
    row = conn.execute(
        "SELECT language FROM mail_outbox WHERE lead_table = ? AND lead_id = ? "
        "AND kind NOT IN ('staff_new_lead', 'staff_assigned') ORDER BY id LIMIT 1",
        (lead_table, lead_id),
    ).fetchone()
    return row[0] if row else None


def is_suppressed(conn: sqlite3.Connection, email: str) -> bool:
    return (
        conn.execute("SELECT 1 FROM mail_suppressions WHERE email = ?", (email.lower(),)).fetchone()
        is not None
    )


def suppress(conn: sqlite3.Connection, email: str, reason: str, now: datetime) -> bool:
    """False when the address was suppressed already."""
    return bool(
        conn.execute(
            "INSERT INTO mail_suppressions (email, reason, created_at) VALUES (?, ?, ?) "
            "ON CONFLICT (email) DO NOTHING",
            (email.lower(), reason, to_sqlite(now)),
        ).rowcount
    )


def forget_recipient(conn: sqlite3.Connection, email: str) -> int:
    """A privacy erase: the person's queued and logged mail goes (the suppression stays, so an
    erased person who unsubscribed is not mailed again by a later import)."""
    return conn.execute(
        "DELETE FROM mail_outbox WHERE lower(recipient) = ?", (email.lower(),)
    ).rowcount


LEAD_TABLES = ("webinar_registrations", "whitepaper_downloads", "bookings")


def queue_about_lead(conn: sqlite3.Connection, kind: str, lead_table: str, lead_id: int,
                     now: datetime, dedupe_key: str | None = None) -> bool:  # fmt: skip
    """A message to the person behind a lead, in the language they wrote in (call inside the
    transaction of the change it tells them about)."""
    assert lead_table in LEAD_TABLES
    row = conn.execute(f"SELECT email FROM {lead_table} WHERE id = ?", (lead_id,)).fetchone()
    if row is None:
        return False
    language = lead_language(conn, lead_table, lead_id) or default_language(conn)
    return queue(
        conn, kind, row[0], language, now, lead=(lead_table, lead_id), dedupe_key=dedupe_key
    )


def tell_registrants(conn: sqlite3.Connection, kind: str, webinar_id: int, now: datetime,
                     occasion: str) -> int:  # fmt: skip
    """One message of `kind` to everyone registered for a webinar, once per `occasion`."""
    ids = [row[0] for row in conn.execute(
        "SELECT id FROM webinar_registrations WHERE webinar_id = ? ORDER BY id", (webinar_id,))]  # fmt: skip
    return sum(
        queue_about_lead(
            conn,
            kind,
            "webinar_registrations",
            registration_id,
            now,
            dedupe_key=f"{kind}:{registration_id}:{occasion}",
        )  # fmt: skip
        for registration_id in ids
    )
