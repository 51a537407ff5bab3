"""The static build on the demo site: what is published, SEO, determinism, failures."""

import json
import os
import re
import shutil
import sqlite3
import threading
from datetime import timedelta
from html import unescape
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import database
from database.timestamps import from_sqlite, utc_now
from generator.errors import BuildError
from generator.render import LINKING, attribute_values

from .conftest import REPO, tree
from .site_reading import head_links, html_pages, sitemap_locations, url_to_file

SITE = "http://localhost:8000"
PUBLISHED_PAGES = {"about", "services", "contact", "privacy", "imprint"}

REGISTRATION_FORM = 'data-event="registration"'  # the form; every page also has a search box


@pytest.fixture
def demo_db_path(demo_site):
    """Every build here runs from SQLite and from PostgreSQL."""
    return demo_site


def body(db, slug: str, lang: str) -> str | None:
    conn = database.connect(db)
    try:
        row = conn.execute("SELECT content FROM pages WHERE slug = ?", (slug,)).fetchone()
    finally:
        conn.close()
    return json.loads(row[0]).get(lang)


def set_body(db, slug: str, lang: str, markdown: str | None) -> None:
    """One language of a page's body set (None: removed), decoded and encoded in Python as the
    studio does, so the same edit runs on both backends."""
    conn = database.connect(db)
    try:
        content = json.loads(
            conn.execute("SELECT content FROM pages WHERE slug = ?", (slug,)).fetchone()[0]
        )
        if markdown is None:
            content.pop(lang, None)
        else:
            content[lang] = markdown
        conn.execute(
            "UPDATE pages SET content = ? WHERE slug = ?",
            (json.dumps(content, ensure_ascii=False), slug),
        )
    finally:
        conn.close()


def page_id(db, slug: str = "about") -> int:
    conn = database.connect(db)
    try:
        return conn.execute("SELECT id FROM pages WHERE slug = ?", (slug,)).fetchone()[0]
    finally:
        conn.close()


def all_text(output) -> str:
    return "\n".join(
        p.read_text(encoding="utf-8", errors="replace") for p in output.rglob("*") if p.is_file()
    )


def test_every_published_item_exists_in_every_language(demo_db_path, build, tmp_path):
    build(demo_db_path)
    out = tmp_path / "output"
    for lang in ("en", "de"):
        assert (out / lang / "index.html").is_file()
        for slug in PUBLISHED_PAGES:
            assert (out / lang / slug / "index.html").is_file(), (lang, slug)
        for slug in ("energy-monitoring-101", "iso-50001-in-practice", "peak-load-management"):
            assert (out / lang / "webinars" / slug / "index.html").is_file()
            assert (out / lang / "webinars" / slug / f"{slug}.ics").is_file()
        for slug in ("energy-cost-benchmark-2026", "iso-50001-checklist"):
            assert (out / lang / "whitepapers" / slug / "index.html").is_file()
        for path in ("book/index.html", "404.html", "feed.xml", "thank-you/booking/index.html",
                     "thank-you/download/index.html", "thank-you/registration/index.html"):  # fmt: skip
            assert (out / lang / path).is_file(), path
    for path in ("index.html", "sitemap.xml", "robots.txt", "404.html"):
        assert (out / path).is_file()


def test_drafts_future_and_deleted_content_appear_nowhere(demo_db_path, build, tmp_path):
    conn = database.connect(demo_db_path)
    conn.execute("UPDATE pages SET deleted_at = CURRENT_TIMESTAMP WHERE slug = 'imprint'")
    conn.execute(
        "UPDATE webinars SET deleted_at = CURRENT_TIMESTAMP WHERE slug = 'peak-load-management'"
    )
    build(demo_db_path)
    text = all_text(tmp_path / "output")
    for hidden in ("pricing", "Pricing", "Preise", "platform-2027", "2027 platform", "imprint", "Impressum",
                   "peak-load-management", "Lastspitzenmanagement"):  # fmt: skip
        assert hidden not in text, hidden


def test_scheduled_page_is_published_by_a_later_build(demo_db_path, build, tmp_path):
    summary = build(demo_db_path)
    scheduled = (
        database.connect(demo_db_path)
        .execute("SELECT published_at FROM pages WHERE slug = 'platform-2027'")
        .fetchone()[0]
    )
    assert summary.next_publish == from_sqlite(scheduled)
    assert not (tmp_path / "output" / "en" / "platform-2027").exists()
    later = build(demo_db_path, now=from_sqlite(scheduled) + timedelta(minutes=1))
    assert (tmp_path / "output" / "en" / "platform-2027" / "index.html").is_file()
    assert "en/platform-2027/index.html" in later.written_paths
    assert "platform-2027" in (tmp_path / "output" / "sitemap.xml").read_text()


