"""Campaigns (`email_campaigns`, deviation D23): who a segment reaches, and a campaign's way from
scheduled through sending to sent, with its counters kept by the outbox's outcomes.

A segment only ever holds people who gave consent to marketing mail in the campaign's language
(D22) and are not on the suppression list (D17). Plain SQL both SQLite and PostgreSQL run.
"""

import json
import sqlite3
from dataclasses import asdict, dataclass
from datetime import datetime

from . import outbox
from .messages import Message
from .numbers import whole_number
from .timestamps import to_sqlite

# What a segment may filter on, per kind of lead.
ATTENDANCE = ("any", "yes", "no")
BOOKING_STATUSES = ("any", "pending", "confirmed", "completed", "cancelled", "no_show")
SEGMENT_KINDS = ("webinar", "whitepaper", "bookings")


@dataclass(frozen=True)
class Segment:
    kind: str  # webinar: its registrants; whitepaper: its downloaders; bookings: by status
    target: int | None = None  # the webinar's or whitepaper's id
    only: str = "any"  # attended yes/no (webinar), a booking status (bookings)

    def as_json(self) -> str:
        return json.dumps(asdict(self), sort_keys=True)

    @classmethod
    def from_json(cls, text: str | None) -> "Segment | None":
        try:
            stored = json.loads(text or "null")
            return cls(**stored) if isinstance(stored, dict) else None
        except (json.JSONDecodeError, TypeError):
            return None


@dataclass(frozen=True)
class Recipient:
    email: str
    lead_table: str
    lead_id: int  # their latest lead in the segment: where the greeting's name comes from


def segment_from_form(form) -> tuple[Segment | None, Message | None]:
    """A segment from the studio's fields `segment`, `webinar_id`, `whitepaper_id`, `only`."""
    kind = form.get("segment", "")
    if kind not in SEGMENT_KINDS:
        return None, Message("choose who receives it")
    if kind == "bookings":
        only = form.get("booking_status", "any")
        if only not in BOOKING_STATUSES:
            return None, Message("choose a booking status")
        return Segment(kind, None, only), None
    target = whole_number(form.get(f"{kind}_id", ""), minimum=1)
    if target is None:
        which = (
            Message("choose the webinar") if kind == "webinar" else Message("choose the whitepaper")
        )
        return None, which
    only = form.get("attended", "any") if kind == "webinar" else "any"
    if only not in ATTENDANCE:
        return None, Message("choose attended, not attended or both")
    return Segment(kind, target, only), None


def recipients(conn: sqlite3.Connection, segment: Segment, language: str) -> list[Recipient]:
    """Everyone the segment holds, once per address, in address order."""
    table, where, params = {
        "webinar": ("webinar_registrations", "webinar_id = ?", [segment.target]),
        "whitepaper": ("whitepaper_downloads", "whitepaper_id = ?", [segment.target]),
        "bookings": ("bookings", "deleted_at IS NULL", []),
    }[segment.kind]
    if segment.kind == "webinar" and segment.only != "any":
        where += " AND attended = ?"
        params.append(segment.only == "yes")
    if segment.kind == "bookings" and segment.only != "any":
        where += " AND status = ?"
        params.append(segment.only)
    rows = conn.execute(
        f"SELECT lower(l.email) AS address, max(l.id) AS lead_id FROM {table} l WHERE {where} "
        "AND EXISTS (SELECT 1 FROM marketing_consents c WHERE c.email = lower(l.email) AND c.language = ?) "
        "AND NOT EXISTS (SELECT 1 FROM mail_suppressions s WHERE s.email = lower(l.email)) "
        "GROUP BY lower(l.email) ORDER BY lower(l.email)",
        (*params, language),
    ).fetchall()  # fmt: skip
    return [Recipient(row[0], table, row[1]) for row in rows]


