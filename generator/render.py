"""Jinja rendering: the environment, template fingerprints, and one output at a time.

`render_task` runs in worker processes during large builds, so it takes and returns plain data
(a `jobs.RenderJob`).
"""

import hashlib
import posixpath
import re
import traceback
from collections.abc import Iterator
from functools import cache, lru_cache
from html import unescape
from pathlib import Path
from urllib.parse import urljoin

import jinja2
from jinja2 import meta

from database.routes import file_for

from .errors import ContentError
from .jobs import Body, RenderJob, View
from .markup import MarkupCache, lead_and_rest, to_html
from .writer import stage_file

LINKING = (b'href="', b'src="')  # attributes whose value is an address; srcset holds several
EXTERNAL = re.compile(r"^(?:[a-zA-Z][a-zA-Z0-9+.-]*:|//|#|$)")


class Environment(jinja2.Environment):
    """Jinja, reading `a.b` on a dict (what views hand to templates) as its key first: Jinja's
    own order, an attribute first, raises and catches an AttributeError for each of the ~90
    lookups of a page. A key named like a dict method (`items`, `get`, …) would hide the
    method; no view uses one."""

    def getattr(self, obj, attribute: str):
        if type(obj) is dict and attribute in obj:
            return obj[attribute]
        return super().getattr(obj, attribute)


def make_environment(templates_dir: Path, cache_dir: Path | None = None) -> jinja2.Environment:
    """`cache_dir` keeps compiled templates between builds (Jinja's bytecode cache)."""
    environment = Environment(
        loader=jinja2.FileSystemLoader(templates_dir),
        autoescape=jinja2.select_autoescape(["html", "xml"], default_for_string=True),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        bytecode_cache=jinja2.FileSystemBytecodeCache(str(cache_dir)) if cache_dir else None,
    )
    environment.filters["lead_and_rest"] = lead_and_rest
    return environment


class TemplateKeys:
    """A hash per template over its own source and every template it extends, includes or imports."""

    def __init__(self, env: jinja2.Environment):
        self.env = env
        self.key = cache(self._key)

    def source(self, name: str) -> str:
        return self.env.loader.get_source(self.env, name)[0]

    def _key(self, name: str) -> str:
        try:
            source = self.source(name)
        except jinja2.TemplateNotFound:
            return f"missing:{name}"
        combined = source + "".join(self.key(child) for child in referenced_templates(source))
        return hashlib.blake2b(combined.encode(), digest_size=16).hexdigest()


@lru_cache(maxsize=256)
def referenced_templates(source: str) -> tuple[str, ...]:
    """The templates `source` extends, includes or imports. Parsed once per process: a worker
    builds again and again from the same templates (parsing them all took ~0.07 s a build)."""
    try:
        return tuple(sorted(set(meta.find_referenced_templates(PARSER.parse(source))) - {None}))
    except jinja2.TemplateSyntaxError:
        return ()


PARSER = jinja2.Environment()  # Jinja's default delimiters, which every Magnetiq environment uses


_environment: jinja2.Environment | None = None
_chromes: dict[str, dict] = {}
_output_dir: Path | None = None
_markup: MarkupCache | None = None


def init_worker(
    templates_dir: Path, chromes: dict[str, dict], output_dir: Path, markup_cache: Path
) -> None:
    """Per worker: Jinja, the page chrome per language, where to stage files, converted Markdown."""
    global _environment, _chromes, _output_dir, _markup
    _environment = make_environment(templates_dir, markup_cache.parent)
    _chromes, _output_dir, _markup = chromes, output_dir, MarkupCache(markup_cache)


def render_task(job: RenderJob) -> tuple:
    """A job -> (path, sha, staged?, html cache, links, error).

    Renders one output and, if its bytes differ from what is on disk, stages it beside its
    target: the bytes never travel back to the parent process.
    """
    new_html = {}
    if job.template is None:
        data, links = job.payload, []
    else:
        try:
            data = render_template(job.template, job.payload, new_html)
        except ContentError as error:
            return (
                job.path,
                None,
                False,
                {},
                [],
                ContentError(error.message, template=error.template, line=error.line, **job.origin),
            )
        links = internal_links(data, job.path)
    sha = hashlib.sha256(data).hexdigest()
    changed = sha != job.previous_sha or not (_output_dir / job.path).exists()
    if changed:
        stage_file(_output_dir, job.path, data)
    return job.path, sha, changed, new_html, links, None