def test_hreflang_is_reciprocal_across_the_whole_site(demo_db_path, build, tmp_path):
    set_body(demo_db_path, "about", "de", None)
    build(demo_db_path)
    out = tmp_path / "output"
    checked = 0
    for page in html_pages(out):
        links = head_links(page)
        if not links.alternates:
            continue
        assert "x-default" in links.alternates
        assert links.canonical in links.alternates.values(), page
        for lang, url in links.alternates.items():
            other = head_links(url_to_file(out, SITE, url))
            assert other.alternates == links.alternates, (page, lang)
            checked += 1
    assert checked > 40


def test_fallback_copy_is_marked_canonicalised_and_left_out(demo_db_path, build, tmp_path):
    set_body(demo_db_path, "about", "de", None)
    build(demo_db_path)
    out = tmp_path / "output"
    german = (out / "de" / "about" / "index.html").read_text()
    assert 'lang="en" class="prose"' in german and "noch nicht ins Deutsche übersetzt" in german
    assert head_links(out / "de" / "about" / "index.html").canonical == f"{SITE}/en/about/"
    assert head_links(out / "de" / "about" / "index.html").alternates == {}
    assert "/de/about/" not in json.dumps(
        head_links(out / "en" / "about" / "index.html").alternates
    )
    assert f"{SITE}/de/about/" not in sitemap_locations(out)
    assert "/de/about/" not in (out / "de" / "feed.xml").read_text()


def test_omit_policy_builds_no_copy_and_links_to_the_original(demo_db_path, build, tmp_path):
    conn = database.connect(demo_db_path)
    conn.execute("UPDATE system_settings SET value = 'omit' WHERE key = 'translation_fallback'")
    set_body(demo_db_path, "about", "de", None)
    build(demo_db_path)
    out = tmp_path / "output"
    assert not (out / "de" / "about").exists()
    german_home = (out / "de" / "index.html").read_text()
    assert 'href="/en/about/"' in german_home
    switcher = (out / "en" / "about" / "index.html").read_text()
    assert 'href="/de/" hreflang="de"' in switcher


def test_two_builds_give_identical_trees(demo_db_path, build, tmp_path):
    now = utc_now()
    build(demo_db_path, "one", now=now, full=True)
    build(demo_db_path, "two", now=now, full=True)
    first, second = tree(tmp_path / "one"), tree(tmp_path / "two")
    assert first == second and len(first) > 50


def test_rendering_in_worker_processes_replaced_along_the_way_gives_the_same_bytes(
    demo_db_path, build, tmp_path, monkeypatch
):
    """A large build renders in worker processes, each replaced after a few chunks of jobs
    (cmarkgfm leaks memory): which process rendered what must not show in any byte."""
    from generator import pipeline

    now = utc_now()
    monkeypatch.setattr(pipeline, "PARALLEL_THRESHOLD", 10**9)
    build(demo_db_path, "one-process", now=now, full=True)
    monkeypatch.setattr(pipeline, "PARALLEL_THRESHOLD", 1)
    monkeypatch.setattr(pipeline, "WORKER_CHUNKS", 1)  # a new process for every chunk
    build(demo_db_path, "workers", now=now, full=True)
    assert tree(tmp_path / "one-process") == tree(tmp_path / "workers")


def test_a_build_starts_its_worker_processes_without_forking_itself(demo_db_path, build, monkeypatch):  # fmt: skip
    """A fork copies only the thread that forks, with every lock as it was: the build's process
    has other threads (a pool's own, and in `magnetiq worker` the mail sender's), and a lock one
    of them held at that instant hangs the child. Rendering, each language's index update and
    its analysis all run in worker processes here, and not one is forked from this process."""
    from generator import pipeline
    from generator.search import documents, outputs

    forks, recording = [], threading.Event()
    os.register_at_fork(before=lambda: recording.is_set() and forks.append(os.getpid()))
    monkeypatch.setattr(os, "cpu_count", lambda: 2)  # workers even on a one-CPU machine
    monkeypatch.setattr(pipeline, "PARALLEL_THRESHOLD", 1)
    monkeypatch.setattr(documents, "PARALLEL_THRESHOLD", 1)
    recording.set()
    try:
        monkeypatch.setattr(outputs, "SIDE_BY_SIDE_THRESHOLD", 1)  # a process per language
        build(demo_db_path, "side-by-side", full=True)
        monkeypatch.setattr(outputs, "SIDE_BY_SIDE_THRESHOLD", 10**9)  # a pool beside the build
        build(demo_db_path, "pool", full=True)
    finally:
        recording.clear()
    assert forks == []


