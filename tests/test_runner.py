"""The build runner (`magnetiq worker`): requests coalesce, one build at a time across processes,
scheduled content appears on time with nobody pressing anything, a runner killed mid-build
leaves the live site intact and the next one completes the job, and the deploy step's outcome
and output are kept."""

import json
import signal
import time
from datetime import UTC, datetime, timedelta

import pytest

import database
from database import builds
from database.timestamps import to_sqlite
from generator.builder import BuildPaths
from generator.runner import Deploy, run_pending

from .conftest import tree
from .servers import REPO, start_worker


@pytest.fixture
def demo_db_path(demo_site):
    """Every test here runs on SQLite and on PostgreSQL."""
    return demo_site


def jobs(db) -> list:
    conn = database.connect(db)
    return conn.execute("SELECT * FROM build_jobs ORDER BY id").fetchall()


def ask(db, reason: str, full: bool = False) -> int:
    conn = database.connect(db)
    with database.transaction(conn):
        job = builds.request(conn, reason, datetime.now(UTC), full=full)
    conn.close()
    return job


def add_pages(db, count: int, published_at: datetime | None = None) -> None:
    """Pages enough to make a build take a while, each with a body in both languages."""
    body = "\n\n".join(
        f"## Part {n}\n\nCompressed air leaks cost money, every hour of every shift."
        for n in range(30)
    )
    conn = database.connect(db)
    conn.executemany(
        "INSERT INTO pages (slug, template, title, content, status, published_at, author_id) "
        "VALUES (?, 'default', ?, ?, 'published', ?, 1)",
        [(f"bulk-{n}", json.dumps({"en": f"Bulk {n}", "de": f"Masse {n}"}),
          json.dumps({"en": body, "de": body}), to_sqlite(published_at or datetime.now(UTC) - timedelta(days=1)))
         for n in range(count)],
    )  # fmt: skip
    conn.commit()
    conn.close()


def test_requests_during_a_build_become_one_next_build_and_only_one_runner_builds(
    demo_db_path, tmp_path
):
    paths = BuildPaths.default(demo_db_path, tmp_path / "output")
    with builds.build_lock(demo_db_path) as held:  # another runner is building
        assert held
        first, second, third = (ask(demo_db_path, f"edit {n}") for n in range(3))
        assert first == second == third  # merged while waiting
        assert run_pending(paths, datetime.now(UTC)) is None  # a second runner does not build
        ask(demo_db_path, "settings", full=True)
    (job,) = jobs(demo_db_path)
    assert (
        json.loads(job["reasons"]) == ["edit 0", "edit 1", "edit 2", "settings"]
        and job["full_build"]
    )
    outcome = run_pending(paths, datetime.now(UTC))
    assert outcome.ok and outcome.jobs == [job["id"]]
    assert (
        jobs(demo_db_path)[0]["status"] == "done"
        and (tmp_path / "output" / "en" / "index.html").exists()
    )
    assert run_pending(paths, datetime.now(UTC)) is None  # nothing waits

    # Two runner processes at once: the job is built once.
    ask(demo_db_path, "one more")
    runners = [start_worker(demo_db_path, tmp_path / "output", "--once") for _ in range(2)]
    printed = [runner.communicate(timeout=120)[0] for runner in runners]
    assert [row["status"] for row in jobs(demo_db_path)] == ["done", "done"]
    assert sum("files:" in text for text in printed) == 1, printed


def test_a_scheduled_page_appears_on_time_with_nobody_pressing_anything(demo_db_path, tmp_path):
    output = tmp_path / "output"
    due = (datetime.now(UTC) + timedelta(seconds=6)).replace(microsecond=0)  # stored to the second
    add_pages(demo_db_path, 1, published_at=due)
    page = output / "en" / "bulk-0" / "index.html"
    runner = start_worker(
        demo_db_path, output, "--interval", "60"
    )  # it must wake for the page, not poll
    try:
        deadline = time.monotonic() + 60
        while not page.exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        appeared = datetime.now(UTC)
    finally:
        runner.send_signal(signal.SIGTERM)
        printed = runner.communicate(timeout=30)[0]
    assert page.exists(), printed
    assert due <= appeared < due + timedelta(seconds=5)
    reasons = [json.loads(row["reasons"]) for row in jobs(demo_db_path)]
    assert any("scheduled" in reason[0] for reason in reasons)


def test_a_request_is_built_at_once_not_at_the_next_round(demo_db_path, tmp_path):
    """A publish goes live as soon as it is built: between its rounds (`--interval`) the worker
    looks at the queue, so a request does not wait for the next one."""
    output = tmp_path / "output"
    page = output / "en" / "bulk-0" / "index.html"
    runner = start_worker(demo_db_path, output, "--interval", "60")
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and [j["status"] for j in jobs(demo_db_path)] != ["done"]:
            time.sleep(0.05)  # the runner's first build, then a round's wait of 60 s
        add_pages(demo_db_path, 1)
        asked = time.monotonic()
        ask(demo_db_path, "publish bulk-0")
        while not page.exists() and time.monotonic() < asked + 45:
            time.sleep(0.05)
        took = time.monotonic() - asked
    finally:
        runner.send_signal(signal.SIGTERM)
        printed = runner.communicate(timeout=30)[0]
    assert page.exists(), printed
    assert took < 30, f"built {took:.1f} s after the request: it waited for the round"
    assert [j["status"] for j in jobs(demo_db_path)] == ["done", "done"]


