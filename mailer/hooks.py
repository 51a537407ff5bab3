"""Posting webhook deliveries (database/webhooks.py): a JSON body signed with HMAC-SHA256 over
a timestamp and the body, retried with backoff like mail, and in order per lead: a delivery
waits while an earlier one about the same lead to the same endpoint is still pending.

Receivers check `Magnetiq-Signature: t=<unix time>,v1=<hex>` by computing
HMAC-SHA256(secret, f"{t}.".encode() + raw body) and comparing in constant time, and refuse a
`t` more than five minutes old (docs/mail.md has the recipe).
"""

import hashlib
import hmac
import sqlite3
import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import datetime

from database.connection import transaction
from database.timestamps import to_sqlite

from .retry import MAX_ATTEMPTS, backoff, claim_due

TIMEOUT_SECONDS = 10
BATCH = 50


@dataclass
class HookReport:
    delivered: int = 0
    retried: int = 0
    failed: int = 0


def signature(secret: str, timestamp: int, body: bytes) -> str:
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


def post(url: str, body: bytes, headers: dict) -> tuple[int | None, str | None]:
    """(HTTP status, None) when the receiver answered, (None, why) when it could not be reached."""
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as answer:
            return answer.status, None
    except urllib.error.HTTPError as error:
        error.close()
        return error.code, None
    except (urllib.error.URLError, OSError) as error:
        return None, str(getattr(error, "reason", error))[:300]


def deliver_due(conn: sqlite3.Connection, now: datetime) -> HookReport:
    report = HookReport()
    while rows := claim(conn, now):
        for row in rows:
            body = row["body"].encode()
            status, error = post(row["url"], body, {
                "Content-Type": "application/json", "User-Agent": "Magnetiq-Webhooks/1",
                "Magnetiq-Event": row["event"], "Magnetiq-Delivery": str(row["id"]),
                "Magnetiq-Signature": signature(row["secret"], int(now.timestamp()), body),
            })  # fmt: skip
            attempts = row["attempts"] + 1
            if status is not None and 200 <= status < 300:
                outcome = ("delivered", to_sqlite(now), None, now)
                report.delivered += 1
            elif attempts >= MAX_ATTEMPTS:
                outcome = ("failed", None, error or f"HTTP {status}", now)
                report.failed += 1
            else:
                outcome = ("queued", None, error or f"HTTP {status}", now + backoff(attempts))
                report.retried += 1
            with transaction(conn):
                conn.execute(
                    "UPDATE webhook_deliveries SET status = ?, delivered_at = ?, last_error = ?, send_after = ?, "
                    "response_status = ?, attempts = ?, claim = NULL, claimed_until = NULL WHERE id = ?",
                    (outcome[0], outcome[1], outcome[2], to_sqlite(outcome[3]), status, attempts, row["id"]),
                )  # fmt: skip
    return report


# Deliveries about one lead to one endpoint go out in order: a later one waits.
IN_ORDER = (
    "NOT EXISTS (SELECT 1 FROM webhook_deliveries e WHERE e.webhook_id = d.webhook_id "
    "AND e.lead_table = d.lead_table AND e.lead_id = d.lead_id AND e.id < d.id "
    "AND e.status IN ('queued', 'sending'))"
)


def claim(conn: sqlite3.Connection, now: datetime) -> list:
    token = claim_due(conn, "webhook_deliveries", now, BATCH, ready=IN_ORDER)
    return conn.execute(
        "SELECT d.*, w.url, w.secret FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id "
        "WHERE d.claim = ? ORDER BY d.id", (token,)).fetchall()  # fmt: skip
