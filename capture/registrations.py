"""POST /api/webinars/<slug>/registrations: register for a webinar, at most once per email."""

from datetime import timedelta
from functools import partial

from flask import Blueprint

from database import routes
from database.timestamps import from_sqlite, to_sqlite, utc_now

from .answers import refused, succeeded, success_body
from .db import write
from .forms import CONTACT, TRACKING
from .i18n import message
from .submission import Form, Screened, remember_answer, screen, source

bp = Blueprint("registrations", __name__)
ALLOWED = {f.name for f in CONTACT + TRACKING}


class Refused(Exception):
    def __init__(self, status: int, key: str):
        super().__init__(key)
        self.status, self.key = status, key


def refusal(webinar, registered: int, now) -> Refused | None:
    if webinar is None:
        return Refused(404, "error_not_found")
    if webinar["status"] == "cancelled":
        return Refused(409, "webinar_cancelled")
    ends = from_sqlite(webinar["scheduled_at"]) + timedelta(
        minutes=webinar["duration_minutes"] or 60
    )
    if webinar["status"] == "completed" or now >= ends:
        return Refused(409, "webinar_completed")
    if not webinar["registration_enabled"]:
        return Refused(409, "webinar_closed")
    deadline = webinar["registration_deadline"]
    if deadline and now >= from_sqlite(deadline):
        return Refused(409, "webinar_deadline")
    if webinar["max_participants"] is not None and registered >= webinar["max_participants"]:
        return Refused(409, "webinar_full")
    return None


@bp.post(routes.registrations_api("<slug>"))
def register(slug: str):
    form = Form(f"registration:{slug}", "webinar_registrations", CONTACT + TRACKING, "registration",
                "thanks_registration_text", partial(routes.webinar, slug=slug))  # fmt: skip
    screened = screen(form)
    if not isinstance(screened, Screened):
        return screened
    try:
        with write() as conn:
            body, status = store(conn, slug, screened.values, screened.lang, screened.thanks)
            remember_answer(conn, screened.submission.idempotency_key, form.endpoint, status, body)
    except Refused as reason:
        return refused(screened.lang, reason.status, reason.key, screened.form_page(form))
    return succeeded(body, status)


def store(conn, slug: str, values: dict, lang: str, thanks: dict) -> tuple[dict, int]:
    """Inside one IMMEDIATE transaction, so the capacity count cannot race another worker."""
    webinar = conn.execute(
        "SELECT * FROM webinars WHERE slug = ? AND deleted_at IS NULL", (slug,)
    ).fetchone()
    if webinar is not None:
        existing = conn.execute(
            "SELECT id FROM webinar_registrations WHERE webinar_id = ? AND email = ?",
            (webinar["id"], values["email"]),
        ).fetchone()
        if existing:
            return success_body(
                lang, "registration", message(lang, "already_registered"), "already_registered"
            ), 200
    registered = 0
    if webinar is not None:
        registered = conn.execute(
            "SELECT count(*) FROM webinar_registrations WHERE webinar_id = ?", (webinar["id"],)
        ).fetchone()[0]
    reason = refusal(webinar, registered, utc_now())
    if reason:
        raise reason
    conn.execute(
        "INSERT INTO webinar_registrations (webinar_id, first_name, last_name, email, company, job_title, "
        "phone, registration_source, utm_source, utm_medium, utm_campaign, registered_at) "
        "VALUES (:webinar_id, :first_name, :last_name, :email, :company, :job_title, :phone, :source, "
        ":utm_source, :utm_medium, :utm_campaign, :now)",
        {
            **dict.fromkeys(ALLOWED),
            **values,
            "webinar_id": webinar["id"],
            "source": source(),
            "now": to_sqlite(utc_now()),
        },  # fmt: skip
    )
    return thanks, 201
