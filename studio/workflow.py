"""Changing leads: booking status transitions and webinar attendance (single or CSV upload)."""

import csv
import io
import sqlite3
from datetime import datetime

from database import outbox, webhooks
from database.numbers import whole_number
from database.timestamps import to_sqlite

from .i18n import _
from .labels import label

TRANSITIONS = {
    "pending": {"confirmed", "cancelled"},
    "confirmed": {"completed", "cancelled", "no_show"},
    "completed": set(),
    "cancelled": set(),
    "no_show": set(),
}


class WorkflowError(Exception):
    """A change that the workflow does not allow; the message says which and why."""


def change_booking_status(
    conn: sqlite3.Connection, booking_id: int, new: str, now: datetime
) -> str:
    """Move a booking along pending → confirmed → completed (or cancelled / no_show); returns the old status."""
    row = conn.execute(
        "SELECT status FROM bookings WHERE id = ? AND deleted_at IS NULL", (booking_id,)
    ).fetchone()
    if row is None:
        raise WorkflowError(_("booking %(id)s does not exist", id=booking_id))
    old = row["status"]
    if new not in TRANSITIONS.get(old, set()):
        allowed = ", ".join(map(label, sorted(TRANSITIONS.get(old, set())))) or _("none (final)")
        raise WorkflowError(
            _(
                "a %(status)s booking cannot become %(new)s; allowed: %(allowed)s",
                status=label(old),
                new=label(new),
                allowed=allowed,
            )
        )
    stamps = {"confirmed": "confirmed_at", "completed": "completed_at"}
    extra = f", {stamps[new]} = :now" if new in stamps else ""
    conn.execute(f"UPDATE bookings SET status = :new{extra} WHERE id = :id",
                 {"new": new, "now": to_sqlite(now), "id": booking_id})  # fmt: skip
    webhooks.queue_event(conn, "lead.status_changed", "bookings", booking_id, now, old_status=old)
    if new in ("confirmed", "cancelled"):  # the person hears of it, in the same transaction
        outbox.queue_about_lead(conn, f"booking_{new}", "bookings", booking_id, now,
                                dedupe_key=f"booking_{new}:{booking_id}")  # fmt: skip
    return old


def update_booking_details(conn: sqlite3.Connection, booking_id: int, *, assigned_to: int | None,
                           meeting_url: str, meeting_notes: str, follow_up: bool, now: datetime) -> None:  # fmt: skip
    """Staff's details of a booking; a newly assigned staff member hears of it by mail."""
    if (
        assigned_to is not None
        and not conn.execute(
            "SELECT 1 FROM admin_users WHERE id = ? AND is_active AND deleted_at IS NULL",
            (assigned_to,),
        ).fetchone()
    ):
        raise WorkflowError(_("bookings can only be assigned to an active staff member"))
    if meeting_url and not meeting_url.startswith(("https://", "http://")):
        raise WorkflowError(_("the meeting URL must start with https://"))
    before = conn.execute(
        "SELECT assigned_to FROM bookings WHERE id = ? AND deleted_at IS NULL", (booking_id,)
    ).fetchone()
    if before is None:
        raise WorkflowError(_("booking %(id)s does not exist", id=booking_id))
    if assigned_to is not None and assigned_to != before[0]:
        outbox.tell_assignee(conn, booking_id, assigned_to, now)
    conn.execute(
        "UPDATE bookings SET assigned_to = ?, meeting_url = ?, meeting_notes = ?, follow_up_required = ? "
        "WHERE id = ? AND deleted_at IS NULL",
        (assigned_to, meeting_url or None, meeting_notes or None, int(follow_up), booking_id),
    )


def import_attendance(
    conn: sqlite3.Connection, webinar_id: int, data: bytes
) -> tuple[int, list[str]]:
    """Mark attendance from a CSV with an `email` column and optionally minutes attended.

    Returns (rows matched, emails in the file that match no registration of this webinar).
    """
    text = data.decode("utf-8-sig")
    dialect = csv.Sniffer().sniff(text[:2048], delimiters=",;\t") if text.strip() else csv.excel
    reader = csv.DictReader(io.StringIO(text), dialect=dialect)
    fields = {name.strip().lower(): name for name in reader.fieldnames or []}
    if "email" not in fields:
        raise WorkflowError(_("the attendance file needs an 'email' column"))
    duration_field = next(
        (fields[n] for n in ("attendance_duration", "duration", "minutes") if n in fields), None
    )
    matched, unmatched = 0, []
    for record in reader:
        email = (record.get(fields["email"]) or "").strip().lower()
        if not email:
            continue
        minutes = (record.get(duration_field) or "").strip() if duration_field else ""
        updated = conn.execute(
            "UPDATE webinar_registrations SET attended = TRUE, attendance_duration = ? WHERE webinar_id = ? AND email = ?",
            (whole_number(minutes), webinar_id, email),
        ).rowcount
        if updated:
            matched += updated
        else:
            unmatched.append(email)
    return matched, unmatched
