"""A real headless Chromium (Debian's chromium + chromium-driver) driven through WebDriver."""

import shutil
import tempfile
import threading
import time
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

from selenium import webdriver
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from generator.serve import make_server

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"


def finished_download(folder: Path, pattern: str, timeout: float = 15) -> Path:
    """The one file matching `pattern` once Chromium has written it. Chromium first reserves the
    name with an empty file and writes into `<name>.crdownload`, renamed over it at the end:
    a file that merely exists may still be empty."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = list(folder.glob(pattern))
        if found and not list(folder.glob("*.crdownload")) and all(f.stat().st_size for f in found):
            break
        time.sleep(0.2)
    (download,) = folder.glob(pattern)
    return download


@contextmanager
def chromium(javascript: bool = True, downloads: Path | None = None):
    profile = tempfile.mkdtemp(prefix="magnetiq-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--no-first-run", "--disable-quic", f"--user-data-dir={profile}", "--window-size=1200,900",
                 # a person's browser: the service ignores page views from "HeadlessChrome"
                 "--user-agent=Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/150.0 Safari/537.36"):  # fmt: skip
        options.add_argument(flag)
    prefs = {"profile.managed_default_content_settings.javascript": 1 if javascript else 2}
    if downloads:
        prefs.update({"download.default_directory": str(downloads), "download.prompt_for_download": False,
                      "plugins.always_open_pdf_externally": True})  # fmt: skip
    options.add_experimental_option("prefs", prefs)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})  # the console, for get_log
    driver = webdriver.Chrome(options=options, service=Service(CHROMEDRIVER))
    driver.set_page_load_timeout(30)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


@contextmanager
def static_site(output: Path, port: int):
    server = make_server(output, "127.0.0.1", port)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://localhost:{port}"
    finally:
        server.shutdown()
        server.server_close()


def patient_wait(driver, seconds: float = 30) -> WebDriverWait:
    """A wait that looks again while a posted form's answer replaces the page: Chromium then
    reports the old document's nodes as gone, which is no failure of the page under test."""
    return WebDriverWait(driver, seconds, ignored_exceptions=(WebDriverException,))


def wait_for_search(driver, seconds: float = 30) -> None:
    """Until the search page has shown the results of its last query (aria-busy drops)."""
    WebDriverWait(driver, seconds).until(
        lambda d: d.find_elements(By.CSS_SELECTOR, "[data-search][aria-busy=false]")
    )


def search_cost(driver, site_url: str, lang: str, query: str) -> dict:
    """Load the search page for `query` with the browser cache off and wait for its results;
    the search script, index files and records it fetched: requests and bytes on the wire."""
    driver.execute_cdp_cmd("Network.enable", {})
    driver.execute_cdp_cmd("Network.setCacheDisabled", {"cacheDisabled": True})
    driver.get(f"{site_url}/{lang}/search/?q={quote(query)}")
    wait_for_search(driver)
    entries = driver.execute_script(
        "return performance.getEntriesByType('resource').map("
        "e => [new URL(e.name).pathname, e.transferSize, e.encodedBodySize])"
    )
    searched = [e for e in entries if e[0].startswith(("/search-index/", "/assets/search-"))]
    script = [e for e in searched if e[0].startswith("/assets/search-")]
    return {
        "requests": len(searched),
        "bytes": sum(e[1] for e in searched),
        "script_bytes": sum(e[2] for e in script),
        "status": driver.find_element(By.ID, "search-status").text,
        "paths": [e[0] for e in searched],
    }