def test_a_cold_build_starts_its_worker_server_before_it_plans(demo_db_path, build, monkeypatch):
    """The fork server imports the renderer while a cold build plans, when the build is big
    enough for workers; a smaller one starts none (multiprocessing's own state tells)."""
    from multiprocessing import forkserver

    from generator import pipeline

    server_up_while_planning = []
    plan = pipeline.Planner.outputs

    def outputs(planner):
        server_up_while_planning.append(forkserver._forkserver._forkserver_pid is not None)
        return plan(planner)

    monkeypatch.setattr(pipeline.Planner, "outputs", outputs)
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    for threshold in (10**9, 1):
        forkserver._forkserver._stop()
        monkeypatch.setattr(pipeline, "PARALLEL_THRESHOLD", threshold)
        build(demo_db_path, f"threshold-{threshold}", full=True)
    assert server_up_while_planning == [False, True]


def test_webinar_page_shows_state_time_zone_and_event_data(demo_db_path, build, tmp_path):
    build(demo_db_path)
    out = tmp_path / "output"
    full = (out / "de" / "webinars" / "iso-50001-in-practice" / "index.html").read_text()
    assert "ausgebucht" in full and REGISTRATION_FORM not in full
    assert "Mitteleuropäische" in full  # the webinar's own time zone, in German
    past = (out / "en" / "webinars" / "peak-load-management" / "index.html").read_text()
    assert "has ended" in past and "https://video.voltaic.example/peak-load-management" in past
    upcoming = (out / "en" / "webinars" / "energy-monitoring-101" / "index.html").read_text()
    assert (
        'action="http://localhost:8001/api/webinars/energy-monitoring-101/registrations"'
        in upcoming
    )
    event = json.loads(
        re.search(r'<script type="application/ld\+json">(.*?)</script>', upcoming).group(1)
    )
    for required in ("name", "startDate", "location", "eventAttendanceMode", "eventStatus", "organizer",
                     "offers", "endDate", "description", "performer", "image"):  # fmt: skip
        assert event[required], required
    listing = (out / "en" / "webinars" / "index.html").read_text()
    upcoming_part, past_part = listing.split('id="past"')
    assert "energy-monitoring-101" in upcoming_part and "peak-load-management" in past_part


def test_calendar_file_follows_rfc_5545(demo_db_path, build, tmp_path):
    build(demo_db_path)
    ics = (
        tmp_path
        / "output"
        / "de"
        / "webinars"
        / "energy-monitoring-101"
        / "energy-monitoring-101.ics"
    ).read_bytes()
    lines = ics.split(b"\r\n")
    assert lines[0] == b"BEGIN:VCALENDAR" and lines[-2] == b"END:VCALENDAR" and lines[-1] == b""
    assert all(len(line) <= 75 for line in lines)
    assert b"SUMMARY;LANGUAGE=de:Energiemonitoring 101" in ics
    assert re.search(rb"DTSTART:\d{8}T\d{6}Z", ics)


def test_gated_whitepaper_files_are_never_copied(demo_db_path, build, tmp_path):
    build(demo_db_path)
    out = tmp_path / "output"
    assert list(out.rglob("*.pdf")) == []
    assert (out / "media" / "images" / "energy-cost-benchmark-2026-cover.svg").is_file()
    english = body(demo_db_path, "about", "en")
    set_body(
        demo_db_path, "about", "en", english + "[PDF](/media/whitepapers/iso-50001-checklist.pdf)"
    )
    with pytest.raises(BuildError, match="media/whitepapers/iso-50001-checklist.pdf"):
        build(demo_db_path)
    assert list(out.rglob("*.pdf")) == []


def test_gating_follows_the_file_not_the_row(demo_db_path, build, tmp_path):
    """A second media row with the gated PDF's path (or its bytes elsewhere) stays gated."""
    conn = database.connect(demo_db_path)
    gated = conn.execute(
        "SELECT m.* FROM media_files m JOIN whitepapers w ON w.file_id = m.id "
        "WHERE w.slug = 'iso-50001-checklist'"
    ).fetchone()
    for path in (
        gated["file_path"],
        "whitepapers/./iso-50001-checklist.pdf",
        "copies/same-bytes.pdf",
    ):
        conn.execute(
            "INSERT INTO media_files (filename, original_filename, file_path, file_size, mime_type, file_hash) "
            "VALUES ('copy.pdf', 'copy.pdf', ?, ?, 'application/pdf', ?)",
            (path, gated["file_size"], gated["file_hash"]),
        )
        set_body(demo_db_path, "about", "en", f"# About\n\n[PDF](/media/{path})")
        with pytest.raises(BuildError, match="does not produce"):
            build(demo_db_path)
        assert list((tmp_path / "output").rglob("*.pdf")) == []


