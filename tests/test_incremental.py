"""Incremental builds equal full builds, whatever sequence of edits came before."""

import json
import os
import shutil
import subprocess
import sys
import time

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import database
from database.timestamps import utc_now
from generator.errors import BuildError

from .conftest import REPO, tree
from .servers import Lines

SLUGS = ["alpha", "beta", "about", "contact"]
TEMPLATES = ["default", "legal"]
# Settings that pages and the search index show outside a language's chrome: canonical and
# hreflang addresses, the description of a page without one of its own, which languages a page
# links to, the language that fills a missing translation.
SETTINGS = [
    ("site_url", "https://elsewhere.example"),
    ("site_description", json.dumps({"en": "Elsewhere", "de": "Anderswo"})),
    ("translation_fallback", "omit"),
    ("default_language", "de"),
]

edit = st.one_of(
    st.tuples(st.just("create"), st.sampled_from(SLUGS), st.booleans()),
    st.tuples(st.just("edit_body"), st.sampled_from(SLUGS), st.text("abc xyz#*\n", max_size=30)),
    st.tuples(st.just("unpublish"), st.sampled_from(SLUGS)),
    st.tuples(st.just("soft_delete"), st.sampled_from(SLUGS)),
    st.tuples(st.just("rename"), st.sampled_from(SLUGS), st.sampled_from(SLUGS)),
    st.tuples(st.just("template"), st.sampled_from(SLUGS), st.sampled_from(TEMPLATES)),
    st.tuples(st.just("navigation"), st.sampled_from(SLUGS), st.integers(0, 2)),
    st.tuples(st.just("webinar_title"), st.text("Webinar ÄÖ", min_size=1, max_size=12)),
    st.tuples(st.just("title"), st.sampled_from(SLUGS), st.text("Title ÄÖ", min_size=1, max_size=12)),
    st.tuples(st.just("excerpt"), st.sampled_from(SLUGS), st.text("Excerpt ÄÖ", max_size=12)),
    st.tuples(st.just("webinar_status"), st.sampled_from(["cancelled", "scheduled"])),
    st.tuples(st.just("whitepaper_title"), st.text("Paper ÄÖ", min_size=1, max_size=12)),
    st.sampled_from(SETTINGS).map(lambda setting: ("setting", *setting)),
)  # fmt: skip


def apply(conn, operation) -> None:
    kind, slug, *rest = operation
    live = "slug = ? AND deleted_at IS NULL"
    if kind == "create":
        if conn.execute(f"SELECT 1 FROM pages WHERE {live}", (slug,)).fetchone():
            return
        title = {"en": slug.title(), "de": slug.upper()} if rest[0] else {"en": slug.title()}
        content = (
            {"en": f"# {slug}\n\nText.", "de": f"# {slug}\n\nText."}
            if rest[0]
            else {"en": f"# {slug}"}
        )
        conn.execute(
            "INSERT INTO pages (slug, title, content, status, published_at) "
            "VALUES (?, ?, ?, 'published', '2020-01-01 00:00:00')",
            (slug, json.dumps(title), json.dumps(content)),
        )
    elif kind == "edit_body":
        set_translation(conn, "pages", "content", "en", rest[0], f"{live}", (slug,))
    elif kind == "unpublish":
        conn.execute(f"UPDATE pages SET status = 'draft' WHERE {live}", (slug,))
    elif kind == "soft_delete":
        conn.execute(f"UPDATE pages SET deleted_at = CURRENT_TIMESTAMP WHERE {live}", (slug,))
    elif kind == "rename":  # as the studio does: a published page keeps its old address (D14)
        page = conn.execute(f"SELECT id, status FROM pages WHERE {live}", (slug,)).fetchone()
        if page and not conn.execute(f"SELECT 1 FROM pages WHERE {live}", (rest[0],)).fetchone():
            conn.execute("UPDATE pages SET slug = ? WHERE id = ?", (rest[0], page[0]))
            if page[1] == "published":
                conn.execute(
                    "INSERT INTO page_redirects (old_slug, page_id) VALUES (?, ?) "
                    "ON CONFLICT (old_slug) DO UPDATE SET page_id = excluded.page_id",
                    (slug, page[0]),
                )
    elif kind == "template":
        conn.execute(f"UPDATE pages SET template = ? WHERE {live}", (rest[0], slug))
    elif kind == "navigation":  # out of the main navigation (0), or into it at a position
        navigation = "SELECT value FROM system_settings WHERE key = 'main_navigation'"
        slugs = [
            other for other in json.loads(conn.execute(navigation).fetchone()[0]) if other != slug
        ]
        if rest[0]:
            slugs.insert(rest[0] - 1, slug)
        conn.execute(
            "UPDATE system_settings SET value = ? WHERE key = 'main_navigation'",
            (json.dumps(slugs),),
        )
    elif kind == "webinar_title":
        set_translation(conn, "webinars", "title", "de", slug, "id = 1", ())
    elif kind == "title":
        set_translation(conn, "pages", "title", "en", rest[0], live, (slug,))
    elif kind == "excerpt":
        set_translation(conn, "pages", "excerpt", "en", rest[0], live, (slug,))
    elif kind == "webinar_status":
        conn.execute("UPDATE webinars SET status = ? WHERE id = 1", (slug,))
    elif kind == "whitepaper_title":
        set_translation(conn, "whitepapers", "title", "en", slug, "id = 1", ())
    elif kind == "setting":
        conn.execute("UPDATE system_settings SET value = ? WHERE key = ?", (rest[0], slug))


