"""The site's settings (`system_settings`), read and checked in one place for every part.

The build reports a broken setting as a content error and stops; the services read the same
values and fall back to safe defaults, so that a typo in a setting never takes the forms down.
"""

import json
import re
import sqlite3
from dataclasses import dataclass
from urllib.parse import urlsplit

from .consent import MAX_WORDING, Wording, current_wording
from .messages import Message
from .outbox import NOTIFICATION_MODES
from .routes import SLUG

LANGUAGE = re.compile(r"^[a-z]{2,3}(?:-[A-Z]{2})?$")
TRANSLATION_POLICIES = ("fallback", "omit")
DEFAULT_SITE_URL = "http://localhost:8000"
DEFAULT_CAPTURE_URL = "http://localhost:8001"
DEFAULT_SENDER = ("Magnetiq System", "noreply@magnetiq.local")  # the spec's seed values
MAX_NAVIGATION = 8  # pages in the main navigation (besides webinars, whitepapers and booking)
# The theme a company restyles in the settings (docs/theme.md): a brand colour, a font, a logo.
DEFAULT_BRAND_COLOR = "#0b5394"
HEX_COLOR = re.compile(r"^#[0-9a-fA-F]{6}$")
FONT_STACKS = {
    "system": 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif',
    "humanist": 'Seravek, "Gill Sans Nova", Ubuntu, Calibri, "DejaVu Sans", sans-serif',
    "geometric": 'Avenir, Montserrat, Corbel, "URW Gothic", source-sans-pro, sans-serif',
    "serif": 'Charter, "Bitstream Charter", "Sitka Text", Cambria, serif',
}  # fmt: skip


@dataclass(frozen=True)
class SiteSettings:
    languages: tuple[str, ...]
    default_language: str
    site_url: str
    capture_url: str
    translation_fallback: str  # "fallback" or "omit"
    title: dict[str, str]
    description: dict[str, str]
    registration_enabled: bool = True  # off: every form is closed, with a message
    maintenance_mode: bool = False  # on: the forms answer 503, the site shows a notice
    download_double_opt_in: bool = False  # on: the download link goes out only by mail
    sender_name: str = DEFAULT_SENDER[0]  # the From of every mail (email_from_name)
    sender_address: str = DEFAULT_SENDER[1]  # (email_from_address)
    consent: Wording | None = None  # the forms' marketing-consent checkbox, if they show one
    brand_color: str = DEFAULT_BRAND_COLOR  # links, buttons, the text mark (brand_color)
    font: str = "system"  # a key of FONT_STACKS (brand_font)
    logo_id: int | None = None  # a media_files image shown in the header (site_logo_id)
    navigation: tuple[str, ...] = ()  # page slugs of the main menu, in order (main_navigation)

    @property
    def site_origin(self) -> str:
        parts = urlsplit(self.site_url)
        return f"{parts.scheme}://{parts.netloc}"


@dataclass(frozen=True)
class SettingProblem:
    key: str
    message: str


def read_site_settings(conn: sqlite3.Connection) -> tuple[SiteSettings, list[SettingProblem]]:
    """The settings, with safe values in place of broken ones, and what was broken."""
    stored = dict(conn.execute("SELECT key, value FROM system_settings"))
    problems: list[SettingProblem] = []

    def json_setting(key: str, default):
        try:
            return json.loads(stored[key]) if stored.get(key) else default
        except json.JSONDecodeError as error:
            problems.append(SettingProblem(key, f"setting is not valid JSON: {error}"))
            return default

    languages = json_setting("supported_languages", ["en"])
    default_language = stored.get("default_language") or "en"
    if (
        not isinstance(languages, list)
        or not languages
        or not all(isinstance(lang, str) and LANGUAGE.match(lang) for lang in languages)
    ):
        problems.append(SettingProblem("supported_languages", "supported_languages must be a JSON list of language codes"))  # fmt: skip
        languages = [default_language]
    if default_language not in languages:
        problems.append(SettingProblem("default_language", f"default_language {default_language!r} is not in supported_languages"))  # fmt: skip
        default_language = languages[0]
    policy = stored.get("translation_fallback") or "fallback"
    if policy not in TRANSLATION_POLICIES:
        problems.append(SettingProblem("translation_fallback", "translation_fallback must be 'fallback' or 'omit'"))  # fmt: skip
        policy = "fallback"
    registration_enabled, maintenance_mode = read_switches(conn)
    sender_name = stored.get("email_from_name") or DEFAULT_SENDER[0]
    if sender_problem := name_problem(sender_name):
        problems.append(SettingProblem("email_from_name", f"email_from_name: {sender_problem}"))
        sender_name = DEFAULT_SENDER[0]
    sender_address = stored.get("email_from_address") or DEFAULT_SENDER[1]
    if sender_problem := address_problem(sender_address, strict=False):
        problems.append(
            SettingProblem("email_from_address", f"email_from_address: {sender_problem}")
        )
        sender_address = DEFAULT_SENDER[1]
    brand_color = stored.get("brand_color") or DEFAULT_BRAND_COLOR
    if colour_problem := color_problem(brand_color):
        problems.append(SettingProblem("brand_color", f"brand_color: {colour_problem}"))
        brand_color = DEFAULT_BRAND_COLOR
    font = stored.get("brand_font") or "system"
    if font not in FONT_STACKS:
        problems.append(
            SettingProblem("brand_font", f"brand_font must be one of {', '.join(FONT_STACKS)}")
        )
        font = "system"
    logo = stored.get("site_logo_id") or ""
    logo_id = int(logo) if logo.isascii() and logo.isdigit() else None
    navigation = json_setting("main_navigation", [])
    if menu_problem := navigation_problem(navigation):
        problems.append(SettingProblem("main_navigation", f"main_navigation: {menu_problem}"))
        navigation = []
    settings = SiteSettings(
        languages=tuple(languages),
        default_language=default_language,
        site_url=(stored.get("site_url") or DEFAULT_SITE_URL).rstrip("/"),
        capture_url=(stored.get("capture_url") or DEFAULT_CAPTURE_URL).rstrip("/"),
        translation_fallback=policy,
        title=as_translations(json_setting("site_title", {}), default_language),
        description=as_translations(json_setting("site_description", {}), default_language),
        registration_enabled=registration_enabled,
        maintenance_mode=maintenance_mode,
        download_double_opt_in=double_opt_in(conn),
        sender_name=sender_name,
        sender_address=sender_address,
        consent=current_wording(conn),
        brand_color=brand_color.lower(),
        font=font,
        logo_id=logo_id,
        navigation=tuple(navigation),
    )
    return settings, problems


