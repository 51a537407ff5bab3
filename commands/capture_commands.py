"""`capture` and `studio`: run the public capture service and the staff studio under gunicorn."""

import os
import sys

from database import database_path
from database.connection import absolute


def register(commands) -> None:
    capture = commands.add_parser(
        "capture",
        help="run the capture service (forms, downloads, analytics) under gunicorn",
        description="Run the public capture service with gunicorn's gevent workers. Needs "
        "MAGNETIQ_SECRET_KEY; rate limit per IP and endpoint from MAGNETIQ_RATE_LIMIT "
        "(<count>/<second|minute|hour>). With --with-studio the staff studio is served under "
        "/admin/ at the same address (a simple setup; else run `studio` apart).",
    )
    add_server_options(capture, 8001)
    capture.add_argument(
        "--with-studio", action="store_true", help="also serve the studio under /admin/"
    )
    capture.set_defaults(handler=run_capture)

    studio = commands.add_parser(
        "studio",
        help="run the staff studio (/admin/) under gunicorn",
        description="Run the signed-in staff app with gunicorn on its own address, e.g. on an "
        "internal network only. Needs MAGNETIQ_SECRET_KEY.",
    )
    add_server_options(studio, 8002)
    studio.set_defaults(handler=run_studio)


def add_server_options(parser, port: int) -> None:
    parser.add_argument(
        "--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)"
    )
    parser.add_argument("--port", type=int, default=port, help=f"port (default {port})")
    parser.add_argument("--workers", type=int, default=2, help="worker processes (default 2)")


def run_capture(args) -> int:
    app = "commands.apps:capture_with_studio()" if args.with_studio else "capture:create_app()"
    return run_gunicorn(args, app)


def run_studio(args) -> int:
    return run_gunicorn(args, "studio:create_app()")


def run_gunicorn(args, app: str) -> int:
    """Check the configuration here, with one clear line, rather than in every worker."""
    db = absolute(database_path(args.db))
    os.environ["MAGNETIQ_DB"] = str(db)
    from service.config import Config  # Flask is imported only by the commands that need it
    from service.setup import base_app

    base_app(__name__, Config.from_environment())
    command = [
        sys.executable, "-m", "gunicorn",
        "--config", "python:service.gunicorn_config",
        "--workers", str(args.workers),
        "--bind", f"{args.host}:{args.port}",
        "--access-logfile", "-",
        app,
    ]  # fmt: skip
    os.execv(sys.executable, command)
