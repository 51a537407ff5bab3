"""/admin/builds: what the build runner does: the requests waiting, the build running with its
progress, the last builds with their time, counts, errors (linked to the item at fault) and
deploy output. An admin can ask for a full rebuild. Without JavaScript the page refreshes
itself while something is waiting or running."""

import json
from datetime import timedelta

from flask import flash, g, redirect, render_template, url_for

from database import builds
from database.timestamps import from_sqlite, utc_now
from service.db import get_db, write

from . import bp
from .audit import staff_audit
from .i18n import _
from .kinds import KINDS
from .security import require

SHOWN = 20
STALLED = timedelta(minutes=2)  # a request this old with nothing taking it: no runner is running


def item_url(table: str | None, row_id: int | None) -> str | None:
    """Where to fix an error: the editor of the item it names."""
    return KINDS[table].edit_url(row_id) if table in KINDS and row_id else None


def seconds(job) -> float | None:
    if not (job["started_at"] and job["finished_at"]):
        return None
    return (from_sqlite(job["finished_at"]) - from_sqlite(job["started_at"])).total_seconds()


@bp.get("/builds")
@require("viewer")
def build_list():
    jobs = (
        get_db().execute("SELECT * FROM build_jobs ORDER BY id DESC LIMIT ?", (SHOWN,)).fetchall()
    )
    waiting = [job for job in jobs if job["status"] in ("queued", "running")]
    deployed = next((job for job in jobs if job["deploy_status"]), None)
    queued = [from_sqlite(job["requested_at"]) for job in waiting if job["status"] == "queued"]
    stalled = bool(queued) and utc_now() - min(queued) > STALLED
    return render_template("admin/builds.html", jobs=jobs, waiting=waiting, deployed=deployed, stalled=stalled,
                           loads=json.loads, item_url=item_url, seconds=seconds)  # fmt: skip


@bp.post("/builds/full")
@require("admin")
def full_rebuild():
    with write() as conn:
        job = builds.request(
            conn, "full rebuild asked in the studio", utc_now(), full=True, staff_id=g.staff.id
        )
        staff_audit(conn, "build.full", target_table="build_jobs", target_id=job)
    flash(_("A full rebuild is queued."), "ok")
    return redirect(url_for("admin.build_list"), 303)
