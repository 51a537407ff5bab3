"""Validating what visitors submit: one field list per form, one parser for all of them.

Every value is checked for type, length and characters before it gets near the database;
errors name the field in the visitor's language.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from email_validator import SPECIAL_USE_DOMAIN_NAMES, EmailNotValidError, validate_email

from database.numbers import whole_number
from database.wallclock import IANA_ZONES, LOCAL_TIME, WallClockError, local_to_utc

from .i18n import field_error

# Character classes written so that Python's `re` and the API document's ECMAScript patterns
# read them alike. U+FFFD: the sender's bytes were not UTF-8.
CONTROL_CHARACTERS = r"\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffd"
# Single-line fields (names, company, UTM values, ...) have no use for line breaks or markup.
MULTILINE_ONLY = r"\r\n\u2028\u2029<>"
SINGLE_LINE_TEXT = f"^[^{CONTROL_CHARACTERS}{MULTILINE_ONLY}]*$"
CONTROL = re.compile(f"[{CONTROL_CHARACTERS}]")
SINGLE_LINE_FORBIDDEN = re.compile(f"[{MULTILINE_ONLY}]")
PHONE = re.compile(r"^[0-9 +()/.\-]{3,40}$")
MAX_EMAIL_LOCAL_PART = 64  # RFC 5321
# Domains no lead can be mailed at (`.test`, `.local`, …), which email_validator refuses.
SPECIAL_USE_DOMAIN = "[@.]({})$".format(
    "|".join("".join(f"[{c}{c.upper()}]" for c in name) for name in SPECIAL_USE_DOMAIN_NAMES)
)


@dataclass(frozen=True)
class Field:
    name: str
    required: bool = False
    max_length: int = 200
    multiline: bool = False
    choices: tuple[str, ...] | None = None
    check: Callable[[str, str], tuple[object, str | None]] | None = (
        None  # (value, lang) -> (value, error key)
    )
    described: dict = field(default_factory=dict)  # what `check` accepts, in JSON Schema words

    def json_schema(self, nullable: bool) -> dict:
        """This field's rules for the API document (capture/openapi.py): the same as `clean`'s.

        An optional field may be empty, or in JSON null: both mean "not given".
        """
        allowed = CONTROL_CHARACTERS + ("" if self.multiline else MULTILINE_ONLY)
        absent = nullable and not self.required
        schema: dict = {
            "type": ["string", "null"] if absent else "string",
            "maxLength": self.max_length,
        }
        if self.choices:
            schema["enum"] = [
                *self.choices,
                *([] if self.required else [""]),
                *([None] if absent else []),
            ]
        elif "enum" in self.described or "pattern" in self.described:
            pass  # the check's own rule is narrower than the character rule
        elif self.required:  # something besides white space
            schema["pattern"] = f"^[^{allowed}]*[^\\s{allowed}][^{allowed}]*$"
        else:
            schema["pattern"] = f"^[^{allowed}]*$"
        if self.required:
            schema["minLength"] = 1
        return {**schema, **self.described}


def email_value(value: str, lang: str):
    """Syntax-checked and lowercased whole, so one person is one lead however they type it."""
    try:
        address = validate_email(value, check_deliverability=False).normalized.lower()
    except EmailNotValidError:
        return None, "error_email"
    if len(address.rsplit("@", 1)[0].encode("utf-8")) > MAX_EMAIL_LOCAL_PART:
        return None, "error_email"  # no mail server accepts it: the lead could never be reached
    return address, None


def phone_value(value: str, lang: str):
    return (value, None) if PHONE.match(value) else (None, "error_phone")


def timezone_value(value: str, lang: str):
    return (value, None) if value in IANA_ZONES else (None, "error_timezone")


CONTACT = (
    Field("first_name", required=True, max_length=100),
    Field("last_name", required=True, max_length=100),
    Field(
        "email",
        required=True,
        max_length=254,
        check=email_value,
        described={"format": "email", "not": {"pattern": SPECIAL_USE_DOMAIN}},
    ),
    Field("company", max_length=200),
    Field("job_title", max_length=200),
    Field(
        "phone",
        max_length=40,
        check=phone_value,
        described={"pattern": f"^({PHONE.pattern[1:-1]})?$"},
    ),  # empty: not given
)


def consent_version(value: str, lang: str):
    version = whole_number(value, minimum=1)
    return (version, None) if version is not None else (None, "error_choice")


TRACKING = (Field("utm_source"), Field("utm_medium"), Field("utm_campaign"))
# The marketing-consent checkbox, when the site shows one: its value is the version of the
# wording beside it (database/consent.py), so the consent records what the person read.
CONSENT = (Field("marketing_consent", max_length=16, check=consent_version),)  # API doc: openapi.py
BOOKING = (
    Field("booking_type", required=True, choices=("consultation", "demo", "support")),
    Field(
        "preferred_date",
        required=True,
        max_length=40,
        described={
            "pattern": LOCAL_TIME.pattern,
            "description": "Local wall-clock time YYYY-MM-DDTHH:MM in `timezone`; must be in the future.",
        },
    ),
    Field(
        "timezone",
        required=True,
        max_length=64,
        check=timezone_value,
        described={
            "enum": sorted(IANA_ZONES),
            "description": "IANA time zone, e.g. Europe/Berlin.",
        },
    ),
    Field("duration_minutes", choices=("30", "60")),
    Field("subject", max_length=200),
    Field("message", max_length=5000, multiline=True),
    Field("budget_range", choices=("unknown", "under_10k", "10k_50k", "50k_100k", "over_100k")),
    Field("urgency", choices=("low", "medium", "high", "urgent")),
)
LEAD = CONTACT + TRACKING + CONSENT  # what registrations and downloads accept
BOOKING_FORM = BOOKING + LEAD
# Submitted alongside the fields; checked by the endpoint, never stored.
CONTROL_FIELDS = {"lang", "website", "form_started_ms"}


def parse(
    submitted: dict, fields: tuple[Field, ...], lang: str, forbidden: set[str]
) -> tuple[dict, dict]:
    """(clean values, {field: message}); fields the visitor must not set are errors too."""
    values, errors = {}, {}
    for name in sorted(set(submitted) & forbidden):
        errors[name] = field_error(lang, "error_not_allowed", name)
    for spec in fields:
        raw = submitted.get(spec.name)
        value, error = clean(spec, raw, lang)
        if error:
            errors[spec.name] = error
        elif value is not None:
            values[spec.name] = value
    return values, errors


def clean(spec: Field, raw, lang: str) -> tuple[object, str | None]:
    """Text only (a JSON number is no name: `1e400` would be stored as `inf`), checked for
    control characters before surrounding space is trimmed, so `Ada\x0b` is refused, not `Ada`."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None, field_error(lang, "error_required", spec.name) if spec.required else None
    if not isinstance(raw, str) or not is_clean_text(raw, spec.multiline):
        return None, field_error(lang, "error_characters", spec.name)
    if len(raw) > spec.max_length:
        return None, field_error(lang, "error_too_long", spec.name, max=spec.max_length)
    if spec.choices is not None and raw not in spec.choices:
        return None, field_error(lang, "error_choice", spec.name)
    value = raw.strip()
    if spec.check:
        value, key = spec.check(value, lang)
        if key:
            return None, field_error(lang, key, spec.name)
    return value, None