def start_due(conn: sqlite3.Connection, now: datetime) -> int:
    """Queue every scheduled campaign whose time has come, one outbox row per recipient (call
    inside a write transaction); how many messages were queued. The segment is read now, so
    whoever unsubscribed since the campaign was written is not in it."""
    due = conn.execute(
        "SELECT id, language, recipient_config FROM email_campaigns WHERE status = 'scheduled' "
        "AND send_at <= ? AND deleted_at IS NULL ORDER BY send_at, id",
        (to_sqlite(now),),
    ).fetchall()
    queued = 0
    for campaign in due:
        segment = Segment.from_json(campaign["recipient_config"])
        people = recipients(conn, segment, campaign["language"]) if segment else []
        for person in people:
            queued += outbox.queue(
                conn, "campaign", person.email, campaign["language"], now,
                lead=(person.lead_table, person.lead_id), payload={"campaign": campaign["id"]},
                dedupe_key=f"campaign:{campaign['id']}:{person.email}", campaign=campaign["id"],
            )  # fmt: skip
        conn.execute(
            "UPDATE email_campaigns SET status = 'sending', total_recipients = ? WHERE id = ?",
            (len(people), campaign["id"]),
        )
    finish_sent(conn, now)
    return queued


def count_outcome(conn: sqlite3.Connection, campaign_id: int, status: str) -> None:
    """One of the campaign's messages was sent, or refused for good (a bounce)."""
    column = {"sent": "emails_sent", "failed": "emails_bounced"}.get(status)
    if column:
        conn.execute(
            f"UPDATE email_campaigns SET {column} = {column} + 1 WHERE id = ?", (campaign_id,)
        )


def count_unsubscribe(conn: sqlite3.Connection, campaign_id: int) -> None:
    conn.execute(
        "UPDATE email_campaigns SET unsubscribes = unsubscribes + 1 WHERE id = ?", (campaign_id,)
    )


def finish_sent(conn: sqlite3.Connection, now: datetime) -> None:
    """A sending campaign none of whose messages is left to send is sent."""
    conn.execute(
        "UPDATE email_campaigns SET status = 'sent', sent_at = ? WHERE status = 'sending' "
        "AND NOT EXISTS (SELECT 1 FROM mail_outbox o WHERE o.campaign_id = email_campaigns.id "
        "AND o.status IN ('queued', 'sending'))",
        (to_sqlite(now),),
    )


EDITABLE = ("name", "language", "subject", "text_content", "recipient_config")


def save_draft(conn: sqlite3.Connection, campaign_id: int | None, values: dict, staff_id: int,
               now: datetime) -> int | None:  # fmt: skip
    """Create a draft, or change one (None: no such draft; a scheduled or sent campaign is
    not edited, so what was scheduled is what goes out)."""
    stamp = to_sqlite(now)
    if campaign_id is None:
        return conn.execute(
            "INSERT INTO email_campaigns (name, language, subject, text_content, recipient_config, "
            "recipient_type, created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, 'segment', ?, ?, ?) RETURNING id",
            (*(values[key] for key in EDITABLE), staff_id, stamp, stamp),
        ).fetchone()[0]  # fmt: skip
    changed = conn.execute(
        "UPDATE email_campaigns SET name = ?, language = ?, subject = ?, text_content = ?, "
        "recipient_config = ?, updated_at = ? WHERE id = ? AND status = 'draft' AND deleted_at IS NULL",
        (*(values[key] for key in EDITABLE), stamp, campaign_id),
    ).rowcount  # fmt: skip
    return campaign_id if changed else None


def schedule(conn: sqlite3.Connection, campaign_id: int, when: datetime) -> bool:
    """A draft goes out at `when` (the worker queues it then); False if it is not a draft."""
    return bool(conn.execute(
        "UPDATE email_campaigns SET status = 'scheduled', send_at = ? WHERE id = ? AND status = 'draft' "
        "AND deleted_at IS NULL", (to_sqlite(when), campaign_id)).rowcount)  # fmt: skip


def unschedule(conn: sqlite3.Connection, campaign_id: int) -> bool:
    """Back to a draft, while the worker has not started sending it."""
    return bool(conn.execute(
        "UPDATE email_campaigns SET status = 'draft', send_at = NULL WHERE id = ? AND status = 'scheduled'",
        (campaign_id,)).rowcount)  # fmt: skip
