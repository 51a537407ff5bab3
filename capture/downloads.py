"""Gated whitepapers: a form post records the lead and answers with a signed, expiring link."""

from functools import partial
from pathlib import Path

from flask import Blueprint, current_app, redirect, request, send_file

from database import outbox, routes
from database.publishing import published
from database.site import double_opt_in
from database.timestamps import to_sqlite, utc_now
from service.db import get_db, write

from .answers import refused, succeeded, success_body
from .forms import LEAD
from .i18n import message, request_language
from .pages import simple_page
from .privacy import truncated_ip
from .submission import Form, Screened, remember_answer, screen, source, welcome_lead
from .tokens import CONFIRM_SALT, ExpiredToken, InvalidToken, make_token, read_token

bp = Blueprint("downloads", __name__)
CONFIRM_SECONDS = 7 * 24 * 3600  # a confirmation link in a mail works for a week
ALLOWED = {f.name for f in LEAD}
PUBLISHED = (
    "SELECT w.id, w.slug, w.requires_registration, m.file_path, m.mime_type FROM whitepapers w "
    f"JOIN media_files m ON m.id = w.file_id WHERE {published('w')} AND w.lead_magnet_active "
    "AND m.deleted_at IS NULL"
)


def download_url(download_id: int, whitepaper_id: int) -> str:
    """From configuration only: the request's Host header never chooses where a lead is sent."""
    token = make_token(current_app.config["MAGNETIQ"].secret_key, download_id, whitepaper_id)
    return current_app.config["SITE"].capture_url + routes.signed_download(token)


@bp.post(routes.downloads_api("<slug>"))
def request_download(slug: str):
    form = Form(f"download:{slug}", "whitepaper_downloads", LEAD, "download", "download_ready",
                partial(routes.whitepaper, slug=slug))  # fmt: skip
    screened = screen(form)
    if not isinstance(screened, Screened):
        return screened
    lang, values = screened.lang, screened.values
    with write() as conn:
        paper = conn.execute(
            f"{PUBLISHED} AND w.slug = :slug", {"now": to_sqlite(utc_now()), "slug": slug}
        ).fetchone()
        if paper is None:
            return refused(lang, 404, "error_not_found", screened.form_page(form))
        download_id = conn.execute(
            "INSERT INTO whitepaper_downloads (whitepaper_id, first_name, last_name, email, company, job_title, "
            "phone, download_ip, user_agent, download_source, utm_source, utm_medium, utm_campaign, downloaded_at) "
            "VALUES (:paper, :first_name, :last_name, :email, :company, :job_title, :phone, :ip, :agent, :source, "
            ":utm_source, :utm_medium, :utm_campaign, :now) RETURNING id",
            {**dict.fromkeys(ALLOWED), **values, "paper": paper["id"], "ip": truncated_ip(request.remote_addr),
             "agent": request.user_agent.string[:300] or None, "source": source(), "now": to_sqlite(utc_now())},
        ).fetchone()[0]  # fmt: skip
        conn.execute(
            "UPDATE whitepapers SET download_count = download_count + 1 WHERE id = ?",
            (paper["id"],),
        )
        lead, now = ("whitepaper_downloads", download_id), utc_now()
        if double_opt_in(conn):  # the link goes out only by mail, behind a confirmation
            token = make_token(
                current_app.config["MAGNETIQ"].secret_key, download_id, paper["id"], CONFIRM_SALT
            )
            confirm = f"{current_app.config['SITE'].capture_url}{routes.download_confirmation(token)}?lang={lang}"
            outbox.queue(
                conn,
                "download_confirm",
                values["email"],
                lang,
                now,
                lead=lead,
                payload={"url": confirm},
            )
            body = success_body(lang, "confirm", message(lang, "download_confirm_sent"))
        else:
            url = download_url(download_id, paper["id"])
            outbox.queue(
                conn, "download_link", values["email"], lang, now, lead=lead, payload={"url": url}
            )
            body = success_body(lang, "download", message(lang, "download_ready"), download_url=url,
                                download_label=message(lang, "download_now"), redirect_to=url)  # fmt: skip
        welcome_lead(conn, values, lang, lead, now)
        remember_answer(conn, screened.submission.idempotency_key, form.endpoint, 201, body)
    return succeeded(body)


@bp.get(routes.signed_download("<token>"))
def fetch(token: str):
    lang = request_language(request.args.get("lang"))
    config = current_app.config["MAGNETIQ"]
    try:
        data = read_token(config.secret_key, token, config.download_ttl_seconds)
    except ExpiredToken:
        return refused(lang, 410, "download_expired")
    except InvalidToken:
        return refused(lang, 403, "download_invalid")
    paper = (
        get_db()
        .execute(f"{PUBLISHED} AND w.id = :id", {"now": to_sqlite(utc_now()), "id": data["w"]})
        .fetchone()
    )
    if paper is None:
        return refused(lang, 404, "error_not_found")
    return send_whitepaper(paper)


@bp.route(routes.download_confirmation("<token>"), methods=["GET", "POST"])
def confirm_download(token: str):
    """Double opt-in: GET shows a button; its POST records the confirmation and sends the
    reader on to their signed download link."""
    lang = request_language(request.args.get("lang"))
    config = current_app.config["MAGNETIQ"]
    title = message(lang, "download_confirm_title")
    try:
        data = read_token(config.secret_key, token, CONFIRM_SECONDS, CONFIRM_SALT)
    except ExpiredToken:
        return simple_page(lang, title, message(lang, "download_expired")), 410
    except InvalidToken:
        return simple_page(lang, title, message(lang, "download_invalid")), 403
    if request.method == "GET":
        return simple_page(lang, title, message(lang, "download_confirm_question"),
                           button=message(lang, "download_confirm_button"))  # fmt: skip
    with write() as conn:
        conn.execute("UPDATE whitepaper_downloads SET confirmed_at = coalesce(confirmed_at, ?) WHERE id = ?",
                     (to_sqlite(utc_now()), data["d"]))  # fmt: skip
    return redirect(download_url(data["d"], data["w"]), 303)


@bp.get(routes.open_download_api("<slug>"))
def open_download(slug: str):
    """Whitepapers with requires_registration off: no form, the file itself."""
    lang = request_language(request.args.get("lang"))
    with write() as conn:
        paper = conn.execute(
            f"{PUBLISHED} AND w.slug = :slug", {"now": to_sqlite(utc_now()), "slug": slug}
        ).fetchone()
        if paper is None:
            return refused(lang, 404, "error_not_found")
        if paper["requires_registration"]:
            return refused(lang, 403, "download_invalid")
        conn.execute(
            "UPDATE whitepapers SET download_count = download_count + 1 WHERE id = ?",
            (paper["id"],),
        )
    return send_whitepaper(paper)


def send_whitepaper(paper):
    media_root = current_app.config["MAGNETIQ"].media.resolve()
    path = (media_root / paper["file_path"]).resolve()
    if not path.is_relative_to(media_root) or not path.is_file():
        return refused(request_language(), 404, "error_not_found")
    response = send_file(
        path,
        mimetype=paper["mime_type"],
        as_attachment=True,
        download_name=f"{paper['slug']}{Path(paper['file_path']).suffix}",
        max_age=0,
    )
    response.headers["Cache-Control"] = "private, no-store"
    return response
