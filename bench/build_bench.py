"""Static build benchmark: cold full build, one-edit rebuild and template-change rebuild.

    python bench/build_bench.py               # N = 1,000 and 10,000, three runs each
    python bench/build_bench.py --pages 1000 --runs 5

Each build runs as `magnetiq build` in a child process, as an editor would run it; peak memory
is the largest total proportional set size (PSS) of that process and its render workers, sampled
four times a second. Figures are medians of the runs; the machine is shared, so compare ratios
within a run.
"""

import argparse
import os
import re
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench.corpus import generate  # noqa: E402


def tree_pss_kib(pid: int) -> int:
    """Proportional set size of a process and all its descendants, in KiB.

    PSS splits pages shared after fork() among the processes sharing them, so the sum is the
    memory the build really occupies (summing RSS would count shared pages once per worker).
    """
    total, pending = 0, [pid]
    while pending:
        current = pending.pop()
        try:
            rollup = Path(f"/proc/{current}/smaps_rollup").read_text()
            total += int(re.search(r"Pss:\s+(\d+)", rollup).group(1))
            for task in Path(f"/proc/{current}/task").iterdir():
                pending += [int(c) for c in (task / "children").read_text().split()]
        except (FileNotFoundError, AttributeError, ProcessLookupError):
            continue
    return total


def busy_core_seconds() -> float:
    """CPU time every core of the machine has spent working since boot (user, nice, system and
    interrupts; not idle, I/O wait or time the hypervisor gave to another guest)."""
    user, nice, system, _idle, _iowait, irq, softirq = map(
        int, Path("/proc/stat").read_text().split()[1:8]
    )
    return (user + nice + system + irq + softirq) / os.sysconf("SC_CLK_TCK")


def run_measured(command: list[str], env: dict) -> tuple[float, int, float, str]:
    """(wall seconds, peak KiB, core-seconds, stdout) of one command; peak memory sampled four
    times a second. The core-seconds are the whole machine's busy time while the command ran:
    they count every process it starts (no one waits for the fork server that starts the build's
    workers, so their CPU never reaches a `wait4` resource count) and anything else that ran,
    so keep the machine quiet."""
    busy_before, started = busy_core_seconds(), time.perf_counter()
    child = subprocess.Popen(
        command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    peak, done = 0, threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, tree_pss_kib(child.pid))
            time.sleep(0.25)  # reading smaps is not free: sample gently

    sampler = threading.Thread(target=sample)
    sampler.start()
    out, err = child.communicate()
    wall, busy = time.perf_counter() - started, busy_core_seconds() - busy_before
    done.set()
    sampler.join()
    if child.returncode:
        raise SystemExit(f"{' '.join(command)} failed: {err[-2000:]}")
    return wall, peak, busy, out


def timed_build(
    db: Path, output: Path, cache: Path, templates: Path, *extra: str
) -> tuple[float, float, int]:
    """(wall seconds, seconds the build reported, peak KiB) of one `magnetiq build`."""
    env = {**os.environ, "MAGNETIQ_CACHE": str(cache), "MAGNETIQ_TEMPLATES": str(templates)}
    command = [sys.executable, str(REPO / "build.py"), "--db", str(db), "build", "--output", str(output), *extra]  # fmt: skip
    wall, peak, _, out = run_measured(command, env)
    reported = float(re.search(r"in ([\d.]+) s", out).group(1))
    return wall, reported, peak


def run(pages: int, runs: int, workdir: Path) -> None:
    db = workdir / f"corpus-{pages}.db"
    started = time.perf_counter()
    generate(db, pages)
    print(
        f"\nN = {pages:,} pages ({2 * pages:,} rendered pages), corpus generated in {time.perf_counter() - started:.1f} s"
    )
    templates = workdir / "templates"
    shutil.rmtree(templates, ignore_errors=True)
    shutil.copytree(REPO / "content_templates", templates)
    output, cache = workdir / f"out-{pages}", workdir / f"cache-{pages}"
    cold, edit, template = [], [], []
    for attempt in range(runs):
        shutil.rmtree(output, ignore_errors=True)
        shutil.rmtree(cache, ignore_errors=True)
        cold.append(timed_build(db, output, cache, templates))
        conn = sqlite3.connect(db)
        conn.execute(
            "UPDATE pages SET content = json_set(content, '$.en', json_extract(content, '$.en') || ?) WHERE slug = ?",
            (f"\n\nEdited paragraph {attempt}.\n", f"page-{attempt:05d}"),
        )
        conn.commit()
        conn.close()
        edit.append(timed_build(db, output, cache, templates))
        base = templates / "base.html"
        base.write_text(base.read_text() + f"<!-- benchmark run {attempt} -->\n")
        template.append(timed_build(db, output, cache, templates))
    for name, results in (
        ("cold full build", cold),
        ("one-page edit", edit),
        ("template change", template),
    ):
        wall = statistics.median(r[0] for r in results)
        reported = statistics.median(r[1] for r in results)
        peak = statistics.median(r[2] for r in results) / 1024
        rate = f", {2 * pages / reported:,.0f} pages/s" if name == "cold full build" else ""
        print(
            f"  {name:16} build {reported:7.2f} s (process {wall:6.2f} s){rate}, peak memory {peak:,.0f} MiB"
        )
    print(f"  runs: {runs}; median of each; CPUs: {os.cpu_count()}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--workdir", type=Path, help="keep corpus and output here (default: a temp dir)"
    )
    args = parser.parse_args()
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="magnetiq-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    for pages in args.pages:
        run(pages, args.runs, workdir)
    if not args.workdir:
        shutil.rmtree(workdir)


if __name__ == "__main__":
    main()
