"""What every lead form does before its own work: read the body, spot bots, replay repeats.

The order matters: bots get a normal-looking success and nothing is stored; a repeated
submission (same Idempotency-Key, or the same plain form posted twice) gets the first answer.
"""

import hashlib
import json
import re
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import parse_qs, parse_qsl, urlsplit

from flask import Response, current_app, g, jsonify, redirect, request
from gunicorn.http.errors import ParseException

from database import consent, outbox
from database.catalog import table_columns as database_columns
from database.numbers import whole_number
from service.db import get_db

from .answers import invalid, succeeded, success_body, wants_json
from .forms import CONTROL_FIELDS, parse
from .i18n import field_error, message, request_language

REPLAY_WINDOW = "datetime('now', '-1 day')"  # repeats within a day are the same submission
# (SQLite's datetime(); the PostgreSQL schema defines the same function)


class BadRequest(Exception):
    """The body could not be read as a form or a JSON object."""


class BadIdempotencyKey(Exception):
    """An Idempotency-Key header that is too long or not plain text: answered 400."""


IDEMPOTENCY_KEY = re.compile(r"^[\x20-\x7e]{0,200}$")  # also in the API document


class UnsupportedBody(Exception):
    """The body is neither JSON nor a web form (its Content-Type says so): answered 415."""


# Raised while the server reads a broken body (a bad chunk size, a client gone mid-body).
UNREADABLE = (OSError, ValueError, ParseException)


def request_body() -> bytes:
    """The raw body, read once; one that cannot be read is a BadRequest, not a 500."""
    try:
        return request.get_data(cache=True)
    except UNREADABLE as error:
        raise BadRequest("the body could not be read") from error


@dataclass(frozen=True)
class Submission:
    fields: dict
    idempotency_key: str
    is_bot: bool


def read_body() -> dict:
    """A web form or a JSON object; any other Content-Type is refused, whatever the bytes hold."""
    if request.mimetype == "application/x-www-form-urlencoded":
        try:  # strict: a form whose bytes are not UTF-8 is refused, not stored as mojibake
            pairs = parse_qsl(request_body().decode("ascii"), keep_blank_values=True,
                              encoding="utf-8", errors="strict", max_num_fields=100)  # fmt: skip
        except (UnicodeDecodeError, ValueError) as error:
            raise BadRequest(str(error)) from error
        return dict(pairs)
    if request.mimetype == "multipart/form-data":
        try:
            return {key: request.form.get(key) for key in request.form}
        except UNREADABLE as error:
            raise BadRequest("the body could not be read") from error
    if request.mimetype != "application/json":
        raise UnsupportedBody(request.mimetype)
    try:
        data = json.loads(request_body() or b"null")
    except (ValueError, RecursionError) as error:
        raise BadRequest(str(error)) from error
    if not isinstance(data, dict):
        raise BadRequest("expected a JSON object")
    return data


UTM_FIELDS = ("utm_source", "utm_medium", "utm_campaign")


def utm_from_referer() -> dict:
    """Without JavaScript nobody copies the page's ?utm_… into the form: read them off the
    Referer, when it is a page of the site itself."""
    referer = request.headers.get("Referer", "")
    if not referer.startswith(current_app.config["SITE"].site_url + "/"):
        return {}
    query = parse_qs(urlsplit(referer).query)
    return {name: query[name][0] for name in UTM_FIELDS if query.get(name)}


def read_submission(endpoint: str) -> Submission:
    fields = read_body()
    for name, value in utm_from_referer().items():
        if not fields.get(name):
            fields[name] = value
    honeypot = fields.get("website")
    started = fields.get("form_started_ms")
    fill_ms = whole_number(started)
    too_fast = fill_ms is not None and fill_ms < current_app.config["MAGNETIQ"].min_fill_ms
    header = request.headers.get("Idempotency-Key", "")
    if not IDEMPOTENCY_KEY.match(header):
        raise BadIdempotencyKey(header)  # ignoring it would silently drop the client's guarantee
    if header:
        key = f"key:{endpoint}:{header}"
    else:  # without the header (a plain form): the same post from the same address, same lead
        payload = {k: v for k, v in fields.items() if k not in ("form_started_ms",)}
        fingerprint = json.dumps(
            [endpoint, payload, request.remote_addr], sort_keys=True, default=str
        )
        key = "form:" + hashlib.sha256(fingerprint.encode("utf-8", "surrogatepass")).hexdigest()
    g.idempotency_key = key  # for the answer to a request that lost the race to store it
    return Submission(fields, key, bool(honeypot) or too_fast)


