"""Every public URL: the site's pages, the file under output/ that serves each, and the
capture service's API. The build links to them, the capture service sends visitors to them,
and the staff app shows them, so they live here, once."""

FORMS = ("registration", "download", "booking")


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


def bookings_api() -> str:
    return "/api/bookings"


def events_api() -> str:
    return "/api/events"
