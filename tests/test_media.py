"""The media library on the real studio app and real files: uploads judged by their bytes, each
type's refusals, SHA-256 dedupe, alt text per language in the built pages, responsive variants,
"where used" guarding deletes, replacing a file, and gated files never in output/."""

import io
import json
import re

import pytest
from PIL import Image
from werkzeug.datastructures import FileStorage, MultiDict
from werkzeug.test import encode_multipart

import database
from database.demo_media import pdf_document, svg_image

from .conftest import tree
from .test_admin import page_token, sign_in_as
from .test_studio_pages import page_form

pytestmark = pytest.mark.usefixtures("staff", "builds_in_tmp")


@pytest.fixture
def demo_db_path(demo_site):
    """Every test here runs on SQLite and on PostgreSQL."""
    return demo_site


@pytest.fixture
def client(studio_app):
    client = studio_app().test_client()
    sign_in_as(client, "editor")
    return client


def image_bytes(image_format: str, size=(1200, 800), colour=(200, 40, 40), **options) -> bytes:
    out = io.BytesIO()
    mode = "P" if image_format == "GIF" else "RGB"
    Image.new(mode, size, colour if mode == "RGB" else 1).save(out, image_format, **options)
    return out.getvalue()


def one_bit_png(width: int, height: int) -> bytes:
    """A picture of many pixels in few bytes (1 bit each, compressed to almost nothing)."""
    out = io.BytesIO()
    Image.new("1", (width, height)).save(out, "PNG")
    return out.getvalue()


def post_files(client, url: str, fields: dict, files: list[tuple[str, str, bytes]], **options):
    """A multipart post whose body is built in memory (the test client would spool a large
    one to a temporary file it never closes)."""
    values = MultiDict(fields)
    for field, name, content in files:
        values.add(field, FileStorage(io.BytesIO(content), filename=name))
    boundary, body = encode_multipart(values)
    return client.post(
        url, data=body, content_type=f"multipart/form-data; boundary={boundary}", **options
    )


def upload(client, *files, folder="/", tags=""):
    fields = {"csrf_token": page_token(client, "/admin/media"), "folder": folder, "tags": tags}
    return post_files(client, "/admin/media/upload", fields, [("files", n, c) for n, c in files])


def replace_file(client, item: int, name: str, content: bytes, **options):
    fields = {"csrf_token": page_token(client, "/admin/media")}
    return post_files(
        client, f"/admin/media/{item}/replace", fields, [("file", name, content)], **options
    )


def rows(db, sql="SELECT * FROM media_files WHERE file_path LIKE 'uploads/%' ORDER BY id", *params):
    conn = database.connect(db)
    return conn.execute(sql, params).fetchall()


ALLOWED = [
    ("photo.jpg", image_bytes("JPEG"), "image/jpeg", (1200, 800)),
    ("diagram.png", image_bytes("PNG", (640, 480)), "image/png", (640, 480)),
    ("hero.webp", image_bytes("WEBP", (2000, 1000)), "image/webp", (2000, 1000)),
    ("small.avif", image_bytes("AVIF", (300, 200)), "image/avif", (300, 200)),
    ("anim.gif", image_bytes("GIF", (100, 50)), "image/gif", (100, 50)),
    ("logo.svg", svg_image("Logo", "#0b5394", 400, 100), "image/svg+xml", (400, 100)),
    ("guide.pdf", pdf_document("A guide", ["One line."]), "application/pdf", None),
    ("no-extension", image_bytes("PNG", (10, 10), (1, 2, 3)), "image/png", (10, 10)),
]


def test_each_allowed_type_is_stored_with_what_its_bytes_say(client, staff, tmp_path):
    answer = upload(
        client,
        *[(name, data) for name, data, _, _ in ALLOWED],
        folder="/Products/2027",
        tags="hero, 2027",
    )
    assert answer.status_code == 200 and answer.text.count("added —") == len(ALLOWED)
    stored = rows(staff)
    assert [(r["original_filename"], r["mime_type"]) for r in stored] == [
        (n, m) for n, _, m, _ in ALLOWED
    ]
    for row, (_, _data, _, size) in zip(stored, ALLOWED, strict=True):
        metadata = json.loads(row["image_metadata"] or "null")
        assert (metadata and (metadata["width"], metadata["height"])) == (size or None)
        on_disk = (tmp_path / "media" / row["file_path"]).read_bytes()
        assert len(on_disk) == row["file_size"] and row["folder"] == "/products/2027"
        assert json.loads(row["tags"]) == ["2027", "hero"]
    assert stored[0]["file_path"].endswith(".jpg") and stored[-1]["file_path"].endswith(".png")
    listed = client.get("/admin/media?folder=/products/2027").text
    assert listed.count("alt text missing: en, de") == 7  # images only: not the PDF


