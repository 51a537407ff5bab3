"""Analytics for a date range: page views, top pages, referrers, UTM sources, conversions."""

import sqlite3
from datetime import date, timedelta

TOP = 10


def days_between(start: date, end: date) -> list[str]:
    return [(start + timedelta(days=n)).isoformat() for n in range((end - start).days + 1)]


def per_day(rows, days: list[str]) -> list[tuple[str, int]]:
    counts = dict(rows)
    return [(day, counts.get(day, 0)) for day in days]


def dashboard_data(conn: sqlite3.Connection, start: date, end: date) -> dict:
    """Every query is bounded by the date range on an indexed timestamp column."""
    since, until = start.isoformat(), (end + timedelta(days=1)).isoformat()
    views = "FROM analytics_events WHERE event_type = 'page_view' AND created_at >= ? AND created_at < ?"
    days = days_between(start, end)
    data = {
        "page_views": per_day(
            conn.execute(f"SELECT date(created_at), count(*) {views} GROUP BY 1", (since, until)),
            days,
        ),  # fmt: skip
        "top_pages": conn.execute(
            f"SELECT page_path, count(*) AS n {views} GROUP BY 1 ORDER BY n DESC, 1 LIMIT ?",
            (since, until, TOP),
        ).fetchall(),  # fmt: skip
        "top_referrers": conn.execute(
            f"SELECT referrer, count(*) AS n {views} AND referrer IS NOT NULL GROUP BY 1 ORDER BY n DESC, 1 LIMIT ?",
            (since, until, TOP),
        ).fetchall(),  # fmt: skip
        "top_sources": conn.execute(
            f"SELECT utm_source, count(*) AS n {views} AND utm_source IS NOT NULL GROUP BY 1 ORDER BY n DESC, 1 LIMIT ?",
            (since, until, TOP),
        ).fetchall(),  # fmt: skip
    }
    conversions = {
        "registrations": ("webinar_registrations", "registered_at", "webinars", "webinar_id"),
        "downloads": ("whitepaper_downloads", "downloaded_at", "whitepapers", "whitepaper_id"),
        "bookings": ("bookings", "created_at", None, None),
    }
    for name, (table, column, item_table, item_column) in conversions.items():
        data[name] = per_day(conn.execute(
            f"SELECT date({column}), count(*) FROM {table} WHERE {column} >= ? AND {column} < ? GROUP BY 1",
            (since, until)), days)  # fmt: skip
        if item_table:
            data[f"{name}_by_item"] = conn.execute(
                f"SELECT i.slug, count(*) AS n FROM {table} t JOIN {item_table} i ON i.id = t.{item_column} "
                f"WHERE t.{column} >= ? AND t.{column} < ? GROUP BY i.id ORDER BY n DESC, i.slug",
                (since, until)).fetchall()  # fmt: skip
    data["bookings_by_item"] = conn.execute(
        "SELECT booking_type, count(*) AS n FROM bookings WHERE created_at >= ? AND created_at < ? "
        "GROUP BY 1 ORDER BY n DESC, 1", (since, until)).fetchall()  # fmt: skip
    return data
