"""What a document scores for a query: BM25 with a title boost, computed the same in search.js.

Each (term, document) pair gets a one-byte *impact*, BM25's term-frequency part scaled to 1–255,
fixed when the document is indexed. Length normalisation pivots on a fixed length instead of the
corpus average, so editing one page never changes the impacts of every other page (and so every
shard); and it reads the page's length in classes about 6 % wide (`length_class`), so adding a
sentence to a page changes the impacts of the words it added, not of every word on the page
(which put 300 shards into each rebuild and each deploy). A query's score is then
Σ idf(term) × impact over its words; idf is computed at query time from the term's document
count and the number of documents. Every step is plain IEEE arithmetic in the same order in
Python and JavaScript, with our own `ln` (libm's may differ in the last bit between the two), so
both sides rank identically, ties broken by document number.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache

K1 = 1.2
B = 0.75
PIVOT = 300  # weighted words; BM25's average document length, fixed (see above)
TITLE_WEIGHT = 3  # a title word counts as three body words
PREFIX_MIN = 3  # the last query word also matches longer terms once it has this many letters
LN2 = 0.6931471805599453


def impact(frequency: int, length: int) -> int:
    return class_impact(frequency, length_class(length))


@cache  # an index asks for the same few thousand pairs again and again
def class_impact(frequency: int, length_class: int) -> int:
    saturation = frequency / (frequency + K1 * (1 - B + B * length_class / PIVOT))
    return max(1, min(255, round(255 * saturation)))


def length_class(length: int) -> int:
    """`length` kept to its 5 leading bits (rounded down): 610 and 630 words are one class."""
    dropped = max(0, length.bit_length() - 5)
    return length >> dropped << dropped


def ln(x: float) -> float:
    """Natural log for x ≥ 1 from + − × ÷ only, so that JavaScript gets the very same bits."""
    exponent = 0
    while x >= 2:
        x /= 2
        exponent += 1
    y = (x - 1) / (x + 1)
    y2, power, total = y * y, y, 0.0
    for odd in range(1, 26, 2):
        total += power / odd
        power *= y2
    return 2 * total + exponent * LN2


def idf(document_count: int, documents: int) -> float:
    return ln(1 + (documents - document_count + 0.5) / (document_count + 0.5))


@dataclass(frozen=True)
class Group:
    """One query word: an exact stem, or (the last word) every term starting with it."""

    stem: str
    prefix: bool

    def matches(self, term: str) -> bool:
        return term.startswith(self.stem) if self.prefix else term == self.stem


def query_groups(stems: list[str]) -> list[Group]:
    groups, seen = [], set()
    for position, stem in enumerate(stems):
        group = Group(stem, position == len(stems) - 1 and len(stem) >= PREFIX_MIN)
        if group not in seen:
            seen.add(group)
            groups.append(group)
    return groups


def rank(
    groups: list[Group],
    postings: Mapping[str, Mapping[int, int]],
    documents: int,
) -> list[int]:
    """Document numbers matching every group, best first.

    `postings` maps each candidate term to {document number: impact}. A prefix group scores a
    document by its best matching term; the groups' scores are added in query order.
    """
    totals: dict[int, float] | None = None
    for group in groups:
        best: dict[int, float] = {}
        for term in sorted(t for t in postings if group.matches(t)):
            weight = idf(len(postings[term]), documents)
            for number, term_impact in postings[term].items():
                score = weight * term_impact
                if score > best.get(number, 0.0):
                    best[number] = score
        if totals is None:
            totals = best
        else:
            totals = {n: totals[n] + s for n, s in best.items() if n in totals}
        if not totals:
            return []
    return sorted(totals or (), key=lambda n: (-totals[n], n))
