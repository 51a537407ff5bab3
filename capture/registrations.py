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
            webinar_id = find_webinar(conn, slug)
            body, status = store(conn, webinar_id, screened.values, screened.lang, screened.thanks)
            remember_answer(conn, screened.submission.idempotency_key, form.endpoint, status, body)
            if status == 201:
                take_seat(conn, webinar_id)
    except Refused as reason:
        return refused(screened.lang, reason.status, reason.key, screened.form_page(form))
    return succeeded(body, status)


def find_webinar(conn, slug: str) -> int:
    row = conn.execute(
        "SELECT id FROM webinars WHERE slug = ? AND deleted_at IS NULL", (slug,)
    ).fetchone()
    if row is None:
        raise Refused(404, "error_not_found")
    return row["id"]


def store(conn, webinar_id: int, values: dict, lang: str, thanks: dict) -> tuple[dict, int]:
    """The registration and everything it brings (its mail, consent, staff notice), or the
    answer to someone already registered. Whether a seat is left is decided last (`take_seat`)."""
    now = utc_now()
    inserted = conn.execute(
        "INSERT INTO webinar_registrations (webinar_id, first_name, last_name, email, company, job_title, "
        "phone, registration_source, utm_source, utm_medium, utm_campaign, registered_at) "
        "VALUES (:webinar_id, :first_name, :last_name, :email, :company, :job_title, :phone, :source, "
        ":utm_source, :utm_medium, :utm_campaign, :now) "
        "ON CONFLICT (webinar_id, email) DO NOTHING RETURNING id",
        {
            **dict.fromkeys(ALLOWED),
            **values,
            "webinar_id": webinar_id,
            "source": source(),
            "now": to_sqlite(now),
        },  # fmt: skip
    ).fetchone()
    if inserted is None:
        return success_body(
            lang, "registration", message(lang, "already_registered"), "already_registered"
        ), 200
    lead = ("webinar_registrations", inserted[0])
    outbox.queue(conn, "registration_confirmation", values["email"], lang, now, lead=lead)
    welcome_lead(conn, values, lang, lead, now)
    return thanks, 201


def take_seat(conn, webinar_id: int) -> None:
    """The last step of a registration's transaction; raising rolls all of it back.

    It locks the webinar's row (SQLite: the whole database is this transaction's already) and
    counts the seats taken, the new registration among them, so no other worker on any machine
    can count at the same time. Taken last, the lock is held for two statements and the commit
    rather than for the whole registration. `NO KEY UPDATE`: the lock other registrations'
    foreign keys take on the row (`KEY SHARE`) does not block it, so two of them cannot deadlock.
    """
    webinar = conn.execute(
        "SELECT * FROM webinars WHERE id = ?" + for_update(conn), (webinar_id,)
    ).fetchone()
    registered = conn.execute(
        "SELECT count(*) FROM webinar_registrations WHERE webinar_id = ?", (webinar_id,)
    ).fetchone()[0]
    reason = refusal(webinar, registered - 1, utc_now())
    if reason:
        raise reason
