"""What a view hands to rendering: a template's context, and the two parts that travel apart.

Render workers hold each language's page chrome (menus, labels, assets), so a view names the
language of the chrome its page wears instead of carrying it. A page body is planned by its key
alone; it travels as Markdown only while the markup cache lacks its HTML (read then:
`with_markdown`), otherwise the worker reads the HTML there by its key.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace

from .images import responsive_body
from .markup import source_key


@dataclass(frozen=True)
class Body:
    """A page's body: its markup cache key, its Markdown (None until read, and again once the
    cache holds its HTML), the attributes of the images it shows by source, and where its
    Markdown is read: (page id, language)."""

    key: str
    markdown: str | None
    images: dict[str, dict] = field(default_factory=dict)
    source: tuple[int, str] | None = None

    @classmethod
    def of(cls, markdown: str, images: dict[str, dict] | None = None) -> "Body":
        return cls(source_key(markdown), markdown, images or {})

    def fitted(self, converted: str) -> str:
        """The body's HTML with its images' attributes, which follow their rows, not the text."""
        return responsive_body(converted, self.images) if self.images else converted


MarkdownReader = Callable[[Iterable[tuple[int, str]]], dict[tuple[int, str], str]]


def with_markdown(bodies: list[Body], cached: set[str], read: MarkdownReader) -> list[Body]:
    """`bodies` as they are converted: without Markdown where the markup cache holds their HTML
    (`cached` keys), with it where it does not, read now (`read`: by source, all at once). The
    key needs no second hash: it was made from the same row version, in the same snapshot or
    under the same `updated_at`, which moves with every change of the row (schema D2)."""
    texts = read(b.source for b in bodies if b.key not in cached and b.markdown is None)

    def ready(body: Body) -> Body:
        if body.key in cached:
            return replace(body, markdown=None)
        if body.markdown is not None:
            return body
        return replace(body, markdown=texts[body.source])

    return [ready(body) for body in bodies]


@dataclass
class View:
    """A template's context; `chrome`: the language whose page chrome it wears."""

    context: dict
    chrome: str | None = None
    body: Body | None = None

    def template_context(self, chromes: dict[str, dict], body_html: str | None) -> dict:
        """The context the template sees: the view's own, the chrome and the body's HTML."""
        context = dict(self.context)
        if self.chrome is not None:
            context["chrome"] = chromes[self.chrome]
        if self.body is not None:
            context["body_html"] = self.body.fitted(body_html)
        return context


@dataclass
class RenderJob:
    """One output for a render worker: plain data, as it crosses into a worker process."""

    path: str
    template: str | None  # None: `payload` is the file's bytes
    payload: View | bytes
    origin: dict  # table/row/slug/lang, for error messages
    previous_sha: str | None  # of the file on disk: an unchanged file is not written again
