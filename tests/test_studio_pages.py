"""The studio's pages: editors write and translate pages without SQL; every bad input is refused
with a field error and stores nothing; nobody's save is lost silently; roles hold."""

import json
import re

import pytest

import database
from generator.markup import to_html
from studio.pages import LINK_CHOICES

from .test_admin import page_token, sign_in_as

pytestmark = pytest.mark.usefixtures("staff", "builds_in_tmp")


@pytest.fixture
def demo_db_path(demo_site):
    """Every test here runs on SQLite and on PostgreSQL."""
    return demo_site


@pytest.fixture
def client(studio_app):
    return studio_app().test_client()


def page_form(client, **changes) -> dict:
    form = {
        "csrf_token": page_token(client, "/admin/pages"),
        "slug": "plans", "template": "default", "sort_order": "3",
        "title.en": "Plans", "title.de": "Tarife",
        "content.en": "# Plans\n\nSee our [webinars](/en/webinars/).",
        "content.de": "# Tarife\n\nSiehe unsere [Webinare](/de/webinars/).",
        "excerpt.en": "What it costs", "title.fr": "Prix",
    }  # fmt: skip
    form.update(changes)
    return form


def stored(db, slug="plans"):
    conn = database.connect(db)
    return conn.execute("SELECT * FROM pages WHERE slug = ?", (slug,)).fetchone()


def count_pages(db) -> int:
    return database.connect(db).execute("SELECT count(*) FROM pages").fetchone()[0]


def test_an_editor_creates_a_bilingual_page_as_a_draft(client, staff):
    sign_in_as(client, "editor")
    blank = client.get("/admin/pages/new")
    assert (
        blank.status_code == 200 and 'name="title.de"' in blank.text and 'lang="de"' in blank.text
    )
    answer = client.post("/admin/pages/new", data=page_form(client))
    assert answer.status_code == 303
    row = stored(staff)
    assert row["status"] == "draft" and row["sort_order"] == 3
    assert json.loads(row["title"]) == {"de": "Tarife", "en": "Plans"}  # no unsupported language
    assert json.loads(row["excerpt"]) == {"en": "What it costs"}
    listed = client.get("/admin/pages?q=plan").text
    assert "Plans" in listed and "draft" in listed and "(missing)" not in listed
    audit = (
        database.connect(staff)
        .execute("SELECT action FROM audit_log WHERE action = 'page.create'")
        .fetchall()
    )
    assert len(audit) == 1


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"title.en": "  "}, "title.en"),
        ({"content.en": ""}, "content.en"),
        ({"slug": "../etc"}, "slug"),
        ({"slug": "Pricing Page"}, "slug"),
        ({"slug": "search"}, "slug"),
        ({"slug": "about"}, "slug"),  # taken by a live page
        ({"content.de": "x" * 5_000_000}, "content.de"),
        ({"template": "../../base"}, "template"),
        ({"sort_order": "-1"}, "sort_order"),
        ({"sort_order": "²"}, "sort_order"),
        ({"seo_title.en": "x" * 71}, "seo_title.en"),
    ],
)
def test_bad_input_is_refused_with_a_field_error_and_stores_nothing(client, staff, changes, field):
    sign_in_as(client, "editor")
    before = count_pages(staff)
    answer = client.post("/admin/pages/new", data=page_form(client, **changes))
    assert answer.status_code == 422
    assert (
        f'href="#{field.replace(".", "-")}"' in answer.text and "Nothing was saved" in answer.text
    )
    assert count_pages(staff) == before