def test_new_bytes_for_a_media_file_are_published_by_an_incremental_build(
    demo_db_path, build, tmp_path
):
    build(demo_db_path)
    source = tmp_path / "media" / "images" / "logo.svg"
    copy = tmp_path / "output" / "media" / "images" / "logo.svg"
    source.write_text(source.read_text().replace("</svg>", '<circle r="7" fill="#123456"/></svg>'))
    summary = build(demo_db_path)
    assert "media/images/logo.svg" in summary.written_paths
    assert "#123456" in copy.read_text()


def test_svg_media_are_published_without_anything_that_runs(demo_db_path, build, tmp_path):
    source = tmp_path / "media" / "images" / "logo.svg"
    source.write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
        'onload="alert(1)"><script>alert(2)</script><rect width="4" height="4" fill="#0b5394"/>'
        '<a href="javascript:alert(3)"><text>x</text></a><foreignObject><p>x</p></foreignObject>'
        '<set attributeName="href" to="javascript:alert(4)"/><use xlink:href="https://evil.test/x.svg#a"/>'
        '<image href="https://evil.test/track.png"/></svg>'
    )
    build(demo_db_path)
    published = (tmp_path / "output" / "media" / "images" / "logo.svg").read_text()
    assert '<rect width="4" height="4" fill="#0b5394" />' in published
    for danger in ("script", "onload", "javascript", "foreignObject", "evil.test", "<set"):
        assert danger not in published
    source.write_text(
        '<!DOCTYPE svg [<!ENTITY boom "boom">]><svg xmlns="http://www.w3.org/2000/svg">&boom;</svg>'
    )
    with pytest.raises(BuildError, match="media_files row 1.*not a safe SVG"):
        build(demo_db_path)


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        " JavaScript:alert(1)",
        "java\tscript:alert(1)",
        "data:text/html,x",
        "vbscript:x",
    ],
)
def test_a_recording_url_that_would_run_script_is_refused(demo_db_path, build, tmp_path, url):
    build(demo_db_path)
    before = tree(tmp_path / "output")
    conn = database.connect(demo_db_path)
    conn.execute(
        "UPDATE webinars SET recording_url = ? WHERE slug = 'iso-50001-in-practice'", (url,)
    )
    with pytest.raises(BuildError) as error:
        build(demo_db_path)
    problem = str(error.value.problems[0])
    assert (
        "webinars" in problem and "iso-50001-in-practice" in problem and "recording_url" in problem
    )
    assert tree(tmp_path / "output") == before


def test_links_from_content_keep_http_https_mailto_and_paths():
    from database.links import is_safe_link

    for url in (
        "https://example.com/x",
        "http://a.test",
        "mailto:sales@example.com",
        "/en/about/",
        "recording.mp4",
    ):
        assert is_safe_link(url), url
    for url in (
        "javascript:alert(1)",
        "JAVASCRIPT:x",
        "data:text/html,x",
        "file:///etc/passwd",
        "\\\\evil",
        "",
        "https://a\nb",
    ):
        assert not is_safe_link(url), url


def test_json_ld_cannot_break_out_of_its_script(demo_db_path, build, tmp_path):
    conn = database.connect(demo_db_path)
    conn.execute(
        "UPDATE webinars SET presenter_name = ? WHERE slug = 'energy-monitoring-101'",
        ("Lena <!--<script>alert(1)</script> & Co",),
    )
    build(demo_db_path)
    html = (
        tmp_path / "output" / "en" / "webinars" / "energy-monitoring-101" / "index.html"
    ).read_text()
    data = html.split('<script type="application/ld+json">')[1].split("</script>")[0]
    assert "<" not in data and ">" not in data and "&" not in data
    assert json.loads(data)["performer"]["name"] == "Lena <!--<script>alert(1)</script> & Co"
    assert html.count("<script") == html.count("</script>")


def test_every_page_carries_a_content_security_policy(demo_db_path, build, tmp_path):
    build(demo_db_path)
    pages = list((tmp_path / "output").rglob("*.html"))
    assert len(pages) >= 40
    for page in pages:
        head = page.read_text().split("</head>")[0]
        policy = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">', head)
        assert policy, page
        rules = unescape(policy.group(1))
        assert "script-src 'self'" in rules and "form-action 'self' http://localhost:8001" in rules
        assert head.index("Content-Security-Policy") < head.find("<script") or "<script" not in head


