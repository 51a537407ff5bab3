"""Data-subject requests: everything stored about one email address, as JSON, and its erasure."""

import sqlite3

from database import consent, outbox, webhooks

LEAD_TABLES = ("webinar_registrations", "whitepaper_downloads", "bookings")


def find_person(conn: sqlite3.Connection, email: str) -> dict[str, list[dict]]:
    email = email.strip().lower()
    return {
        table: [
            dict(row)
            for row in conn.execute(
                f"SELECT * FROM {table} WHERE lower({'recipient' if table == 'mail_outbox' else 'email'}) = ? "
                "ORDER BY id",
                (email,),
            )
        ]
        for table in (*LEAD_TABLES, "marketing_consents", "mail_outbox")
    }


def erase_person(conn: sqlite3.Connection, email: str) -> dict[str, int]:
    """Delete every lead row of `email`, its consents, its queued and logged mail and its webhook
    deliveries (call inside one transaction: all tables or none)."""
    email = email.strip().lower()
    for table in LEAD_TABLES:
        ids = [
            row[0]
            for row in conn.execute(f"SELECT id FROM {table} WHERE lower(email) = ?", (email,))
        ]
        webhooks.forget_leads(conn, table, ids)
    erased = {
        table: conn.execute(f"DELETE FROM {table} WHERE lower(email) = ?", (email,)).rowcount
        for table in LEAD_TABLES
    }
    return {**erased, "marketing_consents": consent.forget(conn, email),
            "mail_outbox": outbox.forget_recipient(conn, email)}  # fmt: skip
