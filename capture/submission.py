"""What every lead form does before its own work: read the body, spot bots, replay repeats.

The order matters: bots get a normal-looking success and nothing is stored; a repeated
submission (same Idempotency-Key, or the same plain form posted twice) gets the first answer.
"""

import hashlib
import json
import sqlite3
from dataclasses import dataclass

from flask import current_app, jsonify, redirect, request

from .answers import wants_json
from .forms import CONTROL_FIELDS


class BadRequest(Exception):
    """The body could not be read as a form or a JSON object."""


@dataclass(frozen=True)
class Submission:
    fields: dict
    idempotency_key: str
    is_bot: bool


def read_body() -> dict:
    if not wants_json():
        return {key: request.form.get(key) for key in request.form}
    try:
        data = json.loads(request.get_data(cache=True) or b"null")
    except (ValueError, RecursionError) as error:
        raise BadRequest(str(error)) from error
    if not isinstance(data, dict):
        raise BadRequest("expected a JSON object")
    return data


def read_submission(endpoint: str) -> Submission:
    fields = read_body()
    honeypot = fields.get("website")
    started = fields.get("form_started_ms")
    too_fast = False
    if isinstance(started, str | int) and str(started).isdigit():
        too_fast = int(started) < current_app.config["MAGNETIQ"].min_fill_ms
    header = request.headers.get("Idempotency-Key", "")
    if header and len(header) <= 200 and header.isprintable():
        key = f"key:{endpoint}:{header}"
    else:  # a plain form has no header: the same post from the same address is the same lead
        payload = {k: v for k, v in fields.items() if k not in ("form_started_ms",)}
        fingerprint = json.dumps(
            [endpoint, payload, request.remote_addr], sort_keys=True, default=str
        )
        key = "form:" + hashlib.sha256(fingerprint.encode("utf-8", "surrogatepass")).hexdigest()
    return Submission(fields, key, bool(honeypot) or too_fast)


def previous_answer(conn: sqlite3.Connection, key: str):
    row = conn.execute(
        "SELECT status_code, response FROM idempotency_keys WHERE key = ?", (key,)
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
    """Written in the lead's own transaction: the lead and its answer commit together."""
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
        _columns[table] = frozenset(
            row["name"] for row in conn.execute(f"PRAGMA table_info({table})")
        )
    return _columns[table]
