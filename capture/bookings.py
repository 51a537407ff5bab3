"""POST /api/bookings: a consultation request with a lead score staff can sort by."""

from flask import Blueprint

from database import outbox, routes
from database.timestamps import to_sqlite, utc_now
from service.db import write

from .answers import succeeded
from .forms import BOOKING_FORM, lead_score, preferred_time
from .submission import Form, Screened, remember_answer, screen, source, welcome_lead

bp = Blueprint("bookings", __name__)
ALLOWED = {f.name for f in BOOKING_FORM}  # every column the form may fill, for the INSERT


@bp.post(routes.bookings_api())
def book():
    form = Form(
        "booking", "bookings", BOOKING_FORM, "booking", "thanks_booking_text", routes.booking
    )
    now = utc_now()

    def time_errors(values: dict, lang: str) -> dict:
        error = preferred_time(values, lang, now)[1]
        return {"preferred_date": error} if error else {}

    screened = screen(form, time_errors)
    if not isinstance(screened, Screened):
        return screened
    values, body = screened.values, screened.thanks
    when = preferred_time(values, screened.lang, now)[0]
    with write() as conn:
        booking_id = conn.execute(
            "INSERT INTO bookings (first_name, last_name, email, company, job_title, phone, booking_type, "
            "preferred_date, duration_minutes, timezone, subject, message, budget_range, urgency, lead_score, "
            "lead_source, utm_source, utm_medium, utm_campaign) VALUES (:first_name, :last_name, :email, "
            ":company, :job_title, :phone, :booking_type, :when, :duration, :timezone, :subject, :message, "
            ":budget_range, :urgency, :score, :source, :utm_source, :utm_medium, :utm_campaign) RETURNING id",
            {**dict.fromkeys(ALLOWED), **values, "when": to_sqlite(when), "duration": int(values.get("duration_minutes", 30)),
             "score": lead_score(values), "source": source()},
        ).fetchone()[0]  # fmt: skip
        lead = ("bookings", booking_id)
        outbox.queue(conn, "booking_received", values["email"], screened.lang, now, lead=lead)
        welcome_lead(conn, values, screened.lang, lead, now)
        remember_answer(conn, screened.submission.idempotency_key, form.endpoint, 201, body)
    return succeeded(body)
