"""`capture`: run the lead capture service under gunicorn, a production WSGI server."""

import os
import sys

from database import database_path


def register(commands) -> None:
    capture = commands.add_parser(
        "capture",
        help="run the capture service (forms, downloads, analytics) under gunicorn",
        description="Run the capture service with gunicorn. Needs MAGNETIQ_SECRET_KEY; rate limit "
        "per IP and endpoint from MAGNETIQ_RATE_LIMIT (<count>/<second|minute|hour>).",
    )
    capture.add_argument(
        "--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)"
    )
    capture.add_argument("--port", type=int, default=8001, help="port (default 8001)")
    capture.add_argument("--workers", type=int, default=2, help="worker processes (default 2)")
    capture.set_defaults(handler=run_capture)


def run_capture(args) -> int:
    db = database_path(args.db).resolve()
    os.environ["MAGNETIQ_DB"] = str(db)
    from capture import create_app  # Flask is imported only by the commands that need it

    create_app()  # fails here, with one clear line, rather than in every worker
    command = [
        sys.executable, "-m", "gunicorn",
        "--config", "python:capture.gunicorn_config",
        "--workers", str(args.workers),
        "--bind", f"{args.host}:{args.port}",
        "--access-logfile", "-",
        "capture:create_app()",
    ]  # fmt: skip
    os.execv(sys.executable, command)
