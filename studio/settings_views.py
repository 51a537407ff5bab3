"""/admin/settings: the site's settings for admins, checked by the rules every reader applies."""

import json

from flask import current_app, flash, redirect, render_template, request, url_for

from database import consent
from database.messages import Message
from database.site import (
    ADDRESS_SETTINGS,
    FLAG_SETTINGS,
    FONT_STACKS,
    TRANSLATION_POLICIES,
    check_settings,
    save_settings,
)
from database.timestamps import utc_now
from service.db import get_db, write
from service.setup import current_site_settings

from . import bp
from .audit import staff_audit
from .building import request_build
from .i18n import ngettext_
from .library import MediaChoices
from .security import require


@bp.route("/settings", methods=["GET", "POST"])
@require("admin")
def settings():
    current = current_site_settings(get_db(), current_app.config["MAGNETIQ"])
    stored = dict(get_db().execute("SELECT key, value FROM system_settings"))
    if request.method == "GET":
        form = {
            "supported_languages": ", ".join(current.languages),
            "default_language": current.default_language,
            "translation_fallback": current.translation_fallback,
            **{key: stored.get(key, "") for key in ADDRESS_SETTINGS},
            **{f"site_title.{lang}": text for lang, text in current.title.items()},
            **{f"site_description.{lang}": text for lang, text in current.description.items()},
            **{key: "1" if getattr(current, key) else "" for key in FLAG_SETTINGS},
            "email_from_name": current.sender_name,
            "email_from_address": current.sender_address,
            "lead_notification_recipients": stored.get("lead_notification_recipients", ""),
            "lead_notification_mode": stored.get("lead_notification_mode") or "each",
            "brand_color": current.brand_color, "brand_font": current.font,
            "site_logo_id": str(current.logo_id or ""), "main_navigation": ", ".join(current.navigation),
            **{f"marketing_consent.{lang}": text for lang, text in (current.consent.texts if current.consent else {}).items()},
        }  # fmt: skip
        return render_template("admin/settings.html", form=form, errors={}, languages=current.languages,
                               policies=TRANSLATION_POLICIES, media=MediaChoices.read(get_db()), fonts=FONT_STACKS)  # fmt: skip
    checked = check_settings(request.form)
    media = MediaChoices.read(get_db())
    logo = checked.values["site_logo_id"]
    if logo and int(logo) not in media.images:
        checked.errors["site_logo_id"] = Message("an image from the media library, or none")
    live = {slug for (slug,) in get_db().execute("SELECT slug FROM pages WHERE deleted_at IS NULL")}
    if unknown := [
        slug for slug in json.loads(checked.values["main_navigation"]) if slug not in live
    ]:
        checked.errors.setdefault(
            "main_navigation", Message("no page has the slug %(slug)s", {"slug": unknown[0]})
        )
    languages = json.loads(checked.values["supported_languages"]) or list(current.languages)
    if checked.errors:
        return render_template("admin/settings.html", form=request.form, errors=checked.errors,
                               languages=languages, policies=TRANSLATION_POLICIES, media=media, fonts=FONT_STACKS), 422  # fmt: skip
    changed = {key: value for key, value in checked.values.items() if stored.get(key) != value}
    with write() as conn:
        save_settings(conn, changed)
        if consent.save_wording(conn, checked.consent, utc_now()) != current.consent:
            changed["marketing_consent_version"] = "new wording"
        staff_audit(conn, "settings.update", target_table="system_settings", keys=sorted(changed))
    flash(
        ngettext_("Saved %(num)s setting.", "Saved %(num)s settings.", len(changed))
        % {"num": len(changed)},
        "ok",
    )
    if changed:
        request_build()
    return redirect(url_for("admin.settings"), 303)
