"""The web apps as gunicorn loads them: each alone, or both behind one address for a simple setup."""

from collections.abc import Callable

STUDIO_PATHS = ("/admin", "/assets", "/media")  # the studio and what its previews load


def capture_with_studio(config=None) -> Callable:
    """One WSGI app: `/admin/…` (and the built assets its previews load) to the studio,
    everything else to the capture service. Both keep their own URLs, so nothing is rewritten."""
    from capture import create_app as create_capture
    from studio import create_app as create_studio

    capture, studio = create_capture(config), create_studio(config)

    def dispatch(environ, start_response):
        path = environ.get("PATH_INFO", "")
        to_studio = any(path == prefix or path.startswith(prefix + "/") for prefix in STUDIO_PATHS)
        return (studio if to_studio else capture)(environ, start_response)

    return dispatch
