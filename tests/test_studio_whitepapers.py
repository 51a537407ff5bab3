"""Whitepapers in the studio, and what every kind of content shares there: the gated file chosen
from the media rows and never published, field errors that store nothing, preview equal to the
built page, the trash and the history for webinars and whitepapers alike."""

import json

import pytest

import database

from .test_admin import page_token, sign_in_as

pytestmark = pytest.mark.usefixtures("staff", "builds_in_tmp")


@pytest.fixture
def demo_db_path(demo_site):
    """Every test here runs on SQLite and on PostgreSQL."""
    return demo_site


@pytest.fixture
def client(studio_app):
    return studio_app().test_client()


def media_id(db, mime_type: str) -> int:
    return (
        database.connect(db)
        .execute("SELECT min(id) FROM media_files WHERE mime_type = ?", (mime_type,))
        .fetchone()[0]
    )


def paper_form(client, db, **changes) -> dict:
    form = {
        "csrf_token": page_token(client, "/admin/whitepapers"), "slug": "grid-fees",
        "file_id": str(media_id(db, "application/pdf")), "thumbnail_id": str(media_id(db, "image/svg+xml")),
        "category": "guide", "tags": "energy, fees, energy", "industry": "Manufacturing",
        "sort_order": "4", "requires_registration": "1", "lead_magnet_active": "1",
        "title.en": "Grid fees explained", "title.de": "Netzentgelte erklärt",
        "description.en": "What you pay for the grid.", "description.de": "Was das Netz kostet.",
        "preview_content.en": "Three levers.", "meta_title.en": "Grid fees",
    }  # fmt: skip
    form.update(changes)
    return {key: value for key, value in form.items() if value is not None}


def stored(db, table="whitepapers", slug="grid-fees"):
    conn = database.connect(db)
    return conn.execute(f"SELECT * FROM {table} WHERE slug = ?", (slug,)).fetchone()


def count(db, table="whitepapers") -> int:
    return database.connect(db).execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def test_an_editor_creates_a_whitepaper_as_a_draft_and_publishes_it_without_its_file(
    client, staff, tmp_path, builds_in_tmp
):
    sign_in_as(client, "editor")
    assert client.get("/admin/whitepapers/new").status_code == 200
    assert client.post("/admin/whitepapers/new", data=paper_form(client, staff)).status_code == 303
    row = stored(staff)
    assert row["status"] == "draft"
    assert json.loads(row["title"]) == {"de": "Netzentgelte erklärt", "en": "Grid fees explained"}
    assert (json.loads(row["tags"]), json.loads(row["industry"])) == (
        ["energy", "fees"],
        ["Manufacturing"],
    )
    assert (row["category"], row["sort_order"], row["requires_registration"]) == ("guide", 4, 1)
    assert row["featured"] == 0  # an unticked box is off
    listed = client.get("/admin/whitepapers?q=grid").text
    assert "Grid fees explained" in listed and "draft" in listed
    page = tmp_path / "output" / "en" / "whitepapers" / "grid-fees" / "index.html"
    assert not page.exists()
    token = page_token(client, "/admin/whitepapers")
    client.post(f"/admin/whitepapers/{row['id']}/publish", data={"csrf_token": token})
    builds_in_tmp()
    assert "Grid fees explained" in page.read_text()
    assert (tmp_path / "output" / "de" / "whitepapers" / "grid-fees" / "index.html").exists()
    pdf = (
        database.connect(staff)
        .execute("SELECT file_path FROM media_files WHERE id = ?", (row["file_id"],))
        .fetchone()[0]
    )
    assert not list((tmp_path / "output").rglob(pdf.rsplit("/", 1)[-1]))  # gated: never public


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"file_id": ""}, "file_id"),
        ({"file_id": "99999"}, "file_id"),
        ({"thumbnail_id": "pdf"}, "thumbnail_id"),  # a PDF is no thumbnail
        ({"slug": "../etc"}, "slug"),
        ({"category": "guide\nreport"}, "category"),
        ({"tags": ",".join(f"t{n}" for n in range(21))}, "tags"),
        ({"industry": "x" * 51}, "industry"),
        ({"sort_order": "-1"}, "sort_order"),
        ({"title.en": ""}, "title.en"),
        ({"description.en": ""}, "description.en"),
        ({"preview_content.de": "x" * 5_000_001}, "preview_content.de"),
        ({"meta_title.en": "x" * 71}, "meta_title.en"),
    ],
)
def test_bad_input_is_refused_with_a_field_error_and_stores_nothing(client, staff, changes, field):
    sign_in_as(client, "editor")
    if changes.get("thumbnail_id") == "pdf":
        changes = {"thumbnail_id": str(media_id(staff, "application/pdf"))}
    before = count(staff)
    answer = client.post("/admin/whitepapers/new", data=paper_form(client, staff, **changes))
    assert answer.status_code == 422
    assert f'href="#{field.replace(".", "-")}"' in answer.text
    assert count(staff) == before


def test_a_slug_another_whitepaper_has_is_refused(client, staff):
    sign_in_as(client, "editor")
    taken = database.connect(staff).execute("SELECT slug FROM whitepapers LIMIT 1").fetchone()[0]
    answer = client.post("/admin/whitepapers/new", data=paper_form(client, staff, slug=taken))
    assert answer.status_code == 422 and "already uses" in answer.text


