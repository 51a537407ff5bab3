"""Every public URL: the site's pages, the file under output/ that serves each, and the
capture service's API. The build links to them, the capture service sends visitors to them,
and the staff app shows them, so they live here, once."""

import re

from .messages import Message

FORMS = ("registration", "download", "booking")
# Thank-you pages: one per form, and one asking a reader to confirm their address (double opt-in).
THANK_YOU_PAGES = (*FORMS, "confirm")
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
# Top-level paths the build itself uses; a page with one of these slugs would collide.
RESERVED_SLUGS = frozenset(
    {"webinars", "whitepapers", "book", "thank-you", "search", "assets", "media", "feed", "api"}
)


def slug_problem(slug: str, *, page: bool = False) -> Message | None:
    """Why `slug` cannot be a URL segment (for a page: at the top level), or None."""
    if not SLUG.match(slug or ""):
        return Message("slug must be lowercase letters, digits and single hyphens")
    if page and slug in RESERVED_SLUGS:
        return Message(
            "slug %(slug)r is reserved for the site's own pages; choose another", {"slug": slug}
        )
    return None


def home(lang: str) -> str:
    return f"/{lang}/"


def page(lang: str, slug: str) -> str:
    return home(lang) if slug == "home" else f"/{lang}/{slug}/"


def webinars(lang: str) -> str:
    return f"/{lang}/webinars/"


def webinar(lang: str, slug: str) -> str:
    return f"/{lang}/webinars/{slug}/"


def webinar_calendar(lang: str, slug: str) -> str:
    return f"/{lang}/webinars/{slug}/{slug}.ics"


def whitepapers(lang: str) -> str:
    return f"/{lang}/whitepapers/"


def whitepaper(lang: str, slug: str) -> str:
    return f"/{lang}/whitepapers/{slug}/"


def booking(lang: str) -> str:
    return f"/{lang}/book/"


def thank_you(lang: str, form: str) -> str:
    return f"/{lang}/thank-you/{form}/"


def not_found(lang: str) -> str:
    return f"/{lang}/404.html"


def feed(lang: str) -> str:
    return f"/{lang}/feed.xml"


def search(lang: str) -> str:
    return f"/{lang}/search/"


def search_index(lang: str) -> str:
    """Where the search page finds its language's index files (generator/search/outputs.py)."""
    return f"/search-index/{lang}/"


def media(file_path: str) -> str:
    return f"/media/{file_path}"


def file_for(url: str) -> str:
    """The output-relative file that a static host serves for `url`."""
    path = url.split("#", 1)[0].split("?", 1)[0].lstrip("/")
    return f"{path}index.html" if path == "" or path.endswith("/") else path


# --- the capture service (relative to its `capture_url`) ---------------------------------------


def registrations_api(slug: str) -> str:
    return f"/api/webinars/{slug}/registrations"


def downloads_api(slug: str) -> str:
    return f"/api/whitepapers/{slug}/downloads"


def open_download_api(slug: str) -> str:
    """A whitepaper that needs no form: the file itself."""
    return f"/api/whitepapers/{slug}/file"


def signed_download(token: str) -> str:
    return f"/api/downloads/{token}"


def download_confirmation(token: str) -> str:
    """Double opt-in: a page on GET (mail scanners open links), the confirmation on POST."""
    return f"/api/downloads/confirm/{token}"


def bookings_api() -> str:
    return "/api/bookings"


def events_api() -> str:
    return "/api/events"


def unsubscribe(token: str) -> str:
    """A person's one-click unsubscribe (RFC 8058): a page on GET, the act on POST."""
    return f"/api/unsubscribe/{token}"


# --- the studio (relative to where it is served; links in mail to staff) ----------------------


def studio_home() -> str:
    return "/admin/"


def studio_lead(lead_list: str, lead_id: int) -> str:
    return f"/admin/leads/{lead_list}/{lead_id}"
