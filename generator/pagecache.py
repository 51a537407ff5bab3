"""The page rows of the last successful build, kept in the build cache (JSON, no bodies).

With them, a rebuild reads from the database only the pages whose (id, updated_at) changed.
The cache belongs to one database (its `instance_id` setting); anything unexpected in the file
means starting from scratch, never a wrong page.
"""

import json
from dataclasses import fields
from datetime import datetime
from pathlib import Path

from .model import Page

FORMAT = 1
DATES = {"published_at", "updated_at"}
TUPLES = {"body_languages"}


def cache_file(cache_dir: Path) -> Path:
    return cache_dir / "pages.json"


def load_known_pages(cache_dir: Path, instance: str) -> dict[int, Page]:
    try:
        data = json.loads(cache_file(cache_dir).read_text(encoding="utf-8"))
        if data.get("format") != FORMAT or data.get("instance") != instance:
            return {}
        return {int(page_id): page_from_json(record) for page_id, record in data["pages"].items()}
    except (OSError, ValueError, KeyError, TypeError):
        return {}


def save_known_pages(
    cache_dir: Path, instance: str, pages: tuple[Page, ...], known: dict[int, Page]
) -> None:
    """Rewrite the file only when some page was re-read, added or removed since it was loaded."""
    if len(pages) == len(known) and all(known.get(page.id) is page for page in pages):
        return
    names = [field.name for field in fields(Page)]
    records = {page.id: {name: json_value(getattr(page, name)) for name in names} for page in pages}
    temp = cache_file(cache_dir).with_suffix(".tmp")
    temp.write_text(
        json.dumps({"format": FORMAT, "instance": instance, "pages": records}), encoding="utf-8"
    )
    temp.replace(cache_file(cache_dir))


def json_value(value):
    return value.isoformat() if isinstance(value, datetime) else value


def page_from_json(record: dict) -> Page:
    values = {}
    for field in fields(Page):
        value = record[field.name]
        if field.name in DATES:
            value = datetime.fromisoformat(value)
        elif field.name in TUPLES:
            value = tuple(value)
        values[field.name] = value
    return Page(**values)