def test_script_in_a_page_body_is_removed(demo_db_path, build, tmp_path):
    conn = database.connect(demo_db_path)
    evil = json.dumps({"en": "# Hi\n\n<script>alert(1)</script><img src=x onerror=alert(2)>\n\n"
                       "[x](javascript:alert(3))", "de": "# Hallo"})  # fmt: skip
    conn.execute("UPDATE pages SET content = ? WHERE slug = 'contact'", (evil,))
    with pytest.raises(BuildError, match="dangling"):  # img src=x is a relative link nothing serves
        build(demo_db_path)
    conn.execute(
        "UPDATE pages SET content = ? WHERE slug = 'contact'",
        (evil.replace("src=x ", "src=/media/images/logo.svg "),),
    )
    build(demo_db_path)
    html = (tmp_path / "output" / "en" / "contact" / "index.html").read_text()
    body = html.split('<main id="main">')[1]
    assert "<script" not in body and "onerror" not in body and "javascript:" not in body


def test_failed_template_leaves_output_untouched_and_names_the_line(demo_db_path, build, tmp_path):
    build(demo_db_path)
    before = tree(tmp_path / "output")
    templates = tmp_path / "templates"
    shutil.copytree(REPO / "content_templates", templates)
    source = (
        (templates / "webinar.html")
        .read_text()
        .replace("{{ w.description }}", "{{ w.no_such_field }}")
    )
    (templates / "webinar.html").write_text(source)
    with pytest.raises(BuildError) as failure:
        build(demo_db_path, templates=templates)
    message = str(failure.value)
    line = next(n for n, text in enumerate(source.splitlines(), 1) if "no_such_field" in text)
    assert f"template webinar.html line {line}" in message
    assert "webinars row" in message and "language" in message
    assert tree(tmp_path / "output") == before


def test_broken_json_names_table_row_slug_and_column(run_cli, sqlite_demo_path, tmp_path):
    """SQLite only: PostgreSQL's jsonb columns refuse broken JSON when it is stored."""
    demo_db_path = sqlite_demo_path
    build_args = ("--db", demo_db_path, "build", "--output", tmp_path / "out")
    assert run_cli(*build_args)[0] == 0
    before = tree(tmp_path / "out")
    database.connect(demo_db_path).execute(
        "UPDATE pages SET title = '{\"en\": broken' WHERE slug = 'services'"
    )
    code, _, err = run_cli(*build_args)
    assert code == 1
    assert "pages row 3 ('services'): column title is not valid JSON" in err
    assert "output/ was left unchanged" in err
    assert tree(tmp_path / "out") == before


def test_unknown_page_template_is_reported_with_choices(demo_db_path, build):
    database.connect(demo_db_path).execute(
        "UPDATE pages SET template = 'landing-v2' WHERE slug = 'about'"
    )
    with pytest.raises(
        BuildError, match=r"pages/landing-v2.html not found.*one of: default, home, legal"
    ):
        build(demo_db_path)


def test_link_checker_reports_dangling_links_and_writes_nothing(demo_db_path, build, tmp_path):
    build(demo_db_path)
    before = tree(tmp_path / "output")
    set_body(demo_db_path, "about", "de", "[Preise](/de/preise/)")
    with pytest.raises(BuildError) as failure:
        build(demo_db_path)
    assert "de/about/index.html links to /de/preise/index.html" in str(failure.value)
    assert tree(tmp_path / "output") == before


def test_unpublishing_removes_outputs_and_links_to_them_fail(demo_db_path, build, tmp_path):
    build(demo_db_path)
    conn = database.connect(demo_db_path)
    conn.execute("UPDATE pages SET status = 'draft' WHERE slug = 'privacy'")
    summary = build(demo_db_path)
    assert "en/privacy/index.html" in summary.removed_paths
    assert not (tmp_path / "output" / "en" / "privacy").exists()
    # The home page links to /en/book/ and /en/services/: unpublishing services breaks that link.
    conn.execute("UPDATE pages SET status = 'draft' WHERE slug = 'services'")
    with pytest.raises(BuildError, match="links to /(en|de)/services/index.html"):
        build(demo_db_path)


def test_an_edit_rewrites_only_what_depends_on_it(demo_db_path, build):
    build(demo_db_path)
    set_body(demo_db_path, "about", "en", "# About\n\nNew text.")
    summary = build(demo_db_path)
    assert "en/about/index.html" in summary.written_paths
    allowed = {
        "en/about/index.html",
        "de/about/index.html",
        "en/feed.xml",
        "de/feed.xml",
        "sitemap.xml",
    }
    # The search index's shards of the page's old and new words: test_search.py checks which.
    assert {p for p in summary.written_paths if not p.startswith("search-index/en/")} <= allowed
    assert build(demo_db_path).written == 0


