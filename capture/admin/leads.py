"""The three lead lists (registrations, downloads, bookings): filters, pages, CSV."""

import re
import sqlite3
from dataclasses import dataclass
from datetime import date

from database.numbers import whole_number

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
    columns: tuple[str, ...]  # shown and exported
    has_status: bool = False

    @property
    def live(self) -> str:
        """The condition for rows staff may see: soft-deleted bookings are gone for them too."""
        return "deleted_at IS NULL" if self.table == "bookings" else "1 = 1"


LISTS = {
    "registrations": LeadList(
        "registrations", "webinar_registrations", "registered_at", "registration_source", "webinars", "webinar_id",
        ("id", "registered_at", "first_name", "last_name", "email", "company", "job_title", "phone",
         "registration_source", "utm_source", "utm_medium", "utm_campaign", "attended", "attendance_duration"),
    ),
    "downloads": LeadList(
        "downloads", "whitepaper_downloads", "downloaded_at", "download_source", "whitepapers", "whitepaper_id",
        ("id", "downloaded_at", "first_name", "last_name", "email", "company", "job_title", "phone",
         "download_source", "utm_source", "utm_medium", "utm_campaign"),
    ),
    "bookings": LeadList(
        "bookings", "bookings", "created_at", "lead_source", None, None,
        ("id", "created_at", "first_name", "last_name", "email", "company", "booking_type", "preferred_date",
         "timezone", "status", "lead_score", "urgency", "budget_range", "assigned_to", "lead_source",
         "utm_source", "utm_campaign"),
        has_status=True,
    ),
}  # fmt: skip


@dataclass(frozen=True)
class Filters:
    start: str = ""
    end: str = ""
    status: str = ""
    source: str = ""
    campaign: str = ""
    q: str = ""
    item: int | None = None
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
            page=whole_number(page, minimum=1, maximum=MAX_PAGE) or 1,
        )

    def query_args(self, **changes) -> dict:
        values = {"from": self.start, "to": self.end, "status": self.status, "source": self.source,
                  "campaign": self.campaign, "q": self.q, "item": self.item or "", "page": self.page}  # fmt: skip
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
    clauses, params = [], []
    clauses.append(lead.live)
    if filters.start:
        clauses.append(f"{lead.date_column} >= ?")
        params.append(filters.start)
    if filters.end:
        clauses.append(f"{lead.date_column} < date(?, '+1 day')")
        params.append(filters.end)
    if filters.status and lead.has_status:
        clauses.append("status = ?")
        params.append(filters.status)
    if filters.source:
        clauses.append(f"{lead.source_column} = ?")
        params.append(filters.source)
    if filters.campaign:
        clauses.append("utm_campaign = ?")
        params.append(filters.campaign)
    if filters.item is not None and lead.item_column:
        clauses.append(f"{lead.item_column} = ?")
        params.append(filters.item)
    if filters.q:
        clauses.append(
            "(first_name LIKE ? ESCAPE '\\' OR last_name LIKE ? ESCAPE '\\' OR email LIKE ? ESCAPE '\\' "
            "OR company LIKE ? ESCAPE '\\')"
        )
        params += [like(filters.q)] * 4
    return (" WHERE " + " AND ".join(clauses)) if clauses else "", params


def page_of(
    conn: sqlite3.Connection, lead: LeadList, filters: Filters
) -> tuple[list[sqlite3.Row], int]:
    clause, params = where(lead, filters)
    total = conn.execute(f"SELECT count(*) FROM {lead.table}{clause}", params).fetchone()[0]
    rows = conn.execute(
        f"SELECT * FROM {lead.table}{clause} ORDER BY {lead.date_column} DESC, id DESC LIMIT ? OFFSET ?",
        [*params, PAGE_SIZE, (filters.page - 1) * PAGE_SIZE],
    ).fetchall()
    return rows, total


def all_rows(conn: sqlite3.Connection, lead: LeadList, filters: Filters) -> list[tuple]:
    clause, params = where(lead, filters)
    return conn.execute(
        f"SELECT {', '.join(lead.columns)} FROM {lead.table}{clause} ORDER BY {lead.date_column} DESC, id DESC",
        params,
    ).fetchall()


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
