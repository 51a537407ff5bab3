"""The index as of the last build, kept in the build cache so a rebuild only redoes what changed.

Per language it holds every document's version, record and term impacts, the postings, and per
term its document count and the *generation* (build) in which its postings last changed. A shard
whose terms all kept their generation has the same bytes as before and is not even encoded.
Like the page cache, it belongs to one database (its `instance_id`); anything unexpected in it
means starting again from scratch.
"""

import json
import sqlite3
from collections.abc import Callable, Mapping
from pathlib import Path

FORMAT = 1

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (format INTEGER NOT NULL, instance TEXT NOT NULL,
                                 generation INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS docs (lang TEXT NOT NULL, number INTEGER NOT NULL,
    version TEXT NOT NULL, record TEXT NOT NULL, impacts TEXT NOT NULL,
    PRIMARY KEY (lang, number)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS postings (lang TEXT NOT NULL, term TEXT NOT NULL,
    number INTEGER NOT NULL, impact INTEGER NOT NULL,
    PRIMARY KEY (lang, term, number)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS terms (lang TEXT NOT NULL, term TEXT NOT NULL,
    document_count INTEGER NOT NULL, generation INTEGER NOT NULL,
    PRIMARY KEY (lang, term)) WITHOUT ROWID;
"""


class IndexStore:
    def __init__(self, path: Path, instance: str, *, fresh: bool = False):
        path.parent.mkdir(parents=True, exist_ok=True)
        self.conn = sqlite3.connect(path, isolation_level=None)
        self.conn.execute("PRAGMA journal_mode = WAL")
        self.conn.execute("PRAGMA synchronous = OFF")  # a lost cache is merely rebuilt
        try:
            self.generation = self.open(instance, fresh)
        except sqlite3.DatabaseError:
            self.conn.close()
            path.unlink(missing_ok=True)
            self.conn = sqlite3.connect(path, isolation_level=None)
            self.generation = self.open(instance, True)

    def open(self, instance: str, fresh: bool) -> int:
        self.conn.executescript(SCHEMA)
        row = self.conn.execute("SELECT format, instance, generation FROM meta").fetchone()
        if fresh or row is None or row[:2] != (FORMAT, instance):
            self.conn.execute("BEGIN")
            for table in ("meta", "docs", "postings", "terms"):
                self.conn.execute(f"DELETE FROM {table}")
            self.conn.execute("INSERT INTO meta VALUES (?, ?, 0)", (FORMAT, instance))
            self.conn.execute("COMMIT")
            return 0
        return row[2]

    def versions(self, lang: str) -> dict[int, str]:
        rows = self.conn.execute("SELECT number, version FROM docs WHERE lang = ?", (lang,))
        return dict(rows.fetchall())

    def update(
        self,
        lang: str,
        versions: Mapping[int, str],
        analyze: Callable[[list[int]], dict[int, tuple[list[str], dict[str, int]]]],
    ) -> bool:
        """Bring `lang` up to `versions`; `analyze(numbers)` gives the changed documents'
        (record, impacts) by number. Returns whether anything changed."""
        stored = self.versions(lang)
        changed = [n for n, version in versions.items() if stored.get(n) != version]
        gone = [n for n in stored if n not in versions]
        if not changed and not gone:
            return False
        fresh = analyze(changed)  # before any write
        generation = self.generation + 1
        touched: set[str] = set()
        conn = self.conn
        conn.execute("BEGIN")
        try:
            for number in changed + gone:
                if number in stored:
                    touched |= self.forget(lang, number)
            rows = []
            for number, (record, impacts) in fresh.items():
                conn.execute(
                    "INSERT INTO docs VALUES (?, ?, ?, ?, ?)",
                    (lang, number, versions[number], json.dumps(record, ensure_ascii=False),
                     json.dumps(impacts, ensure_ascii=False)),
                )  # fmt: skip
                rows += [(lang, term, number, value) for term, value in impacts.items()]
                touched |= impacts.keys()
            rows.sort()
            conn.executemany("INSERT INTO postings VALUES (?, ?, ?, ?)", rows)
            conn.executemany(
                "INSERT INTO terms VALUES (?1, ?2, (SELECT count(*) FROM postings "
                "WHERE lang = ?1 AND term = ?2), ?3) ON CONFLICT (lang, term) DO UPDATE SET "
                "document_count = excluded.document_count, generation = excluded.generation",
                ((lang, term, generation) for term in sorted(touched)),
            )
            conn.execute("DELETE FROM terms WHERE lang = ? AND document_count = 0", (lang,))
            conn.execute("UPDATE meta SET generation = ?", (generation,))
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        self.generation = generation
        return True

    def forget(self, lang: str, number: int) -> set[str]:
        (impacts,) = self.conn.execute(
            "SELECT impacts FROM docs WHERE lang = ? AND number = ?", (lang, number)
        ).fetchone()
        terms = set(json.loads(impacts))
        self.conn.executemany(
            "DELETE FROM postings WHERE lang = ? AND term = ? AND number = ?",
            ((lang, term, number) for term in sorted(terms)),
        )
        self.conn.execute("DELETE FROM docs WHERE lang = ? AND number = ?", (lang, number))
        return terms

    def terms(self, lang: str) -> list[tuple[str, int, int]]:
        """(term, document count, generation) in term order."""
        return self.conn.execute(
            "SELECT term, document_count, generation FROM terms WHERE lang = ? ORDER BY term",
            (lang,),
        ).fetchall()

    def postings(self, lang: str, term: str) -> dict[int, int]:
        rows = self.conn.execute(
            "SELECT number, impact FROM postings WHERE lang = ? AND term = ? ORDER BY number",
            (lang, term),
        )
        return dict(rows.fetchall())

    def records(self, lang: str, numbers: list[int]) -> dict[int, list[str]]:
        found = {}
        for number in numbers:
            (record,) = self.conn.execute(
                "SELECT record FROM docs WHERE lang = ? AND number = ?", (lang, number)
            ).fetchone()
            found[number] = json.loads(record)
        return found

    def record(self, lang: str, number: int) -> list[str]:
        return self.records(lang, [number])[number]

    def document_total(self, lang: str) -> int:
        return self.conn.execute("SELECT count(*) FROM docs WHERE lang = ?", (lang,)).fetchone()[0]

    def close(self) -> None:
        self.conn.close()