def test_a_template_change_rerenders_only_the_pages_that_use_it(demo_db_path, build, tmp_path):
    templates = tmp_path / "templates"
    shutil.copytree(REPO / "content_templates", templates)
    build(demo_db_path, templates=templates)
    with open(templates / "whitepaper.html", "a") as handle:
        handle.write("{# a comment changes the template's hash, not its output #}\n")
    summary = build(demo_db_path, templates=templates)
    assert summary.rendered == 4 and summary.written == 0
    (templates / "whitepaper.html").write_text(
        (templates / "whitepaper.html").read_text().replace("lead", "intro")
    )
    summary = build(demo_db_path, templates=templates)
    assert sorted(summary.written_paths) == sorted(
        f"{lang}/whitepapers/{slug}/index.html" for lang in ("en", "de")
        for slug in ("energy-cost-benchmark-2026", "iso-50001-checklist")
    )  # fmt: skip


def test_pages_rendered_again_read_no_body_the_markup_cache_holds(
    sqlite_demo_path, build, tmp_path, monkeypatch
):
    """A template change renders every page again, and converts no body: each page keeps its
    bodies' keys from the build that read it, so not one page's Markdown is read again (on
    SQLite, whose statements a trace callback sees)."""
    templates = tmp_path / "templates"
    shutil.copytree(REPO / "content_templates", templates)
    build(sqlite_demo_path, templates=templates)
    with open(templates / "base.html", "a") as handle:
        handle.write("<!-- every page changes -->\n")
    statements, connect = [], sqlite3.connect

    def traced(path, *args, **kwargs):
        conn = connect(path, *args, **kwargs)
        if Path(path) == sqlite_demo_path:  # the cache's files are shared by threads: a trace
            conn.set_trace_callback(statements.append)  # callback there can deadlock CPython
        return conn

    monkeypatch.setattr(sqlite3, "connect", traced)
    summary = build(sqlite_demo_path, templates=templates)
    assert {"en/about/index.html", "de/services/index.html"} <= set(summary.written_paths)
    page_reads = [
        s for s in statements if re.search(r"SELECT .*(\*|\bcontent\b).* FROM pages\b", s)
    ]
    assert statements and page_reads == []
    with open(templates / "base.html", "a") as handle:
        handle.write("<!-- and again -->\n")
    set_body(sqlite_demo_path, "about", "en", "# About\n\nNew text.")
    statements.clear()
    summary = build(sqlite_demo_path, templates=templates)  # the edited page is read, alone
    assert "New text." in (tmp_path / "output" / "en" / "about" / "index.html").read_text()
    body_reads = [s for s in statements if re.search(r"\bcontent\b.* FROM pages\b", s)]
    assert len(body_reads) == 1 and body_reads[0].endswith(f"IN ({page_id(sqlite_demo_path)})")


def test_build_refuses_a_folder_it_did_not_create(demo_db_path, build, tmp_path):
    (tmp_path / "output").mkdir()
    (tmp_path / "output" / "precious.txt").write_text("mine")
    with pytest.raises(BuildError, match="not created by magnetiq build"):
        build(demo_db_path)
    assert (tmp_path / "output" / "precious.txt").read_text() == "mine"


def test_message_catalogs_have_the_same_keys():
    catalogs = [
        json.loads(p.read_text()) for p in (REPO / "content_templates" / "i18n").glob("*.json")
    ]
    assert len(catalogs) >= 2
    assert all(set(c) == set(catalogs[0]) for c in catalogs)


def test_templates_hold_no_hard_coded_english_ui_strings():
    for name in ("base.html", "webinar.html", "booking.html", "whitepaper.html", "thank_you.html"):
        text = (REPO / "content_templates" / name).read_text()
        visible = re.sub(r"{[{%#].*?[}%#]}", "", text)
        words = re.findall(r">\s*([A-Za-z][A-Za-z ]{3,})\s*<", visible)
        assert words == [], (name, words)


def test_a_page_only_in_german_points_x_default_at_the_german_page(demo_db_path, build, tmp_path):
    database.connect(demo_db_path).execute(
        "INSERT INTO pages (slug, title, content, status, published_at) VALUES "
        """('nur-deutsch', '{"de": "Nur Deutsch"}', '{"de": "# Nur Deutsch"}', 'published', '2020-01-01')"""
    )
    build(demo_db_path)
    german = head_links(tmp_path / "output" / "de" / "nur-deutsch" / "index.html")
    assert german.alternates == {
        "de": f"{SITE}/de/nur-deutsch/",
        "x-default": f"{SITE}/de/nur-deutsch/",
    }
    english = head_links(tmp_path / "output" / "en" / "nur-deutsch" / "index.html")
    assert english.canonical == f"{SITE}/de/nur-deutsch/" and english.alternates == {}