def test_a_later_save_from_an_older_version_is_refused_and_both_are_shown(
    client, studio_app, staff
):
    sign_in_as(client, "editor")
    client.post("/admin/pages/new", data=page_form(client))
    page_id = stored(staff)["id"]
    opened = client.get(f"/admin/pages/{page_id}").text
    version = re.search(r'name="version" value="([^"]*)"', opened).group(1)
    other = studio_app().test_client()
    assert sign_in_as(other, "admin").status_code == 303
    first = other.post(
        f"/admin/pages/{page_id}",
        data=page_form(other, **{"title.en": "Their title", "version": version}),
    )
    assert first.status_code == 303
    mine = client.post(
        f"/admin/pages/{page_id}",
        data=page_form(client, **{"title.en": "My title", "version": version}),
    )
    assert mine.status_code == 409
    assert (
        "Their title" in mine.text
        and "My title" in mine.text
        and "your version was not saved" in mine.text
    )
    assert json.loads(stored(staff)["title"])["en"] == "Their title"


@pytest.mark.parametrize(
    "role, method, path, expected",
    [
        ("viewer", "get", "/admin/pages", 200),
        ("viewer", "get", "/admin/pages/1", 200),
        ("viewer", "post", "/admin/pages/new", 403),
        ("viewer", "post", "/admin/pages/1", 403),
        ("viewer", "post", "/admin/pages/1/publish", 403),
        ("viewer", "post", "/admin/pages/1/trash", 403),
        ("editor", "post", "/admin/pages/1/delete", 403),
        ("admin", "post", "/admin/pages/1/delete", 303),  # refused: not in the trash
        ("viewer", "get", "/admin/link-targets?lang=en&q=a", 403),
        ("editor", "get", "/admin/link-targets?lang=en&q=a", 200),
    ],
)
def test_each_role_on_each_page_action(client, staff, role, method, path, expected):
    sign_in_as(client, role)
    if method == "get":
        answer = client.get(path)
    else:
        answer = client.post(path, data=page_form(client))
    assert answer.status_code == expected
    assert stored(staff, "home") is not None  # nothing was deleted
    if role == "viewer" and method == "get" and path == "/admin/pages/1":
        assert "<fieldset disabled>" in answer.text and ">Save</button>" not in answer.text


def test_trash_restore_and_delete_for_good(client, staff):
    sign_in_as(client, "admin")
    client.post("/admin/pages/new", data=page_form(client))
    page_id = stored(staff)["id"]
    token = page_token(client, "/admin/pages")
    assert (
        client.post(f"/admin/pages/{page_id}/trash", data={"csrf_token": token}).status_code == 303
    )
    assert "Plans" not in client.get("/admin/pages").text
    assert "Plans" in client.get("/admin/pages?state=trash").text
    client.post(
        "/admin/pages/new", data=page_form(client, **{"title.en": "Plans again"})
    )  # takes the slug
    refused = client.post(
        f"/admin/pages/{page_id}/restore", data={"csrf_token": token}, follow_redirects=True
    )
    assert "already uses the slug" in refused.text
    assert (
        client.post(f"/admin/pages/{page_id}/delete", data={"csrf_token": token}).status_code == 303
    )
    assert (
        database.connect(staff)
        .execute("SELECT count(*) FROM pages WHERE id = ?", (page_id,))
        .fetchone()[0]
        == 0
    )


def test_publish_builds_the_page_in_every_language_and_unpublish_removes_it(
    client, staff, tmp_path, builds_in_tmp
):
    sign_in_as(client, "editor")
    client.post("/admin/pages/new", data=page_form(client))
    page_id = stored(staff)["id"]
    token = page_token(client, "/admin/pages")
    published = client.post(
        f"/admin/pages/{page_id}/publish", data={"csrf_token": token}, follow_redirects=True
    )
    assert "being rebuilt" in published.text and "live page" in published.text
    assert not (tmp_path / "output" / "en" / "plans").exists()  # the request did not wait for it
    assert "Waiting" in client.get("/admin/builds").text
    assert builds_in_tmp().ok
    assert "Nothing is waiting." in client.get("/admin/builds").text
    for lang, heading in (("en", "Plans"), ("de", "Tarife")):
        html = (tmp_path / "output" / lang / "plans" / "index.html").read_text()
        assert "<h1" in html and heading in html
    client.post(f"/admin/pages/{page_id}/unpublish", data={"csrf_token": token})
    builds_in_tmp()
    assert not (tmp_path / "output" / "en" / "plans").exists()
    assert stored(staff)["status"] == "draft"


