"""Dashboard, privacy requests, audit log and staff accounts."""

import json
from datetime import date, timedelta

from flask import Response, abort, flash, g, redirect, render_template, request, url_for

from database.numbers import whole_number
from database.timestamps import utc_now
from database.users import ROLES
from service.db import get_db, write

from . import bp
from .audit import staff_audit
from .charts import bar_chart
from .dashboard import dashboard_data
from .i18n import _
from .leads import MAX_PAGE, valid_date
from .privacy import erase_person, find_person
from .security import require
from .sessions import end_all_sessions


def date_range() -> tuple[date, date]:
    today = utc_now().date()
    end = request.args.get("to", "")
    start = request.args.get("from", "")
    end_day = date.fromisoformat(end) if valid_date(end) else today
    start_day = date.fromisoformat(start) if valid_date(start) else end_day - timedelta(days=29)
    if start_day > end_day or (end_day - start_day).days > 366:
        start_day = end_day - timedelta(days=29)
    return start_day, end_day


@bp.get("/")
def dashboard():
    start, end = date_range()
    data = dashboard_data(get_db(), start, end)
    charts = {name: bar_chart(data[name], title) for name, title in (
        ("page_views", _("Page views per day")), ("registrations", _("Registrations per day")),
        ("downloads", _("Downloads per day")), ("bookings", _("Bookings per day")))}  # fmt: skip
    return render_template("admin/dashboard.html", data=data, charts=charts, start=start, end=end)


def requested_email() -> str:
    """Privacy requests name a person by email: always in a POST body, never in an address
    (access logs keep addresses, also of people who asked to be erased)."""
    return request.form.get("email", "").strip()[:320]


@bp.route("/privacy", methods=["GET", "POST"])
@require("admin")
def privacy():
    email = requested_email() if request.method == "POST" else ""
    found = None
    if email:
        with write() as conn:
            found = find_person(conn, email)
            staff_audit(conn, "privacy.search", rows=sum(len(rows) for rows in found.values()))
    return render_template("admin/privacy.html", email=email, found=found)


@bp.post("/privacy/export")
@require("admin")
def privacy_export():
    email = requested_email()
    if not email:
        abort(400, _("which email address?"))
    with write() as conn:
        found = find_person(conn, email)
        staff_audit(conn, "privacy.export", rows=sum(len(rows) for rows in found.values()))
    body = json.dumps({"email": email.lower(), "exported_at": utc_now().isoformat(), "data": found},
                      ensure_ascii=False, indent=2, default=str)  # fmt: skip
    return Response(body, mimetype="application/json",
                    headers={"Content-Disposition": 'attachment; filename="personal-data.json"'})  # fmt: skip


@bp.post("/privacy/erase")
@require("admin")
def privacy_erase():
    email = requested_email()
    if not email or request.form.get("confirm") != "erase":
        flash(_("Tick the confirmation to erase."), "error")
        return privacy()
    with write() as conn:
        erased = erase_person(conn, email)
        # The audit entry records counts only: keeping the address would defeat the erasure.
        staff_audit(
            conn,
            "privacy.erase",
            **erased,
        )
    flash(_("Erased %(count)s rows.", count=sum(erased.values())), "ok")
    return redirect(url_for("admin.privacy"), 303)


@bp.get("/audit")
@require("admin")
def audit_log():
    page = whole_number(request.args.get("page", "1"), minimum=1, maximum=MAX_PAGE) or 1
    offset = (page - 1) * 100
    rows = (
        get_db()
        .execute("SELECT * FROM audit_log ORDER BY id DESC LIMIT 100 OFFSET ?", (offset,))
        .fetchall()
    )
    return render_template("admin/audit.html", rows=rows, page=offset // 100 + 1)


@bp.get("/users")
@require("admin")
def users():
    rows = (
        get_db()
        .execute(
            "SELECT id, email, first_name, last_name, role, is_active, last_login, locked_until FROM admin_users "
            "WHERE deleted_at IS NULL ORDER BY email"
        )
        .fetchall()
    )
    return render_template("admin/users.html", rows=rows, roles=ROLES)


@bp.post("/users/<int:user_id>")
@require("admin")
def change_user(user_id: int):
    role, active = request.form.get("role"), request.form.get("is_active") == "1"
    if role not in ROLES:
        abort(400, _("unknown role"))
    if user_id == g.staff.id and (role != "admin" or not active):
        flash(_("You cannot demote or deactivate yourself."), "error")
        return redirect(url_for("admin.users"), 303)
    with write() as conn:
        old = conn.execute(
            "SELECT role, is_active FROM admin_users WHERE id = ?", (user_id,)
        ).fetchone()
        if old is None:
            abort(404)
        conn.execute(
            "UPDATE admin_users SET role = ?, is_active = ? WHERE id = ?",
            (role, int(active), user_id),
        )
        if old["role"] != role:
            staff_audit(
                conn,
                "user.role",
                target_table="admin_users",
                target_id=user_id,
                old=old["role"],
                new=role,
            )
        if bool(old["is_active"]) != active:
            if not active:
                end_all_sessions(conn, user_id)
            staff_audit(
                conn, "user.active", target_table="admin_users", target_id=user_id, active=active
            )
    return redirect(url_for("admin.users"), 303)