def test_each_webinar_state_is_shown_as_such(demo_db_path, build, tmp_path):
    conn = database.connect(demo_db_path)
    cases = {
        "open": {}, "deadline": {"registration_deadline": "2000-01-01 00:00:00"},
        "closed": {"registration_enabled": 0}, "cancelled": {"status": "cancelled"},
        "completed": {"status": "completed"},
    }  # fmt: skip
    for name, change in cases.items():
        conn.execute(
            "INSERT INTO webinars (title, description, slug, scheduled_at, status, registration_enabled, "
            "registration_deadline) VALUES (?, ?, ?, '2031-01-01 10:00:00', ?, ?, ?)",
            ('{"en": "W ' + name + '"}', '{"en": "About ' + name + '"}', f"state-{name}",
             change.get("status", "scheduled"), change.get("registration_enabled", 1),
             change.get("registration_deadline")),
        )  # fmt: skip
    build(demo_db_path)
    expected = {"open": REGISTRATION_FORM, "deadline": "registration deadline for this webinar has passed",
                "closed": "Registration for this webinar is closed", "cancelled": "was cancelled",
                "completed": "has ended"}  # fmt: skip
    for name, text in expected.items():
        page = (
            tmp_path / "output" / "en" / "webinars" / f"state-{name}" / "index.html"
        ).read_text()
        assert text in page, name
        assert (REGISTRATION_FORM in page) == (name == "open"), name


def old_format_cache(path: Path) -> None:
    """A search cache as an older Magnetiq left it: another format, other tables."""
    conn = sqlite3.connect(path)
    conn.executescript(
        "PRAGMA user_version = 2; CREATE TABLE terms (lang TEXT, term TEXT, document_count INTEGER);"
        "CREATE TABLE meta (format INTEGER, instance TEXT, generation INTEGER);"
    )
    conn.close()


def damaged(path: Path) -> None:
    path.write_bytes(b"not a database " * 300)


@pytest.mark.parametrize(
    "name, spoil",
    [("manifest.sqlite", damaged), ("markup.sqlite", damaged), ("pages.sqlite", damaged),
     ("search.sqlite", damaged), ("search.sqlite", old_format_cache)],
)  # fmt: skip
def test_a_damaged_cache_file_means_redone_work_not_a_failed_build(
    demo_db_path, build, tmp_path, name, spoil
):
    build(demo_db_path)
    cache = tmp_path / ".cache-output"
    for suffix in ("", "-wal", "-shm"):
        (cache / f"{name}{suffix}").unlink(missing_ok=True)
    spoil(cache / name)
    database.connect(demo_db_path).execute(
        "UPDATE pages SET status = 'draft' WHERE slug = 'privacy'"
    )
    build(demo_db_path)
    build(demo_db_path, "fresh", full=True)
    assert not (tmp_path / "output" / "en" / "privacy").exists()  # even with the manifest lost
    assert tree(tmp_path / "output") == tree(tmp_path / "fresh")


def test_booking_form_defaults_are_the_documented_ones(demo_db_path, build, tmp_path):
    """The urgency a visitor leaves alone is the one the lead score assumes when none is sent."""
    from capture.forms import lead_score

    build(demo_db_path)
    form = (tmp_path / "output" / "en" / "book" / "index.html").read_text()
    urgency = re.search(r'<select id="urgency".*?</select>', form, re.S).group(0)
    (selected,) = re.findall(r'<option value="(\w+)" selected>', urgency)
    demo = {"booking_type": "demo"}
    assert lead_score({**demo, "urgency": selected}) == lead_score(demo)


def test_the_line_under_every_form_links_to_the_privacy_page(demo_db_path, build, tmp_path):
    build(demo_db_path)
    out = tmp_path / "output"
    forms = [p for p in out.rglob("index.html") if 'class="privacy-note"' in p.read_text()]
    assert len(forms) >= 8  # booking, webinars and whitepapers in both languages
    for page in forms:
        note = re.search(r'<p class="privacy-note">(.*?)</p>', page.read_text()).group(1)
        lang = page.relative_to(out).parts[0]
        assert f'<a href="/{lang}/privacy/">' in note, page
    database.connect(demo_db_path).execute(
        "UPDATE pages SET status = 'draft' WHERE slug = 'privacy'"
    )
    build(demo_db_path)
    note = re.search(
        r'<p class="privacy-note">(.*?)</p>', (out / "en" / "book" / "index.html").read_text()
    )
    assert "<a" not in note.group(1)  # no link to a page that is not there


