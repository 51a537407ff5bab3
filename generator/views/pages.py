"""Pages: their outputs and contexts, redirects from old addresses, the home page's highlights."""

from collections.abc import Iterable, Iterator

from database import routes

from ..i18n import long_date
from ..images import BODY_SIZES
from ..jobs import Body, View
from ..model import Page
from .items import Item, Output, digest
from .webinars import UPCOMING_STATES


class PageViews:
    """Part of `Planner` (plan.py): pages."""

    def page_outputs(self, lang: str) -> Iterator[Output]:
        has_home = False
        for item in self.items["page"]:
            if not self.variant(item, lang):
                continue
            page = item.row
            has_home |= page.slug == "home"
            template = f"pages/{page.template}.html"
            highlights = self.highlights_key() if page.slug == "home" else None
            yield Output(
                routes.file_for(item.url(lang)),
                self.key(template, lang, page.fingerprint, item.native, highlights),
                template,
                lambda item=item, lang=lang: self.page_context(item, lang),
                {"table": "pages", "row_id": page.id, "slug": page.slug, "lang": lang},
            )
        if not has_home:
            yield Output(
                routes.file_for(routes.home(lang)),
                self.key("pages/home.html", lang, self.highlights_key()),
                "pages/home.html",
                lambda lang=lang: self.empty_home_context(lang),
                {"lang": lang},
            )

    def redirect_outputs(self, lang: str) -> Iterator[Output]:
        """A renamed page's old address sends visitors (and search engines) to the new one."""
        pages = {item.row.id: item for item in self.items["page"]}
        for old_slug, page_id in self.content.redirects:
            item = pages[page_id]
            if not self.variant(item, lang):
                continue
            label, target = self.text(item.row.title, lang), self.link(item, lang)
            yield Output(
                routes.file_for(routes.page(lang, old_slug)),
                self.key("redirect.html", lang, old_slug, target, label),
                "redirect.html",
                lambda label=label, target=target, lang=lang: View(
                    {
                        "target": target,
                        "languages": [{"lang": lang, "label": label, "url": target}],
                    },
                    lang,
                ),
                {"table": "page_redirects", "slug": old_slug, "lang": lang},
            )

    def page_context(self, item: Item, lang: str) -> View:
        page, body_lang = item.row, self.content_lang(item, lang)
        title = self.text(page.seo_title, body_lang) or self.text(page.title, body_lang)
        description = (
            self.text(page.meta_description, body_lang)
            or self.text(page.excerpt, body_lang)
            or self.text(self.site.description, lang)
        )
        pictures = self.pictures(page.body_media.get(body_lang, ()))
        context = {
            "head": self.head(
                item,
                lang,
                item.url(lang),
                title,
                description,
                og_type="article",
                og_image=self.shared_image(pictures[0] if pictures else None),
            ),  # fmt: skip
            "content_lang": body_lang,
            "heading": self.text(page.title, body_lang),
            "published": long_date(page.published_at, lang),
        }
        if page.slug == "home":
            context["highlights"] = self.highlights(lang)
        return View(context, lang, self.body(page, body_lang, self.body_images(pictures, lang)))

    def empty_home_context(self, lang: str) -> View:
        chrome = self.chrome[lang]
        context = {
            "head": self.head(
                None,
                lang,
                routes.home(lang),
                chrome["site_title"],
                self.text(self.site.description, lang),
            ),
            "content_lang": lang,
            "heading": chrome["site_title"],
            "published": "",
            "highlights": self.highlights(lang),
        }
        return View(context, lang, Body.of(""))

    def upcoming(self) -> list[Item]:
        return [i for i in self.items["webinar"] if self.webinar_state(i.row) in UPCOMING_STATES]

    def highlights_key(self) -> str:
        return digest([i.row.fingerprint for i in self.upcoming()[:3]],
                      [i.row.fingerprint for i in self.items["whitepaper"][:3]])  # fmt: skip

    def highlights(self, lang: str) -> dict:
        return {
            "webinars": [self.card(i, lang) for i in self.upcoming()[:3]],
            "whitepapers": [self.card(i, lang) for i in self.items["whitepaper"][:3]],
        }

    def body(self, page: Page, lang: str, images: dict[str, dict] | None = None) -> Body:
        """The page's body in `lang`, by its key: its Markdown is read only if it must be
        converted (`jobs.with_markdown`)."""
        key = page.body_keys.get(lang)
        return Body(key, None, images or {}, (page.id, lang)) if key else Body.of("", images)

    def pictures(self, paths: Iterable[str]) -> list:
        """The library images among the media `paths` a body points at, in the order it shows
        them."""
        found = (self.content.media.get(path) for path in paths)
        return [
            media for media in found if media is not None and media.mime_type.startswith("image/")
        ]

    def body_images(self, pictures: list, lang: str) -> dict[str, dict]:
        """The `<img>` attributes of each of the body's pictures, by its address."""
        return {
            routes.media(m.file_path): self.image(m, lang, BODY_SIZES, lazy=True) for m in pictures
        }
