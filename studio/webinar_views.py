"""/admin/webinars: editors schedule and describe webinars and move them through their states."""

from flask import abort, flash, g, redirect, render_template, request, url_for

from database import routes
from database.timestamps import utc_now
from database.wallclock import IANA_ZONES
from service.db import get_db, write

from . import bp, revisions
from .audit import staff_audit
from .building import languages as ordered_languages
from .building import request_build, site
from .i18n import _
from .kinds import KINDS
from .labels import label
from .library import MediaChoices
from .pages import translations
from .saving import save
from .security import may, require
from .webinars import (
    TEXT_FIELDS,
    TRANSITIONS,
    WebinarForm,
    change_status,
    create_webinar,
    slug_taken,
    update_webinar,
    with_offset,
)


@bp.get("/webinars")
def webinars():
    trash = request.args.get("state") == "trash"
    rows = (
        get_db()
        .execute(
            "SELECT w.id, w.slug, w.title, w.status, w.scheduled_at, w.timezone, w.max_participants, "
            "(SELECT count(*) FROM webinar_registrations r WHERE r.webinar_id = w.id) AS registered "
            f"FROM webinars w WHERE w.deleted_at IS {'NOT ' if trash else ''}NULL ORDER BY w.scheduled_at DESC"
        )
        .fetchall()
    )
    language = site().default_language
    listed = [
        {"row": row, "title": translations(row["title"]).get(language) or row["slug"],
         "when": with_offset(row["scheduled_at"], row["timezone"] if row["timezone"] in IANA_ZONES else "UTC")}
        for row in rows
    ]  # fmt: skip
    return render_template("admin/webinars.html", webinars=listed, trash=trash)


@bp.route("/webinars/new", methods=["GET", "POST"])
@require("editor")
def new_webinar():
    if request.method == "GET":
        return webinar_editor(WebinarForm(), None)
    form = WebinarForm.from_submission(
        request.form, site().languages, site().default_language, MediaChoices.read(get_db())
    )
    webinar_id, refused = save_webinar(None, form)
    if refused:
        return refused
    flash(_("Webinar saved. It is on the site after the next build (Build now)."), "ok")
    return redirect(url_for("admin.edit_webinar", webinar_id=webinar_id), 303)


@bp.route("/webinars/<int:webinar_id>", methods=["GET", "POST"])
def edit_webinar(webinar_id: int):
    row = get_db().execute("SELECT * FROM webinars WHERE id = ?", (webinar_id,)).fetchone()
    if row is None:
        abort(404)
    if request.method == "GET":
        return webinar_editor(WebinarForm.from_row(row), row)
    if not may("editor"):
        abort(403)
    if row["deleted_at"]:
        abort(409)  # restore it from the trash first
    form = WebinarForm.from_submission(
        request.form, site().languages, site().default_language, MediaChoices.read(get_db())
    )
    _saved, refused = save_webinar(webinar_id, form, row)
    if refused:
        return refused
    flash(_("Saved. The site shows the change after the next build (Build now)."), "ok")
    return redirect(url_for("admin.edit_webinar", webinar_id=webinar_id), 303)


def save_webinar(webinar_id: int | None, form: WebinarForm, row=None):
    return save("webinars", webinar_id, form, slug_taken=slug_taken, insert=create_webinar, update=update_webinar,
                show=webinar_editor, from_row=WebinarForm.from_row, row=row)  # fmt: skip


def webinar_editor(form: WebinarForm, row, theirs: WebinarForm | None = None):
    languages = ordered_languages()
    registered = (
        get_db().execute("SELECT count(*) FROM webinar_registrations WHERE webinar_id = ?", (row["id"],)).fetchone()[0]
        if row else 0
    )  # fmt: skip
    return render_template("admin/webinar_edit.html", form=form, row=row, theirs=theirs, languages=languages,
                           media=MediaChoices.read(get_db()),
                           fields=TEXT_FIELDS, zones=sorted(IANA_ZONES), registered=registered,
                           next_statuses=TRANSITIONS.get(row["status"], ()) if row else (),
                           kind=KINDS["webinars"], required=("title",),
                           outdated=revisions.outdated_languages(get_db(), "webinars", row["id"], languages[0],
                                                                 ("title", "description")) if row else set(), state="trash" if row and row["deleted_at"] else "published",
                           live_url=row and site().site_url + routes.webinar(site().default_language, row["slug"]))  # fmt: skip


@bp.post("/webinars/<int:webinar_id>/status")
@require("editor")
def webinar_status(webinar_id: int):
    new = request.form.get("status", "")
    with write() as conn:
        problem = change_status(conn, webinar_id, new, request.form.get("confirm") == "1")
        if problem is None:
            revisions.record(
                conn,
                "webinars",
                webinar_id,
                g.staff.id,
                g.staff.email,
                utc_now(),
                note=f"status {new}",
            )
            staff_audit(
                conn, "webinar.status", target_table="webinars", target_id=webinar_id, status=new
            )
    if problem:
        flash(_("Not changed: %(reason)s.", reason=problem), "error")
    else:
        flash(_("The webinar is %(status)s now.", status=label(new)), "ok")
        request_build()
    return redirect(url_for("admin.edit_webinar", webinar_id=webinar_id), 303)


@bp.post("/webinars/<int:webinar_id>/build")
@require("editor")
def build_for_webinar(webinar_id: int):
    request_build()
    return redirect(url_for("admin.edit_webinar", webinar_id=webinar_id), 303)
