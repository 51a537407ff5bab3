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
import os
from collections.abc import Iterator
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path

from database import routes

from ..errors import BuildError, ContentError
from ..jobs import Body, with_markdown
from ..markup import TAG, MarkupCache, to_html
from ..processes import start_worker_server, worker_context
from ..views import Item, Output, Planner, digest
from . import documents as analysis
from .documents import SearchDoc, analyze_all
from .shards import RECORD_CHUNK, TOP, encode_shard, layout, shard_name
from .store import Changes, IndexStore

FORMAT = 6  # part of every key: bump it when the bytes of any index file change
KIND_NUMBER = {"page": 0, "webinar": 1, "whitepaper": 2}
SIDE_BY_SIDE_THRESHOLD = 500  # documents to analyse, all languages: then one process each


def index_path(lang: str, *parts: str) -> str:
    return routes.search_index(lang).lstrip("/") + "/".join(parts)


@dataclass(frozen=True)
class Draft:
    """A document as the build's snapshot has it, a page's text still its body (by its markup
    cache key, or its Markdown where the cache lacks the HTML): plain data for the process that
    analyses it, which makes the text plain (`document`)."""

    document: SearchDoc
    body: Body | None


class SearchIndexPlan:
    def __init__(self, planner: Planner, store: IndexStore, markup: MarkupCache):
        self.planner, self.store, self.markup = planner, store, markup

    def outputs(self) -> Iterator[Output]:
        documents = {lang: self.documents(lang) for lang in self.planner.site.languages}
        self.update(documents)
        for lang, found in documents.items():
            yield from self.language_outputs(lang, found)

    def documents(self, lang: str) -> dict[int, tuple[Item, str]]:
        """The documents of `lang` by number, each with its version: what decides its text
        (the row, the language it is read in, the default language that fills a missing
        field) and its address."""
        planner, found = self.planner, {}
        default = planner.site.default_language
        for item in planner.all_items():
            variant = planner.variant(item, lang)
            if variant:
                number = item.row.id * 4 + KIND_NUMBER[item.kind]
                text_lang = planner.content_lang(item, lang)
                found[number] = (
                    item,
                    f"{FORMAT} {item.row.fingerprint} {variant} {text_lang} {default} {item.url(lang)}",
                )
        return found

    def update(self, documents: dict[str, dict[int, tuple[Item, str]]]) -> None:
        """Bring the stored index of each language up to `documents`. An update's bookkeeping is
        Python on one core, so with enough to analyse, languages update side by side in
        processes of their own, each analysing on its share of the cores."""
        changes = {
            lang: self.store.changes(lang, {number: version for number, (_, version) in found.items()})
            for lang, found in documents.items()
        }  # fmt: skip
        busy = [lang for lang, change in changes.items() if change.changed or change.gone]
        cores = os.cpu_count() or 1
        analysed = sum(len(changes[lang].changed) for lang in busy)
        side_by_side = len(busy) > 1 and cores > 1 and analysed >= SIDE_BY_SIDE_THRESHOLD
        if side_by_side:
            start_worker_server()  # it starts while the drafts are made
        drafts = self.drafts(documents, {lang: changes[lang].changed for lang in busy})
        if not side_by_side:
            for lang in busy:
                self.store.update(
                    changes[lang], partial(analyse, lang, drafts[lang], self.markup, cores)
                )
            return
        share = max(1, cores // len(busy))
        stores = (self.store.path, self.store.instance, self.markup.path)
        processes = {
            lang: worker_context().Process(
                target=update_apart, args=(*stores, changes[lang], drafts[lang], share)
            )
            for lang in busy
        }
        for process in processes.values():
            process.start()
        for process in processes.values():
            process.join()
        self.store.refresh()
        failed = [lang for lang, process in processes.items() if process.exitcode != 0]
        if failed:
            problem = "the search index could not be updated (the error is above)"
            raise BuildError([ContentError(problem, lang=lang) for lang in failed], "the build failed")  # fmt: skip

    def drafts(self, documents: dict, changed: dict[str, list[int]]) -> dict[str, dict[int, Draft]]:
        """Each language's drafts of its changed documents. A page's Markdown is read only
        where the markup cache lacks its HTML, each page's row once for all its languages."""
        drafts = {
            lang: {n: self.draft(documents[lang][n][0], lang, n) for n in numbers}
            for lang, numbers in changed.items()
        }
        pages = [(lang, n) for lang, found in drafts.items() for n, d in found.items() if d.body]
        bodies = [drafts[lang][number].body for lang, number in pages]
        cached = self.markup.known([body.key for body in bodies])
        ready = with_markdown(bodies, cached, self.planner.read_markdown)
        for (lang, number), body in zip(pages, ready, strict=True):
            drafts[lang][number] = replace(drafts[lang][number], body=body)
        return drafts

    def language_outputs(
        self, lang: str, documents: dict[int, tuple[Item, str]]
    ) -> Iterator[Output]:
        terms = self.store.terms(lang)
        generations = {term: generation for term, _, generation in terms}
        shards = layout({term: count for term, count, _ in terms})
        meta = {
            "format": FORMAT,
            "documents": len(documents),
            "page": TOP,
            "chunk": RECORD_CHUNK,
            "shards": sorted(shards),
        }
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
        for number, (_, version) in sorted(documents.items()):
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

    def draft(self, item: Item, lang: str, number: int) -> Draft:
        planner, row = self.planner, item.row
        body_lang = planner.content_lang(item, lang)

        def text(translations: dict) -> str:
            return planner.text(translations, body_lang)

        body = None
        if item.kind == "page":
            body = planner.body(row, body_lang)
            summary, rest = text(row.excerpt) or text(row.meta_description), ""
        elif item.kind == "webinar":
            summary = text(row.description)
            rest = " ".join(filter(None, (row.presenter_name, text(row.presenter_bio))))
        else:
            summary, rest = text(row.description), text(row.preview_content)
        return Draft(
            SearchDoc(number, item.kind, item.url(lang), text(row.title), summary, rest), body
        )


def update_apart(store: Path, instance: str, markup: Path, changes: Changes,
                 drafts: dict[int, Draft], workers: int) -> None:  # fmt: skip
    """One language's update in a process of its own, on connections of its own."""
    analyse_drafts = partial(analyse, changes.lang, drafts, MarkupCache(markup), workers)
    IndexStore(store, instance).update(changes, analyse_drafts)


def analyse(lang: str, drafts: dict[int, Draft], markup: MarkupCache, workers: int,
            numbers: list[int]):  # fmt: skip
    """(number, record, impacts) of each of `numbers`, analysed as `analysis.analyze_all` says."""
    workers = workers if len(numbers) >= analysis.PARALLEL_THRESHOLD else 1
    docs = (document(drafts[number], markup) for number in numbers)  # made as analysed,
    # except for a pool, whose feeder thread would read the markup cache on this thread's connection
    return analyze_all(docs if workers == 1 else list(docs), lang, workers)


def document(draft: Draft, markup: MarkupCache) -> SearchDoc:
    """The draft's document, a page's text made plain from its HTML (converted once, when the
    page rendered)."""
    if draft.body is None:
        return draft.document
    markdown = draft.body.markdown  # None: the markup cache holds its HTML
    converted = markup.get(draft.body.key) if markdown is None else to_html(markdown)
    return replace(draft.document, text=html.unescape(TAG.sub(" ", converted)))
