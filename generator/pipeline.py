"""The build: load → plan → render what changed → check links → write → record.

Changed files are staged while rendering goes on and only moved into place once every output
has rendered and every internal link resolves, so a failed build leaves output/ untouched.
"""

import hashlib
import os
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from datetime import datetime
from functools import partial
from pathlib import Path

from .assets import fingerprinted_assets
from .builder import BuildPaths, BuildSummary
from .errors import BuildError, ContentError
from .i18n import load_catalogs
from .images import VARIANT_RULES, variant_bytes, variant_of
from .jobs import MarkdownReader, RenderJob, View, with_markdown
from .last_build import remember
from .load import load_content, page_markdown
from .manifest import Manifest
from .markup import MarkupCache
from .pagecache import load_known_pages, save_known_pages
from .processes import start_worker_server, worker_context
from .render import TemplateKeys, init_worker, make_environment, render_task
from .search.outputs import SearchIndexPlan
from .search.store import IndexStore
from .svg import VERSION as SVG_RULES
from .svg import UnsafeSvg, sanitise_svg
from .views import Output, Planner, digest
from .writer import (
    MARKER,
    MARKER_TEXT,
    StagedWrite,
    existing_files,
    missing_files,
    prepare_output_dir,
    remove_files,
)

PARALLEL_THRESHOLD = 200  # below this, starting worker processes costs more than it saves
WORKER_CHUNKS = 16  # then a fresh worker: cmarkgfm leaks ~40 KB a body (docs/build.md)
WRITER_THREADS = 4  # files of the search index and media made and written at once


@dataclass
class Rendered:
    """What this build produced for the outputs it had to render."""

    records: dict[str, tuple[str, str, list[str]]]  # path -> (key, sha, internal links)
    written: list[str]


def render_site(conn, paths: BuildPaths, now: datetime, full: bool, progress, started: float,
                addresses, instance: str, state: str) -> BuildSummary:  # fmt: skip
    """The build proper, inside `builder.build_site`'s lock and read snapshot; `state` is the
    fingerprint that `builder` found changed, recorded for the next build."""
    known = {} if full else load_known_pages(paths.cache, instance)
    content = load_content(conn, now, known, addresses)
    if not known and on_workers(len(content.pages) * len(content.site.languages)):
        start_worker_server()  # a cold build renders every page
    prepare_output_dir(paths.output)
    planner = Planner(
        content,
        load_catalogs(paths.templates / "i18n", content.site.languages),
        fingerprinted_assets(paths.templates / "static", content.site.languages),
        TemplateKeys(make_environment(paths.templates)).key,
        partial(page_markdown, conn),
    )
    outputs = list(planner.outputs())
    if planner.problems:
        raise BuildError(planner.problems, "the content has errors")
    check_unique_paths(outputs)

    paths.cache.mkdir(parents=True, exist_ok=True)
    manifest = Manifest(paths.cache / "manifest.sqlite")
    shown_media = ShownMedia(content, manifest)
    own_keys = {output.path: output.key for output in outputs}
    outputs = shown_media.planned(outputs)
    markup_cache = MarkupCache(paths.cache / "markup.sqlite")
    search_store = IndexStore(paths.cache / "search.sqlite", instance, fresh=full)
    staged = StagedWrite(paths.output)
    try:
        previous = {} if full else manifest.entries()
        # Before anything is staged; also when the manifest was lost: it said what is there.
        on_disk = existing_files(paths.output) if full or manifest.fresh else set()
        gone = missing_files(paths.output, previous)  # removed behind the build's back: made again
        stale = [output for output in outputs if needs_render(output, previous, gone)]
        rendered = render_all(stale, paths, markup_cache, planner.read_markdown, previous,
                              staged, planner.chrome, progress)  # fmt: skip
        shown_media.rendered(rendered, own_keys)
        media = plan_media(shown_media, paths, rendered, {o.path for o in outputs})
        # After rendering: the bodies' HTML, which the index reads, is in the markup cache now.
        search = list(SearchIndexPlan(planner, search_store, markup_cache).outputs())
        stage_raw(
            [o for o in media + search if needs_render(o, previous, gone)],
            previous,
            staged,
            rendered,
        )
        final = {o.path for o in outputs + media + search} | {MARKER}
        removed = (set(previous) | on_disk) - final
        check_links(rendered, removed, manifest, final, full, {o.path: o.origin for o in outputs})
        rendered.records[MARKER] = ("marker", hashlib.sha256(MARKER_TEXT).hexdigest(), [])
        staged.commit()
        remove_files(paths.output, removed)
        manifest.update(rendered.records, removed, clear=full)
        save_known_pages(paths.cache, instance, content.pages, known)
        remember(conn, paths, now, state, len(final), content.next_scheduled_publish)
    except BaseException:
        staged.discard()
        raise
    finally:
        manifest.close()
        markup_cache.close()
        search_store.close()
    return BuildSummary(
        planned=len(final),
        rendered=len(rendered.records) - 1,
        written=len(rendered.written),
        removed=len(removed),
        seconds=time.perf_counter() - started,
        next_publish=content.next_scheduled_publish,
        written_paths=tuple(sorted(rendered.written)),
        removed_paths=tuple(sorted(removed)),
    )


