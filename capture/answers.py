"""How the service answers: JSON to the site's script, a 303 redirect to a plain HTML form.

Redirects only ever go to addresses built here from the site's own URL (its thank-you pages and
form pages); nothing in a request can choose where a visitor is sent.
"""

from flask import current_app, jsonify, redirect, request

from database import routes

from .i18n import message


def wants_json() -> bool:
    """JSON answers, except to a web form posted by a browser (which asks for HTML first).

    The site's script and API clients post JSON; a plain HTML form posts form-encoded and is
    answered with a 303 to a page. A client that posts a form but prefers JSON (or takes
    anything, like curl) gets JSON answers with their status codes.
    """
    if request.mimetype not in ("application/x-www-form-urlencoded", "multipart/form-data"):
        return True
    preferred = request.accept_mimetypes.best_match(["application/json", "text/html"], "text/html")
    return preferred == "application/json"


def site_address(path: str) -> str:
    return current_app.config["SITE"].site_url + path


def thank_you_page(lang: str, form: str) -> str:
    return site_address(routes.thank_you(lang, form))


def success_body(lang: str, form: str, text: str, status: str = "ok", **extra) -> dict:
    return {"status": status, "message": text, "redirect_to": thank_you_page(lang, form), **extra}


def succeeded(body: dict, status: int = 201):
    """JSON for scripts; a plain form is sent on to `redirect_to` (a page of the site, or a file)."""
    if wants_json():
        return jsonify(body), status
    return redirect(body["redirect_to"], 303)


def invalid(lang: str, errors: dict[str, str], form_page: str):
    """422 with every field error; a plain form goes back to its page, to the first error."""
    if wants_json():
        return jsonify({"errors": errors}), 422
    return redirect(site_address(f"{form_page}#error-{sorted(errors)[0]}"), 303)


def refused(lang: str, status: int, key: str, form_page: str | None = None, **headers):
    """The request was understood but cannot be honoured (full, closed, unknown, busy, ...)."""
    text = message(lang, key)
    if wants_json() or form_page is None:
        response = jsonify({"status": "refused", "error": key, "message": text})
        response.status_code = status
    else:
        response = redirect(site_address(f"{form_page}#error-unavailable"), 303)
    response.headers.update(headers)
    return response
