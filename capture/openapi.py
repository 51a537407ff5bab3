"""The OpenAPI 3.1 description of the capture API, built from the same field lists it validates."""

from .events import EVENT_TYPES, MAX_BATCH, REFERRER_LIMIT, TEXT_LIMITS
from .forms import BOOKING, CONTACT, TRACKING, Field

CONTROL_PROPERTIES = {
    "lang": {
        "type": "string",
        "description": "Language of the answer and of error messages (else Accept-Language).",
    },
    "website": {
        "type": "string",
        "description": "Honeypot: must stay empty; a filled one is answered as success and nothing is stored.",
    },
    "form_started_ms": {
        "type": "string",
        "description": "Milliseconds the visitor spent on the form (set by the site's script); under the minimum, nothing is stored.",
    },
}


def schema(fields: tuple[Field, ...]) -> dict:
    properties = {}
    for field in fields:
        prop = {"type": "string", "maxLength": field.max_length}
        if field.choices:
            prop["enum"] = list(field.choices)
        if field.name == "email":
            prop["format"] = "email"
        if field.name == "preferred_date":
            prop["description"] = (
                "Local wall-clock time YYYY-MM-DDTHH:MM in `timezone`; must be in the future."
            )
        if field.name == "timezone":
            prop["description"] = "IANA time zone, e.g. Europe/Berlin."
        properties[field.name] = prop
    properties.update(CONTROL_PROPERTIES)
    return {
        "type": "object",
        "properties": properties,
        "required": [field.name for field in fields if field.required],
        "description": "Other columns of the lead table (status, lead_score, attended, …) are refused with 422; unknown fields are ignored.",
    }


def message_response(description: str) -> dict:
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Message"}}},
    }


COMMON_ERRORS = {
    "400": message_response("The body is not a form or a JSON object."),
    "413": message_response("The body is larger than the limit (64 KiB)."),
    "422": {
        "description": "Field errors, each naming the field in the visitor's language.",
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/FieldErrors"}}},
    },
    "429": message_response("Too many requests from this address; see Retry-After."),
    "503": message_response(
        "The database is busy, full or read-only; nothing was stored; see Retry-After."
    ),
}
FORM_NOTE = (
    "Send JSON (the site's script) for JSON answers, or a form-encoded body (a plain HTML form) to be "
    "answered with 303 See Other: to the thank-you page on success, back to the form page "
    "(#error-<field>) on errors. An Idempotency-Key header makes retries safe."
)


