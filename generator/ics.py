"""An iCalendar (RFC 5545) file for one webinar: the "add to calendar" download."""

from datetime import datetime, timedelta


def escape_text(value: str) -> str:
    return (
        value.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
    )


def fold(line: str) -> str:
    """Lines longer than 75 octets continue on the next line after a space (RFC 5545 3.1)."""
    encoded, parts, start = line.encode("utf-8"), [], 0
    while len(encoded) - start > 75:
        end = start + (75 if not parts else 74)
        while (encoded[end] & 0xC0) == 0x80:  # never split inside a UTF-8 character
            end -= 1
        parts.append(encoded[start:end].decode("utf-8"))
        start = end
    parts.append(encoded[start:].decode("utf-8"))
    return "\r\n ".join(parts)


def utc_stamp(moment: datetime) -> str:
    return moment.strftime("%Y%m%dT%H%M%SZ")


def webinar_calendar(
    *, uid: str, title: str, description: str, url: str, start: datetime, minutes: int,
    stamp: datetime, cancelled: bool, language: str,
) -> bytes:  # fmt: skip
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Magnetiq//Webinars//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "BEGIN:VEVENT",
        f"UID:{uid}",
        f"DTSTAMP:{utc_stamp(stamp)}",  # the row's last change: keeps the file deterministic
        f"DTSTART:{utc_stamp(start)}",
        f"DTEND:{utc_stamp(start + timedelta(minutes=minutes))}",
        f"SUMMARY;LANGUAGE={language}:{escape_text(title)}",
        f"DESCRIPTION;LANGUAGE={language}:{escape_text(description)}",
        f"URL:{url}",
        f"LOCATION:{escape_text(url)}",
        f"STATUS:{'CANCELLED' if cancelled else 'CONFIRMED'}",
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    return ("\r\n".join(fold(line) for line in lines) + "\r\n").encode("utf-8")
