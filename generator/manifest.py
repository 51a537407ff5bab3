"""The build manifest: for every file in output/, the key it was made from, its hash, its links.

Kept in SQLite in the build cache folder (as Lektor does), so that a rebuild reads 20,000 keys
in milliseconds and looks links up only when it has to.
"""

import sqlite3
from pathlib import Path

SCHEMA = """
CREATE TABLE IF NOT EXISTS outputs (path TEXT PRIMARY KEY, key TEXT NOT NULL, sha TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS links (source TEXT NOT NULL, target TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS links_source ON links(source);
CREATE INDEX IF NOT EXISTS links_target ON links(target);
"""


class Manifest:
    def __init__(self, path: Path):
        path.parent.mkdir(parents=True, exist_ok=True)
        self.conn = sqlite3.connect(path, isolation_level=None)
        self.conn.execute("PRAGMA journal_mode = WAL")
        self.conn.executescript(SCHEMA)

    def entries(self) -> dict[str, tuple[str, str]]:
        return {
            path: (key, sha)
            for path, key, sha in self.conn.execute("SELECT path, key, sha FROM outputs")
        }

    def linking_to(self, targets: set[str]) -> list[tuple[str, str]]:
        found = []
        targets = sorted(targets)
        for start in range(0, len(targets), 500):
            chunk = targets[start : start + 500]
            marks = ",".join("?" * len(chunk))
            found += self.conn.execute(
                f"SELECT source, target FROM links WHERE target IN ({marks})", chunk
            ).fetchall()
        return found

    def media_targets(self) -> set[str]:
        return {
            row[0]
            for row in self.conn.execute(
                "SELECT DISTINCT target FROM links WHERE target LIKE 'media/%'"
            )
        }

    def all_links(self) -> list[tuple[str, str]]:
        return self.conn.execute("SELECT source, target FROM links").fetchall()

    def update(
        self, changed: dict[str, tuple[str, str, list[str]]], removed: set[str], clear: bool
    ) -> None:
        """Record new keys, hashes and links; `clear` forgets everything first (a full build)."""
        self.conn.execute("BEGIN")
        if clear:
            self.conn.execute("DELETE FROM outputs")
            self.conn.execute("DELETE FROM links")
        for path in removed:
            self.conn.execute("DELETE FROM outputs WHERE path = ?", (path,))
            self.conn.execute("DELETE FROM links WHERE source = ?", (path,))
        self.conn.executemany(
            "INSERT OR REPLACE INTO outputs VALUES (?, ?, ?)",
            ((p, k, s) for p, (k, s, _) in changed.items()),
        )
        if not clear:
            self.conn.executemany("DELETE FROM links WHERE source = ?", ((p,) for p in changed))
        self.conn.executemany(
            "INSERT INTO links VALUES (?, ?)",
            ((p, t) for p, (_, _, links) in changed.items() for t in links),
        )
        self.conn.execute("COMMIT")

    def close(self) -> None:
        self.conn.close()
