"""The index as of the last build, kept in the build cache so a rebuild only redoes what changed.

Per language it holds every document's version, record and term impacts, and per term its
postings — already encoded as a shard carries them — with its best documents and the
*generation* (build) in which they last changed. A shard whose terms all kept their generation
has the same bytes as before and is not even assembled.
Like the page cache, it belongs to one database (its `instance_id`); anything unexpected in it
means starting again from scratch, in a new *epoch* that is part of every shard's key.
"""

import json
import marshal
import secrets
import threading
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from ..cachedb import open_cache_db
from .shards import changed_postings, new_postings

FORMAT = 8  # PRAGMA user_version of search.sqlite: bump when its tables change
WRITE_PATIENCE_MS = 600_000  # how long one language's update waits for another's to commit

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (instance TEXT NOT NULL, epoch TEXT NOT NULL,
                                 generation INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS docs (lang TEXT NOT NULL, number INTEGER NOT NULL,
    version TEXT NOT NULL, record TEXT NOT NULL, impacts BLOB NOT NULL,
    PRIMARY KEY (lang, number)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS terms (lang TEXT NOT NULL, term TEXT NOT NULL,
    document_count INTEGER NOT NULL, generation INTEGER NOT NULL,
    postings BLOB NOT NULL, top TEXT NOT NULL,
    PRIMARY KEY (lang, term)) WITHOUT ROWID;
-- Every build reads all versions and term counts, and all records when a shard changes:
-- these spare it reading the impacts and postings with them.
CREATE INDEX IF NOT EXISTS docs_versions ON docs (lang, number, version);
CREATE INDEX IF NOT EXISTS docs_records ON docs (lang, number, record);
CREATE INDEX IF NOT EXISTS terms_counts ON terms (lang, term, document_count, generation);
"""


@dataclass(frozen=True)
class Changes:
    """What bringing one language up to `versions` takes, from one read of what is stored."""

    lang: str
    versions: Mapping[int, str]
    stored: Mapping[int, str]
    changed: list[int]  # new, or another version; ascending, as `update` analyses them
    gone: list[int]


def compact_json(value) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


class IndexStore:
    def __init__(self, path: Path, instance: str, *, fresh: bool = False):
        """`fresh`: forget what is stored (a full build)."""
        # Shared: the build makes shards in its writer threads (pipeline.stage_raw).
        self.conn, reset = open_cache_db(path, FORMAT, SCHEMA, shared=True)
        row = self.conn.execute("SELECT instance, epoch, generation FROM meta").fetchone()
        if reset or fresh or row is None or row[0] != instance:
            # A new epoch: generations restart, so shard keys must never meet older ones.
            row = (instance, secrets.token_hex(8), 0)
            self.conn.execute("BEGIN")
            for table in ("meta", "docs", "terms"):
                self.conn.execute(f"DELETE FROM {table}")
            self.conn.execute("INSERT INTO meta VALUES (?, ?, ?)", row)
            self.conn.execute("COMMIT")
        # The languages of a build may update in processes of their own: they take turns writing.
        self.conn.execute(f"PRAGMA busy_timeout = {WRITE_PATIENCE_MS}")
        self.path, self.instance = path, instance
        _, self.epoch, self.generation = row
        self.loaded_records: dict[str, dict[int, str]] = {}  # by language, read once after update
        self.loading = threading.Lock()

    def refresh(self) -> None:
        """Read again what other processes changed: the generation and the records."""
        self.generation = self.conn.execute("SELECT generation FROM meta").fetchone()[0]
        self.loaded_records.clear()

    def versions(self, lang: str) -> dict[int, str]:
        rows = self.conn.execute("SELECT number, version FROM docs WHERE lang = ?", (lang,))
        return dict(rows.fetchall())

    def changes(self, lang: str, versions: Mapping[int, str]) -> Changes:
        stored = self.versions(lang)
        changed = sorted(n for n, version in versions.items() if stored.get(n) != version)
        return Changes(lang, versions, stored, changed, [n for n in stored if n not in versions])

    def update(
        self,
        changes: Changes,
        analyze: Callable[[list[int]], Iterable[tuple[int, list[str], dict[str, int]]]],
    ) -> None:
        """Make `changes`; `analyze(numbers)` yields (number, record, impacts) for each changed
        document, taken as it comes (nothing is written before the last).

        Only what really changed moves: a term whose impact in an edited document stayed the
        same keeps its postings and generation (unless the document's record changed, which
        the shards of all its terms may carry).

        The new postings are made before the write lock is taken: the languages of a build
        update side by side and take turns writing, and one language's encoding kept the other
        waiting (~1 s at 10,000 pages). Reading the stored postings outside the write transaction
        is safe: only this language's update writes its rows, and one build runs at a time."""
        lang, versions, stored = changes.lang, changes.versions, changes.stored
        changed, gone = changes.changed, changes.gone
        if not changed and not gone:
            return
        generation = self.generation + 1
        # term → [document, new impact (None: gone), document, impact, …]: flat, as a full build
        # moves millions (a dict per term: 1,014 instead of 843 MiB peak at 10,000 pages); a new
        # term's documents in ascending order, as they are analysed
        moves: dict[str, list[int | None]] = {}
        touched: set[str] = set()  # unmoved terms whose shards change: they carry a new record
        documents = []
        for number, record, impacts in analyze(changed):
            record = compact_json(record)  # stored as the files carry it
            if number not in stored:  # new, as every document of a full build: all its terms move
                add_postings(moves, number, impacts)
            else:
                old_record, old_impacts = self.document(lang, number)
                moved = [t for t in old_impacts.keys() | impacts.keys() if old_impacts.get(t) != impacts.get(t)]  # fmt: skip
                for term in moved:
                    moves.setdefault(term, []).extend((number, impacts.get(term)))
                if record != old_record:
                    touched.update(old_impacts.keys() | impacts.keys())
            documents.append((lang, number, versions[number], record, marshal.dumps(impacts)))
        for number in gone:
            _, old_impacts = self.document(lang, number)
            for term in old_impacts:
                moves.setdefault(term, []).extend((number, None))
        kept, emptied = self.moved_postings(lang, moves, generation)
        conn = self.conn
        conn.execute("BEGIN IMMEDIATE")
        try:
            conn.executemany(
                "DELETE FROM docs WHERE lang = ? AND number = ?",
                ((lang, n) for n in changed + gone),
            )
            conn.executemany("INSERT INTO docs VALUES (?, ?, ?, ?, ?)", documents)
            conn.executemany(
                "INSERT INTO terms VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (lang, term) DO UPDATE SET "
                "document_count = excluded.document_count, generation = excluded.generation, "
                "postings = excluded.postings, top = excluded.top",
                kept,
            )
            conn.executemany("DELETE FROM terms WHERE lang = ? AND term = ?", emptied)
            conn.executemany(
                "UPDATE terms SET generation = ? WHERE lang = ? AND term = ?",
                ((generation, lang, term) for term in sorted(touched - moves.keys())),
            )
            conn.execute("UPDATE meta SET generation = ?", (generation,))
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        self.generation = generation
        self.loaded_records.pop(lang, None)

    def moved_postings(
        self, lang: str, moves: dict[str, list[int | None]], generation: int
    ) -> tuple[list[tuple], list[tuple]]:
        """The rows of the terms `moves` changes, (kept, emptied): each term's postings changed
        once, or a new term's made from its documents."""
        rows = self.conn.execute(
            "SELECT term, postings, top FROM terms WHERE lang = ? AND term IN (SELECT value FROM json_each(?))",
            (lang, json.dumps(sorted(moves), ensure_ascii=False)),
        )
        current = {term: (postings, json.loads(top)) for term, postings, top in rows}
        kept, emptied = [], []
        for term, flat in sorted(moves.items()):
            numbers, impacts = flat[0::2], flat[1::2]
            if term in current:
                changes = dict(zip(numbers, impacts, strict=True))
                postings, count, top = changed_postings(*current[term], changes)
            else:  # every change adds a document, in ascending order (see `update`)
                postings, count, top = new_postings(numbers, impacts)
            if count:
                kept.append((lang, term, count, generation, postings, json.dumps(top)))
            else:
                emptied.append((lang, term))
        return kept, emptied

    def document(self, lang: str, number: int) -> tuple[str, dict[str, int]]:
        """A stored document's (record as JSON text, impacts)."""
        record, impacts = self.conn.execute(
            "SELECT record, impacts FROM docs WHERE lang = ? AND number = ?", (lang, number)
        ).fetchone()
        return record, marshal.loads(impacts)

    def terms(self, lang: str) -> list[tuple[str, int, int]]:
        """(term, document count, generation) in term order."""
        return self.conn.execute(
            "SELECT term, document_count, generation FROM terms WHERE lang = ? ORDER BY term",
            (lang,),
        ).fetchall()

    def shard_terms(self, lang: str, terms: list[str]) -> list[tuple[str, int, bytes, list[int]]]:
        """(term, document count, encoded postings, best documents) of `terms`, in term order."""
        rows = self.conn.execute(
            "SELECT term, document_count, postings, top FROM terms WHERE lang = ? AND term IN "
            "(SELECT value FROM json_each(?)) ORDER BY term",
            (lang, json.dumps(terms, ensure_ascii=False)),
        )
        return [(term, count, postings, json.loads(top)) for term, count, postings, top in rows]

    def records(self, lang: str, numbers: list[int]) -> dict[int, str]:
        """Result records by document number, as the compact JSON the index files carry: copied
        into them as they are, never decoded. A language's records are read in one query the
        first time (a query per shard cost more than writing all the shards)."""
        with self.loading:  # the writer threads would otherwise each read them all at once
            if lang not in self.loaded_records:
                rows = self.conn.execute("SELECT number, record FROM docs WHERE lang = ?", (lang,))
                self.loaded_records[lang] = dict(rows.fetchall())
        texts = self.loaded_records[lang]
        return {number: texts[number] for number in numbers}

    def close(self) -> None:
        self.conn.close()


def add_postings(moves: dict[str, list[int | None]], number: int, impacts: dict[str, int]) -> None:
    """A new document's impacts added to `moves`: the loop a full build runs millions of times
    (with `dict.get`, 1.10 instead of a `defaultdict`'s 1.44 s for one language's four million
    postings at 10,000 pages)."""
    find = moves.get
    for term, impact in impacts.items():
        flat = find(term)
        if flat is None:
            moves[term] = [number, impact]
        else:
            flat += number, impact
