"""The studio: the signed-in staff app at /admin/ (pages, webinars, site settings, leads,
bookings workflow, analytics, privacy requests, staff accounts). Its own Flask app beside the
public capture service, which never serves staff pages; it need not face the internet."""

from flask import (
    Blueprint,
    Flask,
    abort,
    flash,
    g,
    redirect,
    render_template,
    request,
    send_from_directory,
    url_for,
)

from database.counters import counters_path
from database.timestamps import utc_now
from generator.builder import BuildPaths
from generator.images import MAX_UPLOAD
from service.config import Config
from service.db import write
from service.ratelimit import make_limiter
from service.setup import base_app

from .i18n import _, install, say, staff_language
from .labels import label
from .leads import detail_columns, heading
from .security import LOGIN_CSRF_COOKIE, add_admin_headers, csrf_ok, may, session_csrf_token
from .sessions import COOKIE, current_staff
from .texts import number

bp = Blueprint(
    "admin", __name__, url_prefix="/admin", template_folder="templates", static_folder="static"
)
PUBLIC = {"admin.login", "admin.static"}
UPLOADS = {"admin.upload_media", "admin.replace_media"}  # may carry files up to MAX_UPLOAD
BUILT_FOLDERS = ("assets", "media")  # paths of output/ that previews load


@bp.before_request
def load_staff():
    """Every admin request: a valid session (idle and absolute expiry checked now) and CSRF."""
    g.staff = None
    if request.endpoint in PUBLIC:
        if request.method == "POST" and not csrf_ok(request.cookies.get(LOGIN_CSRF_COOKIE)):
            abort(400, _("the form expired; reload the page"))
        return None
    with write() as conn:
        g.staff = current_staff(conn, request.cookies.get(COOKIE), utc_now())
    if g.staff is None:
        target = (
            request.full_path.rstrip("?") if request.method == "GET" else url_for("admin.dashboard")
        )
        return redirect(url_for("admin.login", next=target))
    if request.endpoint in UPLOADS:  # signed-in staff only, and before the body is read
        request.max_content_length = MAX_UPLOAD
    if request.method == "POST" and not csrf_ok(session_csrf_token(g.staff.token_hash)):
        abort(400, _("the form expired; reload the page"))
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
        "label": label,
        "say": say,
        "number": number,
        "staff_language": staff_language(),
    }


bp.after_request(add_admin_headers)

from . import (  # noqa: E402, F401  (routes register on bp)
    account_views,
    admin_views,
    auth,
    auth_views,
    build_views,
    campaign_views,
    content_views,
    lead_views,
    mail_template_views,
    mail_views,
    media_views,
    page_views,
    settings_views,
    webhook_views,
    webinar_views,
    whitepaper_views,
)


def create_app(config: Config | None = None) -> Flask:
    """App factory; refuses to start (ConfigError) on a missing secret or a damaged database."""
    config = config or Config.from_environment()
    app = base_app(__name__, config)
    app.config.update(
        SECRET_KEY=config.secret_key,  # signs flash messages
        SESSION_COOKIE_PATH="/admin/",
        SESSION_COOKIE_SAMESITE="Strict",
        SESSION_COOKIE_SECURE=config.production,
        # A page body may be long; a field over its limit gets a field error, not a bare 413.
        MAX_CONTENT_LENGTH=8 * 1024 * 1024,
        MAX_FORM_MEMORY_SIZE=8 * 1024 * 1024,
    )
    limiter = make_limiter(counters_path(config.database), config.secret_key)
    limiter.init_app(app)
    # The sign-in throttle answers 429 before any password is hashed.
    limiter.limit(config.login_rate_limit, methods=["POST"],
                  exempt_when=lambda: request.endpoint != "admin.login")(bp)  # fmt: skip
    app.register_blueprint(bp)
    install(app.jinja_env)
    app.add_url_rule("/", "home", lambda: redirect(url_for("admin.dashboard")))
    app.register_error_handler(429, too_many_attempts)
    app.register_error_handler(413, too_large)
    # The preview's stylesheet, scripts and public media: the built site's own files.
    output = BuildPaths.default(config.database).output
    for folder in BUILT_FOLDERS:
        app.add_url_rule(f"/{folder}/<path:name>", folder,
                         lambda name, folder=folder: send_from_directory(output, f"{folder}/{name}"))  # fmt: skip
    auth.dummy_hash()  # made now, so no sign-in attempt pays for it (timing must not vary)
    return app


__all__ = ["bp"]


def too_many_attempts(error):
    """The sign-in throttle: say when to try again."""
    limit = getattr(error, "limit", None)
    window = limit.limit.get_expiry() if limit is not None else 60
    return render_template("admin/too_many.html", seconds=window), 429, {"Retry-After": str(window)}


def too_large(error):
    """A body over the limit: say so where the upload started, nothing is stored."""
    flash(_("Nothing was uploaded: the files together are larger than %(limit)s MB.",
            limit=MAX_UPLOAD // 1024 // 1024), "error")  # fmt: skip
    return redirect(url_for("admin.media_library"), 303)