def is_clean_text(value: str, multiline: bool) -> bool:
    """No control characters or unpaired surrogates; line breaks and <> only in free text."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    if CONTROL.search(value):
        return False
    return multiline or not SINGLE_LINE_FORBIDDEN.search(value)


def preferred_time(values: dict, lang: str, now: datetime) -> tuple[datetime | None, str | None]:
    """The visitor's wall-clock time in their time zone, as UTC; refuses times a DST switch skips."""
    text, zone_name = values.get("preferred_date"), values.get("timezone")
    if text is None or zone_name is None:
        return None, None
    try:
        as_utc = local_to_utc(text, zone_name)
    except WallClockError as error:
        return None, field_error(lang, f"error_date_{error.kind}", "preferred_date")
    if as_utc <= now:
        return None, field_error(lang, "error_date_past", "preferred_date")
    return as_utc, None


def lead_score(values: dict) -> int:
    """Documented in docs/capture.md: what makes a booking worth calling back first."""
    score = {"demo": 20, "consultation": 15, "support": 0}[values["booking_type"]]
    score += {"unknown": 0, "under_10k": 5, "10k_50k": 15, "50k_100k": 25, "over_100k": 35}[
        values.get("budget_range", "unknown")
    ]
    score += {"low": 0, "medium": 5, "high": 10, "urgent": 15}[values.get("urgency", "medium")]
    score += 10 if values.get("company") else 0
    score += 5 if values.get("job_title") else 0
    score += 5 if values.get("phone") else 0
    score += 5 if len(values.get("message", "")) >= 40 else 0
    return min(score, 100)
