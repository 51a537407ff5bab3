"""One-click unsubscribe (RFC 8058) from the links in mail.

Corporate mail scanners open every link in a mail, so GET only shows a page whose button does
it (a POST); mail clients that support RFC 8058 POST `List-Unsubscribe=One-Click` to the same
address themselves. The signed token names the address, so nobody can unsubscribe anyone else.
"""

from flask import Blueprint, current_app, request

from database import campaigns, outbox, routes
from database.timestamps import utc_now
from service.db import write
from service.unsubscribe import read_unsubscribe

from .i18n import message, request_language
from .pages import simple_page

bp = Blueprint("unsubscribe", __name__)


@bp.route(routes.unsubscribe("<token>"), methods=["GET", "POST"])
def unsubscribe(token: str):
    lang = request_language(request.args.get("lang"))
    asked = read_unsubscribe(current_app.config["MAGNETIQ"].secret_key, token)
    if asked is None:
        return page(lang, "unsubscribe_invalid"), 403
    if request.method == "GET":
        return page(lang, "unsubscribe_question", button=message(lang, "unsubscribe_button"))
    with write() as conn:
        if outbox.suppress(conn, asked.email, "unsubscribed", utc_now()) and asked.campaign:
            campaigns.count_unsubscribe(conn, asked.campaign)
    return page(lang, "unsubscribe_done")


def page(lang: str, key: str, button: str | None = None) -> str:
    return simple_page(lang, message(lang, "unsubscribe_title"), message(lang, key), button)
