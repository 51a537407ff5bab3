"""`watch`: rebuild whenever the content in the database or a template changes.

File events only say that something touched the database or its WAL: a build's own reads do
too (closing the last connection checkpoints the WAL), and so do leads and analytics. A
database event leads to a rebuild only when `PRAGMA data_version` says another connection
committed and the content's version (`database.builds.content_version`) moved. A PostgreSQL
database has no file to watch: its content's version is read every second instead (it reads
every content row's id and `updated_at` from an index: 0.016 s at 10,000 pages from a file).
"""

import threading
import time
from collections.abc import Callable
from pathlib import Path

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer

from database import connect
from database.backends import is_postgres, is_postgres_url
from database.builds import content_version

DEBOUNCE_SECONDS = 0.3
SERVER_POLL_SECONDS = 1.0


class ChangeCollector(FileSystemEventHandler):
    """Collects changed paths; the watch loop looks at them once things have been quiet a moment."""

    def __init__(self, database: Path | str, templates: Path):
        self.names = set() if is_postgres_url(database) else {database.name, f"{database.name}-wal"}
        self.templates = templates.resolve()
        self.changed: set[str] = set()
        self.last_event = 0.0
        self.lock = threading.Lock()

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type in ("opened", "closed_no_write"):
            return
        path = Path(event.src_path)
        relevant = path.name in self.names or self.templates in path.resolve().parents
        if relevant and not path.name.endswith((".magnetiq-tmp", "~")):
            with self.lock:
                self.changed.add(
                    path.name if path.name in self.names else str(path.relative_to(self.templates))
                )
                self.last_event = time.monotonic()

    def take_if_quiet(self) -> set[str]:
        with self.lock:
            if self.changed and time.monotonic() - self.last_event >= DEBOUNCE_SECONDS:
                changed, self.changed = self.changed, set()
                return changed
        return set()


class ContentWatch:
    """Tells a commit that changed content from one that did not (or from no commit at all)."""

    def __init__(self, database: Path | str):
        self.conn = connect(database)  # held open: the build's own close is then never the last
        self.server = is_postgres(self.conn)
        self.data_version = self.read_data_version()
        self.version = content_version(self.conn)

    def read_data_version(self) -> int | None:
        """SQLite's count of other connections' commits; a server keeps none."""
        return None if self.server else self.conn.execute("PRAGMA data_version").fetchone()[0]

    def content_changed(self) -> bool:
        data_version = self.read_data_version()
        if not self.server and data_version == self.data_version:
            return False
        self.data_version = data_version
        version = content_version(self.conn)
        changed, self.version = version != self.version, version
        return changed

    def close(self) -> None:
        self.conn.close()


def watch(
    database: Path | str,
    templates: Path,
    rebuild: Callable[[set[str]], None],
    stop: threading.Event,
) -> None:
    """Call `rebuild(changed names)` after each burst of real changes until `stop` is set."""
    collector = ChangeCollector(database, templates)
    content = ContentWatch(database)
    observer = Observer()
    if not content.server:
        observer.schedule(collector, str(database.resolve().parent), recursive=False)
    observer.schedule(collector, str(templates), recursive=True)
    observer.start()
    next_poll = time.monotonic() + SERVER_POLL_SECONDS
    try:
        while not stop.wait(0.1):
            changed = collector.take_if_quiet()
            if changed & collector.names and not content.content_changed():
                changed -= collector.names
            if content.server and time.monotonic() >= next_poll:
                next_poll = time.monotonic() + SERVER_POLL_SECONDS
                if content.content_changed():
                    changed.add("database")
            if changed:
                rebuild(changed)
    finally:
        observer.stop()
        observer.join()
        content.close()
