"""What the studio does the same way for pages, webinars and whitepapers: preview, publish and
schedule, the trash, and the history of saves with restore. `<kind>` in each route is one of
`kinds.KINDS`; anything else is a 404 before a view runs."""

from datetime import datetime

from flask import abort, flash, g, redirect, render_template, request

from database.numbers import whole_number
from database.timestamps import utc_now
from database.wallclock import IANA_ZONES, WallClockError, local_to_utc
from generator.errors import BuildError
from generator.markup import to_html
from generator.preview import preview
from service.db import get_db, write

from . import bp, lifecycle, revisions
from .audit import staff_audit
from .building import addresses, build_paths, request_build, site
from .i18n import _
from .kinds import KINDS
from .leads import MAX_PAGE
from .pages import (
    SORTS,
    STATES,
    TEXT_FIELDS,
    PageForm,
    PageQuery,
    complete_languages,
    list_content,
    page_state,
)
from .security import require

KIND = "<any(pages, webinars, whitepapers):kind>/<int:row_id>"
PUBLISHABLE = "<any(pages, whitepapers):kind>/<int:row_id>"


def content_list(kind: str, heading: str, new_url: str):
    """The list of pages or whitepapers: by state, searched, sorted, 50 at a time."""
    args = request.args
    query = PageQuery(
        state=args.get("state", "") if args.get("state") in STATES else "",
        q=args.get("q", "").strip()[:200],
        sort=args.get("sort", "updated") if args.get("sort") in SORTS else "updated",
        page=whole_number(args.get("page", "1"), minimum=1, maximum=MAX_PAGE) or 1,
    )
    now = utc_now()
    rows, total = list_content(get_db(), kind, query, now)
    listed = [
        {"row": row, "state": page_state(row, now), "complete": complete_languages(row, site().languages),
         "title": PageForm.from_row_titles(row, site().default_language)}
        for row in rows
    ]  # fmt: skip
    return render_template("admin/content_list.html", items=listed, total=total, query=query,
                           states=STATES, sorts=SORTS, languages=site().languages, heading=heading,
                           kind=KINDS[kind], new_url=new_url)  # fmt: skip


def live_row(kind: str, row_id: int):
    row = (
        get_db()
        .execute(
            f"SELECT * FROM {KINDS[kind].table} WHERE id = ? AND deleted_at IS NULL", (row_id,)
        )
        .fetchone()
    )
    if row is None:
        abort(404)
    return row


@bp.get(f"/{KIND}/preview/<lang>")
def show_preview(kind: str, row_id: int, lang: str):
    """The item as the site will show it, drafts too; staff only, never indexed."""
    if lang not in site().languages:
        abort(404)
    live_row(kind, row_id)
    try:
        html = preview(build_paths(), kind, row_id, lang, utc_now(), addresses())
    except BuildError as error:
        problems = "; ".join(str(problem) for problem in error.problems[:5])
        return render_template("admin/preview_failed.html", problems=problems,
                               back=KINDS[kind].edit_url(row_id)), 422  # fmt: skip
    return (
        html,
        200,
        {"X-Robots-Tag": "noindex, nofollow", "Content-Type": "text/html; charset=utf-8"},
    )


@bp.post(f"/{PUBLISHABLE}/<any(publish, unpublish):action>")
@require("editor")
def publish(kind: str, row_id: int, action: str):
    with write() as conn:
        if not lifecycle.set_publication(conn, kind, row_id, action == "publish", utc_now()):
            abort(404)
        staff_audit(conn, f"{KINDS[kind].noun}.{action}", target_table=kind, target_id=row_id)
    request_build()
    return redirect(KINDS[kind].edit_url(row_id), 303)


def scheduled_time(text: str, zone: str, field: str) -> tuple[datetime | None, str | None]:
    """A future time on the staff member's own clock (a zone they pick) as UTC, or why not;
    `field` names the input in the reason."""
    if zone not in IANA_ZONES:
        return None, _("time zone: choose one from the list, such as Europe/Berlin")
    try:
        when = local_to_utc(text, zone)
    except WallClockError as error:
        if error.kind == "format":
            return None, _("%(field)s: enter a date and time like 2027-03-01 09:00", field=field)
        return None, _("%(field)s: %(time)s does not exist in %(zone)s (the clocks change)",
                       field=field, time=text, zone=zone)  # fmt: skip
    if when <= utc_now():
        return None, _("%(field)s: that time has passed", field=field)
    return when, None


@bp.post(f"/{PUBLISHABLE}/schedule")
@require("editor")
def schedule(kind: str, row_id: int):
    """Publish at a time on the editor's own clock (a zone they pick), stored in UTC."""
    zone, text = request.form.get("zone", ""), request.form.get("publish_at", "")
    when, problem = scheduled_time(text, zone, _("publish at"))
    if problem:
        flash(_("Not scheduled: %(reason)s.", reason=problem), "error")
        return redirect(KINDS[kind].edit_url(row_id), 303)
    with write() as conn:
        if not lifecycle.schedule(conn, kind, row_id, when):
            abort(404)
        staff_audit(conn, f"{KINDS[kind].noun}.schedule", target_table=kind, target_id=row_id,
                    at=when.isoformat())  # fmt: skip
    flash(_("Scheduled for %(utc)s UTC (%(local)s %(zone)s).", utc=when.strftime("%Y-%m-%d %H:%M"),
            local=text.replace("T", " "), zone=zone), "ok")  # fmt: skip
    request_build()
    return redirect(KINDS[kind].edit_url(row_id), 303)


