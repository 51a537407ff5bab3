"""A build's entry: one at a time, one read snapshot, and a quick answer when nothing changed.

The rendering machinery (templates, Markdown, images, the search index: `pipeline.py`) is
imported only once the fingerprint of what a build reads (`last_build.py`) shows there is work:
with nothing to do, a build is the fingerprint and little more, start-up included.
"""

import os
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from database import SCHEMA_VERSION, schema_version
from database.backends import printable
from database.builds import build_lock, database_instance
from database.replica import connect_for_reading
from database.setup import media_directory
from database.timestamps import from_sqlite

from .collector import COLLECTOR_PAUSED
from .errors import BuildError
from .last_build import fingerprint, unchanged

REPO = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class BuildPaths:
    database: Path
    output: Path
    templates: Path
    cache: Path
    media: Path

    @classmethod
    def default(cls, database: Path, output: Path | None = None) -> "BuildPaths":
        output = output or Path(os.environ.get("MAGNETIQ_OUTPUT", "output"))
        templates = Path(os.environ.get("MAGNETIQ_TEMPLATES", REPO / "content_templates"))
        cache = Path(
            os.environ.get(
                "MAGNETIQ_CACHE", output.resolve().parent / ".magnetiq-cache" / output.name
            )
        )
        return cls(database, output, templates, cache, media_directory(database))


@dataclass(frozen=True)
class BuildSummary:
    planned: int
    rendered: int
    written: int
    removed: int
    seconds: float
    next_publish: datetime | None
    written_paths: tuple[str, ...]
    removed_paths: tuple[str, ...]
    nothing_changed: bool = False  # the last build's record showed there was nothing to do

    def line(self) -> str:
        if self.nothing_changed:
            text = (
                f"{self.planned} files: nothing changed since the last build ({self.seconds:.2f} s)"
            )
        else:
            text = (
                f"{self.planned} files: {self.rendered} rendered, {self.written} written, "
                f"{self.planned - self.written} unchanged, {self.removed} removed in {self.seconds:.2f} s"
            )
        if self.next_publish:
            text += f"; next scheduled publish {self.next_publish.isoformat()}"
        return text


def build_site(paths: BuildPaths, now: datetime, *, full: bool = False,
               progress: Callable[[int, int], None] | None = None,
               addresses: dict[str, str] | None = None, lock_held: bool = False) -> BuildSummary:  # fmt: skip
    """Build output/ from the database; `addresses` override the stored site and capture URLs.
    One build at a time: this waits for the site's build lock unless the caller holds it."""
    if not lock_held:
        with build_lock(paths.database, wait=True):
            return build_site(
                paths, now, full=full, progress=progress, addresses=addresses, lock_held=True
            )
    with COLLECTOR_PAUSED:
        return locked_build(paths, now, full, progress, addresses)


def locked_build(paths: BuildPaths, now: datetime, full: bool, progress, addresses) -> BuildSummary:  # fmt: skip
    """The build, once the site's build lock is held and the cycle collector paused."""
    started = time.perf_counter()
    conn = connect_for_reading(paths.database)
    try:
        # One read snapshot for the whole build: page bodies are read while contexts are made.
        conn.execute("BEGIN")
        version = schema_version(conn)
        if version != SCHEMA_VERSION:
            problem = f"{printable(paths.database)} has schema version {version}, expected {SCHEMA_VERSION}: run `db migrate`"
            raise BuildError([problem], "the database is not ready")
        instance = database_instance(conn)
        state = fingerprint(conn, paths, addresses, instance, version)
        if not full and (last := unchanged(paths, now, state)):
            next_publish = from_sqlite(last.next_publish) if last.next_publish else None
            return BuildSummary(last.planned, 0, 0, 0, time.perf_counter() - started,
                                next_publish, (), (), nothing_changed=True)  # fmt: skip
        from .pipeline import render_site  # the heavy part, loaded when there is work to do

        return render_site(conn, paths, now, full, progress, started, addresses, instance, state)
    finally:
        if conn.in_transaction:
            conn.execute("COMMIT")
        conn.close()


def progress_printer() -> Callable[[int, int], None] | None:
    """A progress line on the terminal, if stderr is one (read now: it may have been replaced)."""
    stream = sys.stderr
    if not stream.isatty():
        return None

    def show(done: int, total: int) -> None:
        stream.write(f"\rrendering {done}/{total}" + ("\n" if done == total else ""))
        stream.flush()

    return show
