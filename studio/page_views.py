"""/admin/pages: editors list, write, translate and publish pages without SQL."""

from flask import abort, current_app, flash, g, redirect, render_template, request, url_for

from database import routes
from database.numbers import whole_number
from database.timestamps import utc_now
from database.wallclock import IANA_ZONES, WallClockError, local_to_utc
from generator.errors import BuildError
from generator.pipeline import BuildPaths, build_site
from generator.preview import preview_page
from service.db import get_db, write
from service.setup import current_site_settings

from . import bp, revisions
from .audit import staff_audit
from .leads import MAX_PAGE
from .pages import (
    SORTS,
    STATES,
    TEXT_FIELDS,
    PageForm,
    PageQuery,
    complete_languages,
    create_page,
    delete_for_good,
    link_targets,
    list_pages,
    move_to_trash,
    page_state,
    restore,
    schedule,
    set_publication,
    slug_taken,
    update_page,
)
from .saving import save
from .security import may, require


def site():
    """The settings as they are now (an admin may have changed the languages meanwhile), read
    once per request."""
    if "site" not in g:
        g.site = current_site_settings(get_db(), current_app.config["MAGNETIQ"])
    return g.site


def build_paths() -> BuildPaths:
    """Where `build` writes (MAGNETIQ_OUTPUT, MAGNETIQ_TEMPLATES): the same output/ as the CLI."""
    return BuildPaths.default(current_app.config["MAGNETIQ"].database)


def page_templates() -> list[str]:
    return sorted(p.stem for p in (build_paths().templates / "pages").glob("*.html"))


@bp.get("/pages")
def pages():
    query = PageQuery(
        state=request.args.get("state", "") if request.args.get("state") in STATES else "",
        q=request.args.get("q", "").strip()[:200],
        sort=request.args.get("sort", "updated")
        if request.args.get("sort") in SORTS
        else "updated",
        page=whole_number(request.args.get("page", "1"), minimum=1, maximum=MAX_PAGE) or 1,
    )
    now = utc_now()
    rows, total = list_pages(get_db(), query, now)
    listed = [
        {"row": row, "state": page_state(row, now), "complete": complete_languages(row, site().languages),
         "title": PageForm.from_row_titles(row, site().default_language)}
        for row in rows
    ]  # fmt: skip
    return render_template("admin/pages.html", pages=listed, total=total, query=query,
                           states=STATES, sorts=SORTS, languages=site().languages)  # fmt: skip


@bp.route("/pages/new", methods=["GET", "POST"])
@require("editor")
def new_page():
    if request.method == "GET":
        return editor(PageForm(), None)
    form = PageForm.from_submission(request.form, site(), page_templates())
    page_id, refused = save_page(None, form)
    if refused:
        return refused
    flash("Page created as a draft.", "ok")
    return redirect(url_for("admin.edit_page", page_id=page_id), 303)


@bp.route("/pages/<int:page_id>", methods=["GET", "POST"])
def edit_page(page_id: int):
    row = get_db().execute("SELECT * FROM pages WHERE id = ?", (page_id,)).fetchone()
    if row is None:
        abort(404)
    if request.method == "GET":
        return editor(PageForm.from_row(row), row)
    if not may("editor"):
        abort(403)
    form = PageForm.from_submission(request.form, site(), page_templates())
    _, refused = save_page(page_id, form, row)
    if refused:
        return refused
    flash("Saved. Published pages show the change after the next build (Publish builds now).", "ok")
    return redirect(url_for("admin.edit_page", page_id=page_id), 303)


def save_page(page_id: int | None, form: PageForm, row=None):
    return save("pages", page_id, form, slug_taken=slug_taken, insert=lambda conn, form: create_page(conn, form, g.staff.id),
                update=update_page, show=editor, from_row=PageForm.from_row, row=row)  # fmt: skip


