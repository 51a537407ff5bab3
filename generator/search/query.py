"""Querying a built index from its files: what search.js does in the browser, in Python.

Tests hold it against a brute-force scan of the documents (the ranking's definition) and
against search.js in Chromium (the same files must give the same results).
"""

import json
from pathlib import Path

from .ranking import Group, query_groups, rank
from .shards import decode_shard, shard_name
from .text import Stemmer


def shard_keys_for(group: Group, keys: list[str]) -> set[str]:
    """The shards that can hold a group's terms (search.js: shardsFor)."""
    holding = [key for key in keys if group.stem.startswith(key)]
    chosen = {max(holding, key=len)} if holding else set()
    if group.prefix:
        chosen |= {key for key in keys if key.startswith(group.stem)}
    return chosen


class BuiltIndex:
    def __init__(self, directory: Path):
        self.directory = directory  # output/search-index/<lang>
        self.stem = Stemmer(directory.name)
        meta = json.loads((directory / "meta.json").read_text(encoding="utf-8"))
        self.documents, self.keys, self.chunk = meta["documents"], meta["shards"], meta["chunk"]
        self.postings: dict[str, dict[int, int]] = {}
        self.records: dict[int, list[str]] = {}
        self.loaded: set[str] = set()

    def search(self, query: str) -> list[int]:
        """Document numbers, best first."""
        groups = query_groups(self.stem.terms(query))
        if not groups:
            return []
        for group in groups:
            for key in sorted(shard_keys_for(group, self.keys) - self.loaded):
                postings, records = decode_shard(
                    (self.directory / "shards" / shard_name(key)).read_bytes()
                )
                self.postings.update(postings)
                self.records.update(records)
                self.loaded.add(key)
        candidates = {
            t: self.postings[t] for t in self.postings if any(g.matches(t) for g in groups)
        }
        return rank(groups, candidates, self.documents)

    def record(self, number: int) -> list[str]:
        """[url, title, summary, kind] of a result."""
        if number not in self.records:
            path = self.directory / "records" / f"{number // self.chunk}.json"
            chunk = json.loads(path.read_text(encoding="utf-8"))
            self.records.update((int(n), record) for n, record in chunk.items())
        return self.records[number]
