"""Plan every output of a build: its path, what decides its bytes (key), and how to make it.

Nothing is rendered here. A build compares each output's key with the manifest and only asks
for the context of outputs whose key changed, which is what makes an incremental build cheap.
"""

import hashlib
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from itertools import islice

from babel.dates import get_timezone_location

from database import routes
from database.site import FONT_STACKS

from .csp import content_security_policy
from .errors import ContentError
from .i18n import event_time, has_translation, long_date, pick
from .ics import webinar_calendar
from .images import BODY_SIZES, image_attributes, media_in_markdown, touch_icon
from .jobs import Body, View
from .model import Content, Page, Webinar, Whitepaper
from .webinars import event_jsonld

FEED_SIZE = 30
CARD_SIZES = "(min-width: 60rem) 20rem, (min-width: 40rem) 45vw, 100vw"  # the card grid (site.css)
AVATAR_SIZES = "6rem"
LOGO_SIZES = "12rem"
# The booking form's time zones to choose from (the browser's own is added by forms.js when it is
# missing; the service takes any IANA zone): where B2B visitors of a European site tend to be.
BOOKING_ZONES = (
    "Africa/Johannesburg", "America/Chicago", "America/Denver", "America/Los_Angeles", "America/New_York",
    "America/Sao_Paulo", "America/Toronto", "Asia/Dubai", "Asia/Kolkata", "Asia/Shanghai", "Asia/Singapore",
    "Asia/Tokyo", "Australia/Sydney", "Europe/Amsterdam", "Europe/Berlin", "Europe/Brussels", "Europe/Dublin",
    "Europe/Helsinki", "Europe/Istanbul", "Europe/Lisbon", "Europe/London", "Europe/Madrid", "Europe/Paris",
    "Europe/Prague", "Europe/Rome", "Europe/Stockholm", "Europe/Vienna", "Europe/Warsaw", "Europe/Zurich", "UTC",
)  # fmt: skip


def zone_choices(lang: str) -> list[tuple[str, str]]:
    """(zone, label in the page's language: its city, then the zone's name)."""
    return [(zone, zone if zone == "UTC" else f"{get_timezone_location(zone, locale=lang, return_city=True)} ({zone})")
            for zone in BOOKING_ZONES]  # fmt: skip  # at most the header's logo width (site.css)


PRIVACY_SLUG = "privacy"  # the page the line under every form points to, when it is published
CLOSED_STATES = ("full", "closed", "deadline")  # no seat to be had: the page offers other dates
ALTERNATIVES = 2
UPCOMING_STATES = ("open", "full", "closed", "deadline")  # not yet held, whatever registration says


def digest(*parts) -> str:
    """A stable hash of plain values (str, int, bool, None, and tuples or lists of them)."""
    return hashlib.blake2b(repr(parts).encode(), digest_size=16).hexdigest()


def published_on(row) -> datetime:
    """Pages and whitepapers have a publication time; a webinar counts from its last change."""
    return getattr(row, "published_at", None) or row.updated_at


@dataclass(frozen=True)
class Output:
    path: str  # relative to output/
    key: str  # changes whenever anything that decides the bytes changes
    template: str | None  # a Jinja template, or None when `make` returns bytes
    make: Callable[[], View | bytes]
    origin: dict = field(default_factory=dict)  # table/row/slug/lang, for error messages


@dataclass(frozen=True)
class Item:
    """A page, webinar or whitepaper as the planner sees it: which languages it exists in."""

    kind: str  # "page", "webinar", "whitepaper"
    row: Page | Webinar | Whitepaper
    native: tuple[str, ...]  # languages with a real translation

    def url(self, lang: str) -> str:
        return {"page": routes.page, "webinar": routes.webinar, "whitepaper": routes.whitepaper}[
            self.kind
        ](lang, self.row.slug)

    @property
    def table(self) -> str:
        return self.kind + "s"


