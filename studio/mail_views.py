"""/admin/mail: what the outbox holds and what became of it, and (under `serve`) the mail the
local catcher caught, so staff can see that leads hear from them."""

from flask import abort, current_app, render_template

from mailer.catcher import caught
from service.db import get_db

from . import bp

SHOWN = 100


@bp.get("/mail")
def mail():
    config = current_app.config["MAGNETIQ"]
    conn = get_db()
    counts = dict(
        conn.execute("SELECT status, count(*) FROM mail_outbox GROUP BY status").fetchall()
    )
    rows = conn.execute(
        "SELECT id, kind, recipient, language, status, attempts, last_error, subject, send_after, sent_at "
        "FROM mail_outbox ORDER BY id DESC LIMIT ?", (SHOWN,)).fetchall()  # fmt: skip
    catcher = config.mail_catcher
    return render_template("admin/mail.html", counts=counts, rows=rows, smtp=bool(config.smtp_url),
                           caught=caught(catcher)[:SHOWN] if catcher and catcher.exists() else None)  # fmt: skip


@bp.get("/mail/caught/<key>")
def caught_message(key: str):
    catcher = current_app.config["MAGNETIQ"].mail_catcher
    found = dict(caught(catcher)) if catcher and catcher.exists() else {}
    if key not in found:
        abort(404)
    message = found[key]
    text = message.get_body(("plain",))
    attachments = [part.get_filename() for part in message.iter_attachments()]
    return render_template("admin/caught.html", message=message, attachments=attachments,
                           text=text.get_content() if text else "")  # fmt: skip