def set_translation(
    conn, table: str, column: str, lang: str, text: str, where: str, params
) -> None:
    """Read, change and write back one language of a JSON column (the same on both backends)."""
    for row_id, stored in conn.execute(f"SELECT id, {column} FROM {table} WHERE {where}", params):
        conn.execute(
            f"UPDATE {table} SET {column} = ? WHERE id = ?",
            (json.dumps({**json.loads(stored or "{}"), lang: text}), row_id),
        )


@settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(edits=st.lists(edit, min_size=1, max_size=5))
@example(
    edits=[
        ("edit_body", "about", "changed"),
        ("template", "about", "legal"),
        ("rename", "about", "beta"),
    ]
)
@example(edits=[("create", "alpha", False), ("navigation", "alpha", 2), ("soft_delete", "alpha")])
@example(edits=[("create", "alpha", True), ("rename", "alpha", "beta"), ("title", "beta", "Neu")])
@example(edits=[("setting", *setting) for setting in SETTINGS])
def test_incremental_build_equals_a_full_build_after_every_edit(
    demo_db_path, build, tmp_path, edits
):
    db_copy = tmp_path / f"edits-{time.monotonic_ns()}.db"
    source = database.connect(demo_db_path)
    source.execute(f"VACUUM INTO '{db_copy}'")
    source.close()
    conn = database.connect(db_copy)
    now = utc_now()
    run = f"inc-{time.monotonic_ns()}"
    build(db_copy, run, now=now)
    for step, operation in enumerate(edits):
        apply(conn, operation)
        fresh = f"{run}-full-{step}"
        before = tree(tmp_path / run)
        try:
            build(db_copy, run, now=now)
        except BuildError as incremental_error:
            # e.g. unpublishing a page that others link to: both builds refuse, nothing changes
            with pytest.raises(BuildError) as full_error:
                build(db_copy, fresh, now=now, full=True)
            assert full_error.value.problems == incremental_error.problems
            assert tree(tmp_path / run) == before
            continue
        build(db_copy, fresh, now=now, full=True)
        assert tree(tmp_path / run) == tree(tmp_path / fresh), operation
        shutil.rmtree(tmp_path / fresh)


EVERY_KIND_OF_EDIT = [
    ("create", "alpha", True), ("edit_body", "about", "changed *now*"), ("navigation", "alpha", 1),
    ("template", "about", "legal"), ("rename", "about", "beta"), ("webinar_title", "Neu"),
    ("unpublish", "contact"), ("soft_delete", "alpha"), ("create", "alpha", False),
    ("title", "beta", "Neu"), ("excerpt", "services", "Kurz"), ("webinar_status", "cancelled"),
    ("whitepaper_title", "Paper"), *(("setting", *setting) for setting in SETTINGS),
]  # fmt: skip


