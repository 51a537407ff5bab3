"""The texts of the messages: one Jinja template per kind and language with a `subject` and a
`text` block, run in Jinja's sandbox. The defaults are files in `templates/<lang>/`; an admin's
edit (an `email_templates` row, deviation D18) replaces one. An edit is checked before it is
saved by rendering it with every variable its kind offers (`VARIABLES`), so a syntax error, an
unknown variable or an unsafe attribute access is refused then, never found at send time."""

import sqlite3
from pathlib import Path

from jinja2 import FileSystemLoader, StrictUndefined, TemplateError
from jinja2.sandbox import SandboxedEnvironment

TEMPLATES = Path(__file__).parent / "templates"
ENVIRONMENT = SandboxedEnvironment(loader=FileSystemLoader(TEMPLATES), undefined=StrictUndefined,
                                   autoescape=False, keep_trailing_newline=True)  # fmt: skip

COMMON = {"first_name": "Ada", "site_title": "Voltaic Systems"}
WEBINAR = {**COMMON, "webinar_title": "Energy monitoring 101", "when": "Tuesday, 3 June 2031, 16:00 (Central European Summer Time)",
           "duration_minutes": 45, "join_url": "https://meet.example/abc", "webinar_url": "https://www.example.com/en/webinars/energy/",
           "recording_url": "https://video.example/rec", "unsubscribe_url": "https://forms.example.com/api/unsubscribe/…"}  # fmt: skip
BOOKING = {**COMMON, "booking_type": "demo", "when": "Tuesday, 3 June 2031, 10:00 (Central European Summer Time)",
           "meeting_url": "https://meet.example/abc", "subject": "Energy audit"}  # fmt: skip
STAFF_NOTICE = {"site_title": "Voltaic Systems", "lead_kind": "registrations", "about": "Energy monitoring 101",
                "studio_url": "https://forms.example.com/admin/leads/registrations/7"}  # fmt: skip
# What each kind's template may use, with an example of each (the preview shows them).
VARIABLES = {
    "registration_confirmation": WEBINAR, "reminder": {**WEBINAR, "hours": 24},
    "webinar_changed": WEBINAR, "webinar_cancelled": WEBINAR, "recording": WEBINAR,
    "download_link": {**COMMON, "whitepaper_title": "ISO 50001 checklist",
                      "download_url": "https://forms.example.com/api/downloads/…", "link_hours": 24},
    "download_confirm": {**COMMON, "whitepaper_title": "ISO 50001 checklist",
                         "download_url": "https://forms.example.com/api/downloads/confirm/…", "link_hours": 24},
    "booking_received": BOOKING, "booking_confirmed": BOOKING, "booking_cancelled": BOOKING,
    "campaign": {**COMMON, "unsubscribe_url": WEBINAR["unsubscribe_url"]},
    "staff_digest": {"site_title": "Voltaic Systems", "day": "2031-06-03", "registrations": 4, "downloads": 12,
                     "bookings": 1, "studio_url": "https://forms.example.com/admin/"},
    "staff_new_lead": STAFF_NOTICE, "staff_assigned": {**STAFF_NOTICE, "lead_kind": "bookings", "about": "demo",
                                                      "studio_url": "https://forms.example.com/admin/leads/bookings/3"},
}  # fmt: skip


def template_name(kind: str) -> str:
    """Both reminders share one text; `hours` tells them apart."""
    return "reminder" if kind.startswith("reminder_") else kind


def default_source(name: str, lang: str) -> str | None:
    path = TEMPLATES / lang / f"{name}.txt"
    return path.read_text(encoding="utf-8") if path.exists() else None


def edited_source(conn: sqlite3.Connection, name: str, lang: str) -> str | None:
    row = conn.execute(
        "SELECT subject_template, text_template FROM email_templates WHERE name = ? AND language = ? "
        "AND is_active AND deleted_at IS NULL", (name, lang)).fetchone()  # fmt: skip
    return as_source(row[0], row[1]) if row else None


def as_source(subject: str, text: str) -> str:
    return f"{{% block subject %}}{subject}{{% endblock %}}\n{{% block text %}}{text}{{% endblock %}}\n"


def render(conn: sqlite3.Connection, kind: str, lang: str, values: dict) -> tuple[str, str]:
    """(subject, plain text) in `lang`: an admin's edit, else the shipped file, else English."""
    return render_source(current_source(conn, template_name(kind), lang), values)


def current_source(conn: sqlite3.Connection, name: str, lang: str) -> str:
    return (
        edited_source(conn, name, lang) or default_source(name, lang) or default_source(name, "en")
    )


def render_source(source: str, values: dict) -> tuple[str, str]:
    template = ENVIRONMENT.from_string(source)
    context = template.new_context(values)
    subject = " ".join("".join(template.blocks["subject"](context)).split())
    text = "".join(template.blocks["text"](context)).strip() + "\n"
    return subject, text


def problem(name: str, subject: str, text: str) -> str | None:
    """Why an edited text cannot be used (None: it renders with its kind's variables)."""
    try:
        rendered_subject, rendered_text = render_source(as_source(subject, text), VARIABLES[name])
    except TemplateError as error:  # syntax, unknown variable, and the sandbox's SecurityError
        line = f" (line {error.lineno})" if getattr(error, "lineno", None) else ""
        return f"{type(error).__name__}{line}: {error.message or error}"
    if not rendered_subject or not rendered_text.strip():
        return "the subject and the text may not be empty"
    return None