def test_markup_the_html_checkers_flagged_is_gone(demo_db_path, build, tmp_path):
    """Issue 13's findings: the Nu checker's maxlength on a date input and h3 after h1, axe's two
    search landmarks on the search page, and the favicon every browser asks for."""
    build(demo_db_path)
    out = tmp_path / "output"
    booking = (out / "en" / "book" / "index.html").read_text()
    date_input = re.search(r'<input id="preferred_date"[^>]*>', booking)[0]
    assert 'type="datetime-local"' in date_input and "maxlength" not in date_input
    papers = (out / "de" / "whitepapers" / "index.html").read_text()
    assert "<h2><a" in papers and "<h3" not in papers
    for lang in ("en", "de"):
        assert (out / lang / "search" / "index.html").read_text().count('role="search"') == 1
    assert (out / "favicon.svg").read_text().startswith('<svg xmlns="http://www.w3.org/2000/svg"')
    assert '<link rel="icon" href="/favicon.svg"' in (out / "en" / "index.html").read_text()


def test_the_booking_form_comes_in_short_steps_with_a_time_zone_list(demo_db_path, build, tmp_path):
    build(demo_db_path)
    for lang, legend, city in (
        ("en", "When it suits you", "Kolkata"),
        ("de", "Wann es Ihnen passt", "Kalkutta"),
    ):
        page = (tmp_path / "output" / lang / "book" / "index.html").read_text()
        assert page.count("<fieldset") == 4 and f"<legend>{legend}</legend>" in page
        zones = re.search(r'<select id="timezone"[^>]*>(.*?)</select>', page, re.S)[1]
        assert (
            '<option value="Europe/Berlin" selected>' in zones
            and 'value="America/New_York"' in zones
        )
        assert f">{city} (Asia/Kolkata)</option>" in zones  # the cities in the page's language


def test_a_full_webinar_offers_the_next_open_dates(demo_db_path, build, tmp_path):
    build(demo_db_path)
    full = (
        tmp_path / "output" / "en" / "webinars" / "iso-50001-in-practice" / "index.html"
    ).read_text()
    offered = re.search(r'<section aria-labelledby="other-dates">(.*?)</section>', full, re.S)[1]
    assert "Other dates you can still register for" in offered
    assert (
        'href="/en/webinars/energy-monitoring-101/"' in offered
        and "iso-50001-in-practice" not in offered
    )
    open_page = (
        tmp_path / "output" / "en" / "webinars" / "energy-monitoring-101" / "index.html"
    ).read_text()
    assert "other-dates" not in open_page


def test_the_home_page_ends_with_a_call_to_book(demo_db_path, build, tmp_path):
    build(demo_db_path)
    home = (tmp_path / "output" / "de" / "index.html").read_text()
    call = re.search(r'<section class="call"[^>]*>(.*?)</section>', home, re.S)[1]
    assert 'href="/de/book/"' in call and 'class="button"' in call


def test_link_previews_show_what_the_site_publishes_of_each_picture(demo_db_path, build, tmp_path):
    build(demo_db_path)
    out = tmp_path / "output"
    home = (
        (out / "en" / "home" / "index.html")
        if (out / "en" / "home").exists()
        else (out / "en" / "index.html")
    )
    image = re.search(r'<meta property="og:image" content="([^"]+)"', home.read_text())[1]
    assert image.endswith("/media/images/dashboard.svg")  # the body's first picture
    for page in out.rglob("*.html"):
        for found in re.findall(
            r'<meta property="og:image" content="[^"]*?(/media/[^"]+)"', page.read_text()
        ):
            assert (out / found.lstrip("/")).exists(), (
                page,
                found,
            )  # never an unpublished original


ATTRIBUTE_PIECES = [" ", "\n", "\t", 'href="', 'src="', 'srcset="', '"', "a", "/x", "=", "h"]


@given(st.lists(st.sampled_from(ATTRIBUTE_PIECES), max_size=40).map("".join))
def test_link_attributes_are_found_as_the_regex_that_defines_them_finds_them(text):
    """The link check's scan by `bytes.find` takes exactly the values the regex would: an
    attribute after whitespace, never one inside a value already taken, none without its quote."""
    html = text.encode()
    for names, pattern in [(LINKING, rb'\s(?:href|src)="([^"]*)"'), ((b'srcset="',), rb'\ssrcset="([^"]*)"')]:  # fmt: skip
        assert attribute_values(html, names) == set(re.findall(pattern, html))
