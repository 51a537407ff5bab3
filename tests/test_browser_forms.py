"""End to end: the built demo site in headless Chromium, its forms posting to a real gunicorn."""

import time
import urllib.request

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import WebDriverWait

import database
from commands.worker_commands import MailWork
from database.timestamps import from_sqlite, utc_now
from service.config import Config

from .browser import chromium, finished_download, static_site
from .mailserver import smtp_server
from .servers import free_port, gunicorn

FILL_SECONDS = 2.2  # the service drops forms filled faster than a person could


@pytest.fixture
def demo_db_path(demo_site):
    """Every test here runs on SQLite and on PostgreSQL."""
    return demo_site


@pytest.fixture
def site(demo_db_path, build, tmp_path):
    """The demo site built for these ports, served statically, with gunicorn for its forms."""
    site_port, capture_port = free_port(), free_port()
    conn = database.connect(demo_db_path)
    conn.execute(
        "UPDATE system_settings SET value = ? WHERE key = 'site_url'",
        (f"http://localhost:{site_port}",),
    )
    conn.execute(
        "UPDATE system_settings SET value = ? WHERE key = 'capture_url'",
        (f"http://localhost:{capture_port}",),
    )
    conn.close()
    build(demo_db_path)
    with gunicorn(demo_db_path, tmp_path / "media", port=capture_port) as capture:
        with static_site(tmp_path / "output", site_port) as url:
            yield {
                "url": url,
                "db": demo_db_path,
                "capture": capture.url,
                "media": tmp_path / "media",
            }


def fill(driver, values: dict) -> None:
    for name, value in values.items():
        field = driver.find_element(By.NAME, name)
        if field.tag_name == "select":
            field.find_element(By.CSS_SELECTOR, f"option[value='{value}']").click()
        else:
            field.clear()
            field.send_keys(value)


def submit(driver) -> None:
    """Press Enter in the email field: implicit submission, as a keyboard user would."""
    driver.find_element(By.NAME, "email").send_keys(Keys.ENTER)


def rows(db, sql):
    conn = database.connect(db)
    try:
        return [tuple(row) for row in conn.execute(sql)]
    finally:
        conn.close()


PERSON = {"first_name": "Katherine", "last_name": "Johnson", "company": "NACA"}


def test_forms_with_javascript(site, tmp_path):
    with chromium() as driver:
        wait = WebDriverWait(driver, 15)
        driver.get(
            f"{site['url']}/de/webinars/energy-monitoring-101/?utm_source=newsletter&utm_campaign=herbst"
        )
        fill(driver, {**PERSON, "email": "katherine@example.com"})
        time.sleep(FILL_SECONDS)
        submit(driver)
        wait.until(
            expected_conditions.text_to_be_present_in_element(
                (By.CSS_SELECTOR, ".form-status"), "Vielen Dank"
            )
        )
        assert driver.current_url.startswith(f"{site['url']}/de/webinars/")  # stayed on the page
        (row,) = rows(site["db"], "SELECT utm_source, utm_campaign, registration_source FROM webinar_registrations "
                                  "WHERE email = 'katherine@example.com'")  # fmt: skip
        assert row == ("newsletter", "herbst", "website")

        driver.get(f"{site['url']}/en/webinars/energy-monitoring-101/")
        fill(driver, {**PERSON, "email": "katherine@nasa"})
        time.sleep(FILL_SECONDS)
        submit(driver)
        error = wait.until(
            expected_conditions.visibility_of_element_located((By.ID, "email-error"))
        )
        assert error.text.startswith("Email:")

        driver.get(f"{site['url']}/en/whitepapers/iso-50001-checklist/")
        fill(driver, {**PERSON, "email": "katherine@example.com"})
        time.sleep(FILL_SECONDS)
        submit(driver)
        link = wait.until(
            expected_conditions.presence_of_element_located((By.CSS_SELECTOR, ".form-status a"))
        )
        with urllib.request.urlopen(link.get_attribute("href")) as answer:
            assert (
                answer.headers.get_content_type() == "application/pdf"
                and answer.read(5) == b"%PDF-"
            )

        driver.get(f"{site['url']}/en/book/")
        fill(
            driver,
            {**PERSON, "email": "katherine@example.com", "booking_type": "demo", "urgency": "high"},
        )
        driver.execute_script(
            "const field = document.getElementById('preferred_date');"
            "field.value = '2031-05-04T09:30'; field.dispatchEvent(new Event('input'));"
        )
        spelled = driver.find_element(By.CSS_SELECTOR, "output[for=preferred_date]").text
        assert spelled.startswith(
            "Sunday, May 4, 2031"
        )  # in the page's language, not the browser's
        time.sleep(FILL_SECONDS)
        submit(driver)
        wait.until(
            expected_conditions.text_to_be_present_in_element(
                (By.CSS_SELECTOR, ".form-status"), "Thank you"
            )
        )
        driver.get("about:blank")  # leaving the booking page sends its page view
        views = "SELECT page_path, utm_source FROM analytics_events WHERE event_type = 'page_view'"
        deadline = time.monotonic() + 10
        while len(rows(site["db"], views)) < 4 and time.monotonic() < deadline:
            time.sleep(0.1)
    assert rows(site["db"], "SELECT booking_type, urgency FROM bookings") == [("demo", "high")]
    assert rows(site["db"], "SELECT count(*) FROM whitepaper_downloads")[0][0] == 1
    assert sorted(rows(site["db"], views)) == [  # each page view once, sent as the page was left
        ("/de/webinars/energy-monitoring-101/", "newsletter"),
        ("/en/book/", None),
        ("/en/webinars/energy-monitoring-101/", None),
        ("/en/whitepapers/iso-50001-checklist/", None),
    ]


