"""The planner: every output of a build, its path, its key, and how to make its context.

`Planner` is the items of the site in each language (with the fallback rule of i18n.py), the
keys, and the cards and images every kind shows; each kind's outputs and contexts live in a
module of their own (pages, webinars, whitepapers, forms, site files), as do the page chrome and
what search engines read (seo.py). They are parts of the one planner, sharing its state.
"""

import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict

from .. import i18n
from ..errors import ContentError
from ..i18n import event_time, has_translation, pick
from ..images import BODY_SIZES, image_attributes
from ..jobs import MarkdownReader
from ..model import Content
from .chrome import ChromeViews
from .forms import FormViews
from .items import Item, Output, digest
from .pages import PageViews
from .seo import SeoViews
from .site_files import SiteFileViews
from .webinars import WebinarViews
from .whitepapers import WhitepaperViews

CARD_SIZES = "(min-width: 60rem) 20rem, (min-width: 40rem) 45vw, 100vw"  # the card grid (site.css)


class Planner(ChromeViews, SeoViews, PageViews, WebinarViews, WhitepaperViews, FormViews, SiteFileViews):  # fmt: skip
    """The site's items and their outputs; the bases are its parts, one module each."""

    def __init__(
        self,
        content: Content,
        catalogs: dict,
        assets: dict,
        template_key: Callable[[str], str],
        read_markdown: MarkdownReader,
    ):
        self.content, self.site, self.read_markdown = content, content.site, read_markdown
        self.catalogs, self.assets, self.template_key = catalogs, assets, template_key
        self.problems: list[ContentError] = []
        self.items = {
            "page": [
                self.item("page", p, p.title, dict.fromkeys(p.body_keys, "body"))
                for p in content.pages
            ],
            "webinar": [self.item("webinar", w, w.title, w.description) for w in content.webinars],
            "whitepaper": [
                self.item("whitepaper", w, w.title, w.description) for w in content.whitepapers
            ],
        }
        self.chrome = {lang: self.make_chrome(lang) for lang in self.site.languages}
        self.chrome_key = {
            lang: digest(json.dumps(chrome, sort_keys=True)) for lang, chrome in self.chrome.items()
        }
        # What pages show of the whole site besides their language's chrome: the settings
        # (addresses in canonical and hreflang links, the site's description, the languages and
        # the fallback rule) and every language's name in the switcher. Part of every key: a
        # settings change is rare and remakes every page.
        self.site_key = digest(
            json.dumps(asdict(self.site), sort_keys=True),
            [catalogs[lang]["language_name"] for lang in self.site.languages],
        )

    def item(self, kind: str, row, *fields) -> Item:
        native = tuple(lang for lang in self.site.languages if has_translation(lang, *fields))
        if not native:
            self.problems.append(
                ContentError(
                    "has no title and text in any supported language", kind + "s", row.id, row.slug
                )
            )
        return Item(kind, row, native)

    def variant(self, item: Item, lang: str) -> str | None:
        """'native', 'fallback' (default-language text at this language's URL) or None."""
        return i18n.variant(item.native, lang, self.site.translation_fallback == "fallback")

    def original_language(self, item: Item) -> str:
        return i18n.original_language(item.native, self.site.default_language)

    def link(self, item: Item, lang: str) -> str:
        """Where a link to `item` from a `lang` page goes: never to a page that is not built."""
        return item.url(lang if self.variant(item, lang) else self.original_language(item))

    def absolute(self, url: str) -> str:
        return self.site.site_url + url

    def key(self, template: str | None, lang: str | None, *parts) -> str:
        return digest(
            template and self.template_key(template),
            lang and self.chrome_key[lang],
            self.site_key,
            *parts,
        )

    def outputs(self) -> Iterator[Output]:
        for lang in self.site.languages:
            yield from self.page_outputs(lang)
            yield from self.redirect_outputs(lang)
            yield from self.webinar_outputs(lang)
            yield from self.whitepaper_outputs(lang)
            yield from self.form_outputs(lang)
            yield self.search_output(lang)
        yield from self.site_outputs()

    def text(self, translations: dict, lang: str) -> str:
        return pick(translations, lang, self.site.default_language)[0]

    def content_lang(self, item: Item, lang: str) -> str:
        return lang if self.variant(item, lang) == "native" else self.original_language(item)

    def card(self, item: Item, lang: str) -> dict:
        row, body_lang = item.row, self.content_lang(item, lang)
        card = {
            "title": self.text(row.title, body_lang),
            "summary": self.text(row.description, body_lang),
            "url": self.link(item, lang),
            "lang": body_lang,
        }
        if item.kind == "webinar":
            card["when"] = event_time(row.scheduled_at, row.timezone, lang)
            card["state"] = self.webinar_state(row)
        if item.kind == "whitepaper":
            card["thumbnail"] = self.image(row.thumbnail, lang, CARD_SIZES, lazy=True)
        return card

    def image(self, media, lang: str, sizes: str, lazy: bool) -> dict | None:
        if media is None:
            return None
        return image_attributes(media, self.text(media.alt_text, lang), sizes, lazy)

    def shared_image(self, media) -> str | None:
        """The absolute address of an item's picture for link previews and structured data:
        what the site publishes of it (a raster image only as its largest variant)."""
        return media and self.absolute(image_attributes(media, "", BODY_SIZES, lazy=False)["src"])

    def all_items(self) -> Iterable[Item]:
        for kind in ("page", "webinar", "whitepaper"):
            yield from self.items[kind]
