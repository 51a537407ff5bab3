"""Mail benchmark: what queuing adds to a registration, and the worker's sending rate.

    python bench/mail_bench.py [--registrations 400] [--messages 500]

1. Registrations through the real capture app (in process, Flask's test client, the demo
   database): median time per request with the outbox as it is, and in the same run with
   queuing switched off (the functions replaced by no-ops): the difference is what queuing adds.
2. The worker sending download-link mails to a local SMTP server (aiosmtpd, accepting and
   discarding), with the rate limit lifted; in the same run a bare smtplib loop sending one
   prebuilt message as many times over one connection: the ceiling of this server and client.
Prints medians and ratios; these machines are shared and noisy.
"""

import argparse
import smtplib
import socket
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from aiosmtpd.controller import Controller  # noqa: E402

import database  # noqa: E402
from commands import main as cli  # noqa: E402
from commands.worker_commands import MailWork  # noqa: E402
from database import outbox  # noqa: E402
from service.config import Config  # noqa: E402

SLUG = "energy-monitoring-101"
SECRET = "bench-secret-" + "x" * 20


class Discard:
    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        return "250 OK"


def demo(folder: Path) -> Path:
    db = folder / "bench.db"
    cli(["--db", str(db), "init", "--demo"])
    conn = database.connect(db)
    conn.execute("UPDATE webinars SET max_participants = NULL, registration_deadline = NULL, "
                 "scheduled_at = '2099-01-01 10:00:00' WHERE slug = ?", (SLUG,))  # fmt: skip
    conn.execute("INSERT INTO system_settings (key, value) VALUES ('lead_notification_recipients', "
                 "'sales@example.com') ON CONFLICT (key) DO UPDATE SET value = excluded.value")  # fmt: skip
    conn.close()
    return db


def registration_times(db: Path, count: int, prefix: str) -> list[float]:
    from capture import create_app

    app = create_app(Config(database=db, media=db.parent / "media", secret_key=SECRET,
                            rate_limit="1000000/minute", production=False, testing=True))  # fmt: skip
    client = app.test_client()
    times = []
    for n in range(count):
        body = {"first_name": "Ada", "last_name": "Lovelace", "email": f"{prefix}{n}@example.com"}
        started = time.perf_counter()
        answer = client.post(f"/api/webinars/{SLUG}/registrations", json=body)
        times.append(time.perf_counter() - started)
        assert answer.status_code == 201, answer.text
    return times


def queuing_cost(db: Path, count: int) -> None:
    rounds = {"with queuing": [], "queuing off": []}
    real = (outbox.queue, outbox.notify_staff)
    for round_number in range(3):  # interleaved, so drift on a shared machine hits both alike
        rounds["with queuing"] += registration_times(db, count // 3, f"q{round_number}-")
        outbox.queue, outbox.notify_staff = (lambda *a, **k: True), (lambda *a, **k: None)
        try:
            rounds["queuing off"] += registration_times(db, count // 3, f"n{round_number}-")
        finally:
            outbox.queue, outbox.notify_staff = real
    medians = {name: statistics.median(times) * 1000 for name, times in rounds.items()}
    for name, median in medians.items():
        print(f"  registration, {name:<13} median {median:7.2f} ms ({len(rounds[name])} requests)")
    print(f"  queuing adds {medians['with queuing'] - medians['queuing off']:+.2f} ms per registration "
          f"(two messages: the confirmation and one staff notice); ratio "
          f"{medians['with queuing'] / medians['queuing off']:.2f}")  # fmt: skip


def sending_rate(db: Path, messages: int) -> None:
    conn = database.connect(db)
    with database.transaction(conn):
        conn.execute("DELETE FROM mail_outbox")
        download = conn.execute("SELECT max(id) FROM whitepaper_downloads").fetchone()[0]
        if download is None:
            download = conn.execute(
                "INSERT INTO whitepaper_downloads (whitepaper_id, first_name, last_name, email) "
                "VALUES (1, 'Ada', 'Lovelace', 'reader@example.com')").lastrowid  # fmt: skip
        now = datetime.now(UTC)
        for n in range(messages):
            outbox.queue(conn, "download_link", f"reader{n}@example.com", "en", now,
                         lead=("whitepaper_downloads", download), payload={"url": "https://x.example/d"})  # fmt: skip
    conn.close()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(Discard(), hostname="127.0.0.1", port=port)
    controller.start()
    try:
        config = Config(database=db, media=db.parent / "media", secret_key=SECRET, production=False,
                        mail_per_second=1_000_000)  # fmt: skip
        started = time.perf_counter()
        report = MailWork(db, config, f"smtp://127.0.0.1:{port}").run(datetime.now(UTC))
        worker_seconds = time.perf_counter() - started
        assert report.sent == messages, report.line()
        with smtplib.SMTP("127.0.0.1", port) as bare:
            message = "From: a@example.com\r\nTo: b@example.com\r\nSubject: x\r\n\r\n" + "x" * 600
            started = time.perf_counter()
            for _ in range(messages):
                bare.sendmail("a@example.com", ["b@example.com"], message)
            bare_seconds = time.perf_counter() - started
    finally:
        controller.stop()
    worker_rate, bare_rate = messages / worker_seconds, messages / bare_seconds
    print(f"  worker: {messages} messages in {worker_seconds:.2f} s = {worker_rate:.0f} messages/s "
          "(render, multipart, claim and mark each)")  # fmt: skip
    print(f"  bare smtplib, one prebuilt message: {bare_rate:.0f} messages/s; worker/bare "
          f"{worker_rate / bare_rate:.2f}")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--registrations", type=int, default=600)
    parser.add_argument("--messages", type=int, default=500)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        db = demo(Path(folder))
        print("What queuing adds to a registration (capture app in process):")
        queuing_cost(db, args.registrations)
        print("The worker's sending rate against a local SMTP server:")
        sending_rate(db, args.messages)


if __name__ == "__main__":
    main()