def test_forms_without_javascript(site, tmp_path):
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    with chromium(javascript=False, downloads=downloads) as driver:
        driver.get(f"{site['url']}/de/webinars/energy-monitoring-101/")
        fill(driver, {**PERSON, "email": "kj@example.com"})
        submit(driver)
        WebDriverWait(driver, 15).until(
            expected_conditions.url_contains("/de/thank-you/registration/")
        )
        assert "Sie sind angemeldet" in driver.title

        driver.get(f"{site['url']}/en/webinars/energy-monitoring-101/")
        fill(driver, {**PERSON, "email": "kj@nasa"})  # the browser accepts it, the service does not
        submit(driver)
        WebDriverWait(driver, 15).until(expected_conditions.url_contains("#error-email"))
        assert driver.find_element(By.ID, "error-email").is_displayed()
        assert "Email" in driver.find_element(By.ID, "error-email").text

        driver.get(f"{site['url']}/en/whitepapers/energy-cost-benchmark-2026/")
        fill(driver, {**PERSON, "email": "kj@example.com"})
        submit(driver)
        pdf = finished_download(downloads, "*.pdf")
        assert pdf.name == "energy-cost-benchmark-2026.pdf" and pdf.read_bytes().startswith(
            b"%PDF-"
        )

        driver.get(f"{site['url']}/en/book/")
        fill(driver, {**PERSON, "email": "kj@example.com", "booking_type": "consultation"})
        date = driver.find_element(By.NAME, "preferred_date")
        date.send_keys("05042031")
        date.send_keys("\t0930AM")
        submit(driver)
        WebDriverWait(driver, 15).until(expected_conditions.url_contains("/en/thank-you/booking/"))
    assert rows(site["db"], "SELECT email FROM webinar_registrations WHERE email LIKE 'kj@%'") == [
        ("kj@example.com",)
    ]
    assert rows(site["db"], "SELECT email FROM whitepaper_downloads") == [("kj@example.com",)]
    assert rows(site["db"], "SELECT preferred_date, timezone FROM bookings") == [
        ("2031-05-04 07:30:00", "Europe/Berlin")
    ]


def test_a_registration_in_the_browser_brings_its_confirmation_mail(site):
    """Register on the demo site in Chromium; the worker delivers the German confirmation, with
    a calendar file for the webinar's real start, to a real SMTP server."""
    with chromium() as driver:
        driver.get(f"{site['url']}/de/webinars/energy-monitoring-101/")
        fill(driver, {**PERSON, "email": "mail.me@example.com"})
        time.sleep(FILL_SECONDS)
        submit(driver)
        WebDriverWait(driver, 15).until(
            expected_conditions.text_to_be_present_in_element(
                (By.CSS_SELECTOR, ".form-status"), "Vielen Dank"
            )
        )
    with smtp_server() as (inbox, url):
        report = MailWork(site["db"], Config(database=site["db"], media=site["media"], production=False,
                                             secret_key="browser-test-secret-xx"), url).run(utc_now())  # fmt: skip
        assert report.failed == 0
        (mail,) = [m for m in inbox.messages if m["To"] == "mail.me@example.com"]
    assert (
        str(mail["Subject"]).startswith("Sie sind angemeldet") and mail["Content-Language"] == "de"
    )
    (calendar,) = list(mail.iter_attachments())
    ics = calendar.get_payload(decode=True)
    (starts,) = rows(
        site["db"], "SELECT scheduled_at FROM webinars WHERE slug = 'energy-monitoring-101'"
    )[0]
    assert f"DTSTART:{from_sqlite(starts):%Y%m%dT%H%M%SZ}\r\n".encode() in ics
    assert ics.startswith(b"BEGIN:VCALENDAR\r\n") and all(
        len(line) <= 75 for line in ics.split(b"\r\n")
    )


def test_the_navigation_folds_behind_a_menu_button_on_phones_without_javascript(site):
    def shown(
        element,
    ) -> bool:  # as a person sees it (WebDriver's own test ignores ::details-content)
        return driver.execute_script(
            "return arguments[0].checkVisibility() && arguments[0].getBoundingClientRect().width > 0",
            element,
        )

    with chromium(javascript=False) as driver:
        driver.get(f"{site['url']}/en/")
        link = driver.find_element(By.CSS_SELECTOR, ".menu nav a")
        summary = driver.find_element(By.CSS_SELECTOR, ".menu > summary")
        assert shown(link) and not shown(summary)  # wide: the whole navigation
        driver.set_window_size(390, 844)
        assert not shown(link) and shown(summary)  # a phone: one button
        summary.click()
        assert shown(link)


def rgb(computed: str) -> list[float]:
    """`rgb(20, 24, 29)` or `color(srgb 0.66 0.76 0.85)` as 0–255 channels."""
    inside = computed[computed.index("(") + 1 : computed.index(")")].replace(",", " ").split()
    if inside[0] == "srgb":
        return [float(v) * 255 for v in inside[1:4]]
    return [float(v) for v in inside[:3]]


def test_a_dark_system_setting_gets_a_dark_page_with_readable_links(site):
    with chromium(javascript=False) as driver:
        driver.execute_cdp_cmd(
            "Emulation.setEmulatedMedia",
            {"features": [{"name": "prefers-color-scheme", "value": "dark"}]},
        )
        driver.get(f"{site['url']}/en/")
        colours = driver.execute_script(
            "const css = (e, p) => getComputedStyle(e)[p];"
            "return [css(document.documentElement, 'backgroundColor'), css(document.querySelector('main a'), 'color')];"
        )
    background, link = map(rgb, colours)
    assert sum(background) < 120 and sum(link) > 450  # a dark page, light links