def editor(form: PageForm, row, theirs: PageForm | None = None):
    """The edit form: every language side by side, the default language first as the reference."""
    languages = [
        site().default_language,
        *(lang for lang in site().languages if lang != site().default_language),
    ]
    live_url = site().site_url + routes.page(site().default_language, form.slug) if row else None
    targets = {lang: link_targets(get_db(), lang, utc_now()) for lang in languages}
    outdated = (
        revisions.outdated_languages(get_db(), "pages", row["id"], languages[0]) if row else set()
    )
    return render_template("admin/page_edit.html", form=form, row=row, theirs=theirs, languages=languages,
                           zones=sorted(IANA_ZONES), targets=targets, outdated=outdated,
                           fields=TEXT_FIELDS, templates=page_templates(), live_url=live_url,
                           state=page_state(row, utc_now()) if row else "draft")  # fmt: skip


@bp.post("/pages/<int:page_id>/<any(publish, unpublish):action>")
@require("editor")
def publish_page(page_id: int, action: str):
    with write() as conn:
        set_publication(conn, page_id, action == "publish", utc_now())
        staff_audit(conn, f"page.{action}", target_table="pages", target_id=page_id)
    report_build()
    return redirect(url_for("admin.edit_page", page_id=page_id), 303)


def addresses() -> dict[str, str]:
    """The site and capture addresses a local preview runs on, when it does (`serve`)."""
    config = current_app.config["MAGNETIQ"]
    return {
        k: v for k, v in (("site_url", config.site_url), ("capture_url", config.capture_url)) if v
    }


def report_build() -> None:
    """Build now (until a build runner exists) and tell the editor what happened."""
    try:
        summary = build_site(build_paths(), utc_now(), addresses=addresses())
    except BuildError as error:
        problems = "; ".join(str(problem) for problem in error.problems[:5])
        flash(f"The build failed, the live site is unchanged: {problems}", "error")
        return
    flash(f"Built: {summary.line()}", "ok")


@bp.get("/pages/<int:page_id>/preview/<lang>")
def preview(page_id: int, lang: str):
    """The page as the site will show it, drafts too; staff only, never indexed."""
    if lang not in site().languages:
        abort(404)
    if (
        get_db()
        .execute("SELECT 1 FROM pages WHERE id = ? AND deleted_at IS NULL", (page_id,))
        .fetchone()
        is None
    ):
        abort(404)
    try:
        html = preview_page(build_paths(), page_id, lang, utc_now(), addresses())
    except BuildError as error:
        problems = "; ".join(str(problem) for problem in error.problems[:5])
        return render_template("admin/preview_failed.html", problems=problems, page_id=page_id), 422
    return (
        html,
        200,
        {"X-Robots-Tag": "noindex, nofollow", "Content-Type": "text/html; charset=utf-8"},
    )


@bp.post("/pages/<int:page_id>/schedule")
@require("editor")
def schedule_page(page_id: int):
    """Publish at a time on the editor's own clock (a zone they pick), stored in UTC."""
    zone, text = request.form.get("zone", ""), request.form.get("publish_at", "")
    problem = None
    if zone not in IANA_ZONES:
        problem = "time zone: choose one from the list, such as Europe/Berlin"
    else:
        try:
            when = local_to_utc(text, zone)
        except WallClockError as error:
            problem = {"format": "publish at: enter a date and time like 2027-03-01 09:00",
                       "nonexistent": f"publish at: {text} does not exist in {zone} (the clocks change)"}[error.kind]  # fmt: skip
        else:
            if when <= utc_now():
                problem = "publish at: that time has passed; use Publish now instead"
    if problem:
        flash(f"Not scheduled: {problem}.", "error")
        return redirect(url_for("admin.edit_page", page_id=page_id), 303)
    with write() as conn:
        if not schedule(conn, page_id, when):
            abort(404)
        staff_audit(
            conn, "page.schedule", target_table="pages", target_id=page_id, at=when.isoformat()
        )
    flash(f"Scheduled for {when:%Y-%m-%d %H:%M} UTC ({text.replace('T', ' ')} {zone}).", "ok")
    report_build()
    return redirect(url_for("admin.edit_page", page_id=page_id), 303)


