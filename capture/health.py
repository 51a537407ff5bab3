"""GET /api/health and GET /api/openapi.json."""

import sqlite3

from flask import Blueprint, jsonify

from database import consent
from database.connection import probe_writable
from service.db import get_db

from .openapi import openapi_document

bp = Blueprint("health", __name__)


@bp.get("/api/health")
def health():
    """Reachable and writable: takes the write lock for a moment and releases it."""
    try:
        conn = get_db()
        conn.execute("SELECT count(*) FROM system_settings").fetchone()
        probe_writable(conn)
    except sqlite3.Error as error:
        return jsonify({"status": "unavailable", "database": str(error)}), 503, {"Retry-After": "5"}
    return jsonify({"status": "ok", "database": "writable"})


@bp.get("/api/openapi.json")
def openapi():
    return jsonify(openapi_document(consent.versions(get_db())))
