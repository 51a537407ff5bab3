"""Webinars as editors see them: times entered on the webinar's own clock, checked field by
field, saved only over the version the editor started from; status moves one way."""

import sqlite3
from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

from database import outbox
from database.links import LINK_RULE, is_safe_link
from database.numbers import whole_number
from database.routes import slug_problem
from database.timestamps import from_sqlite, to_sqlite, utc_now
from database.wallclock import IANA_ZONES, WallClockError, local_to_utc

from .i18n import _
from .labels import N_, label
from .library import MediaChoices
from .pages import translations
from .rows import insert_row, slug_in_use, update_row
from .texts import as_json, one_line, read_texts

TEXT_FIELDS = {"title": 200, "description": 2000, "presenter_bio": 2000}
# scheduled → live → completed; scheduled or live → cancelled. Completed and cancelled are final.
TRANSITIONS = {"scheduled": ("live", "cancelled"), "live": ("completed", "cancelled")}
WALL_CLOCK = {"format": N_("a date and time like 2027-03-01 16:00"),
              "nonexistent": N_("this time does not exist in the webinar's time zone (the clocks change)")}  # fmt: skip


def on_clock(stored: str | None, zone_name: str) -> str:
    """A stored UTC time as the webinar's local wall-clock time, for the form."""
    return (
        from_sqlite(stored).astimezone(ZoneInfo(zone_name)).strftime("%Y-%m-%dT%H:%M")
        if stored
        else ""
    )


def with_offset(stored: str, zone_name: str) -> str:
    """For lists: `2026-12-22 16:00 UTC+01:00`."""
    local = from_sqlite(stored).astimezone(ZoneInfo(zone_name))
    offset = local.strftime("%z")
    return f"{local:%Y-%m-%d %H:%M} UTC{offset[:3]}:{offset[3:]}"


@dataclass
class WebinarForm:
    slug: str = ""
    zone: str = "Europe/Berlin"
    starts: str = ""  # local, on the webinar's clock
    deadline: str = ""  # local, optional
    duration_minutes: int = 60
    max_participants: int | None = None
    registration_enabled: bool = True
    meeting_url: str = ""
    recording_url: str = ""
    presenter_name: str = ""
    presenter_avatar_id: int | None = None  # an image from the media library
    presentation_file_id: int | None = None  # the slides (any library file), public once it is over
    texts: dict[str, dict[str, str]] = field(
        default_factory=lambda: {name: {} for name in TEXT_FIELDS}
    )
    version: str = ""
    errors: dict[str, str] = field(default_factory=dict)
    scheduled_at: datetime | None = None  # UTC, once checked
    deadline_at: datetime | None = None

    @classmethod
    def from_row(cls, row) -> "WebinarForm":
        zone = row["timezone"] if row["timezone"] in IANA_ZONES else "UTC"
        return cls(
            slug=row["slug"], zone=zone, starts=on_clock(row["scheduled_at"], zone),
            deadline=on_clock(row["registration_deadline"], zone), duration_minutes=row["duration_minutes"] or 60,
            max_participants=row["max_participants"], registration_enabled=bool(row["registration_enabled"]),
            meeting_url=row["meeting_url"] or "", recording_url=row["recording_url"] or "",
            presenter_name=row["presenter_name"] or "", presenter_avatar_id=row["presenter_avatar_id"],
            presentation_file_id=row["presentation_file_id"],
            texts={name: translations(row[name]) for name in TEXT_FIELDS}, version=row["updated_at"] or "",
        )  # fmt: skip

    @classmethod
    def from_submission(
        cls, form, languages: tuple[str, ...], default_language: str, media: MediaChoices
    ) -> "WebinarForm":
        webinar = cls(version=form.get("version", ""))
        errors = webinar.errors
        webinar.slug = form.get("slug", "").strip()
        if problem := slug_problem(webinar.slug):
            errors["slug"] = problem
        webinar.zone = form.get("timezone", "")
        if webinar.zone not in IANA_ZONES:
            errors["timezone"] = _("an IANA time zone such as Europe/Berlin")
        webinar.starts, webinar.deadline = (
            form.get("starts", "").strip(),
            form.get("deadline", "").strip(),
        )
        if "timezone" not in errors:
            webinar.scheduled_at = webinar.wall_clock("starts", webinar.starts)
            if webinar.deadline:
                webinar.deadline_at = webinar.wall_clock("deadline", webinar.deadline)
            if (
                webinar.deadline_at
                and webinar.scheduled_at
                and webinar.deadline_at > webinar.scheduled_at
            ):
                errors["deadline"] = _("registration must close before the webinar starts")
        duration = whole_number(form.get("duration_minutes", ""), minimum=5, maximum=1440)
        if duration is None:
            errors["duration_minutes"] = _("minutes, from 5 to 1440")
        webinar.duration_minutes = duration or 60
        capacity = form.get("max_participants", "").strip()
        webinar.max_participants = (
            whole_number(capacity, minimum=1, maximum=100_000) if capacity else None
        )
        if capacity and webinar.max_participants is None:
            errors["max_participants"] = _(
                "a number of seats from 1 to 100000, or empty for no limit"
            )
        webinar.registration_enabled = form.get("registration_enabled") == "1"
        webinar.meeting_url = form.get("meeting_url", "").strip()
        if webinar.meeting_url and not webinar.meeting_url.startswith(("https://", "http://")):
            errors["meeting_url"] = _("an https:// address (it is never shown on the public site)")
        webinar.recording_url = form.get("recording_url", "").strip()
        if webinar.recording_url and not is_safe_link(webinar.recording_url):
            errors["recording_url"] = LINK_RULE
        webinar.presenter_name = form.get("presenter_name", "").strip()
        if not one_line(webinar.presenter_name, 200):
            errors["presenter_name"] = _("one line of at most 200 characters")
        avatar = form.get("presenter_avatar_id", "")
        webinar.presenter_avatar_id = whole_number(avatar, minimum=1) if avatar else None
        if avatar and webinar.presenter_avatar_id not in media.images:
            errors["presenter_avatar_id"] = _("choose an image from the media library, or none")
        slides = form.get("presentation_file_id", "")
        webinar.presentation_file_id = whole_number(slides, minimum=1) if slides else None
        if slides and webinar.presentation_file_id not in media.files:
            errors["presentation_file_id"] = _("choose a file from the media library, or none")
        webinar.texts = read_texts(
            form, TEXT_FIELDS, languages, default_language, ("title",), errors
        )
        return webinar

    def wall_clock(self, name: str, text: str) -> datetime | None:
        try:
            return local_to_utc(text, self.zone)
        except WallClockError as error:
            self.errors[name] = _(WALL_CLOCK[error.kind])
            return None

    def columns(self) -> dict:
        return {**as_json(self.texts), "slug": self.slug, "timezone": self.zone, "scheduled_at": to_sqlite(self.scheduled_at),
                "registration_deadline": to_sqlite(self.deadline_at) if self.deadline_at else None,
                "duration_minutes": self.duration_minutes, "max_participants": self.max_participants,
                "registration_enabled": int(self.registration_enabled), "meeting_url": self.meeting_url or None,
                "recording_url": self.recording_url or None, "presenter_name": self.presenter_name or None,
                "presenter_avatar_id": self.presenter_avatar_id, "presentation_file_id": self.presentation_file_id}  # fmt: skip