def body_html(body: Body, new_html: dict) -> str:
    """From the markup cache when converted before; else converted here and handed back in
    `new_html` for the cache."""
    if body.markdown is None:
        return _markup.get(body.key)
    new_html[body.key] = to_html(body.markdown)
    return new_html[body.key]


def render_template(template: str, view: View, new_html: dict) -> bytes:
    context = view.template_context(_chromes, view.body and body_html(view.body, new_html))
    try:
        return _environment.get_template(template).render(context).encode("utf-8")
    except jinja2.TemplateSyntaxError as error:
        raise ContentError(
            error.message or "syntax error", template=error.name, line=error.lineno
        ) from error
    except jinja2.TemplateNotFound as error:
        choices = ", ".join(sorted(t.removeprefix("pages/").removesuffix(".html")
                                   for t in _environment.list_templates() if t.startswith("pages/")))  # fmt: skip
        raise ContentError(
            f"template {error.name} not found in content_templates/; set pages.template to one of: {choices}"
        ) from error
    except Exception as error:  # a template bug: report where, keep rendering the rest
        template_name, line = template_line(error, template)
        raise ContentError(
            f"{type(error).__name__}: {error}", template=template_name, line=line
        ) from error


def template_line(error: Exception, fallback: str) -> tuple[str, int | None]:
    """The innermost template frame of a rendering error (Jinja rewrites frames to template lines)."""
    for frame in reversed(traceback.extract_tb(error.__traceback__)):
        if frame.filename.endswith((".html", ".xml", ".txt")):
            return relative_template(frame.filename), frame.lineno
    return fallback, None


def relative_template(filename: str) -> str:
    for root in _environment.loader.searchpath:
        if Path(filename).is_relative_to(root):
            return Path(filename).relative_to(root).as_posix()
    return filename


_absolute_targets: dict[
    bytes, str
] = {}  # per worker ("" = external): navigation repeats on every page


def internal_links(html: bytes, path: str) -> list[str]:
    """Output-relative files that the page at `path` links to or loads (site-internal only)."""
    base = "/" + path
    targets = set()
    candidates = attribute_values(html, LINKING)
    srcsets = attribute_values(html, (b'srcset="',)) if b"srcset=" in html else ()
    for srcset in srcsets:  # "a.webp 480w, b.webp 960w": each address is a link
        candidates.update(part.split()[0] for part in srcset.split(b",") if part.strip())
    for match in candidates:
        target = _absolute_targets.get(match)
        if target == "":
            continue
        if target is None:
            href = unescape(match.decode())
            if EXTERNAL.match(href):
                _absolute_targets[match] = ""
                continue
            if href.startswith("/") and "/." not in href:
                target = _absolute_targets[match] = file_for(href)
            else:  # relative, or with dot segments: resolve against this page
                target = file_for(
                    posixpath.normpath(urljoin(base, href)) + ("/" if href.endswith("/") else "")
                )
        targets.add(target)
    return sorted(targets)


def attribute_values(html: bytes, attributes: tuple[bytes, ...]) -> set[bytes]:
    """The values of `attributes` (each `name="`) that follow whitespace, found left to right as
    the regex `\\s(?:name)="([^"]*)"` would (never inside a value already taken). `bytes.find`
    skips ahead in C where a regex tries a match at every space: 28 instead of 63 µs a page."""
    starts = sorted((index, len(name)) for name in attributes for index in occurrences(html, name))
    values, taken_until = set(), 0
    for index, length in starts:
        if index - 1 < taken_until or not html[index - 1 : index].isspace():
            continue
        close = html.find(b'"', index + length)
        if close == -1:
            break
        values.add(html[index + length : close])
        taken_until = close + 1
    return values


def occurrences(html: bytes, needle: bytes) -> Iterator[int]:
    index = html.find(needle)
    while index != -1:
        yield index
        index = html.find(needle, index + 1)
