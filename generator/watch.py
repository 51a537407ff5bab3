"""`watch`: rebuild whenever the database (including its WAL) or a template changes."""

import threading
import time
from collections.abc import Callable
from pathlib import Path

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer

DEBOUNCE_SECONDS = 0.3


class ChangeCollector(FileSystemEventHandler):
    """Collects changed paths; the watch loop rebuilds once things have been quiet a moment."""

    def __init__(self, database: Path, templates: Path):
        self.names = {database.name, f"{database.name}-wal"}
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


def watch(
    database: Path, templates: Path, rebuild: Callable[[set[str]], None], stop: threading.Event
) -> None:
    """Call `rebuild(changed names)` after each burst of changes until `stop` is set."""
    collector = ChangeCollector(database, templates)
    observer = Observer()
    observer.schedule(collector, str(database.resolve().parent), recursive=False)
    observer.schedule(collector, str(templates), recursive=True)
    observer.start()
    try:
        while not stop.wait(0.1):
            changed = collector.take_if_quiet()
            if changed:
                rebuild(changed)
    finally:
        observer.stop()
        observer.join()
