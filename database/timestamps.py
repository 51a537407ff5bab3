"""Timestamps as the schema stores them: UTC text in SQLite's CURRENT_TIMESTAMP format."""

from datetime import UTC, datetime

SQLITE_FORMAT = "%Y-%m-%d %H:%M:%S"


def to_sqlite(moment: datetime) -> str:
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    return moment.strftime(SQLITE_FORMAT)


def from_sqlite(text: str) -> datetime:
    """Parse a stored timestamp (with or without 'T', seconds or fraction) as an aware UTC time."""
    moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def utc_now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)
