"""The build runner: takes the queued build requests (database/builds.py) and builds them as one,
at most one build at a time across processes; asks for a build itself when time alone changes
the site; after a successful build runs the configured deploy command with the output folder.

`magnetiq worker` runs it in a loop (and `serve` in a thread); `magnetiq worker --once` does what
is due and exits. The studio only asks, so a request never waits for a build.
"""

import shlex
import subprocess
import time
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from pathlib import Path

from database import builds, connect
from database.connection import transaction

from .builder import BuildPaths, build_site
from .errors import BuildError

LOG_LIMIT = 64 * 1024  # a deploy's output kept in the job: the end of it, where errors are


@dataclass(frozen=True)
class Deploy:
    """`MAGNETIQ_DEPLOY_COMMAND`: run after each successful build with the output folder as its
    last argument (rsync, an S3-compatible sync, a CDN's command line); never built in."""

    command: str
    timeout_seconds: float = 900

    def run(self, output: Path) -> tuple[str, str]:
        """('done' or 'failed', the command's output)."""
        argv = [*shlex.split(self.command), str(output)]
        try:
            done = subprocess.run(argv, capture_output=True, text=True, errors="replace",
                                  timeout=self.timeout_seconds, check=False)  # fmt: skip
        except (OSError, subprocess.TimeoutExpired) as error:
            return "failed", f"{shlex.join(argv)}: {error}"
        log = f"$ {shlex.join(argv)}\n{done.stdout}{done.stderr}exit status {done.returncode}\n"
        return ("done" if done.returncode == 0 else "failed"), log[-LOG_LIMIT:]


@dataclass(frozen=True)
class Outcome:
    jobs: list[int]
    ok: bool
    line: str


def ask_when_due(database: Path, now: datetime) -> bool:
    """Request a build when a moment that changes the site has passed since the last build
    (also after the runner was down: it catches up), or when the runner never built."""
    conn = connect(database)
    try:
        since = builds.last_built_at(conn)  # never: build once, to be sure of the output
        due = since is None or any(m <= now for m in builds.moments(conn, since))
        if due:  # only then a write (two runners asking at once are merged into one request)
            reason = ("the runner's first build" if since is None
                      else "scheduled: a publication or a webinar's time came")  # fmt: skip
            with transaction(conn):
                builds.request(conn, reason, now)
        return due
    finally:
        conn.close()


def next_moment(database: Path, now: datetime) -> datetime | None:
    conn = connect(database)
    try:
        upcoming = builds.moments(conn, now)
        return upcoming[0] if upcoming else None
    finally:
        conn.close()


def run_pending(paths: BuildPaths, now: datetime, *, addresses: dict | None = None,
                deploy: Deploy | None = None) -> Outcome | None:  # fmt: skip
    """Build everything queued as one build; None when nothing waits or another runner holds
    the lock (its next round takes what arrived meanwhile)."""
    with builds.build_lock(paths.database) as locked:
        if not locked:
            return None
        conn = connect(paths.database)
        try:
            with transaction(conn):
                jobs, full = builds.take(conn, now)
            if not jobs:
                return None
            return build_jobs(conn, paths, jobs, full, now, addresses, deploy)
        finally:
            conn.close()


def build_jobs(conn, paths: BuildPaths, jobs: list[int], full: bool, now: datetime, addresses,
               deploy: Deploy | None) -> Outcome:  # fmt: skip
    last_report, started = 0.0, time.monotonic()

    def finished() -> datetime:
        """The runner's clock (`now`, which --now may set) moved on by the time the build took."""
        return now + timedelta(seconds=time.monotonic() - started)

    def progress(done: int, total: int) -> None:
        nonlocal last_report
        if time.monotonic() - last_report > 0.5 or done == total:
            last_report = time.monotonic()
            with transaction(conn):
                builds.report_progress(conn, jobs, f"{done} / {total}")

    try:
        summary = build_site(
            paths, now, full=full, progress=progress, addresses=addresses, lock_held=True
        )
    except BuildError as error:
        errors = [{"message": str(problem), "table": problem.table, "row_id": problem.row_id}
                  for problem in error.content_errors] or [{"message": p} for p in error.problems]  # fmt: skip
        with transaction(conn):
            builds.finish(conn, jobs, finished(), ok=False, summary={}, errors=errors)
        return Outcome(jobs, False, f"build failed: {error}")
    counts = {key: value for key, value in asdict(summary).items() if key not in ("written_paths", "removed_paths", "next_publish")}  # fmt: skip
    outcome = deploy.run(paths.output) if deploy else None
    with transaction(conn):
        builds.finish(conn, jobs, finished(), ok=True, summary=counts, errors=[], deploy=outcome)
    failed = outcome is not None and outcome[0] == "failed"
    return Outcome(jobs, not failed, summary.line() + ("; deploy failed" if failed else ""))
