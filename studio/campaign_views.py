"""/admin/campaigns: editors write a campaign in one language from the campaign template, choose
its segment (registrants of a webinar, downloaders of a whitepaper, bookings by status), see how
many people it reaches now, send themselves a test, and schedule it. The worker sends it through
the outbox; the counters follow. Only people who consented and did not unsubscribe are in a
segment (database/campaigns.py)."""

from dataclasses import dataclass, field

from flask import abort, flash, g, redirect, render_template, request, url_for

from database import campaigns, outbox
from database.timestamps import utc_now
from database.wallclock import IANA_ZONES
from mailer.templating import current_source, problem
from service.db import get_db, write

from . import bp
from .audit import staff_audit
from .building import languages
from .content_views import scheduled_time
from .i18n import _
from .mail_template_views import blocks
from .pages import translations
from .security import require

SHOWN = 100


@dataclass
class CampaignForm:
    values: dict
    segment: campaigns.Segment | None
    errors: dict = field(default_factory=dict)


def read_form(form) -> CampaignForm:
    """The submitted campaign, checked: a name, a language of the site, a text that renders in
    the sandbox with the campaign's variables, a segment."""
    values = {
        "name": " ".join(form.get("name", "").split()),
        "language": form.get("language", ""),
        "subject": form.get("subject", "").strip(),
        "text_content": form.get("text", "").replace("\r\n", "\n"),
    }
    errors = {}
    if not values["name"] or len(values["name"]) > 200:
        errors["name"] = _("a name of at most 200 characters")
    if values["language"] not in languages():
        errors["language"] = _("one of the site's languages")
    if text_problem := problem("campaign", values["subject"], values["text_content"]):
        errors["text"] = text_problem
    segment, segment_problem = campaigns.segment_from_form(form)
    if segment_problem:
        errors["segment"] = segment_problem
    values["recipient_config"] = segment.as_json() if segment else None
    return CampaignForm(values, segment, errors)


def stored_form(row) -> CampaignForm:
    segment = campaigns.Segment.from_json(row["recipient_config"])
    values = {key: row[key] for key in campaigns.EDITABLE}
    return CampaignForm(values, segment)


def new_form(lang: str) -> CampaignForm:
    """A new campaign starts from the campaign template (an admin's edit, else the default)."""
    texts = blocks(current_source(get_db(), "campaign", lang))
    values = {"name": "", "language": lang, "subject": texts.get("subject", ""),
              "text_content": texts.get("text", ""), "recipient_config": None}  # fmt: skip
    return CampaignForm(values, None)


def choices() -> dict:
    """What a segment can name: webinars and whitepapers (titles in the default language)."""
    conn, lang = get_db(), languages()[0]

    def titled(table: str) -> list[tuple[int, str]]:
        rows = conn.execute(
            f"SELECT id, slug, title FROM {table} WHERE deleted_at IS NULL ORDER BY id DESC"
        )
        return [(row["id"], translations(row["title"]).get(lang) or row["slug"]) for row in rows]  # fmt: skip

    return {"webinars": titled("webinars"), "whitepapers": titled("whitepapers"),
            "statuses": campaigns.BOOKING_STATUSES, "attendance": campaigns.ATTENDANCE}  # fmt: skip


def campaign_row(campaign_id: int):
    row = (
        get_db()
        .execute(
            "SELECT * FROM email_campaigns WHERE id = ? AND deleted_at IS NULL", (campaign_id,)
        )
        .fetchone()
    )
    if row is None:
        abort(404)
    return row


def show(form: CampaignForm, row=None, status: int = 200):
    reach = None
    if form.segment and not form.errors:
        reach = len(campaigns.recipients(get_db(), form.segment, form.values["language"]))
    return render_template("admin/campaign.html", form=form, campaign=row, reach=reach,
                           languages=languages(), zones=IANA_ZONES, **choices()), status  # fmt: skip


