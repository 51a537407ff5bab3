"""The OpenAPI 3.1 description of the capture API, built from the same field lists it validates."""

from .events import EVENT_TYPES, MAX_BATCH, PATTERNS, REFERRER_LIMIT, TEXT_LIMITS
from .forms import BOOKING_FORM, LEAD, SINGLE_LINE_TEXT, Field
from .submission import IDEMPOTENCY_KEY

LANG = {
    "lang": {"description": "Language of the answer and of error messages (else Accept-Language)."}
}


def schema(fields: tuple[Field, ...], nullable: bool, consent_versions: list[int]) -> dict:
    """The body of a form; `nullable`: JSON can say null, a web form only empty."""
    properties = {field.name: field.json_schema(nullable) for field in fields}
    properties["marketing_consent"] = {
        "type": ["string", "null"] if nullable else "string",
        "enum": [*map(str, consent_versions), "", *([None] if nullable else [])],
        "description": "Marketing consent: the version of the wording the visitor ticked, one the site offers in the "
        "request's language (the forms' checkbox carries it); empty or left out: no consent.",
    }  # fmt: skip
    properties.update(LANG)
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
    "400": message_response(
        "The body is not a form or a JSON object, or the Idempotency-Key is not up to 200 printable ASCII characters."
    ),
    "413": message_response("The body is larger than the limit (64 KiB)."),
    "415": message_response("The body is neither JSON nor a web form."),
    "422": {
        "description": "Field errors, each naming the field in the visitor's language.",
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/FieldErrors"}}},
    },
    "429": message_response("Too many requests from this address; see Retry-After."),
    "503": message_response(
        "Maintenance mode, or the database is busy, full or read-only; nothing was stored; see Retry-After."
    ),
}
TOKEN = {"name": "token", "in": "path", "required": True, "schema": {"type": "string"}}
PAGE_RESPONSES = {
    "200": {"description": "A page in the reader's language.", "content": {"text/html": {}}},
    "403": {"description": "The link was tampered with.", "content": {"text/html": {}}},
    "429": COMMON_ERRORS["429"],
}
EXPIRED_PAGE = {"description": "The link has expired.", "content": {"text/html": {}}}
CLOSED = message_response("The site's forms are closed (a setting staff switch in the studio).")
FORM_NOTE = (
    "Send JSON for JSON answers. A web form posted by a browser (one that asks for HTML) is "
    "answered with 303 See Other: to the thank-you page on success, back to the form page "
    "(#error-<field>) on errors; a form-encoded post that prefers JSON gets JSON. An "
    "Idempotency-Key header makes retries safe. The site's own forms also send two bot checks "
    "(a honeypot and the time spent on the form), which API clients leave out: a request that "
    "trips one is answered like a success and stores nothing."
)


SLUG = {
    "name": "slug",
    "in": "path",
    "required": True,
    "schema": {"type": "string", "pattern": "^[a-z0-9-]+$"},
}


