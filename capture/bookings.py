"""POST /api/bookings: a consultation request with a lead score staff can sort by."""

from flask import Blueprint

from database.timestamps import to_sqlite, utc_now

from .answers import invalid, succeeded, success_body
from .db import get_db, write
from .forms import BOOKING, CONTACT, TRACKING, lead_score, parse, preferred_time
from .i18n import message, request_language
from .registrations import source
from .submission import forbidden_fields, previous_answer, read_submission, remember_answer

bp = Blueprint("bookings", __name__)
FIELDS = BOOKING + CONTACT + TRACKING
ALLOWED = {f.name for f in FIELDS}


@bp.post("/api/bookings")
def book():
    submission = read_submission("booking")
    lang = request_language(submission.fields.get("lang"))
    form_page = f"/{lang}/book/"
    body = success_body(lang, "booking", message(lang, "thanks_booking_text"))
    if submission.is_bot:
        return succeeded(body)
    conn = get_db()
    replay = previous_answer(conn, submission.idempotency_key)
    if replay:
        return replay
    values, errors = parse(
        submission.fields, FIELDS, lang, forbidden_fields(conn, "bookings", ALLOWED)
    )
    when, date_error = preferred_time(values, lang, utc_now())
    if date_error:
        errors["preferred_date"] = date_error
    if errors:
        return invalid(lang, errors, form_page)
    with write() as conn:
        conn.execute(
            "INSERT INTO bookings (first_name, last_name, email, company, job_title, phone, booking_type, "
            "preferred_date, duration_minutes, timezone, subject, message, budget_range, urgency, lead_score, "
            "lead_source, utm_source, utm_medium, utm_campaign) VALUES (:first_name, :last_name, :email, "
            ":company, :job_title, :phone, :booking_type, :when, :duration, :timezone, :subject, :message, "
            ":budget_range, :urgency, :score, :source, :utm_source, :utm_medium, :utm_campaign)",
            {**dict.fromkeys(ALLOWED), **values, "when": to_sqlite(when), "duration": int(values.get("duration_minutes", 30)),
             "score": lead_score(values), "source": source()},
        )  # fmt: skip
        remember_answer(conn, submission.idempotency_key, "booking", 201, body)
    return succeeded(body)