class Planner:
    def __init__(
        self,
        content: Content,
        catalogs: dict,
        assets: dict,
        template_key: Callable[[str], str],
        bodies: Callable[[int], dict[str, str]],
    ):
        self.content, self.site, self.bodies = content, content.site, bodies
        self.catalogs, self.assets, self.template_key = catalogs, assets, template_key
        self.problems: list[ContentError] = []
        self.items = {
            "page": [
                self.item("page", p, p.title, dict.fromkeys(p.body_languages, "body"))
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

    # --- languages -------------------------------------------------------------------------

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
        if lang in item.native:
            return "native"
        if self.site.translation_fallback == "fallback" and item.native:
            return "fallback"
        return None

    def original_language(self, item: Item) -> str:
        return (
            self.site.default_language
            if self.site.default_language in item.native
            else item.native[0]
        )

    def link(self, item: Item, lang: str) -> str:
        """Where a link to `item` from a `lang` page goes: never to a page that is not built."""
        return item.url(lang if self.variant(item, lang) else self.original_language(item))

    def absolute(self, url: str) -> str:
        return self.site.site_url + url

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

    def key(self, template: str | None, lang: str | None, *parts) -> str:
        return digest(
            template and self.template_key(template), lang and self.chrome_key[lang], *parts
        )

    # --- outputs ---------------------------------------------------------------------------

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
            target = self.link(item, lang)
            yield Output(
                routes.file_for(routes.page(lang, old_slug)),
                self.key("redirect.html", lang, old_slug, target),
                "redirect.html",
                lambda item=item, target=target, lang=lang: View(
                    {
                        "target": target,
                        "languages": [
                            {"lang": lang, "label": self.text(item.row.title, lang), "url": target}
                        ],
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
        markdown = self.bodies(page.id)[body_lang]
        pictures = self.pictures(markdown)
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
        return View(context, lang, Body.of(markdown, self.body_images(pictures, lang)))

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

    def pictures(self, markdown: str) -> list:
        """The library images a body points at, in the order it shows them."""
        found = (self.content.media.get(path) for path in media_in_markdown(markdown))
        return [
            media for media in found if media is not None and media.mime_type.startswith("image/")
        ]

    def body_images(self, pictures: list, lang: str) -> dict[str, dict]:
        """The `<img>` attributes of each of the body's pictures, by its address."""
        return {
            routes.media(m.file_path): self.image(m, lang, BODY_SIZES, lazy=True) for m in pictures
        }

    # --- webinars --------------------------------------------------------------------------

    def webinar_state(self, webinar: Webinar) -> str:
        return webinar.state

    def webinar_outputs(self, lang: str) -> Iterator[Output]:
        webinars = self.items["webinar"]
        states = [self.webinar_state(item.row) for item in webinars]
        yield Output(
            routes.file_for(routes.webinars(lang)),
            self.key(
                "webinar_list.html", lang, [(i.row.fingerprint, i.native) for i in webinars], states
            ),
            "webinar_list.html",
            lambda: self.webinar_list_context(lang),
            {"lang": lang},
        )
        for item, state in zip(webinars, states, strict=True):
            if not self.variant(item, lang):
                continue
            origin = {
                "table": "webinars",
                "row_id": item.row.id,
                "slug": item.row.slug,
                "lang": lang,
            }
            key = self.key("webinar.html", lang, item.row.fingerprint, item.native, state,
                           [(i.row.fingerprint, self.webinar_state(i.row)) for i in self.alternatives(item, state)])  # fmt: skip
            yield Output(routes.file_for(item.url(lang)), key, "webinar.html",
                         lambda item=item, state=state: self.webinar_context(item, lang, state), origin)  # fmt: skip
            yield Output(
                routes.file_for(routes.webinar_calendar(lang, item.row.slug)),
                self.key(None, None, item.row.fingerprint, item.native, lang, self.site.site_url),
                None,
                lambda item=item: self.webinar_ics(item, lang),
                origin,
            )

    def webinar_list_context(self, lang: str) -> View:
        t = self.chrome[lang]["t"]
        visible = [i for i in self.items["webinar"] if self.variant(i, lang) or i.native]
        cards = [self.card(item, lang) for item in visible]
        context = {
            "head": self.head(
                None, lang, routes.webinars(lang), t["webinars_title"], t["webinars_intro"]
            ),
            "upcoming": [c for c in cards if c["state"] in UPCOMING_STATES],
            "past": list(reversed([c for c in cards if c["state"] in ("completed", "cancelled")])),
        }
        return View(context, lang)

    def alternatives(self, item: Item, state: str) -> list[Item]:
        """What a visitor who cannot register for `item` (in `state`) can do instead: the next
        webinars that are open (the site has no topics: the soonest ones)."""
        if state not in CLOSED_STATES:
            return []
        return [other for other in self.items["webinar"]
                if other is not item and self.webinar_state(other.row) == "open"][:ALTERNATIVES]  # fmt: skip

    def webinar_context(self, item: Item, lang: str, state: str) -> View:
        webinar, body_lang = item.row, self.content_lang(item, lang)
        title, description = (
            self.text(webinar.title, body_lang),
            self.text(webinar.description, body_lang),
        )
        url = item.url(lang)
        head = self.head(item, lang, url, title, description, og_type="website",
                         og_image=self.shared_image(webinar.presenter_avatar),
                         jsonld=self.event_jsonld(item, lang, state, title, description))  # fmt: skip
        context = {
            "alternatives": [self.card(other, lang) for other in self.alternatives(item, state)],
            "head": head,
            "content_lang": body_lang,
            "webinar": {
                "slug": webinar.slug,
                "title": title,
                "description": description,
                "when": event_time(webinar.scheduled_at, webinar.timezone, lang),
                "iso_start": webinar.scheduled_at.isoformat(),
                "duration": webinar.duration_minutes,
                "presenter": webinar.presenter_name,
                "presenter_bio": self.text(webinar.presenter_bio, body_lang),
                "avatar": self.image(webinar.presenter_avatar, lang, AVATAR_SIZES, lazy=False),
                "state": state,
                "recording_url": webinar.recording_url if state == "completed" else None,
                "slides_url": routes.media(webinar.presentation.file_path)
                if state == "completed" and webinar.presentation
                else None,
                "calendar_url": routes.webinar_calendar(lang, webinar.slug),
            },
            "form": {
                "action": self.site.capture_url + routes.registrations_api(webinar.slug),
                "thank_you": routes.thank_you(lang, "registration"),
            },
        }
        return View(context, lang)

    def event_jsonld(self, item: Item, lang: str, state: str, title: str, description: str) -> str:
        webinar = item.row
        image = self.shared_image(webinar.presenter_avatar)
        return event_jsonld(webinar, state, title=title, description=description, url=self.absolute(item.url(lang)),
                            language=self.content_lang(item, lang), organizer=self.text(self.site.title, lang),
                            organizer_url=self.site.site_url, image=image)  # fmt: skip

    def webinar_ics(self, item: Item, lang: str) -> bytes:
        webinar, body_lang = item.row, self.content_lang(item, lang)
        host = self.site.site_url.split("://", 1)[-1]
        return webinar_calendar(
            uid=f"webinar-{webinar.id}@{host}",
            title=self.text(webinar.title, body_lang),
            description=self.text(webinar.description, body_lang),
            url=self.absolute(item.url(lang)),
            start=webinar.scheduled_at,
            minutes=webinar.duration_minutes,
            stamp=webinar.updated_at,
            cancelled=webinar.status == "cancelled",
            language=body_lang,
        )

    # --- whitepapers -----------------------------------------------------------------------

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

    # --- forms, thank-you and error pages --------------------------------------------------

    def form_outputs(self, lang: str) -> Iterator[Output]:
        t = self.chrome[lang]["t"]
        yield Output(
            routes.file_for(routes.booking(lang)),
            self.key("booking.html", lang, self.site.capture_url, BOOKING_ZONES),
            "booking.html",
            lambda: View(
                {
                    "head": self.head(
                        None, lang, routes.booking(lang), t["booking_title"], t["booking_intro"]
                    ),
                    "form": {
                        "action": self.site.capture_url + routes.bookings_api(),
                        "thank_you": routes.thank_you(lang, "booking"),
                        "zones": zone_choices(lang),
                    },
                },
                lang,
            ),
            {"lang": lang},
        )
        for form in routes.THANK_YOU_PAGES:
            url = routes.thank_you(lang, form)
            yield Output(
                routes.file_for(url),
                self.key("thank_you.html", lang, form),
                "thank_you.html",
                lambda form=form, url=url: View(
                    {
                        "head": self.head(
                            None,
                            lang,
                            url,
                            t[f"thanks_{form}_title"],
                            t[f"thanks_{form}_text"],
                            robots="noindex",
                        ),
                        "form": form,
                    },
                    lang,
                ),
                {"lang": lang},
            )
        yield Output(
            routes.file_for(routes.not_found(lang)),
            self.key("not_found.html", lang),
            "not_found.html",
            lambda: self.not_found_context(lang),
            {"lang": lang},
        )

    def search_output(self, lang: str) -> Output:
        """The search page; its index is planned after rendering (generator/search/outputs.py)."""
        t, url = self.chrome[lang]["t"], routes.search(lang)
        script = self.assets[f"search-{lang}.js"].url
        return Output(
            routes.file_for(url),
            self.key("search.html", lang, script),
            "search.html",
            lambda: View({
                "head": self.head(None, lang, url, t["search_title"], t["search_intro"],
                                  robots="noindex"),
                "search": {
                    "index_url": routes.search_index(lang),
                    "script_url": script,
                    "strings": {key: value for key, value in t.items() if key.startswith("search_")},
                },
            }, lang),
            {"lang": lang},
        )  # fmt: skip

    def not_found_context(self, lang: str) -> View:
        t = self.chrome[lang]["t"]
        head = self.head(
            None,
            lang,
            routes.not_found(lang),
            t["not_found_title"],
            t["not_found_text"],
            robots="noindex",
        )
        head["hreflang"] = []  # a 404 page is not an indexable alternate of anything
        return View({"head": head}, lang)

    # --- site-wide files -------------------------------------------------------------------

    def all_items(self) -> Iterable[Item]:
        for kind in ("page", "webinar", "whitepaper"):
            yield from self.items[kind]

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
