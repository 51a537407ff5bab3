"""The site as the studio sees it during one request: its settings, where builds write, and a
build run now with its result told to the editor (until a build runner exists)."""

from flask import current_app, flash, g

from database.timestamps import utc_now
from generator.errors import BuildError
from generator.pipeline import BuildPaths, build_site
from service.db import get_db
from service.setup import current_site_settings

from .i18n import _


def site():
    """The settings as they are now (an admin may have changed the languages meanwhile), read
    once per request."""
    if "site" not in g:
        g.site = current_site_settings(get_db(), current_app.config["MAGNETIQ"])
    return g.site


def languages() -> list[str]:
    """The supported languages, the default (the reference) first."""
    return [
        site().default_language,
        *(lang for lang in site().languages if lang != site().default_language),
    ]


def build_paths() -> BuildPaths:
    """Where `build` writes (MAGNETIQ_OUTPUT, MAGNETIQ_TEMPLATES): the same output/ as the CLI."""
    return BuildPaths.default(current_app.config["MAGNETIQ"].database)


def addresses() -> dict[str, str]:
    """The site and capture addresses a local preview runs on, when it does (`serve`)."""
    config = current_app.config["MAGNETIQ"]
    return {
        k: v for k, v in (("site_url", config.site_url), ("capture_url", config.capture_url)) if v
    }


def report_build() -> None:
    """Build now and tell the editor what happened."""
    try:
        summary = build_site(build_paths(), utc_now(), addresses=addresses())
    except BuildError as error:
        problems = "; ".join(str(problem) for problem in error.problems[:5])
        flash(
            _("The build failed, the live site is unchanged: %(problems)s", problems=problems),
            "error",
        )
        return
    flash(_("Built: %(summary)s", summary=summary.line()), "ok")
