"""POST /api/events: privacy-friendly page views and conversion events from the site's beacon.

Accepts `navigator.sendBeacon` bodies (text/plain JSON, so no CORS preflight) holding one event
or a small batch; a batch is written by one statement, all or nothing. Visitors who send
Do-Not-Track or Global Privacy Control, and known bots, are answered 204 and not recorded.
"""

import json
import re
from urllib.parse import urlsplit

from flask import Blueprint, current_app, jsonify, request

from database import routes
from database.timestamps import to_sqlite, utc_now
from service.db import write_page_views

from .forms import CONTROL_CHARACTERS, MULTILINE_ONLY, is_clean_text
from .privacy import daily_session_id, is_bot, opted_out, truncated_ip
from .submission import UnsupportedBody, request_body

bp = Blueprint("events", __name__)
EVENT_TYPES = ("page_view", "download", "registration", "booking")
MAX_BATCH = 25
REFERRER_LIMIT = 500
# Patterns both for checking and for the API document (read alike by Python and ECMAScript):
# single-line text without control characters, markup or backslashes.
EXCLUDED = CONTROL_CHARACTERS + MULTILINE_ONLY + r"\\"
# Empty means "not given", as for every other field.
PATTERNS = {
    "page_path": rf"^(/([^/{EXCLUDED}][^{EXCLUDED}]*)?)?$",  # a path on this site: never //host
    "referrer": rf"^([Hh][Tt][Tt][Pp][Ss]?://[^/?#\s\[\]{EXCLUDED}][^\[\]{EXCLUDED}]*)?$",
}
CHECKS = {name: re.compile(pattern) for name, pattern in PATTERNS.items()}
EXPECTED = {
    "page_path": "page_path must be a path on this site, starting with a single /",
    "referrer": "referrer must be an http or https address",
}
TEXT_LIMITS = {"event_category": 50, "event_action": 50, "event_label": 200, "page_path": 500,
               "utm_source": 200, "utm_medium": 200, "utm_campaign": 200, "utm_term": 200, "utm_content": 200}  # fmt: skip
COLUMNS = ("event_type", *TEXT_LIMITS, "referrer", "ip_address", "session_id", "user_agent",
           "created_at")  # fmt: skip


def clean_event(raw) -> tuple[dict | None, str | None]:
    if not isinstance(raw, dict):
        return None, "each event must be a JSON object"
    if raw.get("event_type") not in EVENT_TYPES:
        return None, f"event_type must be one of: {', '.join(EVENT_TYPES)}"
    event = {"event_type": raw["event_type"]}
    for name, limit in {**TEXT_LIMITS, "referrer": REFERRER_LIMIT}.items():
        value = raw.get(name)
        if value is None or value == "":
            continue
        if not isinstance(value, str) or len(value) > limit or not is_clean_text(value, False):
            return None, f"{name} must be single-line text of at most {limit} characters"
        if name in CHECKS and not CHECKS[name].match(value):
            return None, EXPECTED[name]
        event[name] = value
    if "referrer" in event:
        parts = urlsplit(event["referrer"])  # cannot fail: the pattern allows no [ or ]
        # keep where visitors came from, not their query strings
        event["referrer"] = f"{parts.scheme}://{parts.netloc}{parts.path}"
    return event, None


@bp.post(routes.events_api())
def record():
    agent = request.user_agent.string
    if opted_out(request.headers) or is_bot(agent):
        return "", 204
    if request.mimetype not in ("application/json", "text/plain"):
        raise UnsupportedBody(request.mimetype)
    try:
        payload = json.loads(request_body() or b"null")
    except (ValueError, RecursionError):
        return jsonify({"errors": {"body": "expected a JSON event or a list of events"}}), 400
    batch = payload if isinstance(payload, list) else [payload]
    if not batch or len(batch) > MAX_BATCH:
        return jsonify({"errors": {"body": f"send between 1 and {MAX_BATCH} events"}}), 400
    events = []
    for index, raw in enumerate(batch):
        event, error = clean_event(raw)
        if error:
            return jsonify({"errors": {f"events[{index}]": error}}), 422
        events.append(event)
    secret = current_app.config["MAGNETIQ"].secret_key
    now = utc_now()
    context = {
        "ip_address": truncated_ip(request.remote_addr),
        "session_id": daily_session_id(secret, request.remote_addr, agent, now.date()),
        "user_agent": agent[:300],
        "created_at": to_sqlite(now),
    }
    rows = [{**dict.fromkeys(COLUMNS), **event, **context} for event in events]
    write_page_views(  # one statement: the whole batch is stored, or none of it
        f"INSERT INTO analytics_events ({', '.join(COLUMNS)}) VALUES "
        + ", ".join([f"({', '.join('?' * len(COLUMNS))})"] * len(rows)),
        [row[column] for row in rows for column in COLUMNS],
    )
    return "", 204