def test_the_preview_of_a_draft_is_the_built_page_once_published(
    client, studio_app, staff, tmp_path, builds_in_tmp
):
    sign_in_as(client, "editor")
    client.post("/admin/pages/new", data=page_form(client))
    page_id = stored(staff)["id"]
    previews = {lang: client.get(f"/admin/pages/{page_id}/preview/{lang}") for lang in ("en", "de")}
    for answer in previews.values():
        assert answer.status_code == 200 and answer.headers["X-Robots-Tag"] == "noindex, nofollow"
    assert not (tmp_path / "output" / "en" / "plans").exists()  # previewing publishes nothing
    assert studio_app().test_client().get(f"/admin/pages/{page_id}/preview/en").status_code == 302
    client.post(
        f"/admin/pages/{page_id}/publish", data={"csrf_token": page_token(client, "/admin/pages")}
    )
    builds_in_tmp()
    noindex = '<meta name="robots" content="noindex, nofollow">\n'
    for lang, answer in previews.items():
        built = (tmp_path / "output" / lang / "plans" / "index.html").read_text()
        assert noindex in answer.text and noindex not in built
        assert answer.text.replace(noindex, "") == built
    stylesheet = re.search(r'<link rel="stylesheet" href="([^"]+)"', built).group(1)
    asset = client.get(stylesheet)
    assert asset.status_code == 200  # the preview's CSS is served beside it
    asset.close()


def test_renaming_a_published_page_keeps_its_old_address_working(
    client, staff, tmp_path, builds_in_tmp
):
    sign_in_as(client, "editor")
    client.post("/admin/pages/new", data=page_form(client))
    page_id = stored(staff)["id"]
    token = page_token(client, "/admin/pages")
    client.post(f"/admin/pages/{page_id}/publish", data={"csrf_token": token})
    builds_in_tmp()
    version = stored(staff)["updated_at"]
    renamed = client.post(
        f"/admin/pages/{page_id}", data=page_form(client, slug="tariffs", version=version)
    )
    assert renamed.status_code == 303
    client.post(f"/admin/pages/{page_id}/publish", data={"csrf_token": token})
    builds_in_tmp()
    out = tmp_path / "output"
    for lang in ("en", "de"):
        assert (out / lang / "tariffs" / "index.html").is_file()
        old = (out / lang / "plans" / "index.html").read_text()
        assert f'<meta http-equiv="refresh" content="0; url=/{lang}/tariffs/">' in old
        assert '<meta name="robots" content="noindex">' in old
    sitemap = (out / "sitemap.xml").read_text()
    assert "/en/tariffs/" in sitemap and "/en/plans/" not in sitemap
    # A new page that takes the old slug wins over the redirect.
    client.post("/admin/pages/new", data=page_form(client, **{"title.en": "New plans"}))
    assert database.connect(staff).execute("SELECT count(*) FROM page_redirects").fetchone()[0] == 0


@pytest.mark.parametrize(
    "publish_at, zone, message",
    [
        ("2020-01-01T09:00", "Europe/Berlin", "has passed"),
        ("2031-03-30T02:30", "Europe/Berlin", "does not exist in Europe/Berlin"),
        ("2031-02-30T09:00", "Europe/Berlin", "like 2027-03-01 09:00"),
        ("2031-06-01T09:00", "localtime", "time zone"),
    ],
)
def test_a_schedule_that_cannot_be_is_refused_and_changes_nothing(
    client, staff, publish_at, zone, message
):
    sign_in_as(client, "editor")
    client.post("/admin/pages/new", data=page_form(client))
    page_id = stored(staff)["id"]
    answer = client.post(f"/admin/pages/{page_id}/schedule", follow_redirects=True,
                         data={"csrf_token": page_token(client, "/admin/pages"), "publish_at": publish_at, "zone": zone})  # fmt: skip
    assert "Not scheduled" in answer.text and message in answer.text
    assert (stored(staff)["status"], stored(staff)["published_at"]) == ("draft", None)