def test_the_preview_of_a_draft_whitepaper_is_the_built_page_once_published(
    client, staff, tmp_path, builds_in_tmp
):
    sign_in_as(client, "editor")
    client.post("/admin/whitepapers/new", data=paper_form(client, staff))
    paper_id = stored(staff)["id"]
    preview = client.get(f"/admin/whitepapers/{paper_id}/preview/de")
    assert preview.status_code == 200 and preview.headers["X-Robots-Tag"] == "noindex, nofollow"
    client.post(f"/admin/whitepapers/{paper_id}/publish",
                data={"csrf_token": page_token(client, "/admin/whitepapers")})  # fmt: skip
    builds_in_tmp()
    built = (tmp_path / "output" / "de" / "whitepapers" / "grid-fees" / "index.html").read_text()
    noindex = '<meta name="robots" content="noindex, nofollow">\n'
    assert noindex in preview.text and preview.text.replace(noindex, "") == built


def test_a_webinar_preview_shows_it_as_the_site_will(client, staff):
    sign_in_as(client, "viewer")  # viewers see previews
    answer = client.get("/admin/webinars/1/preview/en")
    assert answer.status_code == 200 and "noindex" in answer.text
    assert client.get("/admin/webinars/1/preview/fr").status_code == 404


@pytest.mark.parametrize("kind", ["webinars", "whitepapers"])
def test_trash_restore_and_delete_for_good(client, staff, kind):
    sign_in_as(client, "admin")
    row_id, slug = (
        database.connect(staff).execute(f"SELECT id, slug FROM {kind} LIMIT 1").fetchone()
    )
    token = page_token(client, f"/admin/{kind}")
    assert (
        client.post(f"/admin/{kind}/{row_id}/trash", data={"csrf_token": token}).status_code == 303
    )
    assert f'/admin/{kind}/{row_id}"' not in client.get(f"/admin/{kind}").text
    assert f'/admin/{kind}/{row_id}"' in client.get(f"/admin/{kind}?state=trash").text
    in_trash = client.get(f"/admin/{kind}/{row_id}").text
    assert "Restore from the trash" in in_trash and "<button>Save</button>" not in in_trash
    client.post(f"/admin/{kind}/{row_id}/restore", data={"csrf_token": token})
    assert stored(staff, kind, slug)["deleted_at"] is None
    refused = client.post(f"/admin/{kind}/{row_id}/delete", data={"csrf_token": token},
                          follow_redirects=True)  # fmt: skip
    assert "Only what is in the trash" in refused.text and stored(staff, kind, slug) is not None
    client.post(f"/admin/{kind}/{row_id}/trash", data={"csrf_token": token})
    assert (
        client.post(f"/admin/{kind}/{row_id}/delete", data={"csrf_token": token}).status_code == 303
    )
    assert stored(staff, kind, slug) is None


@pytest.mark.parametrize(
    "role, method, path, expected",
    [
        ("viewer", "get", "/admin/whitepapers", 200),
        ("viewer", "get", "/admin/whitepapers/1", 200),
        ("viewer", "get", "/admin/whitepapers/1/revisions", 200),
        ("viewer", "post", "/admin/whitepapers/new", 403),
        ("viewer", "post", "/admin/whitepapers/1", 403),
        ("viewer", "post", "/admin/whitepapers/1/publish", 403),
        ("viewer", "post", "/admin/webinars/1/trash", 403),
        ("editor", "post", "/admin/webinars/1/publish", 404),  # webinars have a status of their own
        ("editor", "post", "/admin/whitepapers/1/delete", 403),
        ("editor", "post", "/admin/webinars/1/delete", 403),
    ],
)
def test_each_role_on_each_action(client, role, method, path, expected):
    sign_in_as(client, role)
    token = page_token(client, "/admin/")
    answer = getattr(client, method)(path, data={"csrf_token": token} if method == "post" else None)
    assert answer.status_code == expected


def test_a_whitepaper_revision_can_be_compared_and_restored(client, staff):
    sign_in_as(client, "editor")
    client.post("/admin/whitepapers/new", data=paper_form(client, staff))
    row = stored(staff)
    edited = paper_form(client, staff, version=row["updated_at"], category="report",
                        **{"title.en": "Grid fees, revised"})  # fmt: skip
    assert client.post(f"/admin/whitepapers/{row['id']}", data=edited).status_code == 303
    first = (
        database.connect(staff)
        .execute(
            "SELECT min(id) FROM revisions WHERE table_name = 'whitepapers' AND row_id = ?",
            (row["id"],),
        )
        .fetchone()[0]
    )
    diff = client.get(f"/admin/whitepapers/{row['id']}/revisions/{first}").text
    assert "Grid fees, revised" in diff and "category" in diff
    token = page_token(client, "/admin/whitepapers")
    client.post(
        f"/admin/whitepapers/{row['id']}/revisions/{first}/restore", data={"csrf_token": token}
    )
    back = stored(staff)
    assert (json.loads(back["title"])["en"], back["category"]) == ("Grid fees explained", "guide")
