"""Admin dashboard benchmark: render time with a million analytics events.

    python bench/dashboard_bench.py [--events 1000000] [--runs 5]

Fills a fresh database with page views spread over a year (realistic paths, referrers, UTM
sources) and renders /admin/ through the real Flask app, signed in, for the default 30 days and
for the whole year. Prints the median render time of each.
"""

import argparse
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

import database  # noqa: E402
from database.setup import create_database  # noqa: E402
from service.config import Config  # noqa: E402
from studio import create_app  # noqa: E402

PASSWORD = "benchmark-password-123"


def fill(db: Path, events: int) -> None:
    rng = random.Random(7)
    pages = [f"/{lang}/{slug}/" for lang in ("en", "de") for slug in ("", "about", "services", "webinars", "book",
             "whitepapers", "contact", *(f"page-{n}" for n in range(200)))]  # fmt: skip
    referrers = [
        None,
        None,
        "https://www.google.com/",
        "https://www.linkedin.com/feed/",
        "https://www.bing.com/",
    ]
    sources = [None, None, None, "newsletter", "linkedin", "google"]
    now = datetime.now(UTC).replace(microsecond=0)
    conn = database.connect(db)
    batch = []
    for _ in range(events):
        moment = now - timedelta(seconds=rng.randrange(365 * 86400))
        batch.append(("page_view", rng.choice(pages), rng.choice(referrers), rng.choice(sources),
                      f"s{rng.randrange(events // 5)}", moment.strftime("%Y-%m-%d %H:%M:%S")))  # fmt: skip
        if len(batch) == 50_000:
            insert(conn, batch)
            batch = []
    insert(conn, batch)
    conn.execute("ANALYZE")
    conn.close()


def insert(conn, batch) -> None:
    with database.transaction(conn):
        conn.executemany(
            "INSERT INTO analytics_events (event_type, page_path, referrer, utm_source, session_id, created_at) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            batch,
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    db = Path(tempfile.mkdtemp(prefix="magnetiq-dashboard-")) / "bench.db"
    create_database(db, "bench@example.com", PASSWORD)
    started = time.perf_counter()
    fill(db, args.events)
    print(
        f"{args.events:,} page views over 365 days written in {time.perf_counter() - started:.1f} s"
    )
    app = create_app(Config(database=db, media=db.parent, secret_key="bench-" + "x" * 30, production=False,
                            login_rate_limit="1000/minute"))  # fmt: skip
    client = app.test_client()
    token = client.get("/admin/login").text.split('name="csrf_token" value="')[1].split('"')[0]
    client.post(
        "/admin/login",
        data={"email": "bench@example.com", "password": PASSWORD, "csrf_token": token},
    )
    today = datetime.now(UTC).date()
    for label, query in (("last 30 days (default)", ""),
                         ("whole year", f"?from={today - timedelta(days=364)}&to={today}")):  # fmt: skip
        timings = []
        for _ in range(args.runs):
            started = time.perf_counter()
            answer = client.get(f"/admin/{query}")
            timings.append(time.perf_counter() - started)
            assert answer.status_code == 200, answer.status_code
        print(f"  dashboard, {label:24} median {statistics.median(timings) * 1000:7.1f} ms "
              f"(min {min(timings) * 1000:.1f}, max {max(timings) * 1000:.1f}; {args.runs} runs)")  # fmt: skip


if __name__ == "__main__":
    main()
