"""A searchable document and what indexing makes of it: term impacts and a result record."""

import multiprocessing
import os
from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import partial

from .ranking import TITLE_WEIGHT, impact
from .text import Stemmer, words

SUMMARY_LENGTH = 220  # characters of a result's text under its title
# Documents; below this, starting worker processes costs more than it saves.
PARALLEL_THRESHOLD = 500
CHUNK = 100  # documents a worker analyses at a time


@dataclass(frozen=True)
class SearchDoc:
    number: int  # stable across builds: page id × 4, webinar id × 4 + 1, whitepaper id × 4 + 2
    kind: str  # "page", "webinar", "whitepaper"
    url: str
    title: str
    summary: str  # an excerpt or description; may be empty
    text: str  # the rest, plain text

    def record(self) -> list[str]:
        """What a result shows: [url, title, summary, kind]."""
        return [self.url, self.title, shorten(self.summary or self.text), self.kind]


def analyze(doc: SearchDoc, stem: Stemmer) -> dict[str, int]:
    """Each term of the document with its impact (see ranking.py)."""
    found = words(doc.title, stem.lang) * TITLE_WEIGHT
    found += words(doc.summary, stem.lang) + words(doc.text, stem.lang)
    frequencies = Counter(stem.stems(found))
    length = len(found)
    # Impact depends on the frequency alone within one document: a handful of distinct values.
    impacts = {frequency: impact(frequency, length) for frequency in set(frequencies.values())}
    return dict(zip(frequencies, map(impacts.__getitem__, frequencies.values()), strict=True))


@dataclass
class Analysis:
    """What indexing made of some documents: each one's record and impacts, and the same impacts
    per term, {term: {number: impact}}, as the index's postings take them."""

    records: dict[int, list[str]]
    impacts: dict[int, dict[str, int]]
    postings: dict[str, dict[int, int]]

    def add(self, other: "Analysis") -> None:
        self.records.update(other.records)
        self.impacts.update(other.impacts)
        for term, found in other.postings.items():
            if term in self.postings:
                self.postings[term].update(found)
            else:
                self.postings[term] = found


def analyze_all(docs: list[SearchDoc], lang: str) -> Analysis:
    """`analyze` for many documents, on every core when there are enough of them. The workers
    also turn impacts by document into postings by term: at 10,000 pages that is six million
    entries, which the parent otherwise filled one by one on a single core."""
    chunks = [docs[start : start + CHUNK] for start in range(0, len(docs), CHUNK)]
    workers = os.cpu_count() or 1
    if len(docs) < PARALLEL_THRESHOLD or workers == 1:
        parts = list(map(partial(analyze_chunk, lang), chunks))
    else:
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            parts = pool.map(partial(analyze_chunk, lang), chunks, chunksize=1)
    analysis = Analysis({}, {}, {})
    for part in parts:
        analysis.add(part)
    return analysis


_stemmers: dict[str, Stemmer] = {}  # per process: a worker keeps its stems from chunk to chunk


def analyze_chunk(lang: str, docs: list[SearchDoc]) -> Analysis:
    stem = _stemmers.get(lang) or _stemmers.setdefault(lang, Stemmer(lang))
    impacts = {doc.number: analyze(doc, stem) for doc in docs}
    postings: defaultdict[str, dict[int, int]] = defaultdict(dict)
    for number, found in impacts.items():
        for term, value in found.items():
            postings[term][number] = value
    return Analysis({doc.number: doc.record() for doc in docs}, impacts, dict(postings))


def shorten(text: str) -> str:
    text = " ".join(text.split())
    if len(text) <= SUMMARY_LENGTH:
        return text
    cut = text[:SUMMARY_LENGTH].rsplit(" ", 1)[0]
    return cut + " …"
