"""Lead lists with filters and CSV export, detail pages, bookings workflow, attendance."""

from flask import Response, abort, flash, redirect, render_template, request, url_for

from database import consent, outbox
from database.numbers import whole_number
from database.timestamps import utc_now
from service.db import get_db, write

from . import bp
from .audit import staff_audit
from .building import site
from .csvexport import DELIMITERS, csv_bytes
from .i18n import _
from .labels import label
from .leads import (
    LISTS,
    Filters,
    all_rows,
    csv_heading,
    items_with_usage,
    one_lead,
    page_of,
)
from .security import require
from .workflow import (
    TRANSITIONS,
    WorkflowError,
    change_booking_status,
    import_attendance,
    update_booking_details,
)


def site_language() -> str:
    """Webinars and whitepapers are named in the site's default language."""
    return site().default_language


def lead_list_or_404(name: str):
    if name not in LISTS:
        abort(404)
    return LISTS[name]


@bp.get("/leads/<name>")
def leads(name: str):
    lead = lead_list_or_404(name)
    filters = Filters.from_args(request.args)
    conn = get_db()
    rows, total = page_of(conn, lead, filters, site_language())
    return render_template("admin/leads.html", lead=lead, rows=rows, total=total, filters=filters,
                           items=items_with_usage(conn, lead), statuses=list(TRANSITIONS))  # fmt: skip


@bp.get("/leads/<name>.csv")
def export(name: str):
    lead = lead_list_or_404(name)
    filters = Filters.from_args(request.args)
    delimiter = DELIMITERS.get(request.args.get("separator", "comma"), ",")
    with write() as conn:
        rows = all_rows(conn, lead, filters, site_language())
        staff_audit(
            conn,
            "leads.export",
            target_table=lead.table,
            rows=len(rows),
            filters=filters.query_args(page=None),
        )
    stamp = utc_now().strftime("%Y%m%d-%H%M%S")
    return Response(csv_bytes([csv_heading(c) for c in lead.columns], rows, delimiter), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{name}-{stamp}.csv"'})  # fmt: skip


@bp.get("/leads/<name>/<int:row_id>")
def lead_detail(name: str, row_id: int):
    lead = lead_list_or_404(name)
    conn = get_db()
    row = one_lead(conn, lead, row_id, site_language())
    if row is None:
        abort(404)
    staff = conn.execute(
        "SELECT id, email FROM admin_users WHERE is_active AND deleted_at IS NULL ORDER BY email"
    ).fetchall()
    consents = consent.given(conn, row["email"]) if row["email"] else []
    suppressed = bool(row["email"]) and outbox.is_suppressed(conn, row["email"])
    return render_template("admin/lead.html", lead=lead, row=row, staff_members=staff, consents=consents,
                           suppressed=suppressed,
                           next_statuses=sorted(TRANSITIONS.get(row["status"], ())) if lead.has_status else [])  # fmt: skip


@bp.post("/leads/bookings/<int:booking_id>/status")
@require("editor")
def booking_status(booking_id: int):
    new = request.form.get("status", "")
    try:
        with write() as conn:
            old = change_booking_status(conn, booking_id, new, utc_now())
            staff_audit(
                conn,
                "booking.status",
                target_table="bookings",
                target_id=booking_id,
                old=old,
                new=new,
            )
    except WorkflowError as error:
        flash(str(error), "error")
        return lead_detail("bookings", booking_id), 409
    flash(
        _("Booking %(id)s: %(old)s → %(new)s", id=booking_id, old=label(old), new=label(new)), "ok"
    )
    return redirect(url_for("admin.lead_detail", name="bookings", row_id=booking_id), 303)


@bp.post("/leads/bookings/<int:booking_id>/details")
@require("editor")
def booking_details(booking_id: int):
    assignee = request.form.get("assigned_to", "")
    try:
        with write() as conn:
            update_booking_details(
                conn, booking_id,
                assigned_to=whole_number(assignee, minimum=1),
                meeting_url=request.form.get("meeting_url", "").strip()[:500],
                meeting_notes=request.form.get("meeting_notes", "")[:5000],
                follow_up=request.form.get("follow_up_required") == "1", now=utc_now(),
            )  # fmt: skip
            staff_audit(
                conn,
                "booking.details",
                target_table="bookings",
                target_id=booking_id,
                assigned_to=assignee or None,
            )
    except WorkflowError as error:
        flash(str(error), "error")
        return lead_detail("bookings", booking_id), 409
    return redirect(url_for("admin.lead_detail", name="bookings", row_id=booking_id), 303)


@bp.post("/leads/registrations/<int:registration_id>/attendance")
@require("editor")
def attendance(registration_id: int):
    minutes = request.form.get("attendance_duration", "")
    attended = request.form.get("attended") == "1"
    with write() as conn:
        changed = conn.execute(
            "UPDATE webinar_registrations SET attended = ?, attendance_duration = ? WHERE id = ?",
            (int(attended), whole_number(minutes), registration_id),
        ).rowcount
        if not changed:
            abort(404)
        staff_audit(
            conn,
            "registration.attendance",
            target_table="webinar_registrations",
            target_id=registration_id,
            attended=attended,
        )
    return redirect(url_for("admin.lead_detail", name="registrations", row_id=registration_id), 303)


@bp.post("/webinars/<int:webinar_id>/attendance")
@require("editor")
def attendance_upload(webinar_id: int):
    upload = request.files.get("file")
    if upload is None:
        abort(400, _("choose a CSV file"))
    try:
        with write() as conn:
            matched, unmatched = import_attendance(conn, webinar_id, upload.read(1_000_000))
            staff_audit(
                conn,
                "registration.attendance_import",
                target_table="webinars",
                target_id=webinar_id,
                matched=matched,
                unmatched=len(unmatched),
            )
    except (WorkflowError, UnicodeDecodeError) as error:
        flash(_("Attendance file not imported: %(reason)s", reason=error), "error")
    else:
        flash(_("Attendance: %(matched)s registrations marked; %(unmatched)s addresses matched none",
                matched=matched, unmatched=len(unmatched))
              + (f": {', '.join(unmatched[:10])}" if unmatched else ""), "ok")  # fmt: skip
    return redirect(url_for("admin.leads", name="registrations", item=webinar_id), 303)
