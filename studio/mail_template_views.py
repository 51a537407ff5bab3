"""/admin/mail/templates: admins change what each kind of message says, per language. An edit
is checked in the sandbox with every variable its kind offers before it is saved; the page
shows the result with example values, and "Back to the default" removes the edit."""

import json
import re

from flask import abort, flash, g, redirect, render_template, request, url_for

from database import outbox
from database.timestamps import to_sqlite, utc_now
from mailer.templating import VARIABLES, as_source, default_source, problem, render_source
from service.db import get_db, write

from . import bp
from .audit import staff_audit
from .building import languages
from .i18n import _
from .security import require

BLOCK = re.compile(r"{%\s*block (subject|text)\s*%}(.*?){%\s*endblock\s*%}", re.S)


def blocks(source: str) -> dict[str, str]:
    return {name: body for name, body in BLOCK.findall(source)}


def current(name: str, lang: str) -> tuple[dict[str, str], bool]:
    """({subject, text}, edited?) as messages in `lang` use them now."""
    row = get_db().execute(
        "SELECT subject_template, text_template FROM email_templates WHERE name = ? AND language = ? "
        "AND deleted_at IS NULL", (name, lang)).fetchone()  # fmt: skip
    if row:
        return {"subject": row[0], "text": row[1]}, True
    return blocks(default_source(name, lang) or default_source(name, "en") or ""), False


@bp.get("/mail/templates")
@require("admin")
def mail_templates():
    edited = {tuple(row) for row in get_db().execute(
        "SELECT name, language FROM email_templates WHERE deleted_at IS NULL AND language IS NOT NULL")}  # fmt: skip
    return render_template("admin/mail_templates.html", names=sorted(VARIABLES), languages=languages(),
                           edited=edited)  # fmt: skip


@bp.route("/mail/templates/<name>/<lang>", methods=["GET", "POST"])
@require("admin")
def mail_template(name: str, lang: str):
    if name not in VARIABLES or lang not in languages():
        abort(404)
    texts, edited = current(name, lang)
    if request.method == "POST":
        texts = {
            key: request.form.get(key, "").replace("\r\n", "\n") for key in ("subject", "text")
        }
    error = problem(name, texts.get("subject", ""), texts.get("text", ""))
    if request.method == "POST" and error is None:
        save(name, lang, texts)
        flash(
            _("Saved. Messages of this kind in %(lang)s use the new text from now on.", lang=lang),
            "ok",
        )
        return redirect(url_for("admin.mail_template", name=name, lang=lang), 303)
    preview = (
        None
        if error
        else render_source(as_source(texts["subject"], texts["text"]), VARIABLES[name])
    )
    status = 422 if error and request.method == "POST" else 200
    return render_template("admin/mail_template.html", name=name, lang=lang, texts=texts, edited=edited,
                           error=error, preview=preview, variables=sorted(VARIABLES[name])), status  # fmt: skip


def save(name: str, lang: str, texts: dict[str, str]) -> None:
    with write() as conn:
        conn.execute(
            "INSERT INTO email_templates (name, language, category, subject_template, html_template, "
            "text_template, variables, created_by, is_active, created_at) VALUES (?, ?, ?, ?, '', ?, ?, ?, TRUE, ?) "
            "ON CONFLICT (name, language) WHERE deleted_at IS NULL DO UPDATE SET "
            "subject_template = excluded.subject_template, text_template = excluded.text_template",
            (name, lang, "notification" if name.startswith("staff_") else "transactional", texts["subject"],
             texts["text"], json.dumps(sorted(VARIABLES[name])), g.staff.id, to_sqlite(utc_now())),
        )  # fmt: skip
        staff_audit(
            conn, "mail_template.update", target_table="email_templates", name=name, language=lang
        )


@bp.post("/mail/templates/<name>/<lang>/test")
@require("admin")
def mail_template_test(name: str, lang: str):
    """The text as it is saved, with its example values, to the admin's own address."""
    if name not in VARIABLES or lang not in languages():
        abort(404)
    with write() as conn:
        outbox.queue(
            conn, "template_test", g.staff.email, lang, utc_now(), payload={"template": name}
        )
    flash(
        _(
            "A test is on its way to %(email)s (the worker sends it within seconds).",
            email=g.staff.email,
        ),
        "ok",
    )
    return redirect(url_for("admin.mail_template", name=name, lang=lang), 303)


@bp.post("/mail/templates/<name>/<lang>/default")
@require("admin")
def mail_template_default(name: str, lang: str):
    with write() as conn:
        conn.execute("DELETE FROM email_templates WHERE name = ? AND language = ?", (name, lang))
        staff_audit(
            conn, "mail_template.default", target_table="email_templates", name=name, language=lang
        )
    flash(_("Back to the default text."), "ok")
    return redirect(url_for("admin.mail_template", name=name, lang=lang), 303)
