"""The content the build renders, as plain frozen data (no database handles past load)."""

from dataclasses import dataclass, field
from datetime import datetime

from database.site import SiteSettings


@dataclass(frozen=True)
class Media:
    id: int
    file_path: str
    mime_type: str
    file_hash: str
    alt_text: dict[str, str]
    width: int | None = None  # from image_metadata: what <img width height> say
    height: int | None = None
    fingerprint: str = ""  # changes with any column: outputs that show the item follow it


@dataclass(frozen=True)
class Page:
    id: int
    slug: str
    template: str
    title: dict[str, str]
    # Per language with a non-empty body: its markup cache key and the media paths it points
    # at, taken when the row is read. The Markdown itself is read again only where the markup
    # cache lacks its HTML (jobs.with_markdown).
    body_keys: dict[str, str]
    body_media: dict[str, tuple[str, ...]]
    excerpt: dict[str, str]
    meta_description: dict[str, str]
    seo_title: dict[str, str]
    is_featured: bool
    sort_order: int
    published_at: datetime
    updated_at: datetime
    version: str  # updated_at as stored: with the id, it identifies this version of the row
    fingerprint: str  # checksum of the whole row: changes whenever any column changes


@dataclass(frozen=True)
class Webinar:
    id: int
    slug: str
    title: dict[str, str]
    description: dict[str, str]
    scheduled_at: datetime
    duration_minutes: int
    timezone: str
    status: str
    state: str  # at the build clock: database/publishing.py's webinar_state
    recording_url: str | None
    presenter_name: str | None
    presenter_bio: dict[str, str]
    presenter_avatar: Media | None
    presentation: Media | None  # the slides, offered once the webinar is over
    updated_at: datetime
    fingerprint: str


@dataclass(frozen=True)
class Whitepaper:
    id: int
    slug: str
    title: dict[str, str]
    description: dict[str, str]
    preview_content: dict[str, str]
    meta_title: dict[str, str]
    meta_description: dict[str, str]
    category: str | None
    requires_registration: bool
    thumbnail: Media | None
    sort_order: int
    published_at: datetime
    updated_at: datetime
    fingerprint: str


@dataclass(frozen=True)
class Content:
    """Everything one build renders, loaded at one build clock."""

    site: SiteSettings
    now: datetime
    pages: tuple[Page, ...]
    webinars: tuple[Webinar, ...]
    whitepapers: tuple[Whitepaper, ...]
    media: dict[str, Media] = field(default_factory=dict)  # by file_path, gated files excluded
    next_scheduled_publish: datetime | None = None
    redirects: tuple[tuple[str, int], ...] = ()  # (old slug, page id): renamed pages (D14)
