"""Jinja rendering: the environment, template fingerprints, and one output at a time.

`render_task` runs in worker processes during large builds, so it takes and returns plain data.
"""

import hashlib
import posixpath
import re
import traceback
from functools import cache
from html import unescape
from pathlib import Path
from urllib.parse import urljoin

import jinja2
from jinja2 import meta

from .errors import ContentError
from .markup import to_html
from .routes import file_for

LINK = re.compile(rb"""\s(?:href|src)="([^"]*)\"""")
EXTERNAL = re.compile(r"^(?:[a-zA-Z][a-zA-Z0-9+.-]*:|//|#|$)")


def make_environment(templates_dir: Path) -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(templates_dir),
        autoescape=jinja2.select_autoescape(["html", "xml"], default_for_string=True),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


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
        try:
            referenced = sorted(
                set(meta.find_referenced_templates(self.env.parse(source))) - {None}
            )
        except jinja2.TemplateSyntaxError:
            referenced = []
        combined = source + "".join(self.key(child) for child in referenced)
        return hashlib.blake2b(combined.encode(), digest_size=16).hexdigest()


_environment: jinja2.Environment | None = None


def init_worker(templates_dir: Path) -> None:
    global _environment
    _environment = make_environment(templates_dir)


def render_task(task: tuple) -> tuple:
    """(path, template, context or bytes, origin) -> (path, bytes, new markup cache entries, links, error)."""
    path, template, payload, origin = task
    if template is None:
        return path, payload, {}, [], None
    new_html = {}
    try:
        if "body_markdown" in payload and payload.get("body_html") is None:
            payload["body_html"] = to_html(payload["body_markdown"])
            new_html[payload["body_key"]] = payload["body_html"]
        data = _environment.get_template(template).render(payload).encode("utf-8")
    except jinja2.TemplateSyntaxError as error:
        return (
            path,
            b"",
            {},
            [],
            ContentError(
                error.message or "syntax error", template=error.name, line=error.lineno, **origin
            ),
        )
    except jinja2.TemplateNotFound as error:
        choices = ", ".join(sorted(t.removeprefix("pages/").removesuffix(".html")
                                   for t in _environment.list_templates() if t.startswith("pages/")))  # fmt: skip
        return (
            path,
            b"",
            {},
            [],
            ContentError(
                f"template {error.name} not found in content_templates/; set pages.template to one of: {choices}",
                **origin,
            ),
        )
    except Exception as error:  # a template bug: report where, keep rendering the rest
        template_name, line = template_line(error, template)
        return (
            path,
            b"",
            {},
            [],
            ContentError(
                f"{type(error).__name__}: {error}", template=template_name, line=line, **origin
            ),
        )
    return path, data, new_html, internal_links(data, path), None


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


def internal_links(html: bytes, path: str) -> list[str]:
    """Output-relative files that the page at `path` links to or loads (site-internal only)."""
    base = "/" + path
    targets = set()
    for match in set(LINK.findall(html)):
        href = unescape(match.decode())
        if EXTERNAL.match(href):
            continue
        if not href.startswith("/") or "/." in href:  # relative, or with dot segments: resolve
            href = posixpath.normpath(urljoin(base, href)) + ("/" if href.endswith("/") else "")
        targets.add(file_for(href))
    return sorted(targets)
