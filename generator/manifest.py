"""The build manifest: for every file in output/, the key it was made from, its hash, its links.

Kept in SQLite in the build cache folder (as Lektor does), so a rebuild reads 20,000 keys in
milliseconds; links are read back only when something was removed or for media references.
"""

import json
from pathlib import Path

from .cachedb import open_cache_db

FORMAT = 2  # bump when the layout changes: an old manifest is discarded (a full build follows)
SCHEMA = """
CREATE TABLE IF NOT EXISTS outputs (
    path TEXT PRIMARY KEY, key TEXT NOT NULL, sha TEXT NOT NULL, links TEXT NOT NULL
);
"""


class Manifest:
    def __init__(self, path: Path):
        # `fresh`: nothing is known about output/, so the build must treat it as a full one.
        self.conn, self.fresh = open_cache_db(path, FORMAT, SCHEMA, durable=True)

    def entries(self) -> dict[str, tuple[str, str]]:
        rows = self.conn.execute("SELECT path, key, sha FROM outputs")
        return {path: (key, sha) for path, key, sha in rows}

    def paths(self) -> list[str]:
        return [path for (path,) in self.conn.execute("SELECT path FROM outputs")]

    def links_into(self, targets: set[str]) -> list[tuple[str, str]]:
        """(source, target) for every recorded link whose target is in `targets`."""
        return self._links("%", lambda target: target in targets)

    def media_links(self) -> list[tuple[str, str]]:
        return self._links('%"media/%', lambda target: target.startswith("media/"))

    def _links(self, pattern: str, wanted) -> list[tuple[str, str]]:
        rows = self.conn.execute("SELECT path, links FROM outputs WHERE links LIKE ?", (pattern,))
        return [
            (source, target)
            for source, links in rows
            for target in json.loads(links)
            if wanted(target)
        ]

    def update(
        self, changed: dict[str, tuple[str, str, list[str]]], removed: set[str], clear: bool
    ) -> None:
        """Record new keys, hashes and links; `clear` forgets everything first (a full build)."""
        self.conn.execute("BEGIN")
        if clear:
            self.conn.execute("DELETE FROM outputs")
        self.conn.executemany("DELETE FROM outputs WHERE path = ?", ((path,) for path in removed))
        self.conn.executemany(
            "INSERT OR REPLACE INTO outputs VALUES (?, ?, ?, ?)",
            ((path, key, sha, json.dumps(links)) for path, (key, sha, links) in changed.items()),
        )
        self.conn.execute("COMMIT")

    def close(self) -> None:
        self.conn.close()