def test_incremental_build_equals_a_full_build_on_postgresql(
    demo_db_path, postgres_url, run_cli, build, tmp_path
):
    """The incremental build trusts (id, updated_at): PostgreSQL's trigger must keep that promise."""
    assert run_cli("db", "copy", demo_db_path, postgres_url)[0] == 0
    conn = database.connect(postgres_url)
    now = utc_now()
    build(postgres_url, "incremental", now=now)
    for step, operation in enumerate(EVERY_KIND_OF_EDIT):
        apply(conn, operation)
        try:
            build(postgres_url, "incremental", now=now)
        except BuildError:
            with pytest.raises(BuildError):
                build(postgres_url, f"full-{step}", now=now, full=True)
            continue
        build(postgres_url, f"full-{step}", now=now, full=True)
        assert tree(tmp_path / "incremental") == tree(tmp_path / f"full-{step}"), operation


def test_a_language_renamed_in_its_catalog_is_renamed_in_every_language_switcher(
    demo_db_path, build, tmp_path
):
    """Every page's language switcher names the other languages too: their names are part of
    every page's key, not only of their own language's pages."""
    templates = tmp_path / "templates"
    shutil.copytree(REPO / "content_templates", templates)
    now = utc_now()
    build(demo_db_path, "incremental", now=now, templates=templates)
    catalog = templates / "i18n" / "de.json"
    catalog.write_text(catalog.read_text().replace('"Deutsch"', '"Deutsch (Deutschland)"'))
    build(demo_db_path, "incremental", now=now, templates=templates)
    build(demo_db_path, "full", now=now, full=True, templates=templates)
    assert tree(tmp_path / "incremental") == tree(tmp_path / "full")
    english = (tmp_path / "incremental" / "en" / "about" / "index.html").read_text()
    assert "Deutsch (Deutschland)" in english


def test_watch_rebuilds_once_per_edit_and_then_stays_quiet(demo_site, tmp_path):
    """The real `watch` command: one UPDATE is one rebuild; its own build, leads and analytics
    cause none (the build's close of the database once set off an endless series). SQLite's
    file events and PostgreSQL's polling alike."""
    demo_db_path = demo_site
    env = {**os.environ, "MAGNETIQ_MEDIA": str(tmp_path / "media"), "PYTHONUNBUFFERED": "1"}
    command = [sys.executable, str(REPO / "build.py"), "--db", str(demo_db_path), "watch",
               "--output", str(tmp_path / "output")]  # fmt: skip
    process = subprocess.Popen(command, cwd=tmp_path, env=env, stdout=subprocess.PIPE, text=True)
    try:
        out = Lines(process)
        out.wait_for("Watching")
        time.sleep(2)
        assert out.count("Changed:") == 1  # the start
        conn = database.connect(demo_db_path)
        set_translation(
            conn, "pages", "content", "en", "# About\n\nWatched edit.", "slug = 'about'", ()
        )
        conn.close()
        out.wait_for("wrote en/about/index.html")
        time.sleep(4)
        assert out.count("Changed:") == 2, out.lines
        conn = database.connect(demo_db_path)
        conn.execute(
            "INSERT INTO analytics_events (event_type, page_path) VALUES ('page_view', '/en/')"
        )
        conn.close()
        time.sleep(3)
        assert out.count("Changed:") == 2, out.lines
    finally:
        process.terminate()
        process.wait(timeout=10)
        process.stdout.close()
    assert "Watched edit." in (tmp_path / "output" / "en" / "about" / "index.html").read_text()


