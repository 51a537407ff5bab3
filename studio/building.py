"""The site as the studio sees it during one request: its settings, where builds write, and a
build asked of the runner."""

from flask import current_app, flash, g, request

from database import builds
from database.timestamps import utc_now
from generator.builder import BuildPaths
from service.db import get_db, write
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


def request_build() -> None:
    """Ask the build runner for a build (merged with any that waits) and say so: the request
    never waits for the build itself, which `/admin/builds` follows."""
    with write() as conn:
        builds.request(conn, f"{request.method} {request.path}", utc_now(), staff_id=g.staff.id)
    flash(_("The site is being rebuilt; it is live within seconds (see Builds)."), "ok")