def needs_render(output: Output, previous: dict, gone: set[str]) -> bool:
    recorded = previous.get(output.path)
    return recorded is None or recorded[0] != output.key or output.path in gone


def check_unique_paths(outputs: list[Output]) -> None:
    seen, problems = set(), []
    for output in outputs:
        if output.path in seen:
            problems.append(
                ContentError(f"two outputs would be written to {output.path}", **output.origin)
            )
        seen.add(output.path)
    if problems:
        raise BuildError(problems, "the content has errors")


def render_all(outputs: list[Output], paths: BuildPaths, markup_cache: MarkupCache,
               read_markdown: MarkdownReader, previous: dict, staged: StagedWrite, chromes: dict,
               progress) -> Rendered:  # fmt: skip
    """Render `outputs` (in worker processes when there are many); collect every error."""
    keys = {output.path: output.key for output in outputs}
    jobs = [
        RenderJob(output.path, output.template, output.make(), output.origin,
                  previous.get(output.path, (None, None))[1])
        for output in outputs
    ]  # fmt: skip
    views = [job.payload for job in jobs if isinstance(job.payload, View) and job.payload.body]
    cached = markup_cache.known([view.body.key for view in views])
    bodies = with_markdown([view.body for view in views], cached, read_markdown)
    for view, body in zip(views, bodies, strict=True):
        view.body = body  # the worker reads cached HTML from the cache itself

    rendered, new_html, problems = Rendered({}, []), {}, []
    results = run_tasks(jobs, paths.templates, chromes, paths.output, markup_cache.path)
    for done, (path, sha, was_staged, html, links, error) in enumerate(results, start=1):
        if was_staged:
            staged.adopt(path)  # adopted even after an error, so that a failure discards it
        if error:
            problems.append(error)
            continue
        rendered.records[path] = (keys[path], sha, links)
        if was_staged:
            rendered.written.append(path)
        new_html.update(html)
        if progress and (done % 250 == 0 or done == len(jobs)):
            progress(done, len(jobs))
    if problems:
        raise BuildError(problems, "the build failed")
    markup_cache.put_many(new_html)
    return rendered


def stage_raw(
    outputs: list[Output], previous: dict, staged: StagedWrite, rendered: Rendered
) -> None:
    """Files that need no rendering (media copies, the search index): made and written by a few
    threads, in order of `outputs` for the records. Compressing shards and scaling images let go
    of the GIL, and creating a file can cost more than its bytes."""

    def stage(output: Output) -> tuple[Output, str, bool]:
        data = output.make()
        sha = hashlib.sha256(data).hexdigest()
        write = previous.get(output.path, (None, None))[1] != sha or not os.path.exists(
            os.path.join(staged.output_dir, output.path)
        )
        if write:
            staged.add(output.path, data)
        return output, sha, write

    with ThreadPoolExecutor(WRITER_THREADS) as threads:
        for output, sha, written in threads.map(stage, outputs):
            rendered.records[output.path] = (output.key, sha, [])
            if written:
                rendered.written.append(output.path)


