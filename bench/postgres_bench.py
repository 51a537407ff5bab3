"""SQLite against PostgreSQL, same machine, one run: the capture service and the build.

    python bench/postgres_bench.py [--pages 1000] [--runs 3] [--seconds 20] [--connections 32]
                                   [--only capture|build]

Capture: wrk against registrations and page-view events on one gunicorn (2 workers) over each
backend, then two gunicorn masters (as two machines) over one PostgreSQL with a wrk each; the
rows stored must equal the answers. Build: a cold full build of the shared corpus
(`../shared/bench/make_corpus.py N`) from the SQLite file and from the same site copied to
PostgreSQL by `db copy`; medians of --runs. The PostgreSQL server is a throwaway cluster
(tests/postgres_server.py, Debian's `postgresql`) with fsync on, like the SQLite side's FULL.
"""

import argparse
import os
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

import database  # noqa: E402
from bench.capture_bench import SLUG, free_port, start, warm_up, wrk  # noqa: E402
from database.copy import copy_database  # noqa: E402
from database.setup import create_database  # noqa: E402
from tests.postgres_server import ThrowawayCluster  # noqa: E402

CORPUS_SCRIPT = REPO.parent / "shared" / "bench" / "make_corpus.py"
ENDPOINTS = (("registration", f"/api/webinars/{SLUG}/registrations", "registrations"),
             ("page view event", "/api/events", "events"))  # fmt: skip


def empty_capture_site(target, work: Path) -> None:
    """The capture benchmark's site: no content but one webinar without a seat limit."""
    if isinstance(target, str):
        built = work / "capture-source.db"
        create_database(built, "bench@example.com", "benchmark-password-123")
        copy_database(built, target, progress=lambda _line: None)
    else:
        create_database(target, "bench@example.com", "benchmark-password-123")
    conn = database.connect(target)
    conn.execute("INSERT INTO webinars (title, slug, scheduled_at, status) VALUES "
                 "('{\"en\": \"Load test\"}', ?, '2099-01-01 10:00:00', 'scheduled')", (SLUG,))  # fmt: skip
    conn.close()


def stored(target, table: str) -> int:
    conn = database.connect(target)
    try:
        return conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    finally:
        conn.close()


def capture_rates(target, work: Path, seconds: int, connections: int) -> dict[str, dict]:
    env = service_env(target, work)
    results = {}
    for name, path, mode in ENDPOINTS:
        port = free_port()
        server = start("capture:create_app()", port, 2, env)
        try:
            url = f"http://127.0.0.1:{port}{path}"
            warm_up(url, connections)
            results[name] = wrk(url, seconds, connections, mode)
        finally:
            os.killpg(server.pid, 15)
            server.wait()
    return results