def test_a_build_with_nothing_to_do_says_so_and_any_change_makes_it_build(
    demo_db_path, build, tmp_path
):
    """Issue 15: nothing changed costs next to nothing (no planning); whatever a build reads
    changing, or time reaching a moment that changes the site, makes it a real build again."""
    from database.builds import moments

    templates = tmp_path / "templates"
    shutil.copytree(REPO / "content_templates", templates)
    conn = database.connect(demo_db_path)
    now = utc_now()

    def again(at=now):
        return build(demo_db_path, now=at, templates=templates)

    again()
    quiet = again()
    assert quiet.nothing_changed and quiet.written == 0 and quiet.planned > 100
    assert "nothing changed since the last build" in quiet.line()
    changes = {
        "a page edited by plain SQL": lambda: conn.execute(
            "UPDATE pages SET content = json_set(content, '$.en', '# Edited') WHERE slug = 'about'"
        ),
        "a registration (a webinar may be full)": lambda: conn.execute(
            "INSERT INTO webinar_registrations (webinar_id, first_name, last_name, email) "
            "VALUES (1, 'Ada', 'Lovelace', 'ada@example.com')"
        ),
        "an old address kept as a redirect": lambda: conn.execute(
            "INSERT INTO page_redirects (old_slug, page_id) SELECT 'about-us', id FROM pages WHERE slug = 'about'"
        ),
        "a template": lambda: (templates / "base.html").write_text(
            (templates / "base.html").read_text() + "<!-- edited -->\n"
        ),
        "a media file's bytes": lambda: (tmp_path / "media" / "images" / "logo.svg").write_text(
            (tmp_path / "media" / "images" / "logo.svg").read_text().replace("</svg>", "<g/></svg>")
        ),
        "an output file removed": lambda: (tmp_path / "output" / "en" / "about" / "index.html").unlink(),
    }  # fmt: skip
    for what, change in changes.items():
        change()
        summary = again()
        assert not summary.nothing_changed and summary.rendered > 0, what
        assert again().nothing_changed, what
    assert (tmp_path / "output" / "en" / "about" / "index.html").exists()
    source = REPO / "generator" / "views" / "items.py"  # as an upgrade rewrites the code
    stat = source.stat()
    try:
        os.utime(source, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
        assert not again().nothing_changed, "the build's own code"
        assert again().nothing_changed
    finally:
        os.utime(source, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    first_moment = moments(conn, now)[0]  # a scheduled page appears, a webinar closes …
    assert not again(first_moment).nothing_changed
    assert not again(now).nothing_changed  # an earlier clock than the last build's
    assert not build(demo_db_path, now=now, templates=templates, full=True).nothing_changed


def test_a_process_that_builds_again_rereads_page_rows_another_process_wrote(
    demo_db_path, build, tmp_path
):
    """`magnetiq worker` keeps the page rows of its last build in memory (generator/pagecache.py)
    instead of decoding them again; once a build in another process has rewritten them, its next
    build reads the file, not its own older rows."""
    from database.builds import database_instance
    from generator.pagecache import load_known_pages

    build(demo_db_path)
    conn = database.connect(demo_db_path)
    instance, cache = database_instance(conn), tmp_path / ".cache-output"
    kept = load_known_pages(cache, instance)
    assert load_known_pages(cache, instance) is kept  # the same process: its own rows
    conn.execute(
        "UPDATE pages SET content = json_set(content, '$.en', '# Elsewhere') WHERE slug = 'about'"
    )
    elsewhere = subprocess.run(
        [sys.executable, "build.py", "--db", str(demo_db_path), "build", "--output", str(tmp_path / "output")],
        cwd=REPO, capture_output=True, text=True, timeout=300,
        env={**os.environ, "MAGNETIQ_CACHE": str(cache), "MAGNETIQ_MEDIA": str(tmp_path / "media"),
             "MAGNETIQ_TEMPLATES": str(REPO / "content_templates")},
    )  # fmt: skip
    assert elsewhere.returncode == 0, elsewhere.stderr
    about = {page.slug: page for page in load_known_pages(cache, instance).values()}["about"]
    assert about.version != {page.slug: page for page in kept.values()}["about"].version


def test_a_build_pauses_the_cycle_collector_and_restores_it_even_when_it_fails(
    demo_db_path, build, tmp_path
):
    """A build's many long-lived objects made the collector walk the whole process again and
    again (a third of a one-page build at 10,000 pages: generator/collector.py)."""
    import gc

    from generator.collector import COLLECTOR_PAUSED

    runs = []  # for each collection: was a build running?

    def count(phase, info):
        if phase == "start":
            runs.append(COLLECTOR_PAUSED.builds > 0)

    broken = tmp_path / "templates"
    shutil.copytree(REPO / "content_templates", broken)
    (broken / "pages" / "default.html").write_text("{% if %}", encoding="utf-8")
    gc.callbacks.append(count)
    try:
        build(demo_db_path, full=True)
        assert gc.isenabled()
        with pytest.raises(BuildError):
            build(demo_db_path, "broken", templates=broken)
        assert gc.isenabled()
        assert runs and not any(runs)  # it ran between and after the builds, never during one
        gc.disable()  # the caller's choice is left as it was
        build(demo_db_path, full=True)
        assert not gc.isenabled()
    finally:
        gc.enable()
        gc.callbacks.remove(count)


def test_overlapping_builds_turn_the_collector_on_when_the_last_ends():
    import gc

    from generator.collector import CollectorPause

    pause = CollectorPause()
    with pause:
        with pause:  # a second build meanwhile, as another thread of the process starts one
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()