@bp.post(f"/{KIND}/trash")
@require("editor")
def trash(kind: str, row_id: int):
    with write() as conn:
        if not lifecycle.move_to_trash(conn, kind, row_id, utc_now()):
            abort(404)
        staff_audit(conn, f"{KINDS[kind].noun}.trash", target_table=kind, target_id=row_id)
    flash(
        _("Moved to the trash. Restore it from there; the next build takes it off the site."), "ok"
    )
    return redirect(KINDS[kind].list_url(), 303)


@bp.post(f"/{KIND}/restore")
@require("editor")
def restore(kind: str, row_id: int):
    with write() as conn:
        problem = lifecycle.restore(conn, kind, row_id, KINDS[kind].slug_taken)
        if problem is None:
            if KINDS[kind].after_restore:
                KINDS[kind].after_restore(conn, conn.execute(
                    f"SELECT slug FROM {kind} WHERE id = ?", (row_id,)).fetchone()["slug"])  # fmt: skip
            staff_audit(conn, f"{KINDS[kind].noun}.restore", target_table=kind, target_id=row_id)
    flash(_("Not restored: %(reason)s.", reason=problem) if problem else _("Restored."),
          "error" if problem else "ok")  # fmt: skip
    return redirect(KINDS[kind].edit_url(row_id), 303)


@bp.post(f"/{KIND}/delete")
@require("admin")
def delete(kind: str, row_id: int):
    with write() as conn:
        if not lifecycle.delete_for_good(conn, kind, row_id):
            flash(_("Only what is in the trash can be deleted for good."), "error")
            return redirect(KINDS[kind].edit_url(row_id), 303)
        revisions.forget(conn, kind, row_id)
        staff_audit(conn, f"{KINDS[kind].noun}.delete", target_table=kind, target_id=row_id)
    flash(_("Deleted for good."), "ok")
    return redirect(KINDS[kind].list_url(state="trash"), 303)


@bp.get(f"/{KIND}/revisions")
def history(kind: str, row_id: int):
    row = get_db().execute(f"SELECT id, slug FROM {kind} WHERE id = ?", (row_id,)).fetchone()
    if row is None:
        abort(404)
    return render_template("admin/revisions.html", row=row, kind=KINDS[kind],
                           revisions=revisions.history(get_db(), kind, row_id))  # fmt: skip


@bp.get(f"/{KIND}/revisions/<int:revision_id>")
def revision(kind: str, row_id: int, revision_id: int):
    found = revisions.one(get_db(), kind, row_id, revision_id)
    current = get_db().execute(f"SELECT * FROM {kind} WHERE id = ?", (row_id,)).fetchone()
    if found is None or current is None:
        abort(404)
    changes = revisions.differences(found["data"], dict(current), kind)
    return render_template("admin/revision.html", row=current, kind=KINDS[kind], revision=found,
                           changes=changes)  # fmt: skip


@bp.post(f"/{KIND}/revisions/<int:revision_id>/restore")
@require("editor")
def restore_revision(kind: str, row_id: int, revision_id: int):
    """Bring a version back as a new save: the same checks, concurrency and redirects as Save."""
    described = KINDS[kind]
    with write() as conn:
        found = revisions.one(conn, kind, row_id, revision_id)
        current = conn.execute(
            f"SELECT * FROM {kind} WHERE id = ? AND deleted_at IS NULL", (row_id,)
        ).fetchone()
        if found is None or current is None:
            abort(404)
        form = described.form.from_row({**found["data"], "updated_at": current["updated_at"]})
        if described.slug_taken(conn, form.slug, row_id):
            flash(
                _("Not restored: something else now uses the slug %(slug)r.", slug=form.slug),
                "error",
            )
            return redirect(described.edit_url(row_id), 303)
        described.update(conn, row_id, form)
        revisions.record(conn, kind, row_id, g.staff.id, g.staff.email, utc_now(),
                         note=f"restored from revision {revision_id}")  # fmt: skip
        staff_audit(conn, f"{described.noun}.restore_revision", target_table=kind,
                    target_id=row_id, revision=revision_id)  # fmt: skip
    flash(_("Revision %(number)s restored as a new save.", number=revision_id), "ok")
    return redirect(described.edit_url(row_id), 303)


@bp.post("/markdown-preview")
@require("editor")
def markdown_preview():
    """The body as the site will render it, while the editor types: the build's own Markdown and
    sanitiser, so what shows here is what publishes. A fragment for the editor's script."""
    source = request.form.get("markdown", "")
    if len(source) > TEXT_FIELDS["content"]:
        return "", 413
    return to_html(source), 200, {"Content-Type": "text/html; charset=utf-8"}
