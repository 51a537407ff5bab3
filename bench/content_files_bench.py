"""Content-as-files benchmark: `content export` and `content import` of the shared corpus.

    python bench/content_files_bench.py [--pages 10000] [--runs 3]

The corpus is ../shared/bench/make_corpus.py's (N bilingual pages, written into a database made
by `init`, as the build benchmarks use it). Export writes one Markdown file per page and
language; import reads them into a fresh database made by `init` (every page created), then
again into the same database (every page unchanged: the cost of an idempotent CI step).
Each is timed in its own process (`magnetiq content …`), medians of `--runs`; machines are
shared and noisy.
"""

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
MAKE_CORPUS = REPO.parent / "shared" / "bench" / "make_corpus.py"
ENV = {**os.environ, "MAGNETIQ_ADMIN_PASSWORD": "bench-admin-password-1"}


def magnetiq(db: Path, *args) -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, str(REPO / "build.py"), "--db", str(db), *map(str, args)],
                   check=True, env=ENV, stdout=subprocess.DEVNULL)  # fmt: skip
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pages", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    options = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="magnetiq-content-bench-"))
    corpus = work / "corpus.db"
    magnetiq(corpus, "init")
    subprocess.run([sys.executable, str(MAKE_CORPUS), str(options.pages), "--db", str(corpus), "--forms", "sqlite"],
                   check=True, stdout=subprocess.DEVNULL)  # fmt: skip
    exports, creates, unchanged = [], [], []
    for run in range(options.runs):
        folder, target = work / f"export-{run}", work / f"imported-{run}.db"
        exports.append(magnetiq(corpus, "content", "export", folder))
        magnetiq(target, "init")
        creates.append(magnetiq(target, "content", "import", folder))
        unchanged.append(magnetiq(target, "content", "import", folder))
    files = list((work / "export-0" / "content").rglob("*.md"))
    size = sum(f.stat().st_size for f in files) / 1024 / 1024
    print(
        f"N = {options.pages:,} pages: {len(files):,} Markdown files, {size:.1f} MiB; medians of {options.runs}"
    )
    print(f"  content export:                 {statistics.median(exports):6.2f} s")
    print(f"  content import (all created):   {statistics.median(creates):6.2f} s")
    print(f"  content import (all unchanged): {statistics.median(unchanged):6.2f} s")
    shutil.rmtree(work)


if __name__ == "__main__":
    main()
