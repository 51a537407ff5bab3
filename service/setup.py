"""How both services' Flask apps start: configuration checked, the database checked, ids that
SQLite can hold, the site's settings, and the client address from trusted proxies only."""

from dataclasses import replace

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import IntegerConverter

import database
from database.numbers import LARGEST
from database.site import SiteSettings, read_site_settings

from .config import Config
from .db import check_at_start, end_request


class RowId(IntegerConverter):
    """`<int:…>` in every route is an id SQLite can hold: a huge one is a 404, not an overflow."""

    def __init__(self, url_map, **options):
        super().__init__(url_map, **{"max": LARGEST, **options})


def base_app(import_name: str, config: Config) -> Flask:
    """Refuses to start (ConfigError) on a missing, foreign, damaged or outdated database."""
    check_at_start(config.database)
    app = Flask(import_name)
    app.url_map.converters["int"] = RowId
    app.config.update(MAGNETIQ=config, TESTING=config.testing, SITE=site_settings(config))
    if config.trusted_proxies:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=config.trusted_proxies, x_proto=config.trusted_proxies,
                                x_host=config.trusted_proxies)  # fmt: skip
    app.teardown_appcontext(end_request)
    return app


def site_settings(config: Config) -> SiteSettings:
    """The stored settings at start (a broken one is the build's to report)."""
    conn = database.connect(config.database)
    try:
        return current_site_settings(conn, config)
    finally:
        conn.close()


def current_site_settings(conn, config: Config) -> SiteSettings:
    """The stored settings now, with the addresses a local preview runs on in place of the
    stored ones. Settings staff change while the services run (maintenance mode, closed
    registration) are read per request with this."""
    site = read_site_settings(conn)[0]
    overrides = {"site_url": config.site_url, "capture_url": config.capture_url}
    return replace(site, **{key: value for key, value in overrides.items() if value})
