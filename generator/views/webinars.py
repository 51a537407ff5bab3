"""Webinars: the list, each webinar's page in its current state, and its calendar file."""

from collections.abc import Iterator

from database import routes

from ..i18n import event_time
from ..ics import webinar_calendar
from ..jobs import View
from ..model import Webinar
from ..webinars import event_jsonld
from .items import Item, Output

AVATAR_SIZES = "6rem"

CLOSED_STATES = ("full", "closed", "deadline")  # no seat to be had: the page offers other dates

ALTERNATIVES = 2

UPCOMING_STATES = ("open", "full", "closed", "deadline")  # not yet held, whatever registration says


class WebinarViews:
    """Part of `Planner` (plan.py): webinars."""

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