def navigation_problem(slugs) -> Message | None:
    """The main navigation is chosen, not derived: a short list of page slugs, because every
    page of the site carries it (a menu of every page would grow the site with its square)."""
    if not isinstance(slugs, list) or not all(isinstance(s, str) and SLUG.match(s) for s in slugs):
        return Message("page slugs separated by commas, such as services, about, contact")
    if len(slugs) > MAX_NAVIGATION:
        return Message("at most %(max)s pages", {"max": MAX_NAVIGATION})
    if len(set(slugs)) < len(slugs):
        return Message("each page once")
    return None


def as_translations(value, default_language: str) -> dict[str, str]:
    """A setting given as plain text counts as the default language's."""
    if isinstance(value, dict):
        return {str(k): str(v) for k, v in value.items() if isinstance(v, str)}
    return {default_language: str(value)} if value else {}


@dataclass
class SettingsForm:
    """Settings an admin submitted, checked by the same rules the readers apply; `errors` name
    the field at fault, and `values` are the stored texts, ready for `save_settings`."""

    values: dict[str, str]
    errors: dict[str, Message]
    consent: dict[str, str]  # the marketing-consent wording per language (empty: no checkbox)


ADDRESS_SETTINGS = ("site_url", "capture_url")
SENDER_SETTINGS = ("email_from_name", "email_from_address")


def name_problem(name: str) -> Message | None:
    """A sender name goes into a From header: one short line, nothing that could end it."""
    if not name:
        return Message("required")
    if len(name) > 100 or any(ord(c) < 32 or c in '"<>\\' for c in name):
        return Message('one line of at most 100 characters, without " < > or \\')
    return None


def address_problem(address: str, strict: bool = True) -> Message | None:
    """A sender address goes into a From header. Admins must give one that mail servers accept
    (`strict`); a stored one need only be safe in the header, as the spec seeds a `.local` one."""
    if not strict:
        unsafe = len(address) > 254 or "@" not in address or any(ord(c) <= 32 for c in address)
        return Message("not a single mail address") if unsafe else None
    # Imported here: its tables cost every command's start-up 30 ms, and few commands need it.
    from email_validator import EmailNotValidError, validate_email

    try:
        validate_email(address, check_deliverability=False)
    except EmailNotValidError as error:
        return Message("not an address mail servers accept (%(reason)s)", {"reason": str(error)})
    return None


def color_problem(value: str) -> Message | None:
    """A brand colour is the links' and buttons' colour on white: it must read (WCAG AA, 4.5:1)."""
    if not HEX_COLOR.match(value):
        return Message("a colour such as #0b5394")
    if contrast_on_white(value) < 4.5:
        return Message("too light to read on white (contrast %(ratio)s:1, at least 4.5:1 needed)",
                       {"ratio": f"{contrast_on_white(value):.1f}"})  # fmt: skip
    return None


def contrast_on_white(value: str) -> float:
    """WCAG 2's contrast ratio of an #rrggbb colour against white."""

    def channel(hex_pair: str) -> float:
        c = int(hex_pair, 16) / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(value[i : i + 2]) for i in (1, 3, 5))
    luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b
    return 1.05 / (luminance + 0.05)


FLAG_SETTINGS = ("registration_enabled", "maintenance_mode", "download_double_opt_in")