@pytest.mark.parametrize(
    "name, data, reason",
    [
        ("report.pdf", image_bytes("PNG", (20, 20)), "the name ends in .pdf but the file is PNG"),
        ("page.png", b"<!doctype html><html><script>alert(1)</script></html>", "HTML and other markup"),
        ("bad.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "scripts"),
        ("onload.svg", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', "event handlers"),
        ("huge.svg", b'<svg xmlns="http://www.w3.org/2000/svg">' + b"<!--" + b"x" * (2 * 1024 * 1024) + b"--></svg>", "at most 2 MB"),
        ("empty.png", b"", "the file is empty"),
        ("vast.png", one_bit_png(8000, 7000), "at most 50 megapixels"),
        ("notes.txt", b"just some text", "not an image, PDF or SVG"),
        ("broken.jpg", image_bytes("JPEG")[:400], "not an image"),
    ],
)  # fmt: skip
def test_a_refused_file_says_why_and_stores_nothing(client, staff, tmp_path, name, data, reason):
    answer = upload(client, (name, data), ("fine.png", image_bytes("PNG", (8, 8))))
    assert answer.status_code == 422 and reason in answer.text and name in answer.text
    assert [r["original_filename"] for r in rows(staff)] == ["fine.png"]  # the other file is kept
    assert len(list((tmp_path / "media" / "uploads").rglob("*.*"))) == 1


def test_the_same_bytes_again_offer_the_existing_item(client, staff):
    photo = image_bytes("JPEG", (800, 600))
    upload(client, ("photo.jpg", photo))
    again = upload(client, ("same-photo-new-name.jpg", photo))
    assert "the library has these exact bytes already" in again.text
    (only,) = rows(staff)
    assert f"/admin/media/{only['id']}" in again.text


def test_viewers_cannot_upload_and_nobody_signed_out_can_see_a_file(studio_app, staff):
    viewer = studio_app().test_client()
    sign_in_as(viewer, "viewer")
    assert upload(viewer, ("a.png", image_bytes("PNG", (8, 8)))).status_code == 403
    anonymous = studio_app().test_client()
    assert anonymous.get("/admin/media/1/file").status_code == 302  # to the sign-in


def media_id(db, name: str) -> int:
    return rows(db, "SELECT id FROM media_files WHERE original_filename = ?", name)[0][0]


def describe(client, item: int, en: str, de: str):
    return client.post(f"/admin/media/{item}", data={
        "csrf_token": page_token(client, f"/admin/media/{item}"), "title.en": "Hero", "alt_text.en": en,
        "alt_text.de": de, "folder": "/", "tags": ""})  # fmt: skip


def test_a_page_shows_a_library_image_responsively_with_its_alt_text_per_language(
    client, staff, tmp_path, build, builds_in_tmp
):
    upload(client, ("hero.jpg", image_bytes("JPEG", (2400, 1200))))
    hero = media_id(staff, "hero.jpg")
    path = rows(staff)[0]["file_path"]
    assert describe(client, hero, "A red field", "Ein rotes Feld").status_code == 303
    editor = client.get("/admin/pages/new").text
    assert f"![](/media/{path})" in editor  # the picker offers it
    body = f"# Plans\n\n![](/media/{path})\n\nText.\n\n![Own words](/media/{path})"
    client.post(
        "/admin/pages/new", data=page_form(client, **{"content.en": body, "content.de": body})
    )
    page = rows(staff, "SELECT id FROM pages WHERE slug = 'plans'")[0][0]
    client.post(
        f"/admin/pages/{page}/publish", data={"csrf_token": page_token(client, "/admin/pages")}
    )
    builds_in_tmp()
    output = tmp_path / "output"
    for lang, alt in (("en", "A red field"), ("de", "Ein rotes Feld")):
        html = (output / lang / "plans" / "index.html").read_text()
        first, second = re.findall(r"<img [^>]*>", html[html.index("<main") :])  # not the logo
        assert f'alt="{alt}"' in first and 'alt="Own words"' in second
        assert 'width="1600" height="800"' in first and 'decoding="async"' in first
        assert (
            f"/media/_v/{hero}-" in first
            and "480w" in first
            and "1600w" in first
            and "sizes=" in first
        )
        assert "loading" not in first and 'loading="lazy"' in second  # the first may be in view
    variants = sorted((output / "media" / "_v").iterdir())
    assert [v.name.rsplit("-", 1)[1] for v in variants] == ["1600.webp", "480.webp", "960.webp"]
    with Image.open(variants[0]) as image:
        assert image.format == "WEBP" and image.size == (1600, 800) and not image.getexif()
    assert not (output / "media" / path).exists()  # the original (and its metadata) stays private

    uses = client.get(f"/admin/media/{hero}").text
    assert "plans" in uses
    refused = client.post(f"/admin/media/{hero}/delete", data={"csrf_token": page_token(client, "/admin/media")},
                          follow_redirects=True)  # fmt: skip
    assert "Not deleted: still used by pages plans" in refused.text
    assert rows(staff)[0]["deleted_at"] is None

    # Replacing the file keeps the id and every use; the incremental build equals a full one.
    replaced = replace_file(client, hero, "new.jpg", image_bytes("JPEG", (1000, 500), (0, 90, 0)))
    assert replaced.status_code == 303
    builds_in_tmp()
    after = rows(staff)[0]
    assert after["id"] == hero and after["file_path"] == path
    assert json.loads(after["image_metadata"])["width"] == 1000
    html = (output / "en" / "plans" / "index.html").read_text()
    assert 'width="1000" height="500"' in html and "1600w" not in html
    incremental = tree(output)
    build(staff, "full-output", full=True)
    assert tree(tmp_path / "full-output") == incremental
    wrong_type = replace_file(
        client, hero, "x.png", image_bytes("PNG", (10, 10)), follow_redirects=True
    )
    assert "Not replaced: the new file is image/png" in wrong_type.text


def test_an_unused_item_is_deleted_and_gated_files_never_reach_the_output(
    client, staff, tmp_path, build
):
    upload(client, ("spare.png", image_bytes("PNG", (40, 40))))
    spare = media_id(staff, "spare.png")
    deleted = client.post(
        f"/admin/media/{spare}/delete", data={"csrf_token": page_token(client, "/admin/media")}
    )
    assert deleted.status_code == 303 and rows(staff)[0]["deleted_at"] is not None
    build(staff)
    gated = [
        r["file_path"]
        for r in rows(
            staff, "SELECT m.file_path FROM whitepapers w JOIN media_files m ON m.id = w.file_id"
        )
    ]
    assert gated and not any((tmp_path / "output" / "media" / path).exists() for path in gated)
    assert not list((tmp_path / "output").rglob("*.pdf"))


def test_a_webinars_slides_from_the_library_are_offered_once_it_is_over(
    client, staff, tmp_path, build
):
    upload(client, ("slides.pdf", pdf_document("Energy monitoring 101", ["Slide one."])))
    slides = media_id(staff, "slides.pdf")
    conn = database.connect(staff)
    conn.execute(
        "UPDATE webinars SET presentation_file_id = ? WHERE slug = 'energy-monitoring-101'",
        (slides,),
    )
    conn.commit()
    assert "slides" in client.get(f"/admin/media/{slides}").text  # where used
    build(staff)
    page = tmp_path / "output" / "en" / "webinars" / "energy-monitoring-101" / "index.html"
    assert "Download the slides" not in page.read_text()  # not before it is over
    conn.execute("UPDATE webinars SET status = 'completed' WHERE slug = 'energy-monitoring-101'")
    conn.commit()
    build(staff)
    path = rows(staff)[0]["file_path"]
    assert f'href="/media/{path}" download' in page.read_text()
    assert (tmp_path / "output" / "media" / path).read_bytes().startswith(b"%PDF-")


def test_a_folder_that_is_not_one_refuses_the_upload(client, staff):
    answer = upload(client, ("a.png", image_bytes("PNG", (8, 8))), folder="../etc")
    assert answer.status_code == 303 and rows(staff) == []
    assert "Nothing was uploaded: a folder such as" in client.get("/admin/media").text
