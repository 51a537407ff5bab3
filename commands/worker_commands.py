"""`worker`: the background work that must not block a request: building the site when asked or
when time makes it due (then deploying it), and sending mail."""

import signal
import sqlite3
import sys
import threading
import time
from dataclasses import replace
from datetime import datetime
from pathlib import Path

from database import builds, connect, database_path
from database.site import read_site_settings
from database.timestamps import utc_now

from .site_commands import parse_now

QUEUE_LOOK = 0.25  # seconds between looks at the build queue while the worker waits


def register(commands) -> None:
    worker = commands.add_parser(
        "worker",
        help="build the site when asked or due (and deploy it); send queued mail",
        description="Build what the studio asked for and what time made due (scheduled pages, "
        "webinar deadlines, starts and ends), one build at a time, then run MAGNETIQ_DEPLOY_COMMAND "
        "with the output folder; send the mail outbox through MAGNETIQ_SMTP_URL "
        "(smtp://user:pass@host:587 with STARTTLS, or smtps://…:465); unset, mail stays queued. "
        "Needs MAGNETIQ_SECRET_KEY (it signs unsubscribe links). Writes where `build` does "
        "(--output, MAGNETIQ_OUTPUT). Runs until stopped, or once with --once (for cron and CI).",
    )
    worker.add_argument(
        "--output", type=Path, help="output folder (default: MAGNETIQ_OUTPUT or output)"
    )
    worker.add_argument("--once", action="store_true", help="do what is due now, then exit")
    worker.add_argument("--now", type=parse_now, help="the worker's clock, ISO 8601 (default: now)")
    worker.add_argument("--interval", type=float, default=5.0,
                        help="seconds between rounds of due builds and mail (default 5; sooner when a scheduled moment comes); a build request is taken within a quarter second")  # fmt: skip
    worker.set_defaults(handler=run_worker)


def run_worker(args) -> int:
    from generator.builder import BuildPaths
    from mailer.smtp import SmtpConfigError
    from service.config import Config, ConfigError

    try:
        config = Config.from_environment()
        mail = MailWork(database_path(args.db), config)
    except (ConfigError, SmtpConfigError) as error:
        print(f"magnetiq worker: error: {error}", file=sys.stderr)
        return 2
    work = BuildWork(BuildPaths.default(database_path(args.db), args.output), config)
    if mail.smtp is None:
        print("magnetiq worker: MAGNETIQ_SMTP_URL is not set; mail stays queued", file=sys.stderr)
    if args.once:
        built = work.run(args.now or utc_now())
        report = mail.run(args.now or utc_now())
        if built:
            print(built.line)
        print(report.line())
        for problem in report.problems:
            print(f"magnetiq worker: {problem}", file=sys.stderr)
        return 1 if report.failed or (built and not built.ok) else 0
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    clock = lambda: args.now or utc_now()  # noqa: E731
    threading.Thread(target=mail.loop, args=(stop, args.interval, clock), daemon=True).start()
    work.loop(stop, args.interval, clock)
    return 0


class BuildWork:
    """The build runner's settings, read once; `run` does one round, `loop` runs until stopped
    and wakes early for the next moment that changes the site."""

    def __init__(self, paths, config, addresses: dict | None = None):
        from generator.runner import Deploy

        self.paths, self.addresses = paths, addresses
        self.deploy = (
            Deploy(config.deploy_command, config.deploy_timeout) if config.deploy_command else None
        )

    def run(self, now: datetime):
        from generator.runner import ask_when_due, run_pending

        ask_when_due(self.paths.database, now)
        return run_pending(self.paths, now, addresses=self.addresses, deploy=self.deploy)

    def loop(self, stop: threading.Event, interval: float, clock=utc_now) -> None:
        from generator.runner import next_moment

        while not stop.is_set():
            try:
                outcome = self.run(clock())
                upcoming = next_moment(self.paths.database, clock())
            except sqlite3.Error as error:  # busy or briefly unavailable: the next round retries
                print(f"magnetiq worker: {error}", file=sys.stderr, flush=True)
                upcoming = None
            else:
                if outcome:
                    print(f"build: {outcome.line}", flush=True)
            wait = interval
            if upcoming is not None:  # wake when it comes, not up to `interval` later
                wait = min(interval, max(0.05, (upcoming - clock()).total_seconds() + 0.05))
            self.wait_for_request(stop, wait)

    def wait_for_request(self, stop: threading.Event, seconds: float) -> None:
        """Wait up to `seconds`, looking at the queue every QUEUE_LOOK: a request (a publish in
        the studio) ends the wait, so it is built at once instead of at the next round. A look
        is one indexed read on a connection kept for the wait."""
        deadline = time.monotonic() + seconds
        conn = None
        try:
            while not stop.wait(min(QUEUE_LOOK, max(0.0, deadline - time.monotonic()))):
                if time.monotonic() >= deadline:
                    return
                conn = conn or connect(self.paths.database)
                if builds.waiting(conn):
                    return
        except sqlite3.Error:  # the database is briefly unavailable: the round reports it
            stop.wait(max(0.0, deadline - time.monotonic()))
        finally:
            if conn is not None:
                conn.close()


class MailWork:
    """The mail worker's settings, read once; `run` does one round, `loop` runs until stopped."""

    def __init__(self, database, config, smtp_url: str | None = None):
        from mailer.smtp import SmtpSettings

        self.database, self.config = database, config
        url = smtp_url or config.smtp_url
        self.smtp = SmtpSettings.from_url(url) if url else None

    def sender(self, site):
        from mailer.compose import Sender

        config = self.config
        return Sender(site=site, secret=config.secret_key,
                      studio_url=config.studio_url or config.capture_url or site.capture_url,
                      download_hours=config.download_ttl_seconds // 3600)  # fmt: skip

    def run(self, now: datetime):
        from mailer.worker import run_once

        conn = connect(self.database)
        try:
            site, _problems = read_site_settings(conn)
            # A local preview (`serve`) names its own ports, as its build does.
            site = replace(site, **{key: value for key, value in (
                ("site_url", self.config.site_url), ("capture_url", self.config.capture_url)) if value})  # fmt: skip
            return run_once(conn, self.smtp, self.sender(site), now, self.config.mail_per_second)
        finally:
            conn.close()

    def loop(self, stop: threading.Event, interval: float, clock=utc_now) -> None:
        while not stop.is_set():
            try:
                report = self.run(clock())
            except sqlite3.Error as error:  # busy or briefly unavailable: the next round retries
                print(f"magnetiq worker: {error}", file=sys.stderr, flush=True)
            else:
                if report.sent or report.failed or report.retried or report.webhooks.delivered:
                    print(report.line(), flush=True)
            stop.wait(interval)
