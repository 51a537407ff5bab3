"""The studio speaks each staff member's language: every message it can show has a German
translation with the same placeholders, and a German editor reads pages, buttons and field
errors in German."""

from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

import database

from .test_admin import page_token, sign_in_as

pytestmark = pytest.mark.usefixtures("staff", "builds_in_tmp")
ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "studio" / "translations"
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "ngettext_": (1, 2), "N_": None,
            "Message": None}  # fmt: skip


@pytest.fixture
def demo_db_path(demo_site):
    """Every test here runs on SQLite and on PostgreSQL."""
    return demo_site


@pytest.fixture
def client(studio_app):
    return studio_app().test_client()


def extracted() -> set:
    """Every message the code and templates mark, as the catalog's maintainers extract them."""
    with open(TRANSLATIONS / "babel.cfg") as config:
        method_map, options_map = parse_mapping_cfg(config)
    return {
        message
        for _file, _line, message, _comments, _context in extract_from_dir(
            ROOT, method_map, options_map, keywords=KEYWORDS
        )
    }


def test_every_message_the_studio_shows_has_a_german_translation():
    with open(TRANSLATIONS / "de.po", "rb") as source:
        german = read_po(source, locale="de")
    messages = extracted()
    assert len(messages) > 300  # the extraction found the templates and the code
    for message in messages:
        key = message[0] if isinstance(message, tuple) else message
        translated = german.get(key)
        assert translated is not None and not translated.fuzzy, f"no German for {message!r}"
        strings = (
            translated.string if isinstance(translated.string, tuple) else (translated.string,)
        )
        assert all(strings), f"empty German for {message!r}"
    problems = [(m.id, errors) for m, errors in german.check()]
    assert problems == []  # placeholders agree, plural forms complete


def german(db, role="editor"):
    conn = database.connect(db)
    conn.execute(
        "UPDATE admin_users SET language = 'de' WHERE email = ?", (f"staff-{role}@example.com",)
    )
    conn.commit()
    conn.close()


def test_a_german_editor_reads_the_studio_and_its_field_errors_in_german(client, staff):
    german(staff)
    sign_in_as(client, "editor")
    listed = client.get("/admin/pages").text
    assert (
        '<html lang="de">' in listed
        and ">Seiten <small>" in listed
        and "Alle außer Papierkorb" in listed
    )
    refused = client.post("/admin/pages/new", data={
        "csrf_token": page_token(client, "/admin/pages"), "slug": "Not A Slug", "template": "default",
        "sort_order": "0", "title.en": "", "content.en": "x" * 200_001,
    })  # fmt: skip
    assert refused.status_code == 422
    text = refused.text
    assert "Nichts wurde gespeichert" in text
    assert "der Slug darf nur Kleinbuchstaben, Ziffern und einzelne Bindestriche enthalten" in text
    assert "in der Standardsprache (en) erforderlich" in text
    assert "höchstens 200.000 Zeichen (200.001 eingegeben)" in text  # German digit grouping
    assert "Titel (en)" in text  # the field named in German, with its language


def test_staff_choose_their_language_and_sign_in_follows_the_browser(client, staff):
    assert "Anmelden" in client.get("/admin/login", headers={"Accept-Language": "de-DE,de"}).text
    assert "Sign in" in client.get("/admin/login", headers={"Accept-Language": "fr"}).text
    sign_in_as(client, "viewer")  # viewers too set their own language
    assert "Dashboard" in client.get("/admin/").text
    token = page_token(client, "/admin/account")
    assert (
        client.post("/admin/account", data={"csrf_token": token, "language": "xx"}).status_code
        == 422
    )
    answer = client.post("/admin/account", data={"csrf_token": token, "language": "de"},
                         follow_redirects=True)  # fmt: skip
    assert "Gespeichert." in answer.text and "Ihr Konto" in answer.text
    assert "Übersicht" in client.get("/admin/").text
    assert (
        database.connect(staff)
        .execute("SELECT language FROM admin_users WHERE email = 'staff-viewer@example.com'")
        .fetchone()[0]
        == "de"
    )
