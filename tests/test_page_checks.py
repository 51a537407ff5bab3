"""The built demo as visitors' tools see it: the Nu HTML checker over every file, axe-core in a
real Chromium over every page in the light and the dark scheme, no console message on any page,
and screenshots of every template at a phone's and a laptop's width, kept in docs/screenshots/
for a reviewer to look at (the test writes them anew each run)."""

import base64
import json
import subprocess
from pathlib import Path

import pytest
from PIL import Image

from .browser import chromium, static_site, wait_for_search
from .conftest import REPO
from .demo_pages import TEMPLATES
from .servers import free_port

CHECKERS = REPO / "tests" / "node" / "node_modules"  # `npm ci --prefix tests/node` (.ci/run)
VNU = CHECKERS / "vnu-jar" / "build" / "dist" / "vnu.jar"
AXE = CHECKERS / "axe-core" / "axe.min.js"
SCREENSHOTS = REPO / "docs" / "screenshots"
WIDTHS = {"phone": 390, "laptop": 1366}


@pytest.fixture
def site(demo_db_path, build, tmp_path):
    """The demo built and served statically; no capture service runs (the pages must not mind)."""
    port = free_port()
    build(demo_db_path)
    output = tmp_path / "output"
    with static_site(output, port) as url:
        yield {"url": url, "output": output}


def pages(output: Path) -> list[str]:
    """Every HTML page a visitor can land on (the root's language redirect aside)."""
    return sorted(
        "/" + str(path.relative_to(output)).removesuffix("index.html")
        for path in output.rglob("*.html")
        if 'http-equiv="refresh"' not in path.read_text()
    )


def open_page(driver, url: str) -> None:
    driver.get(url)
    if "/search/?q=" in url:
        wait_for_search(driver)


def axe_violations(driver) -> list[tuple[str, str]]:
    driver.execute_script(AXE.read_text())
    found = driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {resultTypes: ['violations']}).then("
        "  r => done(r.violations.map(v => [v.id, v.nodes.map(n => n.target.join(' ')).join(', ')])),"
        "  e => done([['axe failed', String(e)]]));"
    )
    return [tuple(v) for v in found]


def test_every_file_passes_the_nu_html_checker_without_a_warning(site):
    # HTML and SVG; not CSS: the checker's CSS grammar predates what site.css rightly uses
    # (color-mix(), ::details-content)
    checked = subprocess.run(
        ["java", "-jar", VNU, "--format", "json", "--skip-non-html", "--also-check-svg", site["output"]],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    messages = json.loads(checked.stderr)["messages"]
    assert [
        (m["url"].split("/output/")[-1], m.get("lastLine"), m["type"], m["message"])
        for m in messages
    ] == []
    assert checked.returncode == 0


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_every_page_has_no_axe_violation_and_no_console_message(site, scheme):
    urls = [site["url"] + path for path in pages(site["output"])]
    urls += [f"{site['url']}/{lang}/{TEMPLATES['search-results']}" for lang in ("en", "de")]
    assert len(urls) > 40
    found, console = {}, {}
    with chromium() as driver:
        driver.execute_cdp_cmd(
            "Emulation.setEmulatedMedia",
            {"features": [{"name": "prefers-color-scheme", "value": scheme}]},
        )
        for url in urls:
            open_page(driver, url)
            if violations := axe_violations(driver):
                found[url] = violations
            if messages := [entry["message"] for entry in driver.get_log("browser")]:
                console[url] = messages
    assert found == {}
    assert console == {}


def screenshot(driver, width: int, target: Path) -> None:
    """The whole page at `width` CSS pixels, as a palette PNG (small enough to keep in git)."""
    height = driver.execute_script("return document.documentElement.scrollHeight")
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 600},
    )
    png = driver.execute_cdp_cmd("Page.captureScreenshot", {"format": "png"})["data"]
    target.write_bytes(base64.b64decode(png))
    with Image.open(target) as image:
        image.convert("RGB").quantize(colors=128).save(target, optimize=True)


@pytest.mark.parametrize("device", WIDTHS)
def test_every_template_fits_the_screen_and_is_kept_as_a_screenshot(site, device):
    width = WIDTHS[device]
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    overflowing, header_heights = {}, {}
    with chromium() as driver:
        for lang in ("en", "de"):
            for name, path in TEMPLATES.items():
                driver.execute_cdp_cmd(
                    "Emulation.setDeviceMetricsOverride",
                    {"width": width, "height": 900, "deviceScaleFactor": 1, "mobile": width < 600},
                )
                open_page(driver, f"{site['url']}/{lang}/{path}")
                scroll_width = driver.execute_script("return document.documentElement.scrollWidth")
                if scroll_width > width:
                    overflowing[f"{lang}/{path}"] = scroll_width
                header_heights[f"{lang}/{path}"] = driver.execute_script(
                    "return document.querySelector('.site-header').getBoundingClientRect().height"
                )
                target = SCREENSHOTS / f"{lang}-{name}-{width}.png"
                screenshot(driver, width, target)
                with Image.open(target) as image:
                    assert image.width == width
    assert overflowing == {}  # nothing wider than the screen: no sideways scrolling
    # the header stays one band: on a phone the navigation folds behind its button
    assert max(header_heights.values()) < (130 if device == "phone" else 90), header_heights
