"""Times people type on their own clock: which zones are places, and what a local time is in UTC.

Visitors book a consultation and editors schedule a page in their own zone; both go through the
same rules here, including the hour a spring-forward switch skips.
"""

import re
from datetime import UTC, datetime
from zoneinfo import ZoneInfo, available_timezones

# The system's zoneinfo folder also holds files that are not places: `localtime` (this
# server's own zone), `posixrules`, `Factory`, and the `posix/` and `right/` copies.
IANA_ZONES = frozenset(
    zone
    for zone in available_timezones()
    if zone not in ("localtime", "posixrules", "Factory")
    and not zone.startswith(("posix/", "right/"))
)
LOCAL_TIME = re.compile(
    r"^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])[T ]([01]\d|2[0-3]):[0-5]\d(:[0-5]\d)?$"
)


class WallClockError(ValueError):
    """`kind` says what is wrong: "format" (not YYYY-MM-DD HH:MM, or no such day) or
    "nonexistent" (a time the zone's clocks skip)."""

    def __init__(self, kind: str):
        super().__init__(kind)
        self.kind = kind


def local_to_utc(text: str, zone_name: str) -> datetime:
    """`text` (YYYY-MM-DDTHH:MM[:SS]) on the clocks of `zone_name` (one of IANA_ZONES), in UTC."""
    if not LOCAL_TIME.match(text):
        raise WallClockError("format")
    try:
        local = datetime.fromisoformat(text.replace(" ", "T"))
    except ValueError as error:  # 31 April and the like
        raise WallClockError("format") from error
    zone = ZoneInfo(zone_name)
    as_utc = local.replace(tzinfo=zone, fold=0).astimezone(UTC)
    if as_utc.astimezone(zone).replace(tzinfo=None) != local:  # inside the spring-forward gap
        raise WallClockError("nonexistent")
    return as_utc
