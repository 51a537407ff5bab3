"""Static assets (CSS, JS) minified, under content-hashed names, so a CDN may cache them forever.

The search script is assembled per language from static/search/: Snowball's runtime, that
language's stemmer (none: words are matched as they are) and the search page's code, so a
visitor downloads only the stemmer of the language they search in.
"""

import hashlib
from dataclasses import dataclass
from pathlib import Path

import minify

MEDIA_TYPES = {".js": "application/javascript", ".css": "text/css"}
NO_STEMMER = "const stem = (word) => word;\n"


@dataclass(frozen=True)
class Asset:
    logical_name: str  # e.g. "site.css"
    url: str  # e.g. "/assets/site.3f2a9c1b.css"
    data: bytes


def fingerprinted_assets(static_dir: Path, languages: tuple[str, ...]) -> dict[str, Asset]:
    assets = {
        source.name: asset(source.name, source.read_bytes())
        for source in sorted(static_dir.iterdir())
        if source.is_file() and not source.name.startswith(".")
    }
    for lang in languages:
        name = f"search-{lang}.js"
        assets[name] = asset(name, search_script(static_dir / "search", lang).encode())
    return assets


def search_script(folder: Path, lang: str) -> str:
    stemmer = folder / f"stem-{lang}.js"
    parts = [
        (folder / "snowball.js").read_text(encoding="utf-8"),
        stemmer.read_text(encoding="utf-8") if stemmer.exists() else NO_STEMMER,
        (folder / "search.js").read_text(encoding="utf-8"),
    ]
    return "(() => {\n'use strict';\n" + "\n".join(parts) + "})();\n"


def asset(name: str, data: bytes) -> Asset:
    media_type = MEDIA_TYPES.get(Path(name).suffix)
    if media_type:
        data = minify.string(media_type, data.decode()).encode()
    digest = hashlib.sha256(data).hexdigest()[:10]
    stem, suffix = name.rsplit(".", 1)
    return Asset(name, f"/assets/{stem}.{digest}.{suffix}", data)
