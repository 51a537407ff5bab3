"""End to end: an editor writes a bilingual page in the studio (real gunicorn, real Chromium),
links a webinar picked from the list, sees it rendered while typing, previews, publishes, finds it on the site, in the sitemap
and in the search index, renames it and the old address still leads to it; a viewer cannot edit."""

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import Select, WebDriverWait

from generator.search.query import BuiltIndex

from .browser import chromium, patient_wait, static_site
from .conftest import STAFF_PASSWORDS
from .servers import STUDIO, free_port, gunicorn, wait_for_file, worker


@pytest.fixture
def demo_db_path(demo_site):
    """Runs on SQLite and on PostgreSQL."""
    return demo_site


WEBINAR = "/{lang}/webinars/energy-monitoring-101/"
TEXT = {"en": ("Saving energy", "# Saving energy\n\nCompressed air leaks waste money. Learn more: "),
        "de": ("Energie sparen", "# Energie sparen\n\nDruckluftlecks kosten Geld. Mehr dazu: ")}  # fmt: skip


def sign_in(driver, url: str, role: str) -> None:
    driver.get(f"{url}/admin/login")
    driver.find_element(By.ID, "email").send_keys(f"staff-{role}@example.com")
    driver.find_element(By.ID, "password").send_keys(STAFF_PASSWORDS[role])
    driver.find_element(By.ID, "password").submit()
    WebDriverWait(driver, 15).until(lambda d: "/admin/login" not in d.current_url)


def click(driver, label: str) -> None:
    driver.find_element(By.XPATH, f"//button[normalize-space()='{label}']").click()


def test_an_editor_writes_previews_publishes_and_renames_a_bilingual_page(staff, build, tmp_path):
    output = tmp_path / "output"
    build(staff)  # the site as it is live: the studio's builds continue it
    with gunicorn(staff, tmp_path / "media", app=STUDIO, MAGNETIQ_ENV="development",
                  MAGNETIQ_OUTPUT=str(output)) as studio, worker(staff, output), chromium() as driver:  # fmt: skip
        wait = patient_wait(driver, 30)
        sign_in(driver, studio.url, "editor")
        driver.get(f"{studio.url}/admin/pages/new")
        driver.find_element(By.ID, "slug").send_keys("saving-energy")
        for lang, (title, body) in TEXT.items():
            driver.find_element(By.ID, f"title-{lang}").send_keys(title)
            driver.find_element(By.CSS_SELECTOR, f"[data-for=content-{lang}] summary").click()
            text = driver.find_element(By.ID, f"content-{lang}")
            text.send_keys(body)
            Select(driver.find_element(By.ID, f"content-{lang}-target")).select_by_value(
                WEBINAR.format(lang=lang)
            )
            driver.find_element(By.CSS_SELECTOR, f"[data-for=content-{lang}] [data-insert]").click()
            assert f"]({WEBINAR.format(lang=lang)})" in text.get_attribute("value")
            live = f"#content-{lang} + .live-preview"  # rendered while typing, by the build's rules
            wait.until(expected_conditions.presence_of_element_located(
                (By.CSS_SELECTOR, f'{live} a[href="{WEBINAR.format(lang=lang)}"]')))  # fmt: skip
            assert driver.find_element(By.CSS_SELECTOR, f"{live} h1").text == title
        click(driver, "Save")
        wait.until(
            expected_conditions.text_to_be_present_in_element((By.CLASS_NAME, "flash"), "draft")
        )
        edit_url = driver.current_url

        for lang, (title, _) in TEXT.items():
            driver.find_element(By.CSS_SELECTOR, f"a[hreflang={lang}]").click()
            wait.until(expected_conditions.title_contains(title))
            assert (
                driver.find_element(By.CSS_SELECTOR, "meta[name=robots]").get_attribute("content")
                == "noindex, nofollow"
            )
            link = driver.find_element(
                By.CSS_SELECTOR, f"main a[href='{WEBINAR.format(lang=lang)}']"
            )
            assert link.text
            driver.get(edit_url)

        click(driver, "Publish now")
        wait.until(
            expected_conditions.text_to_be_present_in_element(
                (By.TAG_NAME, "main"), "being rebuilt"
            )
        )
        wait_for_file(output / "de" / "saving-energy" / "index.html")
        site_port = free_port()
        with static_site(output, site_port) as site:
            for lang, (title, _) in TEXT.items():
                driver.get(f"{site}/{lang}/saving-energy/")
                assert title in driver.find_element(By.TAG_NAME, "h1").text
            sitemap = (output / "sitemap.xml").read_text()
            assert "/en/saving-energy/" in sitemap and "/de/saving-energy/" in sitemap
            for lang, word in (("en", "compressed"), ("de", "Druckluftlecks")):
                index = BuiltIndex(output / "search-index" / lang)
                assert f"/{lang}/saving-energy/" in [index.record(n)[0] for n in index.search(word)]

            driver.get(edit_url)
            slug = driver.find_element(By.ID, "slug")
            slug.clear()
            slug.send_keys("energy-saving")
            click(driver, "Save")
            wait.until(
                expected_conditions.text_to_be_present_in_element((By.CLASS_NAME, "flash"), "Saved")
            )
            click(driver, "Build now")
            wait_for_file(output / "de" / "energy-saving" / "index.html")
            driver.get(f"{site}/de/saving-energy/")
            wait.until(expected_conditions.url_contains("/de/energy-saving/"))
            assert "Energie sparen" in driver.find_element(By.TAG_NAME, "h1").text

        driver.delete_all_cookies()
        sign_in(driver, studio.url, "viewer")
        driver.get(edit_url)
        assert not driver.find_element(By.ID, "slug").is_enabled()
        assert not driver.find_elements(By.XPATH, "//button[normalize-space()='Save']")
        assert not driver.find_elements(By.XPATH, "//button[normalize-space()='Publish now']")


