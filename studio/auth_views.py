"""/admin/login, /admin/logout, /admin/logout-everywhere."""

from flask import current_app, g, make_response, redirect, render_template, request, url_for

from database.timestamps import utc_now
from service.db import get_db, write

from . import bp
from .audit import audit, staff_audit
from .auth import check_credentials, record_attempt
from .i18n import _
from .labels import N_
from .security import LOGIN_CSRF_COOKIE, new_login_csrf_token
from .sessions import ABSOLUTE, COOKIE, end_all_sessions, end_session, start_session

FAILED = N_("The email or password is wrong, or the account cannot sign in right now.")


def safe_next(target: str | None) -> str:
    """Only a path inside the admin: never another site."""
    if (
        target
        and target.startswith("/admin/")
        and not target.startswith("//")
        and "\\" not in target
    ):
        return target
    return url_for("admin.dashboard")


def login_page(error: str | None = None, status: int = 200):
    token = new_login_csrf_token()
    response = make_response(render_template("admin/login.html", error=error, login_csrf=token,
                                             next=request.values.get("next", "")), status)  # fmt: skip
    response.set_cookie(LOGIN_CSRF_COOKIE, token, httponly=True, samesite="Strict", path="/admin/",
                        secure=secure_cookies())  # fmt: skip
    return response


def secure_cookies() -> bool:
    return current_app.config["MAGNETIQ"].production


@bp.route("/login", methods=["GET", "POST"])
def login():
    if request.method == "GET":
        return login_page()
    email, password = request.form.get("email", "")[:320], request.form.get("password", "")[:1024]
    now, ip, agent = utc_now(), request.remote_addr, request.user_agent.string
    attempt = check_credentials(get_db(), email, password, now)  # bcrypt, outside the write lock
    with write() as conn:
        result = record_attempt(conn, attempt, now)
        if result.outcome == "ok":
            token = start_session(conn, result.user_id, now, agent, ip)
            audit(
                conn,
                "auth.sign_in",
                actor_id=result.user_id,
                actor_label=email.strip().lower(),
                ip=ip,
            )
        else:
            audit(conn, "auth.lockout" if result.outcome == "locked_now" else "auth.sign_in_failed",
                  actor_id=result.user_id, actor_label=email.strip().lower()[:320], ip=ip, reason=result.outcome)  # fmt: skip
    if result.outcome != "ok":
        return login_page(_(FAILED))
    response = redirect(safe_next(request.form.get("next")), 303)
    response.set_cookie(COOKIE, token, httponly=True, samesite="Strict", path="/admin/",
                        secure=secure_cookies(), max_age=int(ABSOLUTE.total_seconds()))  # fmt: skip
    response.delete_cookie(LOGIN_CSRF_COOKIE, path="/admin/")
    return response


@bp.post("/logout")
def logout():
    with write() as conn:
        end_session(conn, g.staff.session_id)
        staff_audit(
            conn,
            "auth.sign_out",
        )
    response = redirect(url_for("admin.login"), 303)
    response.delete_cookie(COOKIE, path="/admin/")
    return response


@bp.post("/logout-everywhere")
def logout_everywhere():
    with write() as conn:
        ended = end_all_sessions(conn, g.staff.id)
        staff_audit(conn, "auth.sign_out_everywhere", sessions=ended)
    response = redirect(url_for("admin.login"), 303)
    response.delete_cookie(COOKIE, path="/admin/")
    return response