@bp.post("/pages/<int:page_id>/trash")
@require("editor")
def trash_page(page_id: int):
    with write() as conn:
        if not move_to_trash(conn, page_id, utc_now()):
            abort(404)
        staff_audit(conn, "page.trash", target_table="pages", target_id=page_id)
    flash("Moved to the trash. Restore it from there; the next build takes it off the site.", "ok")
    return redirect(url_for("admin.pages"), 303)


@bp.post("/pages/<int:page_id>/restore")
@require("editor")
def restore_page(page_id: int):
    with write() as conn:
        problem = restore(conn, page_id)
        if problem is None:
            staff_audit(conn, "page.restore", target_table="pages", target_id=page_id)
    flash(problem or "Restored.", "error" if problem else "ok")
    return redirect(url_for("admin.edit_page", page_id=page_id), 303)


@bp.post("/pages/<int:page_id>/delete")
@require("admin")
def delete_page(page_id: int):
    with write() as conn:
        if not delete_for_good(conn, page_id):
            flash("Only pages in the trash can be deleted for good.", "error")
            return redirect(url_for("admin.edit_page", page_id=page_id), 303)
        revisions.forget(conn, "pages", page_id)
        staff_audit(conn, "page.delete", target_table="pages", target_id=page_id)
    flash("Deleted for good.", "ok")
    return redirect(url_for("admin.pages", state="trash"), 303)


@bp.get("/pages/<int:page_id>/revisions")
def page_history(page_id: int):
    row = get_db().execute("SELECT id, slug FROM pages WHERE id = ?", (page_id,)).fetchone()
    if row is None:
        abort(404)
    return render_template(
        "admin/revisions.html", row=row, revisions=revisions.history(get_db(), "pages", page_id)
    )


@bp.get("/pages/<int:page_id>/revisions/<int:revision_id>")
def page_revision(page_id: int, revision_id: int):
    revision = revisions.one(get_db(), "pages", page_id, revision_id)
    current = get_db().execute("SELECT * FROM pages WHERE id = ?", (page_id,)).fetchone()
    if revision is None or current is None:
        abort(404)
    changes = revisions.differences(revision["data"], dict(current), "pages")
    return render_template("admin/revision.html", row=current, revision=revision, changes=changes)


@bp.post("/pages/<int:page_id>/revisions/<int:revision_id>/restore")
@require("editor")
def restore_revision(page_id: int, revision_id: int):
    """Bring a version back as a new save: the same checks, concurrency and redirects as Save."""
    with write() as conn:
        revision = revisions.one(conn, "pages", page_id, revision_id)
        current = conn.execute(
            "SELECT * FROM pages WHERE id = ? AND deleted_at IS NULL", (page_id,)
        ).fetchone()
        if revision is None or current is None:
            abort(404)
        form = PageForm.from_row({**revision["data"], "updated_at": current["updated_at"]})
        if slug_taken(conn, form.slug, page_id):
            flash(f"Not restored: another page now uses the slug {form.slug!r}.", "error")
            return redirect(
                url_for("admin.page_revision", page_id=page_id, revision_id=revision_id), 303
            )
        update_page(conn, page_id, form)
        revisions.record(conn, "pages", page_id, g.staff.id, g.staff.email, utc_now(),
                         note=f"restored from revision {revision_id}")  # fmt: skip
        staff_audit(
            conn,
            "page.restore_revision",
            target_table="pages",
            target_id=page_id,
            revision=revision_id,
        )
    flash(f"Revision {revision_id} restored as a new save.", "ok")
    return redirect(url_for("admin.edit_page", page_id=page_id), 303)
