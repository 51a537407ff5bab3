"""The search index's files, planned like every other output of the build.

    search-index/<lang>/meta.json             document count and shard keys
    search-index/<lang>/shards/<hex>.bin      postings + the records of each term's best documents (raw DEFLATE)
    search-index/<lang>/records/<chunk>.json  the result records of documents number // 32 = chunk

A document is indexed in every language it has a page in (a fallback copy under the fallback
text). Only documents whose version changed are analysed again: their bodies are the only ones
read, and only the shards holding their terms get a new key.
"""

import html
import json
from collections.abc import Iterator
from functools import partial

from database import routes

from ..markup import TAG, MarkupCache, source_key, to_html
from ..views import Item, Output, Planner, digest
from .documents import SearchDoc, analyze_all
from .shards import RECORD_CHUNK, encode_shard, layout, shard_name
from .store import IndexStore

FORMAT = 4  # part of every key: bump it when the bytes of any index file change
KIND_NUMBER = {"page": 0, "webinar": 1, "whitepaper": 2}


def index_path(lang: str, *parts: str) -> str:
    return routes.search_index(lang).lstrip("/") + "/".join(parts)


class SearchIndexPlan:
    def __init__(self, planner: Planner, store: IndexStore, markup: MarkupCache):
        self.planner, self.store, self.markup = planner, store, markup

    def outputs(self) -> Iterator[Output]:
        for lang in self.planner.site.languages:
            yield from self.language_outputs(lang)

    def language_outputs(self, lang: str) -> Iterator[Output]:
        items = {}
        for item in self.planner.all_items():
            variant = self.planner.variant(item, lang)
            if variant:
                number = item.row.id * 4 + KIND_NUMBER[item.kind]
                version = f"{FORMAT} {item.row.fingerprint} {variant} {item.url(lang)}"
                items[number] = (item, version)

        def analyse(numbers: list[int]) -> dict[int, tuple[list[str], dict[str, int]]]:
            return analyze_all([self.document(items[n][0], lang, n) for n in numbers], lang)

        self.store.update(lang, {n: version for n, (_, version) in items.items()}, analyse)
        terms = self.store.terms(lang)
        generations = {term: generation for term, _, generation in terms}
        shards = layout({term: count for term, count, _ in terms})
        meta = {"format": FORMAT, "documents": len(items), "shards": sorted(shards)}
        meta_bytes = json.dumps(meta, ensure_ascii=False, separators=(",", ":")).encode()
        yield Output(index_path(lang, "meta.json"), digest(meta_bytes), None, lambda: meta_bytes)
        for key, shard_terms in sorted(shards.items()):
            yield Output(
                index_path(lang, "shards", shard_name(key)),
                digest(
                    FORMAT, self.store.epoch, [(term, generations[term]) for term in shard_terms]
                ),
                None,
                partial(self.shard_bytes, lang, shard_terms),
                {"lang": lang},
            )
        chunks: dict[int, list[tuple[int, str]]] = {}
        for number, (_, version) in sorted(items.items()):
            chunks.setdefault(number // RECORD_CHUNK, []).append((number, version))
        for chunk, members in chunks.items():
            yield Output(
                index_path(lang, "records", f"{chunk}.json"),
                digest(FORMAT, members),
                None,
                partial(self.records_bytes, lang, [number for number, _ in members]),
                {"lang": lang},
            )

    def shard_bytes(self, lang: str, terms: list[str]) -> bytes:
        return encode_shard(self.store.shard_terms(lang, terms), partial(self.store.records, lang))

    def records_bytes(self, lang: str, numbers: list[int]) -> bytes:
        records = self.store.records(lang, numbers)  # compact JSON texts: joined, not re-encoded
        return (
            "{" + ",".join(f'"{number}":{records[number]}' for number in numbers) + "}"
        ).encode()

    def document(self, item: Item, lang: str, number: int) -> SearchDoc:
        planner, row = self.planner, item.row
        body_lang = planner.content_lang(item, lang)

        def text(translations: dict) -> str:
            return planner.text(translations, body_lang)

        if item.kind == "page":
            body = planner.bodies(row.id).get(body_lang, "")
            summary, rest = text(row.excerpt) or text(row.meta_description), self.plain(body)
        elif item.kind == "webinar":
            summary = text(row.description)
            rest = " ".join(filter(None, (row.presenter_name, text(row.presenter_bio))))
        else:
            summary, rest = text(row.description), text(row.preview_content)
        return SearchDoc(number, item.kind, item.url(lang), text(row.title), summary, rest)

    def plain(self, markdown: str) -> str:
        converted = self.markup.get(source_key(markdown)) or to_html(markdown)
        return html.unescape(TAG.sub(" ", converted))
