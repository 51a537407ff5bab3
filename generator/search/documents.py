"""A searchable document and what indexing makes of it: term impacts and a result record."""

import multiprocessing
import os
from collections import Counter
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from functools import partial

from .ranking import TITLE_WEIGHT, impact
from .text import Stemmer, words

SUMMARY_LENGTH = 220  # characters of a result's text under its title
# Documents; below this, starting worker processes costs more than it saves.
PARALLEL_THRESHOLD = 500


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


def analyze_all(
    docs: list[SearchDoc], lang: str, workers: int | None = None
) -> Iterator[tuple[int, list[str], dict[str, int]]]:
    """Each document's (number, record, impacts), in order, as they are ready: on `workers`
    processes (all the cores unless told) when there are enough documents."""
    workers = workers or os.cpu_count() or 1
    analyze_one = partial(analyze_in_language, lang)
    with ExitStack() as stack:
        if len(docs) >= PARALLEL_THRESHOLD and workers > 1:
            pool = stack.enter_context(multiprocessing.get_context("fork").Pool(workers))
            found = pool.imap(analyze_one, docs, chunksize=100)
        else:
            found = map(analyze_one, docs)
        for doc, impacts in zip(docs, found, strict=True):
            yield doc.number, doc.record(), impacts


_stemmers: dict[str, Stemmer] = {}  # per process: a worker keeps its stems from chunk to chunk


def analyze_in_language(lang: str, doc: SearchDoc) -> dict[str, int]:
    stem = _stemmers.get(lang) or _stemmers.setdefault(lang, Stemmer(lang))
    return analyze(doc, stem)


def shorten(text: str) -> str:
    text = " ".join(text.split())
    if len(text) <= SUMMARY_LENGTH:
        return text
    cut = text[:SUMMARY_LENGTH].rsplit(" ", 1)[0]
    return cut + " …"