def form_operation(
    summary: str, fields: tuple[Field, ...], success: str, extra: dict | None = None
) -> dict:
    body = schema(fields)
    return {
        "summary": summary,
        "description": FORM_NOTE,
        "parameters": [{"name": "Idempotency-Key", "in": "header", "required": False, "schema": {"type": "string", "maxLength": 200}}],
        "requestBody": {"required": True, "content": {
            "application/json": {"schema": body},
            "application/x-www-form-urlencoded": {"schema": body},
        }},
        "responses": {
            "201": {"description": success, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Success"}}}},
            "303": {"description": "Plain form: redirect to the thank-you page, or back to the form with the error."},
            **(extra or {}),
            **COMMON_ERRORS,
        },
    }  # fmt: skip


def openapi_document() -> dict:
    event_properties = {"event_type": {"type": "string", "enum": list(EVENT_TYPES)},
                        "referrer": {"type": "string", "maxLength": REFERRER_LIMIT}}  # fmt: skip
    event_properties.update(
        {name: {"type": "string", "maxLength": limit} for name, limit in TEXT_LIMITS.items()}
    )
    event = {"type": "object", "properties": event_properties, "required": ["event_type"]}
    slug = {
        "name": "slug",
        "in": "path",
        "required": True,
        "schema": {"type": "string", "pattern": "^[a-z0-9-]+$"},
    }
    return {
        "openapi": "3.1.0",
        "info": {"title": "Magnetiq capture API", "version": "1"},
        "paths": {
            "/api/webinars/{slug}/registrations": {"post": {
                "parameters": [slug],
                **form_operation("Register for a webinar", CONTACT + TRACKING, "Registered.", {
                    "200": {"description": "Already registered with this email: the existing registration is kept.",
                            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Success"}}}},
                    "404": message_response("No such webinar."),
                    "409": message_response("Cancelled, completed, registration closed, deadline passed, or full."),
                }),
            }},
            "/api/whitepapers/{slug}/downloads": {"post": {
                "parameters": [slug],
                **form_operation("Request a gated whitepaper", CONTACT + TRACKING,
                                 "Recorded; `download_url` is a signed link valid for 24 hours (a plain form is redirected to it).",
                                 {"404": message_response("No such published whitepaper.")}),
            }},
            "/api/downloads/{token}": {"get": {
                "summary": "Download a whitepaper with a signed link",
                "parameters": [{"name": "token", "in": "path", "required": True, "schema": {"type": "string"}}],
                "responses": {
                    "200": {"description": "The file, as an attachment.", "content": {"application/pdf": {}}},
                    "403": message_response("The link was tampered with."),
                    "404": message_response("The whitepaper is no longer published."),
                    "410": message_response("The link has expired."),
                },
            }},
            "/api/whitepapers/{slug}/file": {"get": {
                "summary": "Download a whitepaper that needs no registration",
                "parameters": [slug],
                "responses": {
                    "200": {"description": "The file, as an attachment.", "content": {"application/pdf": {}}},
                    "403": message_response("This whitepaper requires the form."),
                    "404": message_response("No such published whitepaper."),
                },
            }},
            "/api/bookings": {"post": form_operation("Request a consultation", BOOKING + CONTACT + TRACKING, "Booking request stored (status pending).")},
            "/api/events": {"post": {
                "summary": "Record analytics events (navigator.sendBeacon)",
                "description": f"One event or a list of up to {MAX_BATCH}. text/plain bodies are accepted so beacons need no CORS preflight. "
                               "Requests with DNT: 1 or Sec-GPC: 1, and from known bots, are answered 204 and not recorded.",
                "requestBody": {"required": True, "content": {
                    "text/plain": {"schema": {"oneOf": [event, {"type": "array", "items": event, "maxItems": MAX_BATCH}]}},
                    "application/json": {"schema": {"oneOf": [event, {"type": "array", "items": event, "maxItems": MAX_BATCH}]}},
                }},
                "responses": {"204": {"description": "Recorded (or deliberately not recorded)."},
                              "400": message_response("Not JSON, or an empty or too large batch."),
                              "422": message_response("An event is invalid."), "429": COMMON_ERRORS["429"],
                              "413": COMMON_ERRORS["413"], "503": COMMON_ERRORS["503"]},
            }},
            "/api/health": {"get": {"summary": "Database reachable and writable", "responses": {
                "200": {"description": "Healthy."}, "503": {"description": "The database cannot be written."}}}},
            "/api/openapi.json": {"get": {"summary": "This document", "responses": {"200": {"description": "OpenAPI 3.1"}}}},
        },
        "components": {"schemas": {
            "Message": {"type": "object", "properties": {"status": {"type": "string"}, "error": {"type": "string"},
                                                         "message": {"type": "string"}}},
            "Success": {"type": "object", "properties": {
                "status": {"type": "string", "enum": ["ok", "already_registered"]}, "message": {"type": "string"},
                "redirect_to": {"type": "string", "format": "uri"}, "download_url": {"type": "string", "format": "uri"},
                "download_label": {"type": "string"}}, "required": ["status", "message", "redirect_to"]},
            "FieldErrors": {"type": "object", "properties": {"errors": {"type": "object", "additionalProperties": {"type": "string"}}},
                            "required": ["errors"]},
        }},
    }  # fmt: skip
