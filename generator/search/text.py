"""Text → index terms. search.js does exactly the same in the browser; keep the two in step.

Folding: NFKC, lower case, ß → ss, accents dropped (German keeps ä ö ü for its stemmer, which
also reads ae/oe/ue as umlauts, so "Müller" and "Mueller" meet). Words are runs of letters and
digits; a word over 40 characters or outside the Basic Multilingual Plane is not indexed (the
browser counts such characters differently). Stems come from Snowball 3.1 (snowballstemmer's
pure-Python classes, which search.js ports line by line).
"""

import re
import unicodedata

from snowballstemmer.english_stemmer import EnglishStemmer
from snowballstemmer.german_stemmer import GermanStemmer

WORD = re.compile(r"[^\W_]+")
ACCENT = re.compile(r"[\u0300-\u036f]")
GERMAN_UMLAUT = re.compile(r"([aou])\u0308|[\u0300-\u036f]")
MAX_WORD = 40
STEMMERS = {"en": EnglishStemmer, "de": GermanStemmer}


def fold(text: str, lang: str) -> str:
    text = unicodedata.normalize("NFKC", text).lower().replace("ß", "ss")
    decomposed = unicodedata.normalize("NFD", text)
    if lang == "de":
        stripped = GERMAN_UMLAUT.sub(
            lambda m: m.group(1) + "\u0308" if m.group(1) else "", decomposed
        )
    else:
        stripped = ACCENT.sub("", decomposed)
    return unicodedata.normalize("NFC", stripped)


def words(text: str, lang: str) -> list[str]:
    return [
        word
        for word in WORD.findall(fold(text, lang))
        if len(word) <= MAX_WORD and max(word) <= "\uffff"
    ]


class Stemmer:
    """Snowball stems for one language, remembered: a site uses the same words again and again."""

    def __init__(self, lang: str):
        self.lang = lang
        stemmer_class = STEMMERS.get(lang)
        self.stemmer = stemmer_class() if stemmer_class else None
        self.known: dict[str, str] = {}

    def __call__(self, word: str) -> str:
        stem = self.known.get(word)
        if stem is None:
            stem = self.stemmer.stemWord(word) if self.stemmer else word
            self.known[word] = stem
        return stem

    def terms(self, text: str) -> list[str]:
        return [self(word) for word in words(text, self.lang)]
