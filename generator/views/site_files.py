"""Files of the whole site: sitemap, robots.txt, theme, icons, the root redirect, the 404
page, feeds and fingerprinted assets.
"""

import json
from collections.abc import Iterator

from database import routes

from ..images import touch_icon
from ..jobs import View
from .items import Output, digest


class SiteFileViews:
    """Part of `Planner` (plan.py): files of the whole site."""

    def site_outputs(self) -> Iterator[Output]:
        site = self.site
        # The sitemap shows only addresses, languages and dates: body edits leave it alone.
        sitemap_facts = [
            (i.kind, i.row.slug, i.native, i.row.updated_at.date().isoformat())
            for i in self.all_items()
        ]
        yield Output("sitemap.xml", self.key("sitemap.xml", None, sitemap_facts, site.site_url, site.languages),
                     "sitemap.xml", lambda: View(self.sitemap_context()))  # fmt: skip
        yield Output("robots.txt", self.key("robots.txt", None, site.site_url), "robots.txt",
                     lambda: View({"sitemap_url": self.absolute("/sitemap.xml")}))  # fmt: skip
        yield Output(self.theme_path, self.key("theme.css", None, self.theme_values()), "theme.css",
                     lambda: View(self.theme_values()))  # fmt: skip
        initial = (self.text(site.title, site.default_language).strip()[:1] or "M").upper()
        mark = {"initial": initial, "brand_color": site.brand_color}
        yield Output("favicon.svg", self.key("favicon.svg", None, mark), "favicon.svg",
                     lambda: View(mark))  # fmt: skip  # a browser asks for an icon: it finds one
        yield Output("apple-touch-icon.png", self.key(None, None, "touch icon", mark), None,
                     lambda: touch_icon(initial, site.brand_color))  # fmt: skip  # a phone's home screen
        default = site.default_language
        yield Output(
            "index.html",
            self.key("redirect.html", default, site.languages),
            "redirect.html",
            lambda: View({"target": routes.home(default),
                          "languages": [{"lang": s["lang"], "label": s["label"], "url": routes.home(s["lang"])}
                                        for s in self.head(None, default, routes.home(default), "", "")["switcher"]]},
                         default),
        )  # fmt: skip
        yield Output("404.html", self.key("not_found.html", default), "not_found.html",
                     lambda: self.not_found_context(default))  # fmt: skip
        for lang in site.languages:
            feed = self.feed_context(lang)  # small and cheap: its own content is its key
            yield Output(
                routes.feed(lang).lstrip("/"),
                self.key("feed.xml", lang, json.dumps(feed.context["entries"], sort_keys=True)),
                "feed.xml",
                lambda feed=feed: feed,
                {"lang": lang},
            )
        for asset in self.assets.values():
            yield Output(
                asset.url.lstrip("/"), digest(asset.url), None, lambda asset=asset: asset.data
            )
