"""One-click unsubscribe (RFC 8058) from the links in mail.

Corporate mail scanners open every link in a mail, so GET only shows a page whose button does
it (a POST); mail clients that support RFC 8058 POST `List-Unsubscribe=One-Click` to the same
address themselves. The signed token names the address, so nobody can unsubscribe anyone else.
"""

from flask import Blueprint, current_app, request
from markupsafe import escape

from database import outbox, routes
from database.timestamps import utc_now
from service.db import write
from service.unsubscribe import unsubscribed_email

from .i18n import message, request_language

bp = Blueprint("unsubscribe", __name__)


@bp.route(routes.unsubscribe("<token>"), methods=["GET", "POST"])
def unsubscribe(token: str):
    lang = request_language(request.args.get("lang"))
    email = unsubscribed_email(current_app.config["MAGNETIQ"].secret_key, token)
    if email is None:
        return page(lang, message(lang, "unsubscribe_invalid")), 403
    if request.method == "GET":
        return page(
            lang, message(lang, "unsubscribe_question"), button=message(lang, "unsubscribe_button")
        )
    with write() as conn:
        outbox.suppress(conn, email, "unsubscribed", utc_now())
    return page(lang, message(lang, "unsubscribe_done"))


def page(lang: str, text: str, button: str | None = None) -> str:
    """A page of its own, so it needs no site around it; the form posts back to this address."""
    form = (f'<form method="post"><input type="hidden" name="List-Unsubscribe" value="One-Click">'
            f"<button>{escape(button)}</button></form>") if button else ""  # fmt: skip
    title = escape(message(lang, "unsubscribe_title"))
    return (f'<!doctype html><html lang="{escape(lang)}"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f'<meta name="robots" content="noindex"><title>{title}</title></head>'
            f"<body><main><h1>{title}</h1><p>{escape(text)}</p>{form}</main></body></html>")  # fmt: skip