def check_settings(form) -> SettingsForm:
    values: dict[str, str] = {}
    errors: dict[str, str] = {}
    languages = [
        code.strip() for code in form.get("supported_languages", "").split(",") if code.strip()
    ]
    if (
        not languages
        or not all(LANGUAGE.match(code) for code in languages)
        or len(set(languages)) != len(languages)
    ):
        errors["supported_languages"] = Message(
            "language codes such as en, de, fr-CH, separated by commas, each once"
        )
    values["supported_languages"] = json.dumps(languages)
    default = form.get("default_language", "").strip()
    if default not in languages:
        errors["default_language"] = Message("must be one of the supported languages")
    values["default_language"] = default
    policy = form.get("translation_fallback", "")
    if policy not in TRANSLATION_POLICIES:
        errors["translation_fallback"] = Message("fallback or omit")
    values["translation_fallback"] = policy
    for key in ADDRESS_SETTINGS:
        address = form.get(key, "").strip().rstrip("/")
        parts = urlsplit(address)
        if (
            parts.scheme not in ("http", "https")
            or not parts.hostname
            or parts.query
            or parts.fragment
        ):
            errors[key] = Message(
                "an http(s) address such as https://www.example.com, without ? or #"
            )
        values[key] = address
    for key in ("site_title", "site_description"):
        texts = {lang: form.get(f"{key}.{lang}", "").strip() for lang in languages}
        if any(len(text) > 300 or any(ord(c) < 32 for c in text) for text in texts.values()):
            errors[key] = Message("one line of at most 300 characters per language")
        values[key] = json.dumps(
            {lang: text for lang, text in texts.items() if text}, ensure_ascii=False, sort_keys=True
        )
    if not json.loads(values["site_title"]).get(default):
        errors.setdefault("site_title", Message("required in the default language"))
    for key in FLAG_SETTINGS:
        values[key] = "true" if form.get(key) == "1" else "false"
    values["email_from_name"] = form.get("email_from_name", "").strip()
    if problem := name_problem(values["email_from_name"]):
        errors["email_from_name"] = problem
    values["email_from_address"] = form.get("email_from_address", "").strip()
    if problem := address_problem(values["email_from_address"]):
        errors["email_from_address"] = problem
    notify = [
        a.strip() for a in form.get("lead_notification_recipients", "").split(",") if a.strip()
    ]
    if bad := next((address for address in notify if address_problem(address)), None):
        errors["lead_notification_recipients"] = Message(
            "mail addresses separated by commas; %(address)r is not one", {"address": bad}
        )
    values["lead_notification_recipients"] = ", ".join(notify)
    values["lead_notification_mode"] = form.get("lead_notification_mode", "each")
    if values["lead_notification_mode"] not in NOTIFICATION_MODES:
        errors["lead_notification_mode"] = Message("a notice for each lead, or a daily digest")
    values["brand_color"] = form.get("brand_color", DEFAULT_BRAND_COLOR).strip().lower()
    if problem := color_problem(values["brand_color"]):
        errors["brand_color"] = problem
    values["brand_font"] = form.get("brand_font", "system")
    if values["brand_font"] not in FONT_STACKS:
        errors["brand_font"] = Message("one of the offered fonts")
    navigation = [
        slug.strip() for slug in form.get("main_navigation", "").split(",") if slug.strip()
    ]
    if problem := navigation_problem(navigation):
        errors["main_navigation"] = problem
    values["main_navigation"] = json.dumps(navigation)
    logo = form.get("site_logo_id", "").strip()
    values["site_logo_id"] = logo if logo.isascii() and logo.isdigit() else ""
    if logo and not values["site_logo_id"]:
        errors["site_logo_id"] = Message("an image from the media library, or none")
    consent = {
        lang: " ".join(form.get(f"marketing_consent.{lang}", "").split()) for lang in languages
    }
    if any(len(text) > MAX_WORDING for text in consent.values()):
        errors["marketing_consent"] = Message(
            "at most %(max)s characters per language", {"max": MAX_WORDING}
        )
    return SettingsForm(values, errors, consent)


def save_settings(conn: sqlite3.Connection, values: dict[str, str]) -> None:
    conn.executemany(
        "INSERT INTO system_settings (key, value) VALUES (?, ?) "
        "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        sorted(values.items()),
    )


def read_switches(conn: sqlite3.Connection) -> tuple[bool, bool]:
    """(registration_enabled, maintenance_mode) alone: what the capture service reads on every
    request, so that staff switching them in the studio takes effect without a restart."""
    stored = dict(conn.execute(
        "SELECT key, value FROM system_settings WHERE key IN ('registration_enabled', 'maintenance_mode')"
    ))  # fmt: skip
    return flag(stored.get("registration_enabled"), True), flag(
        stored.get("maintenance_mode"), False
    )


def double_opt_in(conn: sqlite3.Connection) -> bool:
    """Read on every download request, so switching it in the studio holds at once."""
    row = conn.execute(
        "SELECT value FROM system_settings WHERE key = 'download_double_opt_in'"
    ).fetchone()
    return flag(row[0] if row else None, False)


def flag(stored: str | None, default: bool) -> bool:
    """A boolean setting as stored: 'true'/'false' (also 1/0, yes/no)."""
    if stored is None or stored == "":
        return default
    return stored.strip().lower() in ("true", "1", "yes", "on")
