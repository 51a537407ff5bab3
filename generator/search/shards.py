"""How the index is cut into files and what the bytes of one file are.

Terms are grouped by their first letter; a group bigger than SHARD_BYTES is cut again by the
next letter, and so on, so a one-word query fetches one small file. A shard holds, per term,
its whole posting list (document number deltas and impacts, varints), and the result records of
each term's TOP best documents travel inside the shard: a one-word query needs no other file.

    shard   = raw DEFLATE of (varint R, R × record, varint T, T × term)
    record  = varint number, varint n, n bytes of JSON [url, title, summary, kind]
    term    = varint n, n bytes of UTF-8, varint df, df × (varint number delta, byte impact)

Shards are compressed by the build (the browser inflates them with `DecompressionStream`), as
static hosts rarely compress binary files: the records they carry are text and shrink ~3×.
"""

import json
import operator
import zlib
from bisect import bisect_left
from collections.abc import Callable, Iterable, Mapping
from itertools import accumulate, groupby

import deflate

SHARD_BYTES = 64_000  # a shard is cut once its estimated size passes this
TOP = 5  # result records carried per term: one page of results (Pagefind's UI shows 5 too)
RECORD_ESTIMATE = 160  # bytes, for the layout only
RECORD_CHUNK = 32  # records/<number // 32>.json: 8 pages (ids × 4) a file: few files, small fetches
# meta.json carries TOP and RECORD_CHUNK to search.js, so they have this one home.


def shard_name(key: str) -> str:
    """A shard's file name: its key's UTF-8 bytes in hex, safe on any host."""
    return key.encode().hex() + ".bin"


def estimated_size(term: str, document_count: int) -> int:
    return len(term.encode()) + 4 + 2 * document_count + RECORD_ESTIMATE * min(document_count, TOP)


def layout(document_counts: Mapping[str, int]) -> dict[str, list[str]]:
    """Shard key → its terms. A term lives in the shard with the longest key it starts with."""
    shards: dict[str, list[str]] = {}
    sizes = {term: estimated_size(term, count) for term, count in document_counts.items()}

    def place(key: str, terms: list[str]) -> None:
        size = sum(map(sizes.__getitem__, terms))
        if len(terms) == 1 or size <= SHARD_BYTES:
            shards[key] = terms
            return
        if key in document_counts:
            shards[key] = [key]
        longer = [t for t in terms if len(t) > len(key)]
        for child, group in groupby(longer, key=lambda t: t[: len(key) + 1]):
            place(child, list(group))

    for first, group in groupby(sorted(document_counts), key=lambda t: t[0]):
        place(first, list(group))
    return shards


def top_documents(postings: Mapping[int, int]) -> list[int]:
    """The TOP documents with the highest impact, lower numbers first among equals."""
    numbers = sorted(postings)
    return best_of(numbers, bytes(map(postings.__getitem__, numbers)))


def best_of(numbers: list[int], impacts: bytes) -> list[int]:
    """The TOP of `numbers` (ascending, with their `impacts`) with the highest impact, lower
    numbers first among equals: found an impact level at a time by `bytes.find`, in C (sorting
    a common term's 10,000 documents twice cost almost as much as encoding its postings)."""
    best = []
    for level in sorted(set(impacts), reverse=True):
        place = impacts.find(level)
        while place != -1:
            best.append(numbers[place])
            if len(best) == TOP:
                return best
            place = impacts.find(level, place + 1)
    return best


def encode_postings(postings: Mapping[int, int]) -> bytes:
    """{number: impact} as a shard carries it."""
    numbers = sorted(postings)
    return encode_in_order(numbers, map(postings.__getitem__, numbers))


def encode_in_order(numbers: list[int], impacts: Iterable[int]) -> bytes:
    """Ascending `numbers` and their impacts as a shard carries them: number deltas (varints) and
    impact bytes, joined from memoised pieces in C (a Python loop per posting cost a second per
    language at 10,000 pages)."""
    deltas = map(operator.sub, numbers, [0, *numbers])
    return b"".join(
        map(operator.add, map(VARINTS.__getitem__, deltas), map(BYTES.__getitem__, impacts))
    )


def new_postings(numbers: list[int], impacts: list[int]) -> tuple[bytes, int, list[int]]:
    """(encoded postings, document count, best documents) of a term new to the index, from its
    documents in ascending order and their impacts: a full build makes millions of postings,
    and these need neither a dict nor a sort."""
    return encode_in_order(numbers, impacts), len(numbers), best_of(numbers, bytes(impacts))


