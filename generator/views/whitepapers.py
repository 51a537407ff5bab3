"""Whitepapers: the list and each whitepaper's page with its download form."""

from collections.abc import Iterator

from database import routes

from ..images import BODY_SIZES
from ..jobs import View
from .items import Item, Output


class WhitepaperViews:
    """Part of `Planner` (plan.py): whitepapers."""

    def whitepaper_outputs(self, lang: str) -> Iterator[Output]:
        whitepapers = self.items["whitepaper"]
        yield Output(
            routes.file_for(routes.whitepapers(lang)),
            self.key(
                "whitepaper_list.html", lang, [(i.row.fingerprint, i.native) for i in whitepapers]
            ),
            "whitepaper_list.html",
            lambda: self.whitepaper_list_context(lang),
            {"lang": lang},
        )
        for item in whitepapers:
            if not self.variant(item, lang):
                continue
            yield Output(
                routes.file_for(item.url(lang)),
                self.key("whitepaper.html", lang, item.row.fingerprint, item.native),
                "whitepaper.html",
                lambda item=item: self.whitepaper_context(item, lang),
                {
                    "table": "whitepapers",
                    "row_id": item.row.id,
                    "slug": item.row.slug,
                    "lang": lang,
                },
            )

    def whitepaper_list_context(self, lang: str) -> View:
        t = self.chrome[lang]["t"]
        context = {
            "head": self.head(
                None, lang, routes.whitepapers(lang), t["whitepapers_title"], t["whitepapers_intro"]
            ),
            "whitepapers": [self.card(item, lang) for item in self.items["whitepaper"]],
        }
        return View(context, lang)

    def whitepaper_context(self, item: Item, lang: str) -> View:
        paper, body_lang = item.row, self.content_lang(item, lang)
        title = self.text(paper.meta_title, body_lang) or self.text(paper.title, body_lang)
        description = self.text(paper.meta_description, body_lang) or self.text(
            paper.description, body_lang
        )
        thumbnail = self.image(paper.thumbnail, lang, BODY_SIZES, lazy=False)
        head = self.head(item, lang, item.url(lang), title, description,
                         og_image=self.shared_image(paper.thumbnail))  # fmt: skip
        context = {
            "head": head,
            "content_lang": body_lang,
            "whitepaper": {
                "slug": paper.slug,
                "title": self.text(paper.title, body_lang),
                "description": self.text(paper.description, body_lang),
                "preview": self.text(paper.preview_content, body_lang),
                "thumbnail": thumbnail,
                "requires_registration": paper.requires_registration,
                "direct_url": self.site.capture_url + routes.open_download_api(paper.slug),
            },
            "form": {
                "action": self.site.capture_url + routes.downloads_api(paper.slug),
                "thank_you": routes.thank_you(lang, "download"),
            },
        }
        return View(context, lang)
