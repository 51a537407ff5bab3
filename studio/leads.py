"""The three lead lists (registrations, downloads, bookings): filters, pages, CSV."""

import json
import re
import sqlite3
from dataclasses import dataclass
from datetime import date, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from database.numbers import whole_number
from database.timestamps import from_sqlite

from .labels import label

PAGE_SIZE = 50
MAX_PAGE = 100_000  # deeper than any list goes; keeps OFFSET a small number
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True)
class LeadList:
    name: str
    table: str
    date_column: str
    source_column: str
    item_table: str | None  # webinars / whitepapers: the list can be narrowed to one of them
    item_column: str | None
    columns: tuple[str, ...]  # exported, in this order (see `presented` for the computed ones)
    listed: tuple[str, ...]  # shown in the list
    has_status: bool = False

    @property
    def live(self) -> str:
        """The condition for rows staff may see: soft-deleted bookings are gone for them too."""
        return "l.deleted_at IS NULL" if self.table == "bookings" else "1 = 1"

    @property
    def item_label(self) -> str | None:
        return {"webinars": "webinar", "whitepapers": "whitepaper"}.get(self.item_table or "")

    @property
    def sortable_by_score(self) -> bool:
        return self.table == "bookings"


CONTACT_COLUMNS = ("first_name", "last_name", "email", "company", "job_title", "phone")
TRACKING_COLUMNS = ("utm_source", "utm_medium", "utm_campaign")
LISTS = {
    "registrations": LeadList(
        "registrations", "webinar_registrations", "registered_at", "registration_source", "webinars", "webinar_id",
        ("id", "registered_at", "webinar", *CONTACT_COLUMNS, "registration_source", *TRACKING_COLUMNS,
         "attended", "attendance_duration"),
        ("registered_at", "webinar", "first_name", "last_name", "email", "company", "registration_source"),
    ),
    "downloads": LeadList(
        "downloads", "whitepaper_downloads", "downloaded_at", "download_source", "whitepapers", "whitepaper_id",
        ("id", "downloaded_at", "whitepaper", *CONTACT_COLUMNS, "download_source", *TRACKING_COLUMNS),
        ("downloaded_at", "whitepaper", "first_name", "last_name", "email", "company", "download_source"),
    ),
    "bookings": LeadList(
        "bookings", "bookings", "created_at", "lead_source", None, None,
        ("id", "created_at", *CONTACT_COLUMNS, "booking_type", "preferred_time", "timezone", "duration_minutes",
         "subject", "message", "status", "lead_score", "urgency", "budget_range", "assigned_to", "lead_source",
         *TRACKING_COLUMNS),
        ("created_at", "first_name", "last_name", "email", "company", "booking_type", "preferred_time",
         "lead_score", "status"),
        has_status=True,
    ),
}  # fmt: skip
HIDDEN_DETAILS = ("preferred_date", "deleted_at")  # shown as preferred_time; never set for staff


def in_utc(column: str) -> bool:
    """Stored times are UTC; a booking's preferred time is on the visitor's own clock."""
    return column.endswith("_at")


def heading(column: str) -> str:
    """The column in words, in the staff member's language, saying which clock a time is on."""
    return f"{label(column)} (UTC)" if in_utc(column) else label(column)


def csv_heading(column: str) -> str:
    """CSV exports keep the column names, stable for spreadsheets whatever the staff language."""
    if column == "preferred_time":
        return "preferred_time (in the booking's time zone)"
    return f"{column} (UTC)" if in_utc(column) else column


def detail_columns(lead: LeadList, row: dict) -> list[str]:
    """The exported columns first, then whatever else the row holds (follow-up, timestamps)."""
    return [*lead.columns, *(c for c in row if c not in lead.columns and c not in HIDDEN_DETAILS)]


def presented(row: sqlite3.Row, lead: LeadList, language: str) -> dict:
    """A lead as staff read it: the webinar or whitepaper by title, a booking's preferred time on
    the visitor's clock (the stored value is UTC)."""
    values = dict(row)
    if lead.item_label:
        values.pop("item_id")
        values[lead.item_label] = item_title(
            values.pop("item_title"), values.pop("item_slug"), language
        )
    if lead.table == "bookings":
        values["preferred_time"] = local_time(values["preferred_date"], values["timezone"])
    return values


def item_title(titles: str | None, slug: str | None, language: str) -> str:
    try:
        decoded = json.loads(titles or "{}")
    except json.JSONDecodeError:
        decoded = {}
    if not isinstance(decoded, dict):
        decoded = {}
    return str(decoded.get(language) or next(iter(decoded.values()), None) or slug or "")


