"""Studio benchmark: the page list and one page's save + publish on the 10,000-page corpus.

    python bench/studio_bench.py [--pages 10000] [--runs 5]

Runs the real studio app in-process (Flask's test client: no network in the figures) on the
bench corpus. Targets (issue 10): the page list answers under 200 ms; saving one page and its
publish build done under 2 s. The publish build is incremental: a cold build runs first and is
not counted.
"""

import argparse
import os
import re
import statistics
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

        app = create_app(Config(database=db, media=Path(folder) / "media", secret_key="bench-" + "x" * 30,
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
            fields["content.en"] = fields.get("content.en", "") + f"\n\nEdited at {time.time()}."
            assert client.post(f"/admin/pages/{page_id}", data=fields).status_code == 303
            published = client.post(f"/admin/pages/{page_id}/publish", data={"csrf_token": fields["csrf_token"]},
                                    follow_redirects=True)  # fmt: skip
            assert "Built:" in published.text, published.text[-500:]

        print(line("save one page + its publish build", timed(save_and_publish, args.runs)))


if __name__ == "__main__":
    main()
