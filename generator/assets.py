"""Static assets (CSS, JS) under content-hashed names, so a CDN may cache them forever."""

import hashlib
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Asset:
    logical_name: str  # e.g. "site.css"
    url: str  # e.g. "/assets/site.3f2a9c1b.css"
    data: bytes


def fingerprinted_assets(static_dir: Path) -> dict[str, Asset]:
    assets = {}
    for source in sorted(static_dir.iterdir()):
        if source.is_file() and not source.name.startswith("."):
            data = source.read_bytes()
            digest = hashlib.sha256(data).hexdigest()[:10]
            url = f"/assets/{source.stem}.{digest}{source.suffix}"
            assets[source.name] = Asset(source.name, url, data)
    return assets
