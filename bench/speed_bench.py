"""Magnetiq against Hugo and Pagefind, side by side on the shared bilingual corpus.

    python bench/speed_bench.py                       # N = 1,000 and 10,000, three runs each
    python bench/speed_bench.py --pages 1000 --runs 5
    python bench/speed_bench.py --corpus-script ../shared/bench/make_corpus.py

`make_corpus.py N` writes the same N pages × (en, de) as a Hugo site and, with `--db`, into
our database (after `magnetiq init`). Each row times whole commands as a user runs them, in
the same run and on the same machine, and prints medians and the ratio to the tool a user
would pick instead:

- cold full build: `hugo` into an empty folder; `magnetiq build --full` with an empty cache
  (our figure includes the search index, Hugo's does not);
- one page edited: a sentence appended to one page's English body, then `magnetiq build`
  (incremental); Hugo has no incremental build outside its server, so it builds everything
  again;
- paragraph added: the same with a paragraph of 60 words, which moves the page into another
  length class and so changes every word's impact in the search index (docs/search.md);
- nothing changed: `magnetiq build` again;
- template changed: the base template changed, then a build of each;
- search index: Pagefind over Hugo's output; ours is the build's index rebuilt from scratch
  (its cache and files removed, nothing else changed), with the bytes and files of each.

Peak memory is the largest proportional set size of the command and its children
(bench/build_bench.py's `run_measured`); "cpu" is the core-seconds the machine was busy while
the command ran, every process it started included. On N cores no command takes less than its
core-seconds over N, which tells a wall time that the work bounds from one that the disk or a
neighbour slowed (docs/build.md, issue 15's thirteenth part). Hugo (Debian's `hugo`) and
Pagefind (PyPI's `pagefind[bin]`) are installed when missing. Our commands run with Python's
bytecode cache on (as an installed package has it), whatever PYTHONDONTWRITEBYTECODE says. The
machine is shared and noisy: compare ratios.
"""

import argparse
import os
import secrets
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench.build_bench import run_measured  # noqa: E402

CORPUS_SCRIPT = REPO.parent / "shared" / "bench" / "make_corpus.py"
PARAGRAPH = (  # 60 words: longer than a length class is wide on the corpus's pages
    "Our buyers compare vendors long before they talk to sales, so every webinar, whitepaper "
    "and landing page has to answer their questions clearly. This paragraph adds sixty words "
    "about planning content, measuring which topics bring qualified leads, and following up "
    "quickly with the people who registered, downloaded a guide or asked us for a consultation "
    "during the last busy quarter."
)


@dataclass
class Timing:
    seconds: float  # median wall time
    peak_mib: float  # median peak memory
    core_seconds: float  # median CPU time of the whole machine while it ran


def install_tools() -> None:
    if not shutil.which("hugo"):
        subprocess.run(["apt-get", "install", "-y", "-qq", "hugo"], check=True)
    try:
        import pagefind  # noqa: F401
    except ImportError:
        subprocess.run([sys.executable, "-m", "pip", "install", "-q", "pagefind[bin]"], check=True)


def timed(command: list[str], runs: int, prepare: Callable[[int], None] = lambda _: None,
          env: dict | None = None) -> Timing:  # fmt: skip
    """Median wall time, peak memory and core-seconds of `command` over `runs` runs,
    `prepare(run)` untimed before each. The disk's pending writes are flushed first (`sync`), so
    that no command pays for the files the one before it wrote."""
    seconds, peaks, busy = [], [], []
    for run in range(runs):
        prepare(run)
        os.sync()
        wall, peak, core_seconds, _ = run_measured(command, {**os.environ, **(env or {})})
        seconds.append(wall)
        peaks.append(peak / 1024)
        busy.append(core_seconds)
    return Timing(*map(statistics.median, (seconds, peaks, busy)))


def memory(timing: Timing) -> str:
    """A command over before the sampler's first look (every 0.25 s) has no figure."""
    return f"{timing.peak_mib:5.0f} MiB" if timing.peak_mib else "   – MiB"


def figures(timing: Timing) -> str:
    return f"{timing.seconds:6.2f} s {timing.core_seconds:5.1f} cpu {memory(timing)}"


def folder_size(folder: Path) -> tuple[int, int]:
    files = [p for p in folder.rglob("*") if p.is_file()]
    return sum(p.stat().st_size for p in files), len(files)


