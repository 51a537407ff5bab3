"""Text → index terms. search.js does exactly the same in the browser; keep the two in step.

Folding: NFKC, lower case, ß → ss, accents dropped (German keeps ä ö ü for its stemmer, which
also reads ae/oe/ue as umlauts, so "Müller" and "Mueller" meet). Words are runs of letters and
digits; a word over 40 characters or outside the Basic Multilingual Plane is not indexed (the
browser counts such characters differently). Stems come from Snowball 3.1: PyStemmer runs its C
code; search.js ports the same algorithms line by line (tests/test_search.py holds them equal).
"""

import re
import string
import unicodedata
from collections.abc import Iterator

import Stemmer as snowball

WORD = re.compile(r"[^\W_]+")
# Latin-1 byte → itself if it makes words of a plain text (see `plain_folded`), else a space.
PLAIN_SEPARATORS = bytes(
    byte if chr(byte) in string.ascii_letters + string.digits + "äöü" else 0x20
    for byte in range(256)
)
LATIN1_LOWER = bytes(ord(chr(byte).lower()) for byte in range(256))  # what str.lower does
PLAIN_LETTERS = {"de": "äöü".encode("latin-1")}  # besides ASCII, in a plain text of the language
ACCENT = re.compile(r"[\u0300-\u036f]")
GERMAN_ACCENT = re.compile(r"(?<![aou])\u0308|[\u0300-\u0307\u0309-\u036f]")  # ä ö ü stay
ASTRAL = re.compile(r"[^\u0000-\uffff]")
MAX_WORD = 40
ALGORITHMS = {"en": "english", "de": "german"}  # languages without one are indexed unstemmed


def fold(text: str, lang: str) -> str:
    """The text folded as this module's docstring says (search.js's `fold`)."""
    text = unicodedata.normalize("NFKC", text).lower().replace("ß", "ss")
    accent = GERMAN_ACCENT if lang == "de" else ACCENT
    return unicodedata.normalize("NFC", accent.sub("", unicodedata.normalize("NFD", text)))


def plain_folded(text: str, lang: str) -> bytes | None:
    """`fold(text, lang)` as Latin-1 bytes if it is plain — ASCII, or ASCII and ä ö ü in German,
    the usual text, where no accent is left to drop — else None. Folded byte by byte in C:
    `str.lower` and a regex scan cost German text 0.1 ms a page body."""
    try:
        data = unicodedata.normalize("NFKC", text).encode("latin-1")
    except UnicodeEncodeError:
        return None
    data = data.translate(LATIN1_LOWER).replace(b"\xdf", b"ss")
    return data if data.translate(None, PLAIN_LETTERS.get(lang, b"")).isascii() else None


def indexable(word: str) -> bool:
    return len(word) <= MAX_WORD and max(word) <= "\uffff"


def words(text: str, lang: str) -> list[str]:
    """The words of `text` in order, every occurrence: what a query reads and indexing counts.
    Plain text is split without the Unicode word class (the same words, faster: docs/search.md);
    each word is checked only when the text has one that could fail (the usual text has none)."""
    plain = plain_folded(text, lang)
    if plain is not None:  # its bytes are split in C
        found = plain.translate(PLAIN_SEPARATORS).decode("latin-1").split()
    else:
        folded = fold(text, lang)
        found = WORD.findall(folded)
        if ASTRAL.search(folded):
            return [word for word in found if indexable(word)]
    if max(map(len, found), default=0) > MAX_WORD:
        return [word for word in found if indexable(word)]
    return found


class Stemmer:
    """Snowball stems for one language, remembered: a site uses the same words again and again."""

    def __init__(self, lang: str):
        self.lang = lang
        algorithm = ALGORITHMS.get(lang)
        self.stemmer = snowball.Stemmer(algorithm) if algorithm else None
        self.known: dict[str, str] = {}

    def __call__(self, word: str) -> str:
        stem = self.known.get(word)
        if stem is None:
            stem = self.stemmer.stemWord(word) if self.stemmer else word
            self.known[word] = stem
        return stem

    def terms(self, text: str) -> list[str]:
        return [self(word) for word in words(text, self.lang)]

    def stems(self, found: list[str]) -> Iterator[str]:
        """The stem of each of `found`, as an iterator the caller can count in C; the words
        not seen before are stemmed in one call."""
        known = self.known
        new = set(found).difference(known)
        if new:
            unseen = list(new)
            known.update(
                zip(unseen, self.stemmer.stemWords(unseen) if self.stemmer else unseen, strict=True)
            )
        return map(known.__getitem__, found)