def test_a_runner_killed_mid_build_leaves_the_site_intact_and_the_next_completes_the_job(
    demo_db_path, tmp_path, build
):
    output = tmp_path / "output"
    build(demo_db_path)
    live = tree(output)
    add_pages(demo_db_path, 600)
    ask(demo_db_path, "600 new pages")
    runner = start_worker(demo_db_path, output, "--once")
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and not (jobs(demo_db_path)[0]["progress"] or "").startswith(
        ("250 ", "500 ")
    ):
        time.sleep(0.02)
    runner.kill()  # SIGKILL: no clean-up of any kind
    runner.communicate(timeout=30)
    assert jobs(demo_db_path)[0]["status"] == "running"
    after_kill = {
        path: data for path, data in tree(output).items() if not path.endswith(".magnetiq-tmp")
    }
    assert after_kill == live  # visitors saw the old site, whole
    printed = start_worker(demo_db_path, output, "--once").communicate(timeout=300)[0]
    assert {job["status"] for job in jobs(demo_db_path)} == {"done"}, printed  # the killed one too
    assert (output / "en" / "bulk-599" / "index.html").exists()
    build(demo_db_path, "fresh", full=True)
    assert tree(output) == tree(tmp_path / "fresh")  # complete, no stray staged files


@pytest.mark.parametrize("succeeds", [True, False])
def test_the_deploy_command_runs_with_the_output_and_its_failure_fails_the_job(
    demo_db_path, tmp_path, succeeds
):
    script = tmp_path / "deploy.sh"
    script.write_text(
        'echo "deploying $1"\nls "$1" | head -1\necho "disk full" >&2\nexit '
        + ("0" if succeeds else "3")
        + "\n"
    )
    paths = BuildPaths.default(demo_db_path, tmp_path / "output")
    ask(demo_db_path, "publish")
    outcome = run_pending(paths, datetime.now(UTC), deploy=Deploy(f"sh {script}"))
    (job,) = jobs(demo_db_path)
    assert outcome.ok is succeeds and job["status"] == ("done" if succeeds else "failed")
    assert job["deploy_status"] == ("done" if succeeds else "failed")
    assert (
        f"deploying {tmp_path / 'output'}" in job["deploy_log"] and "disk full" in job["deploy_log"]
    )
    assert f"exit status {0 if succeeds else 3}" in job["deploy_log"]
    assert (tmp_path / "output" / "en" / "index.html").exists()  # the build itself stands


def test_the_studio_shows_the_queue_the_builds_and_lets_an_admin_rebuild_everything(
    studio_app, staff, builds_in_tmp
):
    from .test_admin import page_token, sign_in_as

    client = studio_app().test_client()
    sign_in_as(client, "editor")
    assert (
        client.post("/admin/builds/full", data={"csrf_token": page_token(client)}).status_code
        == 403
    )
    sign_in_as(client, "admin")
    client.post("/admin/builds/full", data={"csrf_token": page_token(client)})
    waiting = client.get("/admin/builds").text
    assert "full rebuild asked in the studio" in waiting and 'http-equiv="refresh"' in waiting
    assert "is the build runner" not in waiting
    conn = database.connect(staff)
    conn.execute(
        "UPDATE build_jobs SET requested_at = ?",
        (to_sqlite(datetime.now(UTC) - timedelta(minutes=3)),),
    )
    conn.commit()
    assert "is the build runner (magnetiq worker) running?" in client.get("/admin/builds").text
    conn = database.connect(staff)
    conn.execute(
        "UPDATE pages SET content = '{\"en\": \"[broken](/en/nowhere/)\"}' WHERE slug = 'services'"
    )
    conn.commit()
    assert builds_in_tmp().ok is False
    page = client.get("/admin/builds").text
    assert "failed" in page and "nowhere" in page and 'href="/admin/pages/' in page
    assert 'http-equiv="refresh"' not in page


def test_the_symlink_recipe_switches_the_served_folder_atomically(demo_db_path, tmp_path):
    """docs/operations.md's recipe for nginx or Caddy: each deploy a release, `current` the last."""
    paths = BuildPaths.default(demo_db_path, tmp_path / "output")
    deploy = Deploy(f"sh {REPO / 'deploy' / 'symlink-release.sh'} {tmp_path / 'www'}")
    served = tmp_path / "www" / "current"
    for round_ in range(7):
        ask(demo_db_path, f"round {round_}")
        assert run_pending(paths, datetime.now(UTC), deploy=deploy).ok
        assert served.is_symlink() and tree(served) == tree(paths.output)
    assert len(list((tmp_path / "www" / "releases").iterdir())) == 5
    assert "deployed" in jobs(demo_db_path)[-1]["deploy_log"]
