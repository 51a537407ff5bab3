"""/admin/account: what each staff member sets for themselves (the studio's language)."""

from flask import abort, flash, g, redirect, render_template, request, url_for

from service.db import write

from . import bp
from .audit import staff_audit
from .i18n import STAFF_LANGUAGES, catalog


@bp.route("/account", methods=["GET", "POST"])
def account():
    if request.method == "GET":
        return render_template("admin/account.html", languages=STAFF_LANGUAGES)
    language = request.form.get("language", "")
    if language not in STAFF_LANGUAGES:
        abort(422)
    with write() as conn:
        conn.execute("UPDATE admin_users SET language = ? WHERE id = ?", (language, g.staff.id))
        staff_audit(conn, "account.language", target_table="admin_users", target_id=g.staff.id,
                    language=language)  # fmt: skip
    flash(catalog(language).gettext("Saved."), "ok")
    return redirect(url_for("admin.account"), 303)
