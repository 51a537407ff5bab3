"""Whitepapers as editors see them: texts per language, the gated file and its thumbnail chosen
from the media rows, labels for filtering, and the switches that gate and list them."""

import json
import sqlite3
from dataclasses import dataclass, field

from database.numbers import whole_number
from database.routes import slug_problem

from .i18n import _
from .library import MediaChoices
from .pages import translations
from .rows import insert_row, slug_in_use, update_row
from .texts import as_json, one_line, read_texts

TEXT_FIELDS = {
    "title": 200,
    "description": 2000,
    "preview_content": 5000,
    "meta_title": 70,
    "meta_description": 160,
}
REQUIRED_IN_DEFAULT = ("title", "description")
LABELS = ("tags", "industry")  # JSON arrays of short labels
MAX_LABELS, LABEL_LENGTH, CATEGORY_LENGTH = 20, 50, 60


def labels(raw: str | None) -> list[str]:
    try:
        value = json.loads(raw or "[]")
    except json.JSONDecodeError:
        return []
    return [item for item in value if isinstance(item, str)] if isinstance(value, list) else []


@dataclass
class WhitepaperForm:
    slug: str = ""
    file_id: int | None = None
    thumbnail_id: int | None = None
    category: str = ""
    labels: dict[str, list[str]] = field(default_factory=lambda: {name: [] for name in LABELS})
    requires_registration: bool = True
    lead_magnet_active: bool = True
    featured: bool = False
    sort_order: int = 0
    texts: dict[str, dict[str, str]] = field(
        default_factory=lambda: {name: {} for name in TEXT_FIELDS}
    )
    version: str = ""
    errors: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_row(cls, row) -> "WhitepaperForm":
        return cls(
            slug=row["slug"], file_id=row["file_id"], thumbnail_id=row["thumbnail_id"],
            category=row["category"] or "", labels={name: labels(row[name]) for name in LABELS},
            requires_registration=bool(row["requires_registration"]),
            lead_magnet_active=bool(row["lead_magnet_active"]), featured=bool(row["featured"]),
            sort_order=row["sort_order"] or 0,
            texts={name: translations(row[name]) for name in TEXT_FIELDS}, version=row["updated_at"] or "",
        )  # fmt: skip

    @classmethod
    def from_submission(
        cls, form, languages: tuple[str, ...], default_language: str, media: MediaChoices
    ) -> "WhitepaperForm":
        paper = cls(version=form.get("version", ""))
        errors = paper.errors
        paper.slug = form.get("slug", "").strip()
        if problem := slug_problem(paper.slug):
            errors["slug"] = problem
        paper.file_id = whole_number(form.get("file_id", ""), minimum=1)
        if paper.file_id not in media.files:
            errors["file_id"] = _("choose the file readers download from the media library")
        thumbnail = form.get("thumbnail_id", "")
        paper.thumbnail_id = whole_number(thumbnail, minimum=1) if thumbnail else None
        if thumbnail and paper.thumbnail_id not in media.images:
            errors["thumbnail_id"] = _("choose an image from the media library, or none")
        paper.category = form.get("category", "").strip()
        if not one_line(paper.category, CATEGORY_LENGTH):
            errors["category"] = _(
                "one line of at most %(limit)s characters", limit=CATEGORY_LENGTH
            )
        for name in LABELS:
            items = [item.strip() for item in form.get(name, "").split(",") if item.strip()]
            if len(items) > MAX_LABELS or not all(one_line(i, LABEL_LENGTH) for i in items):
                errors[name] = _("at most %(count)s labels separated by commas, each at most %(limit)s characters",
                                 count=MAX_LABELS, limit=LABEL_LENGTH)  # fmt: skip
            paper.labels[name] = sorted(set(items), key=items.index)
        order = whole_number(form.get("sort_order", "0") or "0", maximum=10_000)
        if order is None:
            errors["sort_order"] = _("a whole number from 0 to 10000 (lower comes first)")
        paper.sort_order = order or 0
        for switch in ("requires_registration", "lead_magnet_active", "featured"):
            setattr(paper, switch, form.get(switch) == "1")
        paper.texts = read_texts(form, TEXT_FIELDS, languages, default_language, REQUIRED_IN_DEFAULT,
                                 errors)  # fmt: skip
        return paper

    def columns(self) -> dict:
        lists = {name: json.dumps(value, ensure_ascii=False) for name, value in self.labels.items()}
        return {**as_json(self.texts), **lists, "slug": self.slug, "file_id": self.file_id, "thumbnail_id": self.thumbnail_id,
                "category": self.category or None, "requires_registration": int(self.requires_registration),
                "lead_magnet_active": int(self.lead_magnet_active), "featured": int(self.featured),
                "sort_order": self.sort_order}  # fmt: skip


COLUMNS = ("slug", *TEXT_FIELDS, "file_id", "thumbnail_id", "category", *LABELS,
           "requires_registration", "lead_magnet_active", "featured", "sort_order")  # fmt: skip


def slug_taken(conn: sqlite3.Connection, slug: str, whitepaper_id: int | None) -> bool:
    return slug_in_use(conn, "whitepapers", slug, whitepaper_id)


def create_whitepaper(conn: sqlite3.Connection, form: WhitepaperForm, author_id: int) -> int:
    return insert_row(
        conn, "whitepapers", {**form.columns(), "status": "draft", "author_id": author_id}
    )


def update_whitepaper(conn: sqlite3.Connection, whitepaper_id: int, form: WhitepaperForm) -> None:
    update_row(conn, "whitepapers", whitepaper_id, form.columns(), form.version)
