"""/admin/pages: editors list, write, translate and publish pages without SQL."""

from flask import abort, flash, g, redirect, render_template, request, url_for

from database import routes
from database.timestamps import utc_now
from database.wallclock import IANA_ZONES
from service.db import get_db

from . import bp, revisions
from .building import build_paths, site
from .building import languages as ordered_languages
from .content_views import content_list
from .i18n import _
from .kinds import KINDS
from .library import MediaChoices
from .pages import (
    LINK_CHOICES,
    REQUIRED_IN_DEFAULT,
    TEXT_FIELDS,
    PageForm,
    create_page,
    link_targets,
    page_state,
    slug_taken,
    update_page,
)
from .saving import save
from .security import may, require


def page_templates() -> list[str]:
    return sorted(p.stem for p in (build_paths().templates / "pages").glob("*.html"))


@bp.get("/pages")
def pages():
    return content_list("pages", _("Pages"), url_for("admin.new_page"))


@bp.route("/pages/new", methods=["GET", "POST"])
@require("editor")
def new_page():
    if request.method == "GET":
        return editor(PageForm(), None)
    form = PageForm.from_submission(request.form, site(), page_templates())
    page_id, refused = save_page(None, form)
    if refused:
        return refused
    flash(_("Page created as a draft."), "ok")
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
    _saved, refused = save_page(page_id, form, row)
    if refused:
        return refused
    flash(
        _("Saved. Published pages show the change after the next build (Publish builds now)."), "ok"
    )
    return redirect(url_for("admin.edit_page", page_id=page_id), 303)


LINK_SEARCH_RESULTS = 50


@bp.get("/link-targets")
@require("editor")
def link_search():
    """Published content to link to, found by slug or title: where the editor's link picker
    sends a site too big to list whole (a new tab, so the edit in progress stays as it is)."""
    languages = ordered_languages()
    lang = request.args.get("lang", "")
    lang = lang if lang in languages else languages[0]
    q = request.args.get("q", "").strip()[:100]
    found, more = (
        link_targets(get_db(), lang, utc_now(), q, LINK_SEARCH_RESULTS) if q else ([], False)
    )
    return render_template("admin/link_targets.html", languages=languages, lang=lang, q=q,
                           found=found, more=more, limit=LINK_SEARCH_RESULTS)  # fmt: skip


def save_page(page_id: int | None, form: PageForm, row=None):
    return save("pages", page_id, form, slug_taken=slug_taken, insert=lambda conn, form: create_page(conn, form, g.staff.id),
                update=update_page, show=editor, from_row=PageForm.from_row, row=row)  # fmt: skip


def editor(form: PageForm, row, theirs: PageForm | None = None):
    """The edit form: every language side by side, the default language first as the reference."""
    languages = ordered_languages()
    live_url = site().site_url + routes.page(site().default_language, form.slug) if row else None
    targets = {lang: link_targets(get_db(), lang, utc_now()) for lang in languages}
    images = MediaChoices.read(get_db()).markdown(get_db())
    outdated = (
        revisions.outdated_languages(get_db(), "pages", row["id"], languages[0]) if row else set()
    )
    return render_template("admin/page_edit.html", form=form, row=row, theirs=theirs, languages=languages,
                           zones=sorted(IANA_ZONES), targets=targets, choices_limit=LINK_CHOICES,
                           images=images, outdated=outdated,
                           fields=TEXT_FIELDS, templates=page_templates(), live_url=live_url,
                           state=page_state(row, utc_now()) if row else "draft", kind=KINDS["pages"],
                           required=REQUIRED_IN_DEFAULT, publishable=True)  # fmt: skip