@bp.get("/campaigns")
@require("editor")
def campaign_list():
    rows = (
        get_db()
        .execute(
            "SELECT * FROM email_campaigns WHERE deleted_at IS NULL ORDER BY id DESC LIMIT ?",
            (SHOWN,),
        )
        .fetchall()
    )
    return render_template("admin/campaigns.html", campaigns=rows)


@bp.route("/campaigns/new", methods=["GET", "POST"])
@require("editor")
def new_campaign():
    if request.method == "GET":
        lang = request.args.get("language", "")
        return show(new_form(lang if lang in languages() else languages()[0]))
    form = read_form(request.form)
    if form.errors:
        return show(form, status=422)
    with write() as conn:
        campaign_id = campaigns.save_draft(conn, None, form.values, g.staff.id, utc_now())
        staff_audit(conn, "campaign.create", target_table="email_campaigns", target_id=campaign_id)
    return after_save(campaign_id)


@bp.route("/campaigns/<int:campaign_id>", methods=["GET", "POST"])
@require("editor")
def campaign(campaign_id: int):
    row = campaign_row(campaign_id)
    if request.method == "GET":
        return show(stored_form(row), row)
    form = read_form(request.form)
    if form.errors:
        return show(form, row, 422)
    with write() as conn:
        if campaigns.save_draft(conn, campaign_id, form.values, g.staff.id, utc_now()) is None:
            flash(_("Not saved: only a draft can be changed."), "error")
            return redirect(url_for("admin.campaign", campaign_id=campaign_id), 303)
        staff_audit(conn, "campaign.update", target_table="email_campaigns", target_id=campaign_id)
    return after_save(campaign_id)


def after_save(campaign_id: int):
    """Saving can also send a test or schedule, by the button pressed."""
    action = request.form.get("action", "save")
    if action == "test":
        with write() as conn:
            language = conn.execute(
                "SELECT language FROM email_campaigns WHERE id = ?", (campaign_id,)
            ).fetchone()[0]
            outbox.queue(conn, "campaign", g.staff.email, language, utc_now(),
                         payload={"campaign": campaign_id, "test": True})  # fmt: skip
        flash(_("Saved. A test is on its way to %(email)s (the worker sends it within seconds).",
                email=g.staff.email), "ok")  # fmt: skip
    elif action == "schedule":
        when, reason = scheduled_time(
            request.form.get("send_at", ""), request.form.get("zone", ""), _("send at")
        )
        if reason:
            flash(_("Saved, not scheduled: %(reason)s.", reason=reason), "error")
        else:
            with write() as conn:
                campaigns.schedule(conn, campaign_id, when)
                staff_audit(conn, "campaign.schedule", target_table="email_campaigns",
                            target_id=campaign_id, at=when.isoformat())  # fmt: skip
            flash(_("Scheduled for %(utc)s UTC.", utc=when.strftime("%Y-%m-%d %H:%M")), "ok")
    else:
        flash(_("Saved."), "ok")
    return redirect(url_for("admin.campaign", campaign_id=campaign_id), 303)


@bp.post("/campaigns/<int:campaign_id>/now")
@require("editor")
def send_campaign_now(campaign_id: int):
    """Schedule a draft for now: the worker starts on it within seconds."""
    with write() as conn:
        if not campaigns.schedule(conn, campaign_id, utc_now()):
            abort(409)
        staff_audit(conn, "campaign.send", target_table="email_campaigns", target_id=campaign_id)
    flash(_("Sending: the worker starts within seconds."), "ok")
    return redirect(url_for("admin.campaign", campaign_id=campaign_id), 303)


@bp.post("/campaigns/<int:campaign_id>/draft")
@require("editor")
def unschedule_campaign(campaign_id: int):
    with write() as conn:
        if not campaigns.unschedule(conn, campaign_id):
            flash(_("Too late: the campaign is being sent already."), "error")
        else:
            staff_audit(conn, "campaign.unschedule", target_table="email_campaigns",
                        target_id=campaign_id)  # fmt: skip
    return redirect(url_for("admin.campaign", campaign_id=campaign_id), 303)
