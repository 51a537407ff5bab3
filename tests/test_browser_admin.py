"""End to end: a staff member in headless Chromium against the admin on a real gunicorn."""

import csv

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions

import database
from database.users import create_admin_user

from .browser import chromium, finished_download, patient_wait
from .servers import STUDIO, gunicorn


@pytest.fixture
def demo_db_path(demo_site):
    """Runs on SQLite and on PostgreSQL."""
    return demo_site


def test_staff_signs_in_filters_exports_and_confirms_a_booking(demo_db_path, tmp_path):
    conn = database.connect(demo_db_path)
    create_admin_user(conn, "sales@example.com", "sales-password-123", role="editor")
    for n, campaign in enumerate(["spring", "spring", "autumn"]):
        conn.execute(
            "INSERT INTO webinar_registrations (webinar_id, first_name, last_name, email, utm_campaign) "
            "VALUES (1, 'Visitor', ?, ?, ?)", (f"N{n}", f"visitor{n}@example.com", campaign))  # fmt: skip
    booking = conn.execute(
        "INSERT INTO bookings (first_name, last_name, email, booking_type, preferred_date) "
        "VALUES ('Ada', 'Lovelace', 'ada@example.com', 'demo', '2031-02-03 09:00:00') RETURNING id"
    ).fetchone()[0]
    conn.close()
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    with gunicorn(
        demo_db_path, tmp_path / "media", app=STUDIO, MAGNETIQ_ENV="development"
    ) as server:
        with chromium(downloads=downloads) as driver:
            wait = patient_wait(driver, 15)
            driver.get(f"{server.url}/admin/leads/registrations")
            wait.until(expected_conditions.url_contains("/admin/login"))
            driver.find_element(By.ID, "email").send_keys("sales@example.com")
            driver.find_element(By.ID, "password").send_keys("sales-password-123", Keys.ENTER)
            wait.until(expected_conditions.title_contains("Registrations"))

            campaign = driver.find_element(By.NAME, "campaign")
            campaign.send_keys("spring", Keys.ENTER)
            wait.until(expected_conditions.url_contains("campaign=spring"))
            assert "(2)" in driver.find_element(By.TAG_NAME, "h1").text

            driver.find_element(By.PARTIAL_LINK_TEXT, "semicolon-separated").click()
            exported = finished_download(downloads, "registrations-*.csv")
            rows = list(
                csv.reader(exported.read_text(encoding="utf-8-sig").splitlines(), delimiter=";")
            )
            assert len(rows) == 3 and {row[5] for row in rows[1:]} == {
                "visitor0@example.com",
                "visitor1@example.com",
            }

            driver.get(f"{server.url}/admin/leads/bookings/{booking}")
            driver.find_element(By.XPATH, "//button[normalize-space()='Mark confirmed']").click()
            wait.until(
                expected_conditions.text_to_be_present_in_element((By.TAG_NAME, "h2"), "confirmed")
            )
    conn = database.connect(demo_db_path)
    status, confirmed_at = conn.execute(
        "SELECT status, confirmed_at FROM bookings WHERE id = ?", (booking,)).fetchone()  # fmt: skip
    assert status == "confirmed" and confirmed_at
    actions = {row[0] for row in conn.execute("SELECT action FROM audit_log")}
    conn.close()
    assert {"auth.sign_in", "leads.export", "booking.status"} <= actions