def test_a_scheduled_page_goes_live_with_the_first_build_after_its_time(
    client, staff, build, tmp_path
):
    from datetime import UTC, datetime

    sign_in_as(client, "editor")
    client.post("/admin/pages/new", data=page_form(client))
    page_id = stored(staff)["id"]
    token = page_token(client, "/admin/pages")
    client.post(f"/admin/pages/{page_id}/schedule",
                data={"csrf_token": token, "publish_at": "2031-06-01T09:00", "zone": "Europe/Berlin"})  # fmt: skip
    assert (
        stored(staff)["published_at"] == "2031-06-01 07:00:00"
    )  # 09:00 in Berlin's summer, as UTC
    assert "scheduled" in client.get("/admin/pages?state=scheduled").text
    assert not (tmp_path / "output" / "en" / "plans").exists()
    build(staff, now=datetime(2031, 6, 1, 6, 59, tzinfo=UTC))
    assert not (tmp_path / "output" / "en" / "plans").exists()
    build(staff, now=datetime(2031, 6, 1, 7, 0, 1, tzinfo=UTC))
    assert (tmp_path / "output" / "en" / "plans" / "index.html").is_file()


def test_every_save_is_a_revision_that_can_be_compared_and_restored(client, studio_app, staff):
    sign_in_as(client, "editor")
    client.post("/admin/pages/new", data=page_form(client))
    page_id = stored(staff)["id"]
    for text in ("Second text.", "Third text."):
        version = stored(staff)["updated_at"]
        client.post(
            f"/admin/pages/{page_id}",
            data=page_form(client, **{"content.en": f"# Plans\n\n{text}", "version": version}),
        )
    history = client.get(f"/admin/pages/{page_id}/revisions").text
    revision_ids = [int(n) for n in re.findall(rf"/admin/pages/{page_id}/revisions/(\d+)", history)]
    assert len(revision_ids) == 3 and "staff-editor@example.com" in history
    first = min(revision_ids)
    compared = client.get(f"/admin/pages/{page_id}/revisions/{first}").text
    assert (
        "body (Markdown) (en)" in compared and "+Third text." in compared and "-See our" in compared
    )
    viewer = studio_app().test_client()
    sign_in_as(viewer, "viewer")
    assert viewer.get(f"/admin/pages/{page_id}/revisions/{first}").status_code == 200
    refused = viewer.post(
        f"/admin/pages/{page_id}/revisions/{first}/restore",
        data={"csrf_token": page_token(viewer, "/admin/pages")},
    )
    assert refused.status_code == 403
    restored = client.post(
        f"/admin/pages/{page_id}/revisions/{first}/restore",
        data={"csrf_token": page_token(client, "/admin/pages")},
    )
    assert restored.status_code == 303
    assert "See our [webinars]" in json.loads(stored(staff)["content"])["en"]
    assert "restored from revision" in client.get(f"/admin/pages/{page_id}/revisions").text


def test_a_translation_is_marked_outdated_when_the_reference_changed_after_it(client, staff):
    sign_in_as(client, "editor")
    client.post("/admin/pages/new", data=page_form(client))
    page_id = stored(staff)["id"]
    marker = "translation outdated"

    def save(**changes):
        client.post(
            f"/admin/pages/{page_id}",
            data=page_form(client, version=stored(staff)["updated_at"], **changes),
        )

    assert marker not in client.get(f"/admin/pages/{page_id}").text
    save(**{"content.en": "# Plans\n\nNew prices from May."})
    page = client.get(f"/admin/pages/{page_id}").text
    assert marker in page and page.index(marker) > page.index('<fieldset lang="de"')
    save(
        **{
            "content.en": "# Plans\n\nNew prices from May.",
            "content.de": "# Tarife\n\nNeue Preise ab Mai.",
        }
    )
    assert marker not in client.get(f"/admin/pages/{page_id}").text


