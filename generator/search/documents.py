"""A searchable document and what indexing makes of it: term impacts and a result record."""

from dataclasses import dataclass

from .ranking import TITLE_WEIGHT, impact
from .text import Stemmer

SUMMARY_LENGTH = 220  # characters of a result's text under its title


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
    frequencies: dict[str, int] = {}
    length = 0
    for text, weight in ((doc.title, TITLE_WEIGHT), (doc.summary, 1), (doc.text, 1)):
        for term in stem.terms(text):
            frequencies[term] = frequencies.get(term, 0) + weight
            length += weight
    return {term: impact(frequency, length) for term, frequency in frequencies.items()}


def shorten(text: str) -> str:
    text = " ".join(text.split())
    if len(text) <= SUMMARY_LENGTH:
        return text
    cut = text[:SUMMARY_LENGTH].rsplit(" ", 1)[0]
    return cut + " …"
