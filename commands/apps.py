"""The web apps as gunicorn loads them: each alone, or both behind one address for a simple setup."""

from collections.abc import Callable

STUDIO_PREFIX = "/admin"


def capture_with_studio(config=None) -> Callable:
    """One WSGI app: `/admin/…` to the studio, everything else to the capture service. Both keep
    their own URLs (the studio's routes start with /admin), so nothing is rewritten."""
    from capture import create_app as create_capture
    from studio import create_app as create_studio

    capture, studio = create_capture(config), create_studio(config)

    def dispatch(environ, start_response):
        path = environ.get("PATH_INFO", "")
        app = studio if path == STUDIO_PREFIX or path.startswith(STUDIO_PREFIX + "/") else capture
        return app(environ, start_response)

    return dispatch