def local_time(stored: str | None, zone_name: str | None) -> str:
    if not stored:
        return ""
    try:
        zone = ZoneInfo(zone_name or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        zone = ZoneInfo("UTC")
    return from_sqlite(stored).astimezone(zone).strftime("%Y-%m-%d %H:%M")


@dataclass(frozen=True)
class Filters:
    start: str = ""
    end: str = ""
    status: str = ""
    source: str = ""
    campaign: str = ""
    q: str = ""
    item: int | None = None
    sort: str = "newest"  # or "score": bookings worth calling back first
    page: int = 1

    @classmethod
    def from_args(cls, args) -> "Filters":
        def day(name: str) -> str:
            value = args.get(name, "")
            return value if DATE.match(value) and valid_date(value) else ""

        item = args.get("item", "")
        page = args.get("page", "1")
        return cls(
            start=day("from"),
            end=day("to"),
            status=args.get("status", "")[:20],
            source=args.get("source", "")[:100],
            campaign=args.get("campaign", "")[:200],
            q=args.get("q", "").strip()[:200],
            item=whole_number(item, minimum=1),
            sort="score" if args.get("sort") == "score" else "newest",
            page=whole_number(page, minimum=1, maximum=MAX_PAGE) or 1,
        )

    def query_args(self, **changes) -> dict:
        values = {"from": self.start, "to": self.end, "status": self.status, "source": self.source,
                  "campaign": self.campaign, "q": self.q, "item": self.item or "",
                  "sort": "" if self.sort == "newest" else self.sort, "page": self.page}  # fmt: skip
        values.update(changes)
        return {key: value for key, value in values.items() if value not in ("", None)}


def valid_date(text: str) -> bool:
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return True


def like(text: str) -> str:
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def where(lead: LeadList, filters: Filters) -> tuple[str, list]:
    """A WHERE clause of placeholders only: no filter value is ever pasted into SQL."""
    clauses, params = [lead.live], []
    if filters.start:
        clauses.append(f"l.{lead.date_column} >= ?")
        params.append(filters.start)
    if filters.end:
        clauses.append(f"l.{lead.date_column} < ?")
        params.append((date.fromisoformat(filters.end) + timedelta(days=1)).isoformat())
    if filters.status and lead.has_status:
        clauses.append("l.status = ?")
        params.append(filters.status)
    if filters.source:
        clauses.append(f"l.{lead.source_column} = ?")
        params.append(filters.source)
    if filters.campaign:
        clauses.append("l.utm_campaign = ?")
        params.append(filters.campaign)
    if filters.item is not None and lead.item_column:
        clauses.append(f"l.{lead.item_column} = ?")
        params.append(filters.item)
    if filters.q:
        clauses.append(
            "(l.first_name LIKE ? ESCAPE '\\' OR l.last_name LIKE ? ESCAPE '\\' OR l.email LIKE ? ESCAPE '\\' "
            "OR l.company LIKE ? ESCAPE '\\')"
        )
        params += [like(filters.q)] * 4
    return " WHERE " + " AND ".join(clauses), params


def source(lead: LeadList) -> str:
    """The lead table as `l`, with the title of its webinar or whitepaper."""
    if not lead.item_table:
        return f"{lead.table} l"
    return (f"{lead.table} l LEFT JOIN (SELECT id AS item_id, title AS item_title, slug AS item_slug "
            f"FROM {lead.item_table}) i ON i.item_id = l.{lead.item_column}")  # fmt: skip


def order(lead: LeadList, filters: Filters) -> str:
    newest = f"l.{lead.date_column} DESC, l.id DESC"
    if filters.sort == "score" and lead.sortable_by_score:
        return f"l.lead_score DESC, {newest}"
    return newest


def page_of(
    conn: sqlite3.Connection, lead: LeadList, filters: Filters, language: str
) -> tuple[list[dict], int]:
    clause, params = where(lead, filters)
    total = conn.execute(f"SELECT count(*) FROM {lead.table} l{clause}", params).fetchone()[0]
    rows = conn.execute(
        f"SELECT * FROM {source(lead)}{clause} ORDER BY {order(lead, filters)} LIMIT ? OFFSET ?",
        [*params, PAGE_SIZE, (filters.page - 1) * PAGE_SIZE],
    ).fetchall()
    return [presented(row, lead, language) for row in rows], total


def all_rows(
    conn: sqlite3.Connection, lead: LeadList, filters: Filters, language: str
) -> list[list]:
    clause, params = where(lead, filters)
    rows = conn.execute(
        f"SELECT * FROM {source(lead)}{clause} ORDER BY {order(lead, filters)}", params
    ).fetchall()
    return [
        [values[c] for c in lead.columns] for values in (presented(r, lead, language) for r in rows)
    ]


def one_lead(conn: sqlite3.Connection, lead: LeadList, row_id: int, language: str) -> dict | None:
    row = conn.execute(
        f"SELECT * FROM {source(lead)} WHERE l.id = ? AND {lead.live}", (row_id,)
    ).fetchone()
    return presented(row, lead, language) if row else None


def items_with_usage(conn: sqlite3.Connection, lead: LeadList) -> list[sqlite3.Row]:
    """Webinars with capacity used, or whitepapers with their download count, for the filter."""
    if lead.item_table == "webinars":
        return conn.execute(
            "SELECT w.id, w.slug, w.max_participants, count(r.id) AS used FROM webinars w "
            "LEFT JOIN webinar_registrations r ON r.webinar_id = w.id WHERE w.deleted_at IS NULL "
            "GROUP BY w.id ORDER BY w.scheduled_at DESC"
        ).fetchall()
    if lead.item_table == "whitepapers":
        return conn.execute(
            "SELECT w.id, w.slug, NULL AS max_participants, count(d.id) AS used FROM whitepapers w "
            "LEFT JOIN whitepaper_downloads d ON d.whitepaper_id = w.id WHERE w.deleted_at IS NULL "
            "GROUP BY w.id ORDER BY w.slug"
        ).fetchall()
    return []
