"""What time makes due: reminders 24 hours and 1 hour before a webinar, its recording once it
is completed, campaigns whose `send_at` has come, and staff's daily digest of new leads. Each is queued once per registration (its `dedupe_key`), whenever the worker
looks, so a worker that was down catches up when it starts (a reminder whose moment has passed
is dropped when it would be sent, see compose.py)."""

import sqlite3
from datetime import UTC, datetime, time, timedelta

from database import campaigns, outbox
from database.timestamps import from_sqlite, to_sqlite

REMINDERS = (("reminder_24h", timedelta(hours=24)), ("reminder_1h", timedelta(hours=1)))


def queue_due(conn: sqlite3.Connection, now: datetime, default_language: str) -> int:
    """Queue what is due now (call inside a write transaction); how many were new."""
    queued = 0
    soon = conn.execute(
        "SELECT r.id, r.email, r.registered_at, w.scheduled_at FROM webinar_registrations r "
        "JOIN webinars w ON w.id = r.webinar_id WHERE w.status = 'scheduled' AND w.deleted_at IS NULL "
        "AND r.send_reminder AND w.scheduled_at > ? AND w.scheduled_at <= ?",
        (to_sqlite(now), to_sqlite(now + REMINDERS[0][1])),
    ).fetchall()
    for row in soon:
        starts, registered = from_sqlite(row["scheduled_at"]), from_sqlite(row["registered_at"])
        # Within the last hour the 1-hour reminder is due, else (within 24 hours) the 24-hour one.
        kind, ahead = REMINDERS[1] if now >= starts - REMINDERS[1][1] else REMINDERS[0]
        if registered > starts - ahead:
            continue  # they registered after that moment: their confirmation is fresher
        queued += queue_for(
            conn, kind, row, now, default_language, key=f"{kind}:{row['id']}:{row['scheduled_at']}"
        )
    recorded = conn.execute(
        "SELECT r.id, r.email FROM webinar_registrations r JOIN webinars w ON w.id = r.webinar_id "
        "WHERE w.status = 'completed' AND w.deleted_at IS NULL AND w.recording_url IS NOT NULL "
        "AND r.send_recording"
    ).fetchall()
    for row in recorded:
        queued += queue_for(
            conn, "recording", row, now, default_language, key=f"recording:{row['id']}"
        )
    return queued + campaigns.start_due(conn, now) + queue_digest(conn, now)


def queue_digest(conn: sqlite3.Connection, now: datetime) -> int:
    """With the daily digest chosen: once a day (UTC), to each staff address, the day before's
    new leads, when there were any."""
    if outbox.notification_mode(conn) != "daily":
        return 0
    day = now.date() - timedelta(days=1)
    start = datetime.combine(day, time(), tzinfo=UTC)
    if not any(outbox.leads_between(conn, start, start + timedelta(days=1)).values()):
        return 0
    return sum(
        outbox.queue(
            conn,
            "staff_digest",
            address,
            outbox.staff_language(conn, address),
            now,
            payload={"day": day.isoformat()},
            dedupe_key=f"staff_digest:{day}:{address}",
        )  # fmt: skip
        for address in outbox.staff_recipients(conn)
    )


def queue_for(conn, kind: str, row, now: datetime, default_language: str, key: str) -> int:
    language = outbox.lead_language(conn, "webinar_registrations", row["id"]) or default_language
    return int(outbox.queue(conn, kind, row["email"], language, now,
                            lead=("webinar_registrations", row["id"]), dedupe_key=key))  # fmt: skip
