"""Search benchmark: building the index, and what a query costs a visitor's browser.

    python bench/search_bench.py                 # 10,000 bilingual pages, three runs
    python bench/search_bench.py --pages 1000 --runs 5

Index build: after a full build of the site, the search cache and index files are deleted and
`magnetiq build` runs again: it re-renders nothing else, so its time and peak memory (PSS of
the build and its workers) are those of indexing both languages, planning included. Then a
one-page edit, rebuilt. Query costs: the built site served on localhost, headless Chromium with
its cache off; requests and bytes on the wire for the search script, index files and records.
"""

import argparse
import os
import re
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench.build_bench import timed_build  # noqa: E402
from bench.corpus import generate  # noqa: E402
from tests.browser import chromium, search_cost, static_site  # noqa: E402
from tests.servers import free_port  # noqa: E402

QUERIES = {
    "one word": [("en", "energy"), ("en", "compressor"), ("de", "Wärmepumpe"), ("de", "Zähler")],
    "one word, typed halfway": [("en", "compr"), ("en", "ene"), ("de", "Wärmep"), ("de", "Kos")],
    "two words": [("en", "energy cost"), ("en", "heat pump"), ("de", "Energie Kosten"),
                  ("de", "Druckluft Leckage")],
}  # fmt: skip


def index_files(output: Path) -> tuple[int, int]:
    files = [p for p in (output / "search-index").rglob("*") if p.is_file()]
    return len(files), sum(p.stat().st_size for p in files)


def run(pages: int, runs: int, workdir: Path) -> None:
    db = workdir / f"corpus-{pages}.db"
    generate(db, pages)
    output, cache, templates = workdir / "out", workdir / "cache", REPO / "content_templates"
    shutil.rmtree(output, ignore_errors=True)
    shutil.rmtree(cache, ignore_errors=True)
    wall, _, _ = timed_build(db, output, cache, templates)
    print(f"\nN = {pages:,} pages in 2 languages; full site build {wall:.1f} s")

    builds, edits = [], []
    for attempt in range(runs):
        (cache / "search.sqlite").unlink()
        shutil.rmtree(output / "search-index")
        builds.append(timed_build(db, output, cache, templates))
        conn = sqlite3.connect(db)
        conn.execute(
            "UPDATE pages SET content = json_set(content, '$.en', json_extract(content, '$.en') "
            "|| ?) WHERE slug = ?",
            (f"\n\nEdited paragraph {attempt} about thermodynamics.\n", f"page-{attempt:05d}"),
        )
        conn.commit()
        conn.close()
        edits.append(timed_build(db, output, cache, templates))
    count, size = index_files(output)
    print(
        f"  index build (both languages): {statistics.median(b[1] for b in builds):.2f} s "
        f"(process {statistics.median(b[0] for b in builds):.2f} s), "
        f"peak memory {statistics.median(b[2] for b in builds) / 1024:,.0f} MiB "
        f"(median of {runs}; runs: {', '.join(f'{b[1]:.2f}' for b in builds)} s)"
    )
    print(
        f"  one-page edit, whole build: {statistics.median(e[1] for e in edits):.2f} s "
        f"(process {statistics.median(e[0] for e in edits):.2f} s)"
    )
    print(f"  index on disk: {count:,} files, {size / 1e6:.1f} MB")

    with static_site(output, free_port()) as url, chromium() as driver:
        print(f"  {'query':40} {'requests':>8} {'bytes':>9}  script  results")
        for kind, queries in QUERIES.items():
            for lang, query in queries:
                cost = search_cost(driver, url, lang, query)
                found = re.sub(r"[^\d]", "", cost["status"].split()[0]) or "0"
                print(
                    f"  {kind + ': ' + lang + ' ' + repr(query):40} {cost['requests']:>8} "
                    f"{cost['bytes']:>9,}  {cost['script_bytes']:>6,}  {int(found):,}"
                )
    print(f"  CPUs: {os.cpu_count()}; bytes are on the wire (transferSize), uncompressed")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--workdir", type=Path, help="keep corpus and output here")
    args = parser.parse_args()
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="magnetiq-search-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    run(args.pages, args.runs, workdir)
    print(f"  (benchmark took {time.perf_counter() - started:.0f} s)")
    if not args.workdir:
        shutil.rmtree(workdir)


if __name__ == "__main__":
    main()
