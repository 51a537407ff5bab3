"""What is out on the site and what a visitor may do there: one rule for the build and the
capture service, so a page never offers a form the service then refuses (or the reverse)."""

from datetime import datetime, timedelta


def published(alias: str = "") -> str:
    """SQL: the row is published, not deleted, and its publish time (if any) is not after :now."""
    a = f"{alias}." if alias else ""
    return (
        f"{a}status = 'published' AND {a}deleted_at IS NULL AND "
        f"({a}published_at IS NULL OR datetime({a}published_at) <= datetime(:now))"
    )


def webinar_state(
    *,
    status: str,
    starts: datetime,
    duration_minutes: int | None,
    registration_enabled: bool,
    deadline: datetime | None,
    registered: int,
    capacity: int | None,
    now: datetime,
) -> str:
    """cancelled, completed (held or ended), deadline (passed), closed (registration off), full
    or open: the first that applies. Registration ends when the webinar starts unless a
    deadline says otherwise."""
    if status == "cancelled":
        return "cancelled"
    if status == "completed" or now >= starts + timedelta(minutes=duration_minutes or 60):
        return "completed"
    if now >= (deadline or starts):
        return "deadline"
    if not registration_enabled:
        return "closed"
    if capacity is not None and registered >= capacity:
        return "full"
    return "open"
