"""Webinars in the studio: times on the webinar's own clock, every bad input refused with a
field error and nothing stored, status moving one way with a confirmation when people registered."""

import json

import pytest

import database

from .test_admin import page_token, sign_in_as

pytestmark = pytest.mark.usefixtures("staff", "builds_in_tmp")
ENERGY = 1  # the demo's upcoming webinar


@pytest.fixture
def demo_db_path(demo_site):
    """Every test here runs on SQLite and on PostgreSQL."""
    return demo_site


@pytest.fixture
def client(studio_app):
    return studio_app().test_client()


def webinar_form(client, **changes) -> dict:
    form = {
        "csrf_token": page_token(client, "/admin/"), "slug": "heat-recovery", "timezone": "Europe/Berlin",
        "starts": "2031-06-03T16:00", "deadline": "2031-06-03T12:00", "duration_minutes": "45",
        "max_participants": "80", "registration_enabled": "1", "meeting_url": "https://meet.example/heat",
        "recording_url": "", "presenter_name": "Lena Hoffmann",
        "title.en": "Heat recovery", "title.de": "Wärmerückgewinnung", "description.en": "Use waste heat.",
    }  # fmt: skip
    form.update(changes)
    return {key: value for key, value in form.items() if value is not None}


def webinar(db, slug="heat-recovery"):
    conn = database.connect(db)
    return conn.execute("SELECT * FROM webinars WHERE slug = ?", (slug,)).fetchone()


def count(db, table="webinars") -> int:
    return database.connect(db).execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def test_an_editor_schedules_a_webinar_on_its_own_clock(client, staff):
    sign_in_as(client, "editor")
    assert client.get("/admin/webinars/new").status_code == 200
    assert client.post("/admin/webinars/new", data=webinar_form(client)).status_code == 303
    row = webinar(staff)
    assert (row["scheduled_at"], row["registration_deadline"]) == (
        "2031-06-03 14:00:00",
        "2031-06-03 10:00:00",
    )
    assert json.loads(row["title"]) == {"de": "Wärmerückgewinnung", "en": "Heat recovery"}
    assert (row["status"], row["max_participants"], row["duration_minutes"]) == (
        "scheduled",
        80,
        45,
    )
    listed = client.get("/admin/webinars").text
    assert "Heat recovery" in listed and "2031-06-03 16:00 UTC+02:00" in listed
    edit = client.get(f"/admin/webinars/{row['id']}").text
    assert 'value="2031-06-03T16:00"' in edit  # shown again on the webinar's clock
    assert (
        database.connect(staff)
        .execute("SELECT count(*) FROM revisions WHERE table_name = 'webinars'")
        .fetchone()[0]
        == 1
    )


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"starts": "2031-03-30T02:30"}, "starts"),  # the hour Berlin's clocks skip
        ({"starts": "2031-02-30T16:00"}, "starts"),
        ({"deadline": "2031-06-03T17:00"}, "deadline"),  # after the start
        ({"timezone": "localtime"}, "timezone"),
        ({"recording_url": "javascript:alert(1)"}, "recording_url"),
        ({"meeting_url": "ftp://meet.example"}, "meeting_url"),
        ({"max_participants": "0"}, "max_participants"),
        ({"duration_minutes": "2"}, "duration_minutes"),
        ({"title.en": ""}, "title.en"),
        ({"slug": "energy-monitoring-101"}, "slug"),
        ({"slug": "../x"}, "slug"),
        ({"description.de": "x" * 3000}, "description.de"),
    ],
)
def test_bad_input_is_refused_and_stores_nothing(client, staff, changes, field):
    sign_in_as(client, "editor")
    before = count(staff)
    answer = client.post("/admin/webinars/new", data=webinar_form(client, **changes))
    assert answer.status_code == 422 and f'href="#{field.replace(".", "-")}"' in answer.text
    assert count(staff) == before


def test_status_moves_one_way_and_cancelling_with_registrations_needs_a_confirmation(
    client, capture_app, staff, tmp_path, builds_in_tmp
):
    conn = database.connect(staff)
    conn.execute(
        "INSERT INTO webinar_registrations (webinar_id, first_name, last_name, email) VALUES (?, 'R', 'S', 'r@example.com')",
        (ENERGY,),
    )
    conn.commit()
    sign_in_as(client, "editor")
    token = page_token(client, "/admin/")
    refused = client.post(
        f"/admin/webinars/{ENERGY}/status",
        data={"csrf_token": token, "status": "completed"},
        follow_redirects=True,
    )
    assert "cannot become completed" in refused.text
    unconfirmed = client.post(
        f"/admin/webinars/{ENERGY}/status",
        data={"csrf_token": token, "status": "cancelled"},
        follow_redirects=True,
    )
    assert "tick the confirmation" in unconfirmed.text
    assert (
        database.connect(staff)
        .execute("SELECT status FROM webinars WHERE id = ?", (ENERGY,))
        .fetchone()[0]
        == "scheduled"
    )
    done = client.post(f"/admin/webinars/{ENERGY}/status", data={"csrf_token": token, "status": "cancelled", "confirm": "1"},
                       follow_redirects=True)  # fmt: skip
    assert "cancelled now" in done.text and "being rebuilt" in done.text
    builds_in_tmp()
    page = (
        tmp_path / "output" / "en" / "webinars" / "energy-monitoring-101" / "index.html"
    ).read_text()
    assert 'class="state state-cancelled"' in page
    answer = capture_app().test_client().post("/api/webinars/energy-monitoring-101/registrations",
                                              json={"first_name": "A", "last_name": "B", "email": "a@example.com"})  # fmt: skip
    assert answer.status_code == 409 and answer.json["error"] == "webinar_cancelled"


def test_a_save_over_a_newer_version_is_refused(client, studio_app, staff):
    sign_in_as(client, "editor")
    client.post("/admin/webinars/new", data=webinar_form(client))
    row = webinar(staff)
    other = studio_app().test_client()
    sign_in_as(other, "admin")
    assert other.post(f"/admin/webinars/{row['id']}", data=webinar_form(other, version=row["updated_at"],
                      **{"title.en": "Their title"})).status_code == 303  # fmt: skip
    mine = client.post(
        f"/admin/webinars/{row['id']}",
        data=webinar_form(client, version=row["updated_at"], **{"title.en": "Mine"}),
    )
    assert mine.status_code == 409 and "Their title" in mine.text
    assert json.loads(webinar(staff)["title"])["en"] == "Their title"


def test_viewers_read_but_do_not_change_webinars(client, staff):
    sign_in_as(client, "viewer")
    assert client.get("/admin/webinars").status_code == 200
    assert "<fieldset disabled>" in client.get(f"/admin/webinars/{ENERGY}").text
    assert client.post("/admin/webinars/new", data=webinar_form(client)).status_code == 403
    assert client.post(f"/admin/webinars/{ENERGY}", data=webinar_form(client)).status_code == 403
    assert client.post(f"/admin/webinars/{ENERGY}/status", data={"csrf_token": page_token(client, "/admin/"),
                       "status": "cancelled", "confirm": "1"}).status_code == 403  # fmt: skip
