"""A searchable document and what indexing makes of it: term impacts and a result record."""

from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from functools import partial

from ..processes import worker_context
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
    docs: Iterable[SearchDoc], lang: str, workers: int = 1
) -> Iterator[tuple[int, list[str], dict[str, int]]]:
    """Each document's (number, record, impacts), in order, as they are ready; on `workers`
    processes, worth it from PARALLEL_THRESHOLD documents. `docs` is read by a pool's feeder
    thread, or by the caller's thread as it goes with one worker."""
    indexed = partial(index_in_language, lang)
    with ExitStack() as stack:
        if workers > 1:
            pool = stack.enter_context(worker_context().Pool(workers))
            yield from pool.imap(indexed, docs, chunksize=100)
        else:
            yield from map(indexed, docs)


_stemmers: dict[str, Stemmer] = {}  # per process: a worker keeps its stems from chunk to chunk


def index_in_language(lang: str, doc: SearchDoc) -> tuple[int, list[str], dict[str, int]]:
    stem = _stemmers.get(lang) or _stemmers.setdefault(lang, Stemmer(lang))
    return doc.number, doc.record(), analyze(doc, stem)


def shorten(text: str) -> str:
    text = " ".join(text.split())
    if len(text) <= SUMMARY_LENGTH:
        return text
    cut = text[:SUMMARY_LENGTH].rsplit(" ", 1)[0]
    return cut + " …"