COLUMNS = ("slug", "title", "description", "presenter_bio", "timezone", "scheduled_at", "registration_deadline",
           "duration_minutes", "max_participants", "registration_enabled", "meeting_url", "recording_url",
           "presenter_name", "presenter_avatar_id", "presentation_file_id")  # fmt: skip


def slug_taken(conn: sqlite3.Connection, slug: str, webinar_id: int | None) -> bool:
    return slug_in_use(conn, "webinars", slug, webinar_id)


def create_webinar(conn: sqlite3.Connection, form: WebinarForm) -> int:
    return insert_row(conn, "webinars", form.columns())


def update_webinar(conn: sqlite3.Connection, webinar_id: int, form: WebinarForm) -> None:
    """Only over the version the editor started from; a new start time is mailed to everyone
    registered, in the same transaction."""
    before = conn.execute(
        "SELECT scheduled_at FROM webinars WHERE id = ?", (webinar_id,)
    ).fetchone()
    values = form.columns()
    update_row(conn, "webinars", webinar_id, values, form.version)
    if before["scheduled_at"] != values["scheduled_at"]:
        outbox.tell_registrants(conn, "webinar_changed", webinar_id, utc_now(),
                                occasion=values["scheduled_at"])  # fmt: skip


def change_status(
    conn: sqlite3.Connection, webinar_id: int, new: str, confirmed: bool
) -> str | None:
    """Why the change cannot be made (None: made). Cancelling or completing a webinar people
    registered for needs a confirmation."""
    row = conn.execute(
        "SELECT status, (SELECT count(*) FROM webinar_registrations r WHERE r.webinar_id = w.id) AS registered "
        "FROM webinars w WHERE id = ? AND deleted_at IS NULL",
        (webinar_id,),
    ).fetchone()
    if row is None:
        return _("no such webinar")
    if new not in TRANSITIONS.get(row["status"], ()):
        allowed = ", ".join(map(label, TRANSITIONS.get(row["status"], ()))) or _("none (final)")
        return _(
            "a %(status)s webinar cannot become %(new)s; allowed: %(allowed)s",
            status=label(row["status"]),
            new=label(new),
            allowed=allowed,
        )
    if new in ("cancelled", "completed") and row["registered"] and not confirmed:
        return _(
            "%(count)s people registered: tick the confirmation to mark it %(new)s",
            count=row["registered"],
            new=label(new),
        )
    conn.execute("UPDATE webinars SET status = ? WHERE id = ?", (new, webinar_id))
    if new == "cancelled":
        outbox.tell_registrants(
            conn, "webinar_cancelled", webinar_id, utc_now(), occasion="cancelled"
        )
    return None