def previous_answer(conn: sqlite3.Connection, key: str):
    """The first answer to this submission, if it came within the last day."""
    row = conn.execute(
        f"SELECT status_code, response FROM idempotency_keys WHERE key = ? AND created_at > {REPLAY_WINDOW}",
        (key,),
    ).fetchone()
    if row is None:
        return None
    body = json.loads(row["response"])
    if wants_json():
        return jsonify(body), row["status_code"]
    return redirect(body["redirect_to"], 303)


def remember_answer(
    conn: sqlite3.Connection, key: str, endpoint: str, status: int, body: dict
) -> None:
    """Written in the lead's own transaction: the lead and its answer commit together.

    A concurrent twin that stored first makes this INSERT fail, which rolls the lead back; the
    app then answers with the twin's answer (see `capture.register_error_handlers`).
    """
    conn.execute(
        f"DELETE FROM idempotency_keys WHERE key = ? AND created_at <= {REPLAY_WINDOW}", (key,)
    )
    conn.execute(
        "INSERT INTO idempotency_keys (key, endpoint, status_code, response) VALUES (?, ?, ?, ?)",
        (key, endpoint, status, json.dumps(body, ensure_ascii=False)),
    )


def forbidden_fields(conn: sqlite3.Connection, table: str, allowed: set[str]) -> set[str]:
    """Columns of `table` that a visitor must not set (status, lead_score, attended, ...)."""
    return table_columns(conn, table) - allowed - CONTROL_FIELDS


_columns: dict[str, frozenset[str]] = {}


def table_columns(conn: sqlite3.Connection, table: str) -> frozenset[str]:
    if table not in _columns:
        _columns[table] = frozenset(database_columns(conn, table))
    return _columns[table]


@dataclass(frozen=True)
class Form:
    """One lead form: where it stores, what it accepts, where its visitor goes."""

    endpoint: str  # scope of idempotency keys, e.g. "registration:<slug>"
    table: str  # the lead table: its other columns are refused
    fields: tuple
    kind: str  # registration, download or booking: picks the thank-you page
    thanks_key: str  # catalog key of the success message
    page: Callable[[str], str]  # language -> the form's page on the site (database/routes.py)


@dataclass(frozen=True)
class Screened:
    submission: Submission
    lang: str
    values: dict
    thanks: dict  # the success answer, for storing with the lead

    def form_page(self, form: Form) -> str:
        return form.page(self.lang)


def screen(form: Form, check: Callable[[dict, str], dict] | None = None) -> Screened | Response:
    """What every lead form does before storing: read, spot bots, replay repeats, validate.

    Returns the answer to send when the request ends here, else what to store. `check` adds
    errors that need several fields (e.g. a booking's time in its time zone).
    """
    submission = read_submission(form.endpoint)
    lang = request_language(submission.fields.get("lang"))
    thanks = success_body(lang, form.kind, message(lang, form.thanks_key))
    if submission.is_bot:  # looks like success, stores nothing
        return succeeded(thanks)
    conn = get_db()
    replay = previous_answer(conn, submission.idempotency_key)
    if replay:
        return replay
    allowed = {field.name for field in form.fields}
    values, errors = parse(
        submission.fields, form.fields, lang, forbidden_fields(conn, form.table, allowed)
    )
    if check and not errors:
        errors = check(values, lang)
    version = values.get("marketing_consent")
    if version is not None and not consent.wording_exists(conn, version, lang):
        errors["marketing_consent"] = field_error(lang, "error_choice", "marketing_consent")
    if errors:
        return invalid(lang, errors, form.page(lang))
    return Screened(submission, lang, values, thanks)


def source() -> str:
    """`website` for the site's own forms and script, `api` for other clients."""
    return (
        "website"
        if request.headers.get("Origin") or request.mimetype != "application/json"
        else "api"
    )


def welcome_lead(conn: sqlite3.Connection, values: dict, lang: str, lead: tuple[str, int],
                 now: datetime) -> None:  # fmt: skip
    """What every new lead brings besides its row and its own mail, in its transaction: the
    marketing consent it gave, and the news of it to staff and webhooks."""
    if (version := values.get("marketing_consent")) is not None:
        consent.record(conn, values["email"], version, lang, lead, now)
    outbox.announce_new_lead(conn, *lead, now)
