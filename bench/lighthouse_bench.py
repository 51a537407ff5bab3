"""Lighthouse over the default theme: the four scores of every template, phone and desktop.

    python bench/lighthouse_bench.py [--lang en] [--template home ...]

The demo site is built into a temporary folder and served from it the way a static host
serves it (no capture service runs: pages must not mind). Each template in each state, in
English and German, goes through Lighthouse 12 (npm, installed into bench/node on first use)
in Debian's chromium, once with Lighthouse's phone emulation and once with its desktop
preset. Prints performance, accessibility, best practices and SEO per page, the cumulative
layout shift, and the first load's bytes without images. Targets (issue 13): 100 in the
first three everywhere, SEO 100 on every indexable page (search, thank-you pages and 404
say `noindex`: Lighthouse lists them under is-crawlable), CLS at most 0.01, under 30 KB.
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from commands import main as cli  # noqa: E402
from database import connect  # noqa: E402
from generator.serve import make_server  # noqa: E402
from tests.demo_pages import TEMPLATES  # noqa: E402

NODE = REPO / "bench" / "node"
LIGHTHOUSE = NODE / "node_modules" / ".bin" / "lighthouse"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROME_FLAGS = ("--headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage "
                "--disable-background-networking --disable-component-update --disable-sync "
                "--no-first-run --disable-quic")  # fmt: skip
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")


def lighthouse(url: str, desktop: bool) -> dict:
    command = [str(LIGHTHOUSE), url, "--output=json", "--output-path=stdout", "--quiet",
               f"--only-categories={','.join(CATEGORIES)}", f"--chrome-flags={CHROME_FLAGS}"]  # fmt: skip
    if desktop:
        command.append("--preset=desktop")
    done = subprocess.run(
        command,
        capture_output=True,
        text=True,
        timeout=240,
        env={**os.environ, "CHROME_PATH": CHROMIUM},
    )
    if done.returncode != 0:
        raise SystemExit(f"lighthouse failed on {url}:\n{done.stderr[-2000:]}")
    report = json.loads(done.stdout)
    requests = report["audits"]["network-requests"]["details"]["items"]
    first_load = sum(r.get("transferSize", 0) for r in requests if r.get("resourceType") != "Image")
    return {
        "scores": [round(100 * (report["categories"][c]["score"] or 0)) for c in CATEGORIES],
        "cls": report["audits"]["cumulative-layout-shift"]["numericValue"],
        "first_load_kb": first_load / 1024,
        "failed": sorted(
            audit_id
            for category in CATEGORIES
            for ref in report["categories"][category]["auditRefs"]
            if ref["weight"]
            and (audit_id := ref["id"])
            and report["audits"][audit_id]["score"] not in (None, 1)
        ),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--lang", action="append", choices=("en", "de"))
    parser.add_argument("--template", action="append", choices=sorted(TEMPLATES))
    options = parser.parse_args()
    if not LIGHTHOUSE.exists():
        subprocess.run(["npm", "ci", "--prefix", str(NODE), "--no-audit", "--no-fund"], check=True)
    folder = Path(tempfile.mkdtemp(prefix="magnetiq-lighthouse-"))
    db, output = folder / "site.db", folder / "output"
    server = make_server(output, "127.0.0.1", 0)
    site_url = f"http://127.0.0.1:{server.server_address[1]}"
    cli(["--db", str(db), "init", "--demo"])
    conn = connect(db)
    conn.execute("UPDATE system_settings SET value = ? WHERE key = 'site_url'", (site_url,))
    conn.close()
    cli(["--db", str(db), "build", "--output", str(output)])
    threading.Thread(target=server.serve_forever, daemon=True).start()

    print(
        f"\n{'page':48} {'form':7} {'perf':>4} {'a11y':>4} {'bp':>4} {'seo':>4} {'CLS':>6} {'KB':>5}  below 100"
    )
    below = 0
    for lang in options.lang or ("en", "de"):
        for name in options.template or TEMPLATES:
            url = f"{site_url}/{lang}/{TEMPLATES[name]}"
            for desktop in (False, True):
                result = lighthouse(url, desktop)
                perf, a11y, bp, seo = result["scores"]
                below += any(s < 100 for s in result["scores"][:3]) or result["cls"] > 0.01
                print(f"{lang + '/' + TEMPLATES[name]:48} {'desktop' if desktop else 'phone':7} "
                      f"{perf:4} {a11y:4} {bp:4} {seo:4} {result['cls']:6.3f} {result['first_load_kb']:5.1f}  "
                      f"{' '.join(result['failed'])}", flush=True)  # fmt: skip
    print(
        f"\n{below} page runs below 100 in performance, accessibility or best practices, or above CLS 0.01"
    )
    shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
