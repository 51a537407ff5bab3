"""/admin/webhooks: admins name the addresses that hear of each new lead and status change
(Slack, Zapier, n8n, a CRM), see every delivery and send one again."""

import json
import secrets
from urllib.parse import urlsplit

from flask import abort, flash, g, redirect, render_template, request, url_for

from database.timestamps import to_sqlite, utc_now
from database.webhooks import EVENTS
from service.db import get_db, write

from . import bp
from .audit import staff_audit
from .i18n import _
from .security import require

SHOWN = 100


def url_problem(url: str) -> str | None:
    parts = urlsplit(url)
    if len(url) > 500 or parts.scheme not in ("http", "https") or not parts.hostname:
        return _("an http(s) address such as https://hooks.example.com/magnetiq")
    return None


@bp.route("/webhooks", methods=["GET", "POST"])
@require("admin")
def webhooks():
    error, form = None, {"url": "", "events": list(EVENTS)}
    if request.method == "POST":
        form = {
            "url": request.form.get("url", "").strip(),
            "events": [e for e in EVENTS if request.form.get(e) == "1"],
        }
        error = url_problem(form["url"]) or (
            None if form["events"] else _("choose at least one event")
        )
        if error is None:
            with write() as conn:
                hook_id = conn.execute(
                    "INSERT INTO webhooks (url, events, secret, created_by, created_at) VALUES (?, ?, ?, ?, ?) RETURNING id",
                    (form["url"], json.dumps(form["events"]), secrets.token_urlsafe(32), g.staff.id,
                     to_sqlite(utc_now())),
                ).fetchone()[0]  # fmt: skip
                staff_audit(conn, "webhook.create", target_table="webhooks", target_id=hook_id)
            flash(_("Added. Its secret signs every delivery; give it to the receiver."), "ok")
            return redirect(url_for("admin.webhooks"), 303)
    conn = get_db()
    hooks = conn.execute("SELECT * FROM webhooks ORDER BY id").fetchall()
    deliveries = conn.execute(
        "SELECT d.id, d.event, d.lead_table, d.lead_id, d.status, d.attempts, d.response_status, d.last_error, "
        "d.created_at, d.delivered_at, w.url FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id "
        "ORDER BY d.id DESC LIMIT ?", (SHOWN,)).fetchall()  # fmt: skip
    return render_template("admin/webhooks.html", hooks=hooks, deliveries=deliveries, events=EVENTS,
                           form=form, error=error, loads=json.loads), 422 if error else 200  # fmt: skip


@bp.post("/webhooks/<int:hook_id>/<any(enable, disable, delete):action>")
@require("admin")
def change_webhook(hook_id: int, action: str):
    with write() as conn:
        if action == "delete":
            changed = conn.execute("DELETE FROM webhooks WHERE id = ?", (hook_id,)).rowcount
        else:
            changed = conn.execute("UPDATE webhooks SET is_active = ? WHERE id = ?",
                                   (int(action == "enable"), hook_id)).rowcount  # fmt: skip
        if not changed:
            abort(404)
        staff_audit(conn, f"webhook.{action}", target_table="webhooks", target_id=hook_id)
    return redirect(url_for("admin.webhooks"), 303)


@bp.post("/webhooks/deliveries/<int:delivery_id>/again")
@require("admin")
def send_again(delivery_id: int):
    with write() as conn:
        changed = conn.execute(
            "UPDATE webhook_deliveries SET status = 'queued', attempts = 0, send_after = ?, claim = NULL, "
            "claimed_until = NULL WHERE id = ? AND status IN ('delivered', 'failed')",
            (to_sqlite(utc_now()), delivery_id),
        ).rowcount
        if changed:
            staff_audit(
                conn, "webhook.send_again", target_table="webhook_deliveries", target_id=delivery_id
            )
    flash(_("Queued again: the worker sends it within seconds.") if changed else _("Not queued: it is still on its way."),
          "ok" if changed else "error")  # fmt: skip
    return redirect(url_for("admin.webhooks"), 303)