def two_instances(target, work: Path, seconds: int, connections: int) -> tuple[float, int, int]:
    """Two masters, a wrk each, at once: (accepted/s together, answers read, rows added)."""
    env = service_env(target, work)
    ports = [free_port(), free_port()]
    servers = [start("capture:create_app()", port, 2, env) for port in ports]
    before = stored(target, "webinar_registrations")
    try:
        results = [None, None]

        def load(index: int) -> None:
            url = f"http://127.0.0.1:{ports[index]}/api/webinars/{SLUG}/registrations"
            results[index] = wrk(url, seconds, connections // 2, "registrations", f"m{index}")

        threads = [threading.Thread(target=load, args=(i,)) for i in (0, 1)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        for server in servers:
            os.killpg(server.pid, 15)
            server.wait()
    created = sum(r["created"] for r in results)
    return (
        created / results[0]["seconds"],
        int(created),
        stored(target, "webinar_registrations") - before,
    )


def service_env(target, work: Path) -> dict:
    return {**os.environ, "MAGNETIQ_DB": str(target), "MAGNETIQ_MEDIA": str(work / "media"),
            "MAGNETIQ_SECRET_KEY": "bench-secret-" + "x" * 20,
            "MAGNETIQ_RATE_LIMIT": "100000000/second", "PYTHONPATH": str(REPO)}  # fmt: skip


def build_times(target, work: Path, runs: int) -> list[float]:
    env = {
        **os.environ,
        "MAGNETIQ_MEDIA": str(work / "media"),
        "MAGNETIQ_CACHE": str(work / "cache"),
    }
    output, times = work / "output", []
    for _ in range(runs):
        shutil.rmtree(output, ignore_errors=True)
        shutil.rmtree(work / "cache", ignore_errors=True)
        started = time.perf_counter()
        subprocess.run([sys.executable, str(REPO / "build.py"), "--db", str(target), "build",
                        "--full", "--output", str(output)], env=env, check=True,
                       stdout=subprocess.DEVNULL)  # fmt: skip
        times.append(time.perf_counter() - started)
    return times


def corpus_site(pages: int, work: Path) -> Path:
    db = work / "corpus.db"
    env = {**os.environ, "MAGNETIQ_ADMIN_PASSWORD": secrets.token_urlsafe(18),
           "MAGNETIQ_MEDIA": str(work / "media")}  # fmt: skip
    subprocess.run([sys.executable, str(REPO / "build.py"), "--db", str(db), "init"], env=env,
                   check=True, stdout=subprocess.DEVNULL)  # fmt: skip
    subprocess.run([sys.executable, str(CORPUS_SCRIPT), str(pages), "--db", str(db), "--forms", "sqlite"],
                   check=True, stdout=subprocess.DEVNULL)  # fmt: skip
    return db


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--only", choices=("capture", "build"), help="run one half")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="magnetiq-pg-bench-"))
    cluster = ThrowawayCluster().start()
    print(f"{os.cpu_count()} CPUs shared by clients, services and the database server", flush=True)
    try:
        if args.only != "build":
            capture_part(cluster, work, args.seconds, args.connections)
        if args.only != "capture":
            build_part(cluster, work, args.pages, args.runs)
    finally:
        cluster.stop()
        shutil.rmtree(work, ignore_errors=True)


def capture_part(cluster: ThrowawayCluster, work: Path, seconds: int, connections: int) -> None:
    file_site, server_site = work / "capture.db", cluster.new_database()
    for target in (file_site, server_site):
        empty_capture_site(target, work)
    rates = {backend: capture_rates(target, work, seconds, connections)
             for backend, target in (("SQLite", file_site), ("PostgreSQL", server_site))}  # fmt: skip
    together, answers, rows = two_instances(server_site, work, seconds, connections)
    print(f"capture: 2 gunicorn workers, {connections} connections, {seconds} s, wrk -t2")
    for name, _, _ in ENDPOINTS:
        sqlite, server = rates["SQLite"][name], rates["PostgreSQL"][name]
        line = [f"  {name:16}"]
        for backend, r in (("SQLite", sqlite), ("PostgreSQL", server)):
            line.append(f"{backend} {r['created'] / r['seconds']:6.0f}/s p99 {r['p99_ms']:5.0f} ms"
                        f" (5xx {r['errors5xx']:.0f})")  # fmt: skip
        line.append(f"PostgreSQL/SQLite {server['created'] / sqlite['created']:.2f}×")
        print("  ".join(line))
    print(f"  two capture services on one PostgreSQL, registrations: {together:.0f}/s together; "
          f"{answers} answers read by wrk, {rows} rows added (wrk hangs up on requests in flight)",
          flush=True)  # fmt: skip


def build_part(cluster: ThrowawayCluster, work: Path, pages: int, runs: int) -> None:
    corpus = corpus_site(pages, work)
    server_corpus = cluster.new_database()
    copy_database(corpus, server_corpus, progress=lambda _line: None)
    builds = {backend: build_times(target, work, runs)
              for backend, target in (("SQLite", corpus), ("PostgreSQL", server_corpus))}  # fmt: skip
    print(f"build: cold full build of {pages:,} pages × en + de, medians of {runs}")
    sqlite, server = statistics.median(builds["SQLite"]), statistics.median(builds["PostgreSQL"])
    print(f"  SQLite {sqlite:.2f} s, PostgreSQL {server:.2f} s: {server / sqlite:.2f}×", flush=True)


if __name__ == "__main__":
    main()