def form_operation(summary: str, fields: tuple[Field, ...], success: str, consent_versions: list[int],
                   extra: dict | None = None, path_parameters: tuple[dict, ...] = ()) -> dict:  # fmt: skip
    return {
        "summary": summary,
        "description": FORM_NOTE,
        "parameters": [*path_parameters, {"name": "Idempotency-Key", "in": "header", "required": False,
                                          "schema": {"type": "string", "pattern": IDEMPOTENCY_KEY.pattern}}],
        "requestBody": {"required": True, "content": {
            "application/json": {"schema": schema(fields, True, consent_versions)},
            "application/x-www-form-urlencoded": {"schema": schema(fields, False, consent_versions)},
        }},
        "responses": {
            "201": {"description": success, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Success"}}}},
            "303": {"description": "Plain form: redirect to the thank-you page, or back to the form with the error."},
            **(extra or {}),
            **COMMON_ERRORS,
        },
    }  # fmt: skip


def openapi_document(consent_versions: list[int]) -> dict:
    """`consent_versions`: the marketing-consent wordings the site has (database/consent.py)."""
    limits = {**TEXT_LIMITS, "referrer": REFERRER_LIMIT}
    event_properties = {"event_type": {"type": "string", "enum": list(EVENT_TYPES)}}
    event_properties.update(
        {name: {"type": ["string", "null"], "maxLength": limit, "pattern": PATTERNS.get(name, SINGLE_LINE_TEXT)}
         for name, limit in limits.items()}
    )  # fmt: skip
    event = {"type": "object", "properties": event_properties, "required": ["event_type"]}
    batch = {"type": "array", "items": event, "minItems": 1, "maxItems": MAX_BATCH}
    return {
        "openapi": "3.1.0",
        "info": {"title": "Magnetiq capture API", "version": "1"},
        "paths": {
            "/api/webinars/{slug}/registrations": {"post": {
                **form_operation("Register for a webinar", LEAD, "Registered.", consent_versions, path_parameters=(SLUG,), extra={
                    "200": {"description": "Already registered with this email: the existing registration is kept.",
                            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Success"}}}},
                    "404": message_response("No such webinar."),
                    "409": message_response("Cancelled, completed, registration closed, deadline passed, full, or the site's forms are closed."),
                }),
            }},
            "/api/whitepapers/{slug}/downloads": {"post": {
                **form_operation("Request a gated whitepaper", LEAD,
                                 "Recorded; `download_url` is a signed link valid for 24 hours (a plain form is redirected to it).",
                                 consent_versions, extra={"404": message_response("No such published whitepaper."), "409": CLOSED},
                                 path_parameters=(SLUG,)),
            }},
            "/api/downloads/{token}": {"get": {
                "summary": "Download a whitepaper with a signed link",
                "parameters": [{"name": "token", "in": "path", "required": True, "schema": {"type": "string"}}],
                "responses": {
                    "200": {"description": "The file, as an attachment.", "content": {"application/pdf": {}}},
                    "403": message_response("The link was tampered with."),
                    "404": message_response("The whitepaper is no longer published."),
                    "410": message_response("The link has expired."),
                    "503": COMMON_ERRORS["503"],
                },
            }},
            "/api/downloads/confirm/{token}": {
                "get": {
                    "summary": "The page a double opt-in mail links to",
                    "description": "Changes nothing: mail scanners open every link. Its button posts to the same address.",
                    "parameters": [TOKEN], "responses": {**PAGE_RESPONSES, "410": EXPIRED_PAGE},
                },
                "post": {
                    "summary": "Confirm the address and go on to the download",
                    "parameters": [TOKEN],
                    "responses": {"303": {"description": "Confirmed: on to the signed download link."},
                                  "403": PAGE_RESPONSES["403"], "410": EXPIRED_PAGE, "429": COMMON_ERRORS["429"]},
                },
            },
            "/api/unsubscribe/{token}": {
                "get": {
                    "summary": "The unsubscribe page a mail links to",
                    "description": "Changes nothing: mail scanners open every link. Its button posts to the same address.",
                    "parameters": [TOKEN], "responses": PAGE_RESPONSES,
                },
                "post": {
                    "summary": "Unsubscribe from reminders and news (RFC 8058 one-click)",
                    "description": "Mail clients post `List-Unsubscribe=One-Click`; any body is accepted. The signed token names the address.",
                    "parameters": [TOKEN], "responses": PAGE_RESPONSES,
                },
            },
            "/api/whitepapers/{slug}/file": {"get": {
                "summary": "Download a whitepaper that needs no registration",
                "parameters": [SLUG],
                "responses": {
                    "200": {"description": "The file, as an attachment.", "content": {"application/pdf": {}}},
                    "403": message_response("This whitepaper requires the form."),
                    "503": COMMON_ERRORS["503"],
                    "404": message_response("No such published whitepaper."),
                },
            }},
            "/api/bookings": {"post": form_operation("Request a consultation", BOOKING_FORM, "Booking request stored (status pending).",
                                                  consent_versions, extra={"409": CLOSED})},
            "/api/events": {"post": {
                "summary": "Record analytics events (navigator.sendBeacon)",
                "description": f"One event or a list of up to {MAX_BATCH}. text/plain bodies are accepted so beacons need no CORS preflight. "
                               "Requests with DNT: 1 or Sec-GPC: 1, and from known bots, are answered 204 and not recorded.",
                "requestBody": {"required": True, "content": {
                    "text/plain": {"schema": {"oneOf": [event, batch]}},
                    "application/json": {"schema": {"oneOf": [event, batch]}},
                }},
                "responses": {"204": {"description": "Recorded (or deliberately not recorded)."},
                              "400": message_response("Not JSON, or an empty or too large batch."),
                              "422": message_response("An event is invalid."), "429": COMMON_ERRORS["429"],
                              "413": COMMON_ERRORS["413"], "415": COMMON_ERRORS["415"], "503": COMMON_ERRORS["503"]},
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
