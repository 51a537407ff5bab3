"""The staff admin at /admin/: sign-in, leads, bookings workflow, analytics, privacy requests."""

from flask import Blueprint, abort, g, redirect, request, url_for

from database.timestamps import utc_now

from ..db import write
from .leads import detail_columns, heading
from .security import LOGIN_CSRF_COOKIE, add_admin_headers, csrf_ok, may, session_csrf_token
from .sessions import COOKIE, current_staff

bp = Blueprint(
    "admin", __name__, url_prefix="/admin", template_folder="templates", static_folder="static"
)
PUBLIC = {"admin.login", "admin.static"}


@bp.before_request
def load_staff():
    """Every admin request: a valid session (idle and absolute expiry checked now) and CSRF."""
    g.staff = None
    if request.endpoint in PUBLIC:
        if request.method == "POST" and not csrf_ok(request.cookies.get(LOGIN_CSRF_COOKIE)):
            abort(400, "the form expired; reload the page")
        return None
    with write() as conn:
        g.staff = current_staff(conn, request.cookies.get(COOKIE), utc_now())
    if g.staff is None:
        target = (
            request.full_path.rstrip("?") if request.method == "GET" else url_for("admin.dashboard")
        )
        return redirect(url_for("admin.login", next=target))
    if request.method == "POST" and not csrf_ok(session_csrf_token(g.staff.token_hash)):
        abort(400, "the form expired; reload the page")
    return None


@bp.context_processor
def template_helpers():
    staff = getattr(g, "staff", None)
    return {
        "staff": staff,
        "may": may if staff else (lambda role: False),
        "csrf_token": session_csrf_token(staff.token_hash) if staff else "",
        "heading": heading,
        "detail_columns": detail_columns,
    }


bp.after_request(add_admin_headers)

from . import admin_views, auth_views, lead_views  # noqa: E402, F401  (routes register on bp)

__all__ = ["bp"]