def test_the_live_preview_renders_with_the_builds_markdown_and_sanitiser(client):
    sign_in_as(client, "editor")
    token = page_token(client, "/admin/pages")
    source = (
        '# Hello\n\n<script>alert(1)</script>\n\n[x](javascript:alert(1)) <img src=x onerror="y">'
    )
    answer = client.post("/admin/markdown-preview", data={"csrf_token": token, "markdown": source})
    assert answer.status_code == 200 and answer.text == to_html(source)
    assert "<h1" in answer.text and "<script" not in answer.text
    assert "javascript:" not in answer.text and "onerror" not in answer.text
    too_long = {"csrf_token": token, "markdown": "x" * 200_001}
    assert client.post("/admin/markdown-preview", data=too_long).status_code == 413
    assert client.post("/admin/markdown-preview", data={"markdown": "# x"}).status_code == 400
    sign_in_as(client, "viewer")
    viewer = {"csrf_token": page_token(client, "/admin/"), "markdown": "# x"}
    assert client.post("/admin/markdown-preview", data=viewer).status_code == 403


def test_a_big_sites_link_picker_lists_what_changed_last_and_a_search_finds_the_rest(client, staff):
    """The editor listed every published item twice per language (4.4 MB of HTML at 10,000
    pages); it lists of each kind the LINK_CHOICES changed last, and a search finds any other."""
    conn = database.connect(staff)
    conn.executemany(
        "INSERT INTO pages (slug, template, title, content, status, published_at, author_id) "
        "VALUES (?, 'default', ?, '{\"en\": \"Text\", \"de\": \"Text\"}', ?, '2020-01-01 00:00:00', 1)",
        [(f"bulk-{n}", json.dumps({"en": f"Bulk {n}", "de": f"Masse {n}"}), "published")
         for n in range(LINK_CHOICES + 5)] + [("secret-plan", json.dumps({"en": "Secret plan"}), "draft")],
    )  # fmt: skip
    sign_in_as(client, "editor")
    editor = client.get("/admin/pages/1").text
    english = re.findall(r"<li><code>\[[^]]*\]\((/en/[^)]*)\)</code></li>", editor)
    assert sum(path.startswith("/en/bulk-") for path in english) == LINK_CHOICES
    assert f"/en/bulk-{LINK_CHOICES + 4}/" in english and "/en/bulk-0/" not in english
    assert "/en/webinars/" in " ".join(english)  # webinars are fewer: all of them
    assert 'href="/admin/link-targets?lang=en" target="_blank"' in editor

    found = client.get("/admin/link-targets", query_string={"lang": "de", "q": "Masse 0"}).text
    assert "<code>[Masse 0](/de/bulk-0/)</code>" in found and "/en/bulk-0/" not in found
    assert "(/en/about/)" in client.get("/admin/link-targets?lang=en&q=about").text
    for nothing in ("secret", "%", "_", "zzz"):  # drafts are never offered; wildcards are text
        answer = client.get("/admin/link-targets", query_string={"lang": "en", "q": nothing})
        assert answer.status_code == 200 and "Nothing published matches." in answer.text
    sign_in_as(client, "viewer")  # reads the editor, may not search: not offered the search
    viewed = client.get("/admin/pages/1")
    assert viewed.status_code == 200 and "<fieldset disabled>" in viewed.text
    assert f"Of each kind the {LINK_CHOICES} changed last" in viewed.text
    assert "/admin/link-targets" not in viewed.text