def changed_postings(
    data: bytes, top: list[int], changes: Mapping[int, int | None]
) -> tuple[bytes, int, list[int]]:
    """(encoded postings, document count, best documents) of a term whose postings `data` (not
    empty: a new term's are `new_postings`) and best documents `top` take `changes` ({number: new
    impact, or None: gone}).

    A page read in another length class changes its impact on every one of its terms, most of
    them common ones: decoding and encoding their whole postings took ~0.5 s of a paragraph's
    edit at 10,000 pages. Where every change is a new impact for a document already listed,
    its byte is patched in place; and unless one of the best documents fell, no other document
    can overtake them, so the new best are among them and the changed ones.
    """
    deltas = data[0::2]
    if len(data) % 2 == 0 and max(deltas) < 0x80 and None not in changes.values():
        numbers = list(accumulate(deltas))  # every delta one byte: a document's place is known
        places = {number: bisect_left(numbers, number) for number in changes}
        if all(numbers[place : place + 1] == [number] for number, place in places.items()):
            patched, fell = bytearray(data), False
            for number, place in places.items():
                fell |= number in top and changes[number] < patched[2 * place + 1]
                patched[2 * place + 1] = changes[number]
            if fell:
                impacts = dict(zip(numbers, patched[1::2], strict=True))
            else:
                rivals = {*top, *changes}
                impacts = {n: patched[2 * bisect_left(numbers, n) + 1] for n in rivals}
            return bytes(patched), len(numbers), top_documents(impacts)
    postings = decode_postings(data)
    for number, impact in changes.items():
        if impact is None:
            del postings[number]
        else:
            postings[number] = impact
    return encode_postings(postings), len(postings), top_documents(postings)


def decode_postings(data: bytes) -> dict[int, int]:
    deltas = data[0::2]
    if len(data) % 2 == 0 and max(deltas, default=0) < 0x80:  # every delta one byte
        return dict(zip(accumulate(deltas), data[1::2], strict=True))
    postings, number, position, end = {}, 0, 0, len(data)
    while position < end:
        delta, shift = 0, 0
        while data[position] >= 0x80:  # a varint's continuation bytes
            delta |= (data[position] & 0x7F) << shift
            shift += 7
            position += 1
        number += delta | data[position] << shift
        postings[number] = data[position + 1]
        position += 2
    return postings


def encode_shard(
    terms: Iterable[tuple[str, int, bytes, list[int]]],
    records_of: Callable[[list[int]], Mapping[int, str]],
) -> bytes:
    """`terms`: (term, document count, encode_postings bytes, best documents) in term order;
    `records_of(numbers)`: the result records of those documents, as compact JSON text."""
    terms = list(terms)
    numbers = sorted({number for *_, top in terms for number in top})
    records = records_of(numbers)
    out = bytearray()
    varint(out, len(numbers))
    for number in numbers:
        data = records[number].encode()
        varint(out, number)
        varint(out, len(data))
        out += data
    varint(out, len(terms))
    for term, count, postings, _ in terms:
        data = term.encode()
        varint(out, len(data))
        out += data
        varint(out, count)
        out += postings
    return bytes(deflate.deflate_compress(out, 6))  # raw DEFLATE: the browser's "deflate-raw"


def decode_shard(data: bytes) -> tuple[dict[str, dict[int, int]], dict[int, list[str]]]:
    """The inverse of encode_shard: ({term: {number: impact}}, {number: record})."""
    reader = Reader(zlib.decompress(data, -15))
    records = {}
    for _ in range(reader.varint()):
        number = reader.varint()
        records[number] = json.loads(reader.take(reader.varint()))
    postings = {}
    for _ in range(reader.varint()):
        term = reader.take(reader.varint()).decode()
        docs, number = {}, 0
        for _ in range(reader.varint()):
            number += reader.varint()
            docs[number] = reader.take(1)[0]
        postings[term] = docs
    return postings, records


def varint(out: bytearray, value: int) -> None:
    while value >= 0x80:
        out.append(value & 0x7F | 0x80)
        value >>= 7
    out.append(value)


class VarintBytes(dict):
    """The varint bytes of each value, made once on first use (a posting's delta is small)."""

    def __missing__(self, value: int) -> bytes:
        out = bytearray()
        varint(out, value)
        self[value] = encoded = bytes(out)
        return encoded


VARINTS = VarintBytes()
BYTES = [bytes((value,)) for value in range(256)]


class Reader:
    def __init__(self, data: bytes):
        self.data, self.position = data, 0

    def take(self, count: int) -> bytes:
        chunk = self.data[self.position : self.position + count]
        self.position += count
        return chunk

    def varint(self) -> int:
        value = shift = 0
        while True:
            byte = self.data[self.position]
            self.position += 1
            value |= (byte & 0x7F) << shift
            if byte < 0x80:
                return value
            shift += 7
