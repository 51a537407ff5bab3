"""Outgoing webhooks (deviation D19) as every part queues them: an event about a lead becomes one
delivery per active endpoint that wants it, in the transaction of the event itself; the worker
(`mailer/hooks.py`) posts them. Plain SQL both SQLite and PostgreSQL run."""

import json
import sqlite3
from datetime import datetime

from .timestamps import to_sqlite

EVENTS = ("lead.created", "lead.status_changed")
LEAD_TYPES = {"webinar_registrations": "registration", "whitepaper_downloads": "download",
              "bookings": "booking"}  # fmt: skip
# What a receiver gets about a lead: enough for a CRM, nothing the site does not need to share.
SHARED_COLUMNS = ("id", "first_name", "last_name", "email", "company", "job_title", "phone",
                  "utm_source", "utm_medium", "utm_campaign")  # fmt: skip
EXTRA_COLUMNS = {"webinar_registrations": ("webinar_id", "registered_at"),
                 "whitepaper_downloads": ("whitepaper_id", "downloaded_at"),
                 "bookings": ("booking_type", "preferred_date", "timezone", "status", "lead_score")}  # fmt: skip


def queue_event(conn: sqlite3.Connection, event: str, lead_table: str, lead_id: int,
                now: datetime, **details) -> int:  # fmt: skip
    """Queue `event` about a lead for every active webhook that wants it; how many were queued."""
    assert event in EVENTS and lead_table in LEAD_TYPES
    hooks = [row[0] for row in conn.execute("SELECT id, events FROM webhooks WHERE is_active")
             if event in json.loads(row[1])]  # fmt: skip
    if not hooks:
        return 0
    columns = ", ".join((*SHARED_COLUMNS, *EXTRA_COLUMNS[lead_table]))
    lead = conn.execute(f"SELECT {columns} FROM {lead_table} WHERE id = ?", (lead_id,)).fetchone()
    body = json.dumps({"event": event, "occurred_at": now.isoformat(), "lead_type": LEAD_TYPES[lead_table],
                       "lead": dict(lead), **details}, ensure_ascii=False, sort_keys=True)  # fmt: skip
    for hook in hooks:
        conn.execute(
            "INSERT INTO webhook_deliveries (webhook_id, event, lead_table, lead_id, body, send_after, created_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            (hook, event, lead_table, lead_id, body, to_sqlite(now), to_sqlite(now)),
        )
    return len(hooks)


def forget_leads(conn: sqlite3.Connection, lead_table: str, lead_ids: list[int]) -> int:
    """A privacy erase: the deliveries about these leads (queued and logged) go with them."""
    marks = ", ".join("?" * len(lead_ids))
    return (
        conn.execute(
            f"DELETE FROM webhook_deliveries WHERE lead_table = ? AND lead_id IN ({marks})",
            (lead_table, *lead_ids),
        ).rowcount
        if lead_ids
        else 0
    )
