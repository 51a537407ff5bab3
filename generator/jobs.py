"""What a view hands to rendering: a template's context, and the two parts that travel apart.

Render workers hold each language's page chrome (menus, labels, assets), so a view names the
language of the chrome its page wears instead of carrying it. A page body travels as Markdown
only while the markup cache lacks its HTML; otherwise the worker reads the HTML there by its key.
"""

from dataclasses import dataclass, field

from .images import responsive_body
from .markup import source_key


@dataclass(frozen=True)
class Body:
    """A page's Markdown body (None once the markup cache holds its HTML) and the attributes of
    the images it shows, by source."""

    key: str
    markdown: str | None
    images: dict[str, dict] = field(default_factory=dict)

    @classmethod
    def of(cls, markdown: str, images: dict[str, dict] | None = None) -> "Body":
        return cls(source_key(markdown), markdown, images or {})

    def fitted(self, converted: str) -> str:
        """The body's HTML with its images' attributes, which follow their rows, not the text."""
        return responsive_body(converted, self.images) if self.images else converted


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