def run_tasks(
    jobs: list[RenderJob], templates: Path, chromes: dict, output_dir: Path, markup: Path
) -> Iterator[tuple]:
    """Each job's result, in order, from workers that a fork server starts (processes.py)."""
    if not on_workers(len(jobs)):
        init_worker(templates, chromes, output_dir, markup)
        yield from map(render_task, jobs)
        return
    workers = os.cpu_count() or 1
    with worker_context().Pool(
        workers,
        initializer=init_worker,
        initargs=(templates, chromes, output_dir, markup),
        maxtasksperchild=WORKER_CHUNKS,
    ) as pool:
        yield from pool.imap(
            render_task, jobs, chunksize=max(1, min(64, len(jobs) // (workers * 8)))
        )


def on_workers(jobs: int) -> bool:
    """Whether `jobs` render jobs are rendered by worker processes."""
    return jobs >= PARALLEL_THRESHOLD and (os.cpu_count() or 1) > 1


def plan_media(
    shown: "ShownMedia", paths: BuildPaths, rendered: Rendered, planned: set[str]
) -> list[Output]:
    """The media files that published pages reference: copies, and the WebP variants of raster
    images (made once per file hash and width); gated files are never public."""
    referenced = {
        t for _, _, links in rendered.records.values() for t in links if t.startswith("media/")
    }
    unchanged = planned - set(rendered.records)
    referenced |= {t for source in unchanged for t in shown.previous.get(source, ())}
    outputs = []
    for target in sorted(referenced):
        variant = variant_of(target)
        media = shown.item(target)
        if media is None or (variant and not media.file_hash.startswith(variant[1])):
            continue  # the link check reports it as dangling
        source = paths.media / media.file_path
        if variant:
            key = digest(media.file_hash, variant[2], VARIANT_RULES)
            make = partial(published_variant, media, source, variant[2])
        else:
            key = digest(media.file_hash, media.file_path, file_state(source), SVG_RULES)
            make = partial(public_copy, media, source)
        outputs.append(Output(target, key, None, make))
    return outputs


class ShownMedia:
    """The media items an output shows, found from its links (a variant names its item's id, a
    copy its path). An output's key includes their rows' fingerprints, so a changed alt text or
    a replaced file makes again exactly the pages that show it."""

    def __init__(self, content, manifest: Manifest):
        self.by_path = content.media
        self.by_id = {media.id: media for media in content.media.values()}
        self.previous: dict[str, list[str]] = {}  # output -> the media it linked when last made
        for source, target in manifest.media_links():
            self.previous.setdefault(source, []).append(target)

    def item(self, target: str):
        variant = variant_of(target)
        return (
            self.by_id.get(variant[0])
            if variant
            else self.by_path.get(target.removeprefix("media/"))
        )

    def key(self, key: str, links) -> str:
        shown = sorted(
            (media.fingerprint if (media := self.item(t)) else t)
            for t in links
            if t.startswith("media/")
        )
        return digest(key, shown) if shown else key

    def planned(self, outputs: list[Output]) -> list[Output]:
        """Keys as the outputs were last made: with the media their links showed then."""
        return [
            replace(o, key=self.key(o.key, self.previous[o.path])) if o.path in self.previous else o
            for o in outputs
        ]

    def rendered(self, rendered: Rendered, planned_keys: dict[str, str]) -> None:
        """Keys as the outputs are made now: with the media their new links show."""
        for path, (_, sha, links) in rendered.records.items():
            rendered.records[path] = (self.key(planned_keys[path], links), sha, links)


def file_state(path: Path) -> tuple[int, int] | None:
    """Size and modification time: new bytes under the same row and path are noticed."""
    try:
        stat = path.stat()
    except OSError:
        return None  # reading it reports the problem
    return stat.st_size, stat.st_mtime_ns


def published_variant(media, source: Path, width: int) -> bytes:
    try:
        return variant_bytes(source, width)
    except (OSError, ValueError) as error:
        problem = f"file {source} cannot be made into a {width}px variant: {error}"
    raise BuildError([ContentError(problem, "media_files", media.id)], "the build failed")


def public_copy(media, source: Path) -> bytes:
    """The bytes published for a media file; SVGs only as sanitised drawings."""
    try:
        data = source.read_bytes()
        if media.mime_type == "image/svg+xml" or source.suffix.lower() == ".svg":
            data = sanitise_svg(data)
    except OSError as error:
        problem = f"file {source} cannot be read: {error.strerror}"
    except UnsafeSvg as error:
        problem = f"file {source} is not a safe SVG: {error}"
    else:
        return data
    raise BuildError([ContentError(problem, "media_files", media.id)], "the build failed")


def check_links(rendered: Rendered, removed: set[str], manifest: Manifest, final: set[str],
                full: bool, origins: dict[str, dict]) -> None:  # fmt: skip
    """Every internal link and asset reference must point at a file this build produces; a
    dangling one is reported against the row whose output holds it (`origins`)."""
    records = rendered.records
    dangling = {
        (source, target)
        for source, (_, _, links) in records.items()
        for target in links
        if target not in final
    }
    if removed and not full:
        dangling |= {
            (s, t) for s, t in manifest.links_into(removed) if s not in records and s in final
        }
    if dangling:
        problems = [
            ContentError(
                f"{source} links to /{target}, which the build does not produce",
                **{k: v for k, v in origins.get(source, {}).items() if k in LINKED},
            )  # fmt: skip
            for source, target in sorted(dangling)
        ]
        raise BuildError(problems, "dangling links")


LINKED = ("table", "row_id", "slug", "lang")  # what an error names of the output's origin
