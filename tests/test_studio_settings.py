"""Site settings in the studio: admins only, checked field by field, and honoured at once by the
capture service (maintenance, closed forms) and by the next build."""

import json
import re

import pytest
from PIL import Image

import database

from .test_admin import page_token, sign_in_as
from .test_capture import BOOKING, PAPER, PERSON, UPCOMING

pytestmark = pytest.mark.usefixtures("staff", "builds_in_tmp")


@pytest.fixture
def demo_db_path(demo_site):
    """Every test here runs on SQLite and on PostgreSQL."""
    return demo_site


@pytest.fixture
def client(studio_app):
    return studio_app().test_client()


def settings_form(client, **changes) -> dict:
    form = {
        "csrf_token": page_token(client, "/admin/"),
        "supported_languages": "en, de", "default_language": "en", "translation_fallback": "fallback",
        "site_url": "https://www.voltaic.example", "capture_url": "https://forms.voltaic.example",
        "site_title.en": "Voltaic Systems", "site_title.de": "Voltaic Systems GmbH",
        "site_description.en": "Energy data you can act on", "site_description.de": "Energiedaten",
        "registration_enabled": "1", "email_from_name": "Voltaic Systems",
        "email_from_address": "hello@voltaic.example",
    }  # fmt: skip
    form.update(changes)
    return {key: value for key, value in form.items() if value is not None}


def stored(db) -> dict:
    return dict(database.connect(db).execute("SELECT key, value FROM system_settings"))


def test_an_admin_changes_the_settings_and_the_site_follows(client, staff, tmp_path, builds_in_tmp):
    sign_in_as(client, "admin")
    answer = client.post("/admin/settings", data=settings_form(client), follow_redirects=True)
    assert "Saved" in answer.text and "being rebuilt" in answer.text
    builds_in_tmp()
    settings = stored(staff)
    assert json.loads(settings["site_title"]) == {
        "de": "Voltaic Systems GmbH",
        "en": "Voltaic Systems",
    }
    assert (
        settings["site_url"] == "https://www.voltaic.example"
        and settings["maintenance_mode"] == "false"
    )
    assert (settings["email_from_name"], settings["email_from_address"]) == (
        "Voltaic Systems",
        "hello@voltaic.example",
    )
    home = (tmp_path / "output" / "de" / "index.html").read_text()
    assert "Voltaic Systems GmbH" in home and 'href="https://www.voltaic.example/de/"' in home


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"supported_languages": "en, Deutsch"}, "supported_languages"),
        ({"supported_languages": "en, en"}, "supported_languages"),
        ({"default_language": "fr"}, "default_language"),
        ({"translation_fallback": "guess"}, "translation_fallback"),
        ({"site_url": "javascript:alert(1)"}, "site_url"),
        ({"capture_url": "https://forms.example/?x=1"}, "capture_url"),
        ({"site_title.en": ""}, "site_title"),
        ({"site_title.de": "x" * 301}, "site_title"),
        ({"email_from_name": ""}, "email_from_name"),
        ({"email_from_name": "Voltaic\r\nBcc: all@example.com"}, "email_from_name"),
        ({"email_from_name": 'Voltaic" <evil@example.com>'}, "email_from_name"),
        ({"email_from_address": "hello@voltaic.example, all@example.com"}, "email_from_address"),
        ({"email_from_address": "noreply@magnetiq.local"}, "email_from_address"),
        (
            {"lead_notification_recipients": "sales@voltaic.example, nobody"},
            "lead_notification_recipients",
        ),
    ],
)
def test_bad_settings_are_refused_and_nothing_changes(client, staff, changes, field):
    sign_in_as(client, "admin")
    before = stored(staff)
    answer = client.post("/admin/settings", data=settings_form(client, **changes))
    assert answer.status_code == 422 and f'href="#{field}"' in answer.text
    assert stored(staff) == before


@pytest.mark.parametrize("role", ["viewer", "editor"])
def test_only_admins_see_or_change_settings(client, staff, role):
    sign_in_as(client, role)
    assert client.get("/admin/settings").status_code == 403
    before = stored(staff)
    assert client.post("/admin/settings", data=settings_form(client)).status_code == 403
    assert stored(staff) == before


def test_closed_forms_and_maintenance_hold_at_once_in_the_service_and_the_site(
    client, staff, capture_app, tmp_path, builds_in_tmp
):
    capture = capture_app().test_client()  # started before the change: nothing is restarted
    sign_in_as(client, "admin")
    client.post("/admin/settings", data=settings_form(client, registration_enabled=None))
    for path, body in ((UPCOMING, PERSON), (PAPER, PERSON), ("/api/bookings", BOOKING)):
        answer = capture.post(path, json=body)
        assert answer.status_code == 409 and answer.json["error"] == "forms_closed"
    builds_in_tmp()
    book = (tmp_path / "output" / "en" / "book" / "index.html").read_text()
    assert 'data-event="booking"' not in book and "forms are closed" in book
    client.post("/admin/settings", data=settings_form(client, maintenance_mode="1"))
    answer = capture.post("/api/bookings", json=BOOKING)
    assert answer.status_code == 503 and answer.headers["Retry-After"] == "300"
    assert capture.get("/api/health").status_code == 200
    builds_in_tmp()
    assert "We are doing maintenance" in (tmp_path / "output" / "en" / "index.html").read_text()
    client.post("/admin/settings", data=settings_form(client))
    assert capture.post("/api/bookings", json=BOOKING).status_code == 201


