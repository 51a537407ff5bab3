"""POST /api/webinars/<slug>/registrations: register for a webinar, at most once per email."""

from functools import partial

from flask import Blueprint

from database import outbox, routes
from database.connection import for_update
from database.publishing import webinar_state
from database.timestamps import from_sqlite, to_sqlite, utc_now
from service.db import write

from .answers import refused, succeeded, success_body
from .forms import LEAD
from .i18n import message
from .submission import Form, Screened, remember_answer, screen, source, welcome_lead

bp = Blueprint("registrations", __name__)
ALLOWED = {f.name for f in LEAD}


class Refused(Exception):
    def __init__(self, status: int, key: str):
        super().__init__(key)
        self.status, self.key = status, key


REFUSALS = {"cancelled": "webinar_cancelled", "completed": "webinar_completed",
            "deadline": "webinar_deadline", "closed": "webinar_closed", "full": "webinar_full"}  # fmt: skip


def refusal(webinar, registered: int, now) -> Refused | None:
    """The webinar's state by the site's own rule: the service refuses what the page does not offer."""
    if webinar is None:
        return Refused(404, "error_not_found")
    state = webinar_state(
        status=webinar["status"],
        starts=from_sqlite(webinar["scheduled_at"]),
        duration_minutes=webinar["duration_minutes"],
        registration_enabled=bool(webinar["registration_enabled"]),
        deadline=from_sqlite(webinar["registration_deadline"])
        if webinar["registration_deadline"]
        else None,
        registered=registered,
        capacity=webinar["max_participants"],
        now=now,
    )
    return Refused(409, REFUSALS[state]) if state in REFUSALS else None


@bp.post(routes.registrations_api("<slug>"))
def register(slug: str):
    form = Form(f"registration:{slug}", "webinar_registrations", LEAD, "registration",
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
    """Inside one write transaction that holds the webinar's row (SQLite: the whole database),
    so the capacity count cannot race another worker, on this machine or another."""
    webinar = conn.execute(
        "SELECT * FROM webinars WHERE slug = ? AND deleted_at IS NULL" + for_update(conn), (slug,)
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
    now = utc_now()
    registration_id = conn.execute(
        "INSERT INTO webinar_registrations (webinar_id, first_name, last_name, email, company, job_title, "
        "phone, registration_source, utm_source, utm_medium, utm_campaign, registered_at) "
        "VALUES (:webinar_id, :first_name, :last_name, :email, :company, :job_title, :phone, :source, "
        ":utm_source, :utm_medium, :utm_campaign, :now) RETURNING id",
        {
            **dict.fromkeys(ALLOWED),
            **values,
            "webinar_id": webinar["id"],
            "source": source(),
            "now": to_sqlite(now),
        },  # fmt: skip
    ).fetchone()[0]
    lead = ("webinar_registrations", registration_id)
    outbox.queue(conn, "registration_confirmation", values["email"], lang, now, lead=lead)
    welcome_lead(conn, values, lang, lead, now)
    return thanks, 201
