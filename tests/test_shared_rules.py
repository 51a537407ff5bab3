"""Rules the build and the capture service share live once in database/: the site's page for a
webinar offers the form exactly when the service takes the registration, for the same reason."""

import re
from datetime import timedelta

import pytest

import database
from database.site import read_site_settings
from database.timestamps import to_sqlite, utc_now

from .test_capture import PERSON

SLUG = "energy-monitoring-101"
SCENARIOS = {
    "open": {},
    "registration off and deadline passed": {
        "registration_enabled": 0,
        "registration_deadline": -60,
    },
    "started, no deadline set": {"scheduled_at": -10, "registration_deadline": None},
    "full and registration off": {"max_participants": 0, "registration_enabled": 0},
    "cancelled": {"status": "cancelled"},
    "ended an hour ago": {"scheduled_at": -120, "duration_minutes": 60},
}


@pytest.fixture
def demo_db_path(demo_site):
    """The rule holds on SQLite and on PostgreSQL."""
    return demo_site


def set_webinar(db_path, changes: dict) -> None:
    now = utc_now()
    values = {
        column: to_sqlite(now + timedelta(minutes=value)) if column in ("scheduled_at", "registration_deadline") and value is not None else value
        for column, value in changes.items()
    }  # fmt: skip
    if values:
        assignments = ", ".join(f"{column} = :{column}" for column in values)
        conn = database.connect(db_path)
        conn.execute(
            f"UPDATE webinars SET {assignments} WHERE slug = :slug", {**values, "slug": SLUG}
        )
        conn.close()


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_the_page_offers_the_form_exactly_when_the_service_takes_it(
    demo_db_path, build, tmp_path, client, scenario
):
    set_webinar(demo_db_path, SCENARIOS[scenario])
    build(demo_db_path)
    page = (tmp_path / "output" / "en" / "webinars" / SLUG / "index.html").read_text()
    offered = 'data-event="registration"' in page
    answer = client.post(
        f"/api/webinars/{SLUG}/registrations", json={**PERSON, "email": "rule@example.com"}
    )
    assert offered == (answer.status_code == 201), (scenario, answer.json)
    if not offered:
        state = re.search(r'class="state state-(\w+)"', page).group(1)
        assert answer.json["error"] == f"webinar_{state}"


def test_one_settings_reader_reports_broken_values_and_falls_back(db):
    db.execute("UPDATE system_settings SET value = 'not json' WHERE key = 'supported_languages'")
    db.execute("UPDATE system_settings SET value = 'maybe' WHERE key = 'translation_fallback'")
    db.execute("UPDATE system_settings SET value = 'a@b.example\nBcc: c@d.example' "
               "WHERE key = 'email_from_address'")  # fmt: skip
    settings, problems = read_site_settings(db)
    assert {p.key for p in problems} == {
        "supported_languages",
        "translation_fallback",
        "email_from_address",
    }
    assert (
        settings.languages == (settings.default_language,)
        and settings.translation_fallback == "fallback"
        and settings.sender_address == "noreply@magnetiq.local"  # the spec's seed: header-safe
    )
