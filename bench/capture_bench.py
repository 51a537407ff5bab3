"""Capture service load benchmark: registrations and beacon events per second on a real gunicorn.

    python bench/capture_bench.py [--seconds 30] [--connections 32] [--workers 2]

Runs wrk (Debian package `wrk`) against `POST /api/webinars/<slug>/registrations` (unique emails,
every answer counted by status), against `POST /api/events` (page views as the beacon sends them)
and, in the same run, against a trivial Flask endpoint served by the same gunicorn settings: the
ceiling. Afterwards the rows in the database must equal the 201 answers exactly. Prints
throughput, p50/p99 latency, non-2xx and 5xx counts, and each endpoint's ratio to the ceiling.
"""

import argparse
import os
import re
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

import database  # noqa: E402
from database.setup import create_database  # noqa: E402

SLUG = "load-test-webinar"


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start(app: str, port: int, workers: int, env: dict) -> subprocess.Popen:
    command = [sys.executable, "-m", "gunicorn", "--config", "python:service.gunicorn_config",
               "--workers", str(workers), "--bind", f"127.0.0.1:{port}", "--log-level", "warning", app]  # fmt: skip
    process = subprocess.Popen(command, cwd=REPO, env=env, start_new_session=True)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=1)
        except urllib.error.HTTPError:
            return process  # it answers (404 or 405): it is up
        except OSError:
            time.sleep(0.1)
    raise SystemExit(f"{app} did not start")


def wrk(url: str, seconds: int, connections: int, mode: str, prefix: str = "load") -> dict:
    """`prefix` keeps the emails of two wrk processes running at once apart."""
    output = subprocess.run(
        [
            "wrk",
            "-t2",
            f"-c{connections}",
            f"-d{seconds}s",
            "--latency",
            "-s",
            str(REPO / "bench" / "wrk_post.lua"),
            url,
            "--",
            mode,
            prefix,
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    values = dict(re.findall(r"(\w+)=([\d.]+)", output.split("RESULT", 1)[1]))
    return {key: float(value) for key, value in values.items()}


def warm_up(url: str, connections: int) -> None:
    """Two seconds of GETs (answered 405, nothing stored): every worker booted and connected."""
    subprocess.run(["wrk", "-t2", f"-c{connections}", "-d2s", url], capture_output=True, check=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=30)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="magnetiq-capture-bench-"))
    db = workdir / "bench.db"
    create_database(db, "bench@example.com", "benchmark-password-123")
    conn = database.connect(db)
    conn.execute("INSERT INTO webinars (title, slug, scheduled_at, status) VALUES "
                 "('{\"en\": \"Load test\"}', ?, '2099-01-01 10:00:00', 'scheduled')", (SLUG,))  # fmt: skip
    conn.close()
    env = {**os.environ, "MAGNETIQ_DB": str(db), "MAGNETIQ_SECRET_KEY": "bench-secret-" + "x" * 20,
           "MAGNETIQ_RATE_LIMIT": "100000000/second", "PYTHONPATH": str(REPO)}  # fmt: skip
    results = {}
    for name, app, path, mode in (
        ("trivial Flask endpoint", "bench.trivial_app:app", "/api/noop", "registrations"),
        ("registration", "capture:create_app()", f"/api/webinars/{SLUG}/registrations", "registrations"),
        ("page view event", "capture:create_app()", "/api/events", "events"),
    ):  # fmt: skip
        port = free_port()
        server = start(app, port, args.workers, env)
        try:
            url = f"http://127.0.0.1:{port}{path}"
            warm_up(url, args.connections)
            results[name] = wrk(url, args.seconds, args.connections, mode)
        finally:
            os.killpg(server.pid, 15)
            server.wait()
    stored = count_registrations(db)
    port = free_port()
    server = start("capture:create_app()", port, args.workers, env)
    try:
        exact = exactness_run(
            f"http://127.0.0.1:{port}/api/webinars/{SLUG}/registrations", args.connections, db
        )
    finally:
        os.killpg(server.pid, 15)
        server.wait()
    print(f"{args.workers} gunicorn workers, {args.connections} connections, {args.seconds} s each, wrk -t2, "
          f"{os.cpu_count()} CPUs shared by client and server")  # fmt: skip
    for name, r in results.items():
        accepted = r["created"] / r["seconds"]
        non_2xx = r["other"] + r["errors5xx"]
        print(f"  {name:24} {accepted:8.0f} accepted/s  p50 {r['p50_ms']:6.1f} ms  p99 {r['p99_ms']:6.1f} ms  "
              f"non-2xx {non_2xx:.0f}  5xx {r['errors5xx']:.0f}")  # fmt: skip
    ceiling = results["trivial Flask endpoint"]["created"]
    for name in ("registration", "page view event"):
        print(f"  {name} reaches {results[name]['created'] / ceiling:.0%} of the ceiling")
    acknowledged = int(results["registration"]["created"])
    print(
        f"  wrk: {stored} rows for {acknowledged} answers read; wrk hangs up on the "
        f"{stored - acknowledged} requests in flight when its time is up (their rows are stored)"
    )
    answered, added = exact
    print(
        f"  exactness run (Python clients that read every answer, 5 s): {answered} answered 201, "
        f"{added} rows added: {'equal' if answered == added else 'DIFFERENT'}"
    )


def count_registrations(db: Path) -> int:
    conn = sqlite3.connect(db)
    try:
        return conn.execute("SELECT count(*) FROM webinar_registrations").fetchone()[0]
    finally:
        conn.close()


def exactness_run(url: str, clients: int, db: Path, seconds: float = 5.0) -> tuple[int, int]:
    """Every client finishes the request it has started: acknowledged answers are all counted."""
    import json
    import threading

    before, answered, lock = count_registrations(db), [0], threading.Lock()
    deadline = time.monotonic() + seconds

    def client(number: int) -> None:
        sent = 0
        while time.monotonic() < deadline:
            sent += 1
            body = json.dumps(
                {"first_name": "E", "last_name": "X", "email": f"exact-{number}-{sent}@example.com"}
            )
            request = urllib.request.Request(
                url, body.encode(), {"Content-Type": "application/json"}
            )
            try:
                with urllib.request.urlopen(request, timeout=30) as answer:
                    if answer.status == 201:
                        with lock:
                            answered[0] += 1
            except urllib.error.HTTPError:
                pass

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return answered[0], count_registrations(db) - before


if __name__ == "__main__":
    main()
