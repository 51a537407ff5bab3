"""The delivery worker: claims due messages, sends them at a steady rate, records each outcome.

A claimed row is `sending` with a claim token and a deadline; it becomes `sent` right after the
server accepted it, so a worker that dies in between leaves at most the one message it was
handing over to be sent again when the claim runs out (docs/mail.md). Temporary failures are
retried with exponential backoff and jitter, up to MAX_ATTEMPTS; permanent ones stop at once
and keep the server's reason.
"""

import sqlite3
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from database import campaigns
from database.connection import transaction
from database.timestamps import to_sqlite

from . import hooks, schedule
from .compose import Drop, Sender, compose
from .retry import MAX_ATTEMPTS, backoff, claim_due
from .smtp import PermanentFailure, SmtpSettings, TemporaryFailure, send

BATCH = 50


@dataclass
class Report:
    queued: int = 0
    sent: int = 0
    retried: int = 0
    failed: int = 0
    dropped: int = 0
    problems: list[str] = field(default_factory=list)
    webhooks: hooks.HookReport = field(default_factory=hooks.HookReport)

    def line(self) -> str:
        return (f"mail: {self.queued} queued by schedule, {self.sent} sent, {self.retried} to retry, "
                f"{self.failed} failed, {self.dropped} dropped; webhooks: {self.webhooks.delivered} delivered, "
                f"{self.webhooks.retried} to retry, {self.webhooks.failed} failed")  # fmt: skip


def run_once(conn: sqlite3.Connection, smtp: SmtpSettings | None, sender: Sender, now: datetime,
             per_second: float = 10.0, clock=time.monotonic, sleep=time.sleep) -> Report:  # fmt: skip
    """Queue what time made due, send every message due at `now` (in batches), then post the
    webhook deliveries that are due."""
    report = Report()
    with transaction(conn):
        report.queued = schedule.queue_due(conn, now, sender.site.default_language)
    report.webhooks = hooks.deliver_due(conn, now)
    if smtp is None:
        return report  # mail stays queued; the studio says so
    connection, last_send, started = None, None, clock()

    def moment() -> datetime:
        """`now` moved on by the time this round has taken: claims of a long round stay fresh."""
        return now + timedelta(seconds=clock() - started)

    try:
        while rows := claim(conn, moment()):
            for row in rows:
                try:
                    message = compose(conn, row, sender, moment())
                except Exception as error:  # noqa: BLE001 (one broken message must not stop the queue)
                    message = Drop(f"could not be composed: {type(error).__name__}: {error}")
                if isinstance(message, Drop):
                    finish(conn, row, "dropped", error=message.reason)
                    report.dropped += 1
                    continue
                if last_send is not None:  # a steady rate, not bursts
                    sleep(max(0.0, 1 / per_second - (clock() - last_send)))
                try:
                    connection = connection or smtp.connect()
                    send(connection, message)
                except TemporaryFailure as error:
                    connection = close(connection)
                    retry(conn, row, moment(), str(error), report)
                    continue
                except PermanentFailure as error:
                    finish(conn, row, "failed", error=str(error))
                    report.failed += 1
                    report.problems.append(f"message {row['id']}: {error}")
                    continue
                finally:
                    last_send = clock()
                finish(conn, row, "sent", message_id=message["Message-ID"], subject=str(message["Subject"]),
                       sent_at=moment())  # fmt: skip
                report.sent += 1
    finally:
        close(connection)
        with transaction(conn):
            campaigns.finish_sent(conn, moment())
    return report


def claim(conn: sqlite3.Connection, now: datetime) -> list:
    """Up to BATCH due messages (and any whose claim ran out), for this worker alone."""
    token = claim_due(conn, "mail_outbox", now, BATCH)
    return conn.execute(
        "SELECT * FROM mail_outbox WHERE claim = ? ORDER BY id", (token,)
    ).fetchall()


def retry(conn, row, now: datetime, error: str, report: Report) -> None:
    attempts = row["attempts"] + 1
    if attempts >= MAX_ATTEMPTS:
        finish(conn, row, "failed", error=f"gave up after {attempts} attempts: {error}")
        report.failed += 1
        return
    with transaction(conn):
        conn.execute(
            "UPDATE mail_outbox SET status = 'queued', attempts = ?, last_error = ?, send_after = ?, "
            "claim = NULL, claimed_until = NULL WHERE id = ?",
            (attempts, error[:500], to_sqlite(now + backoff(attempts)), row["id"]),
        )
    report.retried += 1


def finish(conn, row, status: str, *, error: str | None = None, message_id: str | None = None,
           subject: str | None = None, sent_at: datetime | None = None) -> None:  # fmt: skip
    with transaction(conn):
        conn.execute(
            "UPDATE mail_outbox SET status = ?, last_error = ?, message_id = ?, subject = ?, sent_at = ?, "
            "attempts = attempts + 1, claim = NULL, claimed_until = NULL WHERE id = ?",
            (
                status,
                error,
                message_id,
                subject,
                to_sqlite(sent_at) if sent_at else None,
                row["id"],
            ),
        )
        if row["campaign_id"]:
            campaigns.count_outcome(conn, row["campaign_id"], status)


def close(connection) -> None:
    if connection is not None:
        try:
            connection.quit()
        except Exception:  # noqa: BLE001 (a connection already gone is closed enough)
            connection.close()
    return None
