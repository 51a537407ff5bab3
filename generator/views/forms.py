"""The booking form, thank-you pages, the search page and the not-found page of each language."""

from collections.abc import Iterator

from babel.dates import get_timezone_location

from database import routes

from ..jobs import View
from .items import Output

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


class FormViews:
    """Part of `Planner` (plan.py): forms and the pages around them."""

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