def test_an_editor_uploads_an_image_describes_it_and_publishes_it_in_a_page(staff, build, tmp_path):
    """The media library end to end: a file input upload (with the script's progress), alt
    text in both languages, the picker inserting it into a page, and the built page showing
    it responsively with the right alt text per language."""
    from PIL import Image

    photo = tmp_path / "hero.jpg"
    Image.new("RGB", (1800, 900), (20, 90, 160)).save(photo, "JPEG")
    output = tmp_path / "output"
    build(staff)
    with gunicorn(staff, tmp_path / "media", app=STUDIO, MAGNETIQ_ENV="development",
                  MAGNETIQ_OUTPUT=str(output)) as studio, worker(staff, output), chromium() as driver:  # fmt: skip
        wait = patient_wait(driver, 30)
        sign_in(driver, studio.url, "editor")
        driver.get(f"{studio.url}/admin/media")
        driver.find_element(By.ID, "files").send_keys(str(photo))
        click(driver, "Upload")
        wait.until(
            expected_conditions.text_to_be_present_in_element((By.TAG_NAME, "main"), "added")
        )
        driver.find_element(By.LINK_TEXT, "give it a title and alt text").click()
        for lang, alt in (("en", "A blue sky"), ("de", "Ein blauer Himmel")):
            driver.find_element(By.ID, f"alt_text-{lang}").send_keys(alt)
        click(driver, "Save")
        wait.until(
            expected_conditions.text_to_be_present_in_element((By.CLASS_NAME, "flash"), "Saved")
        )
        assert "No alt text in" not in driver.page_source

        driver.get(f"{studio.url}/admin/pages/new")
        driver.find_element(By.ID, "slug").send_keys("sky")
        for lang, title in (("en", "Sky"), ("de", "Himmel")):
            driver.find_element(By.ID, f"title-{lang}").send_keys(title)
            text = driver.find_element(By.ID, f"content-{lang}")
            text.send_keys(f"# {title}\n\n")
            picker = f"details:has(#content-{lang}-image)"
            driver.find_element(By.CSS_SELECTOR, f"{picker} summary").click()
            driver.find_element(By.CSS_SELECTOR, f"{picker} [data-insert]").click()
            assert "![](/media/uploads/" in text.get_attribute("value")
            # The live preview follows with the image; the next language's picker moves down
            # when it lands, so wait for it rather than click where the button used to be.
            wait.until(
                lambda d, lang=lang: d.execute_script(
                    "const image = document.querySelector(arguments[0]);"
                    "return image !== null && image.complete",
                    f"fieldset[lang={lang}] .live-preview img",
                )
            )
        click(driver, "Save")
        wait.until(
            expected_conditions.text_to_be_present_in_element((By.CLASS_NAME, "flash"), "draft")
        )
        click(driver, "Publish now")
        wait_for_file(output / "de" / "sky" / "index.html")
        with static_site(output, free_port()) as site:
            for lang, alt in (("en", "A blue sky"), ("de", "Ein blauer Himmel")):
                driver.get(f"{site}/{lang}/sky/")
                image = driver.find_element(By.CSS_SELECTOR, "main img")
                assert image.get_attribute("alt") == alt
                assert (
                    "480w" in image.get_attribute("srcset")
                    and image.get_dom_attribute("width") == "1600"
                )
                wait.until(
                    lambda d, image=image: d.execute_script(
                        "return arguments[0].complete && arguments[0].naturalWidth", image
                    )
                )
                assert driver.execute_script("return arguments[0].currentSrc", image).endswith(
                    ".webp"
                )
