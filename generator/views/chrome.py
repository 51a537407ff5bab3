"""The page chrome of each language: navigation, footer, logo and icon, theme, consent line.

Its hash is part of every page's key, as is the site's settings' (`Planner.site_key`): a menu
change rebuilds every page of its language.
"""

from functools import cached_property

from database import routes
from database.site import FONT_STACKS

from ..csp import content_security_policy
from ..images import image_attributes
from .items import Item, digest

LOGO_SIZES = "12rem"

PRIVACY_SLUG = "privacy"  # the page the line under every form points to, when it is published


class ChromeViews:
    """Part of `Planner` (plan.py): the page chrome."""

    def make_chrome(self, lang: str) -> dict:
        """Navigation and shared strings of every page in `lang` (its hash is part of every key)."""
        t = self.catalogs[lang]
        pages = self.items["page"]

        def entry(item: Item) -> dict:
            return {"label": self.text(item.row.title, lang), "url": self.link(item, lang)}

        by_slug = {item.row.slug: item for item in pages}  # published ones: a draft is left out
        nav = [entry(by_slug[slug]) for slug in self.site.navigation if slug in by_slug]
        nav += [
            {"label": t["nav_webinars"], "url": routes.webinars(lang)},
            {"label": t["nav_whitepapers"], "url": routes.whitepapers(lang)},
            {"label": t["nav_book"], "url": routes.booking(lang)},
        ]
        footer = [entry(item) for item in pages if item.row.template == "legal"]
        privacy = next(
            (self.link(item, lang) for item in pages if item.row.slug == PRIVACY_SLUG), None
        )
        footer.append({"label": t["feed"], "url": routes.feed(lang)})
        return {
            "t": t,
            "site_title": self.text(self.site.title, lang),
            "home_url": routes.home(lang),
            "search_url": routes.search(lang),
            "booking_url": routes.booking(lang),
            "nav": nav,
            "footer": footer,
            "css_url": self.assets["site.css"].url,
            "theme_css_url": "/" + self.theme_path,
            "logo": self.logo(lang),
            "icon_url": self.icon_url(),
            "forms_js_url": self.assets["forms.js"].url,
            "beacon_js_url": self.assets["beacon.js"].url,
            "capture_url": self.site.capture_url,
            "events_url": self.site.capture_url + routes.events_api(),
            "signed_download_prefix": self.site.capture_url + routes.signed_download(""),
            "csp": content_security_policy(self.site.capture_url),
            "privacy_url": privacy,  # the line under every form links here
            "forms_open": self.site.registration_enabled,
            "maintenance": self.site.maintenance_mode,
            "default_language": self.site.default_language,
            "consent": self.consent_checkbox(lang),
        }

    @cached_property
    def theme_path(self) -> str:
        """The settings' look as a stylesheet whose name changes with it (cacheable for good)."""
        return f"assets/theme-{digest(self.theme_values())[:12]}.css"

    def theme_values(self) -> dict:
        return {"brand_color": self.site.brand_color, "font": FONT_STACKS[self.site.font]}

    def logo_media(self):
        return next((m for m in self.content.media.values() if m.id == self.site.logo_id), None)

    def logo(self, lang: str) -> dict | None:
        """The header's logo: named by the site's title (it is the link home)."""
        media = self.logo_media()
        if media is None or not media.mime_type.startswith("image/"):
            return None
        return image_attributes(media, self.text(self.site.title, lang), LOGO_SIZES, lazy=False)

    def icon_url(self) -> str:
        """The logo when it is a square drawing (an SVG scales to any icon size), else the text
        mark: a wide logo shrunk into a browser tab's square would be a smudge."""
        media = self.logo_media()
        square = media and media.mime_type == "image/svg+xml" and media.width == media.height
        return routes.media(media.file_path) if square else "/favicon.svg"

    def consent_checkbox(self, lang: str) -> dict | None:
        """Shown only where the wording exists in the page's language: a consent must be given
        to words the person could read."""
        wording = self.site.consent
        if wording is None or lang not in wording.texts:
            return None
        return {"version": wording.version, "text": wording.texts[lang]}