def test_a_restyle_with_the_settings_alone_changes_the_look_everywhere(
    client, staff, tmp_path, builds_in_tmp
):
    """Issue 13: a brand colour, a font and a logo, chosen in the settings, reach every page."""
    sign_in_as(client, "admin")
    logo = (
        database.connect(staff)
        .execute("SELECT id FROM media_files WHERE file_path = 'images/lena-hoffmann.svg'")
        .fetchone()[0]
    )
    light = client.post("/admin/settings", data=settings_form(client, brand_color="#ffff66"))
    assert light.status_code == 422 and "too light to read on white" in light.text
    client.post(
        "/admin/settings",
        data=settings_form(
            client, brand_color="#7A1F5C", brand_font="serif", site_logo_id=str(logo)
        ),
    )
    assert builds_in_tmp().ok
    output = tmp_path / "output"
    pages = [page for page in output.rglob("*.html") if 'rel="stylesheet"' in page.read_text()]
    assert len(pages) > 40  # every page with a look (redirect pages have none)
    themes = {
        re.search(r'href="/(assets/theme-[0-9a-f]+\.css)"', page.read_text())[1] for page in pages
    }
    assert len(themes) == 1  # one stylesheet, on every page
    theme = (output / themes.pop()).read_text()
    assert "--brand: #7a1f5c" in theme and "Charter" in theme
    assert 'fill="#7a1f5c"' in (output / "favicon.svg").read_text()
    with Image.open(output / "apple-touch-icon.png") as touch_icon:
        assert touch_icon.size == (180, 180) and touch_icon.getpixel((4, 4)) == (0x7A, 0x1F, 0x5C)
    home = (output / "de" / "index.html").read_text()
    header = re.search(r'<a class="brand"[^>]*>(.*?)</a>', home)[1]
    assert (
        'src="/media/images/lena-hoffmann.svg"' in header and 'alt="Voltaic Systems GmbH"' in header
    )
    assert 'width="320" height="320"' in header
    assert '<link rel="icon" href="/media/images/lena-hoffmann.svg"' in home  # a square drawing
    assert "the site&#39;s logo" in client.get(f"/admin/media/{logo}").text


def test_the_main_navigation_is_the_pages_an_admin_chose_in_order(
    client, staff, tmp_path, builds_in_tmp
):
    """Issue 15: the menu is chosen and bounded (every page carries it); sort_order only orders."""
    sign_in_as(client, "admin")
    for wrong, message in (("contact, nowhere", "no page has the slug nowhere"),
                           ("contact, contact", "each page once"), ("Contact!", "page slugs"),
                           (", ".join(["about"] * 9), "at most 8 pages")):  # fmt: skip
        answer = client.post("/admin/settings", data=settings_form(client, main_navigation=wrong))
        assert answer.status_code == 422 and message in answer.text
    assert json.loads(stored(staff)["main_navigation"]) == ["services", "about", "contact"]
    client.post("/admin/settings", data=settings_form(client, main_navigation="contact, services"))
    assert builds_in_tmp().ok
    for page in ("de/index.html", "de/privacy/index.html", "en/webinars/index.html"):
        html = (tmp_path / "output" / page).read_text()
        menu = re.search(r'<nav aria-label="[^"]+">(.*?)</nav>', html, re.S)[1]
        links = re.findall(r'<a href="([^"]+)"', menu)
        lang = page[:2]
        assert links[:2] == [f"/{lang}/contact/", f"/{lang}/services/"]
        assert f"/{lang}/about/" not in links  # still a page, no longer in the menu


def test_a_site_keeps_its_menu_through_the_migration_to_a_chosen_navigation(tmp_path):
    """Migration 8 writes the pages that had a positive sort_order (first 8, in order)."""
    from database.migrations import MIGRATIONS, apply_migration, migrate, migration_sql

    conn = database.connect(tmp_path / "old.db")
    for number, name in enumerate(MIGRATIONS[:7], start=1):
        apply_migration(conn, number, migration_sql(name))
    for index, slug in enumerate(
        ["a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "legal", "home", "zero"]
    ):
        conn.execute(
            "INSERT INTO pages (slug, title, content, template, sort_order, status) "
            "VALUES (?, '{}', '{}', ?, ?, 'published')",
            (slug, "legal" if slug == "legal" else "default", 0 if slug == "zero" else 20 - index),
        )
    migrate(conn)
    (value,) = conn.execute(
        "SELECT value FROM system_settings WHERE key = 'main_navigation'"
    ).fetchone()
    assert json.loads(value) == ["j", "i", "h", "g", "f", "e", "d", "c"]
