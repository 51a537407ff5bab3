"""Studio benchmark: the page list, and one page's save + publish until it is live.

    python bench/studio_bench.py [--pages 10000] [--runs 5]

Runs the real studio app in-process (Flask's test client: no network in the figures) on the
bench corpus (10,000 pages by default), and `magnetiq worker` as its own process with its
default settings, as an operator runs it: "until live" is from the save until the page's file
in output/ shows the edit (the worker's wait for the request, then its incremental build).
Targets (issue 10): the page list answers under 200 ms; saving one page and its publish build
done under 2 s. A cold build runs first and is not counted.
"""

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

import database  # noqa: E402
from bench.corpus import generate  # noqa: E402
from database.timestamps import utc_now  # noqa: E402
from database.users import create_admin_user  # noqa: E402
from generator.builder import BuildPaths, build_site  # noqa: E402
from service.config import Config  # noqa: E402
from studio import create_app  # noqa: E402

PASSWORD = "studio benchmark editor 2026"


def timed(action, runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return times


def line(label: str, times: list[float]) -> str:
    ms = [t * 1000 for t in times]
    return f"  {label:<44} median {statistics.median(ms):8.1f} ms (min {min(ms):.1f}, max {max(ms):.1f}; {len(ms)} runs)"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="magnetiq-studio-bench-") as folder:
        db = Path(folder) / "bench.db"
        os.environ.update(
            MAGNETIQ_MEDIA=str(Path(folder) / "media"), MAGNETIQ_OUTPUT=str(Path(folder) / "output")
        )
        generate(db, args.pages)
        conn = database.connect(db)
        create_admin_user(conn, "editor@example.com", PASSWORD, role="editor")
        conn.close()
        started = time.perf_counter()
        build_site(BuildPaths.default(db), utc_now())
        print(f"{args.pages} pages; cold build (not counted) {time.perf_counter() - started:.1f} s")

        secret = "bench-" + "x" * 30
        app = create_app(Config(database=db, media=Path(folder) / "media", secret_key=secret,
                                production=False, login_rate_limit="1000/minute"))  # fmt: skip
        client = app.test_client()
        login = client.get("/admin/login").text
        token = re.search(r'name="csrf_token" value="([^"]+)"', login).group(1)
        client.post(
            "/admin/login",
            data={"email": "editor@example.com", "password": PASSWORD, "csrf_token": token},
        )

        def get(path: str):
            def run():
                assert client.get(path).status_code == 200

            return run

        print(
            line(
                "page list, first page (last changed first)", timed(get("/admin/pages"), args.runs)
            )
        )
        print(line("page list, page 100", timed(get("/admin/pages?page=100"), args.runs)))
        print(
            line("page list, search 'page-0999'", timed(get("/admin/pages?q=page-0999"), args.runs))
        )
        print(line("page list, sorted by title", timed(get("/admin/pages?sort=title"), args.runs)))
        page_id = (
            database.connect(db)
            .execute("SELECT id FROM pages WHERE slug = 'page-00042'")
            .fetchone()[0]
        )

        live_page = Path(os.environ["MAGNETIQ_OUTPUT"]) / "en" / "page-00042" / "index.html"
        worker = subprocess.Popen([sys.executable, "build.py", "--db", str(db), "worker"], cwd=REPO,
                                  env={**os.environ, "MAGNETIQ_SECRET_KEY": secret},
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
        wait_for(lambda: builds_done(db) >= 1)  # the runner's first build: nothing to do

        def save_and_publish():
            form = client.get(f"/admin/pages/{page_id}").text
            fields = dict(re.findall(r'name="([^"]+)" value="([^"]*)"', form))
            fields.update(
                {
                    name: text
                    for name, text in re.findall(
                        r'<textarea id="[^"]+" name="([^"]+)"[^>]*>([^<]*)</textarea>', form
                    )
                }
            )
            edit = f"Edited at {time.time()}."
            fields["content.en"] = fields.get("content.en", "") + f"\n\n{edit}"
            assert client.post(f"/admin/pages/{page_id}", data=fields).status_code == 303
            published = client.post(f"/admin/pages/{page_id}/publish", data={"csrf_token": fields["csrf_token"]})  # fmt: skip
            assert published.status_code == 303
            wait_for(lambda: edit in live_page.read_text())

        try:
            print(line("save one page + publish, until live", timed(save_and_publish, args.runs)))
        finally:
            worker.terminate()
            worker.wait(timeout=60)
        seconds = [json.loads(summary)["seconds"] for (summary,) in database.connect(db).execute(
            "SELECT summary FROM build_jobs WHERE status = 'done' ORDER BY id")][-args.runs:]  # fmt: skip
        print(line("  of which the worker's build", seconds))


def builds_done(db: Path) -> int:
    conn = database.connect(db)
    try:
        return conn.execute("SELECT count(*) FROM build_jobs WHERE status = 'done'").fetchone()[0]
    finally:
        conn.close()


def wait_for(condition, timeout: float = 300) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise SystemExit("the worker did not build in time (is `build.py worker` failing?)")
        time.sleep(0.01)


if __name__ == "__main__":
    main()
