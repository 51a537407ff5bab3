"""Reading a built site back: links, hreflang alternates, canonical URLs."""

import re
from html.parser import HTMLParser
from pathlib import Path


class HeadLinks(HTMLParser):
    def __init__(self):
        super().__init__()
        self.alternates: dict[str, str] = {}
        self.canonical: str | None = None
        self.html_lang: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "html":
            self.html_lang = attrs.get("lang")
        if tag == "link" and attrs.get("rel") == "alternate" and "hreflang" in attrs:
            self.alternates[attrs["hreflang"]] = attrs["href"]
        if tag == "link" and attrs.get("rel") == "canonical":
            self.canonical = attrs["href"]


def head_links(path: Path) -> HeadLinks:
    parser = HeadLinks()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def html_pages(output: Path) -> list[Path]:
    return sorted(output.rglob("*.html"))


def url_to_file(output: Path, site_url: str, url: str) -> Path:
    path = url.removeprefix(site_url).lstrip("/")
    return output / (path + "index.html" if path.endswith("/") or path == "" else path)


def sitemap_locations(output: Path) -> list[str]:
    return re.findall(r"<loc>([^<]+)</loc>", (output / "sitemap.xml").read_text())
