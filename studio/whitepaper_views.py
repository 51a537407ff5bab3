"""/admin/whitepapers: editors describe the gated documents leads download, and publish them."""

from flask import abort, flash, g, redirect, render_template, request, url_for

from database import routes
from database.timestamps import utc_now
from database.wallclock import IANA_ZONES
from service.db import get_db

from . import bp, revisions
from .building import languages as ordered_languages
from .building import site
from .content_views import content_list
from .i18n import _
from .kinds import KINDS
from .library import MediaChoices
from .pages import page_state
from .saving import save
from .security import may, require
from .whitepapers import (
    REQUIRED_IN_DEFAULT,
    TEXT_FIELDS,
    WhitepaperForm,
    create_whitepaper,
    slug_taken,
    update_whitepaper,
)


@bp.get("/whitepapers")
def whitepapers():
    return content_list("whitepapers", _("Whitepapers"), url_for("admin.new_whitepaper"))


@bp.route("/whitepapers/new", methods=["GET", "POST"])
@require("editor")
def new_whitepaper():
    if request.method == "GET":
        return whitepaper_editor(WhitepaperForm(), None)
    form = WhitepaperForm.from_submission(request.form, site().languages, site().default_language,
                                          MediaChoices.read(get_db()))  # fmt: skip
    whitepaper_id, refused = save_whitepaper(None, form)
    if refused:
        return refused
    flash(_("Whitepaper created as a draft."), "ok")
    return redirect(url_for("admin.edit_whitepaper", whitepaper_id=whitepaper_id), 303)


@bp.route("/whitepapers/<int:whitepaper_id>", methods=["GET", "POST"])
def edit_whitepaper(whitepaper_id: int):
    row = get_db().execute("SELECT * FROM whitepapers WHERE id = ?", (whitepaper_id,)).fetchone()
    if row is None:
        abort(404)
    if request.method == "GET":
        return whitepaper_editor(WhitepaperForm.from_row(row), row)
    if not may("editor"):
        abort(403)
    form = WhitepaperForm.from_submission(request.form, site().languages, site().default_language,
                                          MediaChoices.read(get_db()))  # fmt: skip
    _saved, refused = save_whitepaper(whitepaper_id, form, row)
    if refused:
        return refused
    flash(_("Saved. Published whitepapers show the change after the next build (Build now)."), "ok")
    return redirect(url_for("admin.edit_whitepaper", whitepaper_id=whitepaper_id), 303)


def save_whitepaper(whitepaper_id: int | None, form: WhitepaperForm, row=None):
    return save("whitepapers", whitepaper_id, form, slug_taken=slug_taken,
                insert=lambda conn, form: create_whitepaper(conn, form, g.staff.id),
                update=update_whitepaper, show=whitepaper_editor, from_row=WhitepaperForm.from_row,
                row=row)  # fmt: skip


def whitepaper_editor(form: WhitepaperForm, row, theirs: WhitepaperForm | None = None):
    languages = ordered_languages()
    outdated = (
        revisions.outdated_languages(get_db(), "whitepapers", row["id"], languages[0],
                                     ("title", "description"))
        if row else set()
    )  # fmt: skip
    live_url = site().site_url + routes.whitepaper(site().default_language, form.slug)
    return render_template("admin/whitepaper_edit.html", form=form, row=row, theirs=theirs,
                           languages=languages, fields=TEXT_FIELDS, media=MediaChoices.read(get_db()),
                           outdated=outdated, zones=sorted(IANA_ZONES), kind=KINDS["whitepapers"],
                           state=page_state(row, utc_now()) if row else "draft", live_url=live_url,
                           publishable=True, required=REQUIRED_IN_DEFAULT)  # fmt: skip
