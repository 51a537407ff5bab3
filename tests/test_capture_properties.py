"""Property tests: whatever a visitor sends to a lead endpoint, the answer is never a 5xx, and a
stored value reads back exactly as it was accepted."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import database

FIELD_TEXT = st.one_of(
    st.text(max_size=60),
    st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=40),
    st.integers(),
    st.booleans(),
    st.none(),
    st.lists(st.integers(), max_size=2),
)
CONTACT = {
    "first_name": FIELD_TEXT,
    "last_name": FIELD_TEXT,
    "email": st.one_of(st.emails(), FIELD_TEXT),
    "company": FIELD_TEXT,
    "phone": st.one_of(st.from_regex(r"\+49 [0-9]{3} [0-9]{4}", fullmatch=True), FIELD_TEXT),
}
BOOKING = {
    **CONTACT,
    "booking_type": st.sampled_from(["consultation", "demo", "support", "lunch", ""]),
    "preferred_date": st.one_of(st.just("2031-04-01T10:00"), FIELD_TEXT),
    "timezone": st.sampled_from(["Europe/Berlin", "America/New_York", "Mars/Base", ""]),
    "urgency": st.sampled_from(["low", "urgent", "whenever"]),
    "status": st.sampled_from([None, "confirmed"]),
}
EXTRA = st.dictionaries(st.text(max_size=10), FIELD_TEXT, max_size=3)
ENDPOINTS = {
    "/api/webinars/energy-monitoring-101/registrations": ("webinar_registrations", CONTACT),
    "/api/whitepapers/iso-50001-checklist/downloads": ("whitepaper_downloads", CONTACT),
    "/api/bookings": ("bookings", BOOKING),
}
SETTINGS = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@pytest.fixture
def demo_db_path(demo_site):
    """Every test here runs on SQLite and on PostgreSQL."""
    return demo_site


def check(client, db_path, path, payload) -> None:
    table, _ = ENDPOINTS[path]
    payload = {key: value for key, value in payload.items() if value is not None}
    answer = client.post(path, json=payload)
    assert answer.status_code in (200, 201, 409, 422), (answer.status_code, payload)
    if answer.status_code == 201:
        conn = database.connect(db_path)
        try:
            row = conn.execute(
                f"SELECT first_name, last_name FROM {table} ORDER BY id DESC LIMIT 1"
            ).fetchone()
        finally:
            conn.close()
        assert tuple(row) == (str(payload["first_name"]).strip(), str(payload["last_name"]).strip())


@SETTINGS
@given(payload=st.fixed_dictionaries({}, optional=CONTACT), extra=EXTRA)
def test_registration_payloads(client, demo_db_path, payload, extra):
    check(
        client,
        demo_db_path,
        "/api/webinars/energy-monitoring-101/registrations",
        {**extra, **payload},
    )


@SETTINGS
@given(payload=st.fixed_dictionaries({}, optional=CONTACT), extra=EXTRA)
def test_download_payloads(client, demo_db_path, payload, extra):
    check(
        client, demo_db_path, "/api/whitepapers/iso-50001-checklist/downloads", {**extra, **payload}
    )


@SETTINGS
@given(payload=st.fixed_dictionaries({}, optional=BOOKING), extra=EXTRA)
def test_booking_payloads(client, demo_db_path, payload, extra):
    check(client, demo_db_path, "/api/bookings", {**extra, **payload})