def append(path: Path, text: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def run(pages: int, runs: int, script: Path, work: Path) -> None:
    work.mkdir(parents=True, exist_ok=True)
    corpus, db = work / "corpus", work / "site.db"
    subprocess.run([sys.executable, script, str(pages), "--out", corpus, "--forms", "hugo"],
                   check=True, stdout=subprocess.DEVNULL)  # fmt: skip
    env = {"MAGNETIQ_ADMIN_PASSWORD": secrets.token_urlsafe(18), "MAGNETIQ_MEDIA": str(work / "media"),
           "MAGNETIQ_CACHE": str(work / "cache"), "MAGNETIQ_TEMPLATES": str(work / "templates")}  # fmt: skip
    magnetiq = [sys.executable, str(REPO / "build.py"), "--db", str(db)]
    subprocess.run(
        [*magnetiq, "init"], env={**os.environ, **env}, check=True, stdout=subprocess.DEVNULL
    )
    subprocess.run([sys.executable, script, str(pages), "--db", db, "--forms", "sqlite"],
                   check=True, stdout=subprocess.DEVNULL)  # fmt: skip
    shutil.copytree(REPO / "content_templates", work / "templates")
    site, public, output = corpus / "hugo", work / "public", work / "output"
    hugo = ["hugo", "--quiet", "--source", str(site), "--destination", str(public)]
    build = [*magnetiq, "build", "--output", str(output)]

    def empty(*folders: Path) -> Callable[[int], None]:
        return lambda _: [shutil.rmtree(folder, ignore_errors=True) for folder in folders]

    def edit_page(text: Callable[[int], str]) -> Callable[[int], None]:
        def edit(run: int) -> None:
            addition = text(run)
            with sqlite3.connect(db) as conn:
                conn.execute(
                    "UPDATE pages SET content = json_set(content, '$.en', json_extract(content, '$.en') || ?) "
                    "WHERE id = (SELECT min(id) FROM pages)",
                    (addition,),
                )
            append(min((site / "content" / "en").glob("*.md")), addition)

        return edit

    rows = {}
    rows["cold full build"] = (timed(hugo, runs, empty(public, site / "resources")),
                               timed([*build, "--full"], runs, empty(output, work / "cache"), env))  # fmt: skip
    sentence = edit_page(lambda run: f"\n\nEdited paragraph {run}.\n")
    paragraph = edit_page(lambda run: f"\n\nAdded paragraph {run}. {PARAGRAPH}\n")
    rows["one page edited"] = (timed(hugo, runs, sentence), timed(build, runs, sentence, env))
    rows["paragraph added"] = (timed(hugo, runs, paragraph), timed(build, runs, paragraph, env))
    rows["nothing changed"] = (None, timed(build, runs, env=env))

    def change_templates(run: int) -> None:
        append(work / "templates" / "base.html", f"<!-- run {run} -->\n")
        append(site / "layouts" / "_default" / "baseof.html", f"<!-- run {run} -->\n")

    rows["template changed"] = (
        timed(hugo, runs, change_templates),
        timed(build, runs, change_templates, env),
    )
    index = output / "search-index"
    pagefind = timed([sys.executable, "-m", "pagefind", "--site", str(public)], runs,
                     empty(public / "pagefind"))  # fmt: skip

    def forget_index(_: int) -> None:
        shutil.rmtree(index, ignore_errors=True)
        for stale in (work / "cache").glob("search.sqlite*"):
            stale.unlink()

    ours = timed(build, runs, forget_index, env)

    print(f"\nN = {pages:,} pages × en + de; medians of {runs} runs; {os.cpu_count()} CPUs")
    print(f"  {'work':18} {'Hugo':>28} {'Magnetiq':>28} {'ratio':>7} {'cpu ratio':>9}")
    for name, (theirs, ours_timing) in rows.items():
        their_text = figures(theirs) if theirs else f"{'–':>28}"
        ratios = (
            f"{ours_timing.seconds / theirs.seconds:6.2f}× {ours_timing.core_seconds / theirs.core_seconds:8.2f}×"
            if theirs
            else f"{'–':>7} {'–':>9}"
        )
        print(f"  {name:18} {their_text} {figures(ours_timing)} {ratios}")
    their_bytes, their_files = folder_size(public / "pagefind")
    our_bytes, our_files = folder_size(index)
    print(f"  {'search index':18} Pagefind {pagefind.seconds:6.2f} s ({pagefind.core_seconds:.1f} cpu), {their_bytes / 1e6:5.1f} MB in {their_files:,} files;"
          f" Magnetiq {ours.seconds:6.2f} s ({ours.core_seconds:.1f} cpu), {our_bytes / 1e6:5.1f} MB in {our_files:,} files;"
          f" {ours.seconds / pagefind.seconds:.2f}× the time, {ours.core_seconds / pagefind.core_seconds:.2f}× the cpu,"
          f" {our_bytes / their_bytes:.2f}× the bytes")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--corpus-script", type=Path, default=CORPUS_SCRIPT)
    parser.add_argument("--workdir", type=Path, help="keep corpus, databases and outputs here")
    args = parser.parse_args()
    if not args.corpus_script.exists():
        raise SystemExit(f"no corpus script at {args.corpus_script}; pass --corpus-script")
    install_tools()
    # An installed Magnetiq runs from compiled bytecode, as Hugo runs compiled: where the
    # environment turns Python's bytecode cache off, every command would be timed compiling.
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="magnetiq-speed-"))
    for pages in args.pages:
        run(pages, args.runs, args.corpus_script, workdir / str(pages))
    if not args.workdir:
        shutil.rmtree(workdir)


if __name__ == "__main__":
    main()
