"""The capture service: the static site's forms and beacon post here; leads go into SQLite."""

import sqlite3

from flask import Flask, current_app, g, jsonify, request
from werkzeug.exceptions import RequestEntityTooLarge

from database.counters import counters_path
from database.site import read_switches
from service.config import Config, ConfigError
from service.db import get_db, unavailable
from service.ratelimit import make_limiter
from service.setup import base_app

from . import bookings, downloads, events, health, registrations, unsubscribe
from .answers import refused
from .i18n import message, request_language
from .submission import BadIdempotencyKey, BadRequest, UnsupportedBody, previous_answer

__all__ = ["Config", "ConfigError", "create_app"]


def create_app(config: Config | None = None) -> Flask:
    """App factory; refuses to start (ConfigError) on a missing secret or a damaged database."""
    config = config or Config.from_environment()
    app = base_app(__name__, config)
    app.config.update(MAX_CONTENT_LENGTH=config.max_body_bytes)
    app.config["ALLOWED_ORIGINS"] = allowed_origins(app.config["SITE"].site_origin, config)
    limiter = make_limiter(counters_path(config.database), config.secret_key)
    limiter.init_app(app)
    for blueprint in (registrations.bp, downloads.bp, bookings.bp, events.bp, unsubscribe.bp):
        limiter.limit(config.rate_limit, exempt_when=lambda: request.method == "OPTIONS")(blueprint)
        app.register_blueprint(blueprint)
    app.register_blueprint(health.bp)
    app.before_request(refuse_while_closed)
    app.after_request(add_headers)
    register_error_handlers(app)
    return app


LEAD_FORMS = frozenset({"registrations", "downloads", "bookings"})


def refuse_while_closed():
    """What staff switch in the studio holds at once, without a restart: maintenance mode
    answers 503 on every endpoint but health and the API document; closed registration
    answers 409 on the lead forms."""
    if request.blueprint not in LEAD_FORMS | {"events"} or request.method == "OPTIONS":
        return None
    registration_enabled, maintenance_mode = read_switches(get_db())
    if maintenance_mode:
        return refused(request_language(), 503, "error_maintenance", **{"Retry-After": "300"})
    if not registration_enabled and request.blueprint in LEAD_FORMS and request.method == "POST":
        return refused(request_language(), 409, "forms_closed")
    return None


def allowed_origins(site_origin: str, config: Config) -> frozenset[str]:
    origins = {site_origin, *config.extra_origins}
    if not config.production:  # local preview: the same site under either loopback name
        origins |= {o.replace("://localhost", "://127.0.0.1") for o in origins}
        origins |= {o.replace("://127.0.0.1", "://localhost") for o in origins}
    return frozenset(origins)


def add_headers(response):
    """CORS for the site's own origins only (on errors too), and no sniffing or framing."""
    origin = request.headers.get("Origin")
    if origin and origin in current_app.config["ALLOWED_ORIGINS"]:
        response.headers["Access-Control-Allow-Origin"] = origin
        response.headers["Access-Control-Allow-Methods"] = "GET, POST, OPTIONS"
        response.headers["Access-Control-Allow-Headers"] = "Content-Type, Idempotency-Key"
        response.headers["Access-Control-Max-Age"] = "600"
    response.headers.add("Vary", "Origin")
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["X-Frame-Options"] = "DENY"
    response.headers["Referrer-Policy"] = "strict-origin-when-cross-origin"
    return response


def register_error_handlers(app: Flask) -> None:
    def answer(status: int, key: str, **headers):
        lang = request_language()
        response = jsonify({"status": "error", "error": key, "message": message(lang, key)})
        response.status_code = status
        response.headers.update(headers)
        return response

    @app.errorhandler(BadRequest)
    def bad_body(_error):
        return answer(400, "error_form")

    @app.errorhandler(BadIdempotencyKey)
    def bad_idempotency_key(_error):
        return answer(400, "error_idempotency_key")

    @app.errorhandler(UnsupportedBody)
    def unsupported_body(_error):
        return answer(415, "error_media_type")

    @app.errorhandler(RequestEntityTooLarge)
    def too_large(_error):
        return answer(413, "error_too_large")

    @app.errorhandler(429)
    def too_many(error):
        limit = getattr(error, "limit", None)
        window = limit.limit.get_expiry() if limit is not None else 60
        return answer(429, "error_rate_limited", **{"Retry-After": str(window)})

    @app.errorhandler(404)
    def not_found(_error):
        return answer(404, "error_not_found")

    @app.errorhandler(405)
    def not_allowed(error):
        """RFC 9110: a 405 says which methods the resource does allow."""
        response = jsonify({"status": "error", "error": "method_not_allowed"})
        response.status_code = 405
        response.headers["Allow"] = ", ".join(error.valid_methods or ())
        return response

    @app.errorhandler(sqlite3.IntegrityError)
    def lost_race(error):
        """Two copies of one submission at once: the one that stored first answers for both."""
        key = g.get("idempotency_key")
        replay = (
            previous_answer(get_db(), key) if key and "idempotency_keys" in str(error) else None
        )
        if replay is None:
            raise error
        return replay

    @app.errorhandler(sqlite3.Error)
    def database_unavailable(error):
        if unavailable(error):
            return answer(503, "error_busy", **{"Retry-After": "2"})
        raise error
