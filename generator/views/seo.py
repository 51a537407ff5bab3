"""What search engines and feed readers read: each page's head (canonical, hreflang, OpenGraph),
the sitemap and the feeds.
"""

from functools import cached_property
from itertools import islice

from database import routes

from ..jobs import View
from .items import Item, published_on

FEED_SIZE = 30


class SeoViews:
    """Part of `Planner` (plan.py): heads, sitemap and feeds."""

    def head(
        self, item: Item | None, lang: str, url: str, title: str, description: str, **extra
    ) -> dict:
        """What every HTML page has: title, description, canonical, hreflang, switcher, OpenGraph."""
        variant = self.variant(item, lang) if item else "native"
        if item is None:
            alternates = self.section_alternates(url, lang)
            canonical = url
        elif variant == "native":
            alternates = {other: item.url(other) for other in item.native}
            canonical = url
        else:  # a fallback copy points search engines at the original and joins no hreflang set
            alternates = {}
            canonical = item.url(self.original_language(item))
        hreflang = self.hreflang_set(alternates)
        switcher = []
        for other in self.site.languages:
            if item is None:
                target = alternates[other]
            else:
                target = item.url(other) if self.variant(item, other) else routes.home(other)
            switcher.append(
                {"lang": other, "label": self.catalogs[other]["language_name"], "url": target}
            )
        head = {
            "lang": lang,
            "title": title,
            "description": description,
            "url": url,
            "canonical": self.absolute(canonical),
            "hreflang": hreflang,
            "switcher": switcher,
            "fallback": variant == "fallback",
            "og_type": "website",
            "og_image": None,
            "robots": None,
            "jsonld": None,
        }
        head.update(extra)
        return head

    def hreflang_set(self, alternates: dict[str, str]) -> list[tuple[str, str]]:
        """(hreflang, absolute URL) per language in site order, plus x-default: the default
        language's version, else the first one."""
        pairs = [
            (lang, self.absolute(alternates[lang]))
            for lang in self.site.languages
            if lang in alternates
        ]
        if pairs:
            default = self.site.default_language
            pairs.append(
                (
                    "x-default",
                    self.absolute(alternates[default]) if default in alternates else pairs[0][1],
                )
            )
        return pairs

    def section_alternates(self, url: str, lang: str) -> dict[str, str]:
        """A page that exists in every language (lists, forms): the same path under each prefix."""
        return {other: url.replace(f"/{lang}/", f"/{other}/", 1) for other in self.site.languages}

    def sitemap_context(self) -> dict:
        entries = []
        for item in self.all_items():
            alternates = self.hreflang_set({lang: item.url(lang) for lang in item.native})
            for lang in item.native:  # fallback copies are canonicalised away: not listed
                entries.append({"loc": self.absolute(item.url(lang)), "lastmod": item.row.updated_at.date().isoformat(),
                                "alternates": alternates})  # fmt: skip
        for lang in self.site.languages:
            for url in (routes.webinars(lang), routes.whitepapers(lang), routes.booking(lang)):
                alternates = self.hreflang_set(self.section_alternates(url, lang))
                entries.append(
                    {"loc": self.absolute(url), "lastmod": None, "alternates": alternates}
                )
        if not any(item.kind == "page" and item.row.slug == "home" for item in self.all_items()):
            for lang in self.site.languages:
                entries.append(
                    {"loc": self.absolute(routes.home(lang)), "lastmod": None, "alternates": []}
                )
        return {"entries": sorted(entries, key=lambda e: e["loc"])}

    @cached_property
    def newest_first(self) -> list[Item]:
        """Every item, most recently published first (ties: kind, id): the order of the feeds."""
        return sorted(
            self.all_items(), key=lambda i: (published_on(i.row), i.kind, i.row.id), reverse=True
        )

    def feed_context(self, lang: str) -> View:
        native = (
            item for item in self.newest_first if lang in item.native
        )  # real translations only
        entries = []
        for item in islice(native, FEED_SIZE):
            row = item.row
            summary = row.excerpt if item.kind == "page" else row.description
            entries.append({
                "title": row.title[lang],
                "url": self.absolute(item.url(lang)),
                "id": f"{self.site.site_url}/{item.kind}/{row.id}/{lang}",
                "published": published_on(row).isoformat(),
                "updated": row.updated_at.isoformat(),
                "summary": summary.get(lang, ""),
            })  # fmt: skip
        return View(
            {
                "lang": lang,
                "feed_url": self.absolute(routes.feed(lang)),
                "home_url": self.absolute(routes.home(lang)),
                "updated": max(
                    (e["updated"] for e in entries), default="1970-01-01T00:00:00+00:00"
                ),
                "entries": entries,
            },
            lang,
        )
