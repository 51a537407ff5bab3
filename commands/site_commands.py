"""`build`, `watch` and `serve`: turn the database into output/ and preview it."""

import argparse
import os
import sys
import threading
from datetime import UTC, datetime
from pathlib import Path

from database import OperationError, database_path
from database.backends import is_postgres_url, printable
from database.connection import absolute, require_database
from database.setup import site_exists
from database.timestamps import utc_now
from generator.builder import BuildPaths, build_site, progress_printer
from generator.errors import BuildError


def register(commands) -> None:
    build = commands.add_parser(
        "build",
        help="render the static site into output/",
        description="Render published pages, webinars and whitepapers in every supported "
        "language into output/ ($MAGNETIQ_OUTPUT). Incremental unless --full.",
    )
    add_build_options(build)
    build.add_argument("--full", action="store_true", help="render everything from scratch")
    build.set_defaults(handler=run_build)

    watch = commands.add_parser(
        "watch",
        help="rebuild whenever the database or a template changes",
        description="Watch the database (and its WAL) and content_templates/; after each burst "
        "of changes run an incremental build and print what changed. Errors are shown, not fatal.",
    )
    add_build_options(watch)
    watch.set_defaults(handler=run_watch)

    serve = commands.add_parser(
        "serve",
        help="build, then serve output/ and the capture service locally",
        description="Build the site (incrementally), then serve output/ on http://HOST:PORT/ and "
        "the capture service on PORT+1, so the forms work. For local use only (development mode: "
        "a random signing key per start). With --demo, first create the demo database if missing.",
    )
    add_build_options(serve)
    serve.add_argument(
        "--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)"
    )
    serve.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    serve.add_argument(
        "--demo", action="store_true", help="create the demo database if it is missing"
    )
    serve.add_argument("--watch", action="store_true", help="also rebuild on every change")
    serve.set_defaults(handler=run_serve)


def add_build_options(parser) -> None:
    parser.add_argument(
        "--output", type=Path, help="output folder (default: $MAGNETIQ_OUTPUT, else output)"
    )
    parser.add_argument(
        "--now",
        type=parse_now,
        help="build clock, ISO 8601 (default: the current time); decides what is published",
    )


def parse_now(text: str) -> datetime:
    try:
        moment = datetime.fromisoformat(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not an ISO 8601 time such as 2026-12-01T09:00"
        ) from error
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def build_paths(args) -> BuildPaths:
    db = require_database(database_path(args.db), "create one with `init --demo`")
    return BuildPaths.default(db, args.output)


def run_build(args) -> int:
    paths = build_paths(args)
    try:
        summary = build_site(
            paths, args.now or utc_now(), full=args.full, progress=progress_printer()
        )
    except BuildError as error:
        return report_build_error(error)
    print(f"Built {paths.output}: {summary.line()}")
    return 0


def report_build_error(error: BuildError) -> int:
    print(f"magnetiq build: {error}", file=sys.stderr)
    for problem in error.problems[1:50]:
        print(f"  {problem}", file=sys.stderr)
    print("output/ was left unchanged.", file=sys.stderr)
    return 1


def rebuild_and_report(
    paths: BuildPaths, now: datetime | None, changed: set[str], addresses: dict | None = None
) -> None:
    """One watch-triggered build: print what changed and what was written; never raise."""
    print(f"Changed: {', '.join(sorted(changed))}", flush=True)
    try:
        summary = build_site(paths, now or utc_now(), addresses=addresses)
    except (BuildError, OperationError) as error:
        print(f"  build failed, output/ unchanged: {error}", file=sys.stderr)
        return
    print(f"  {summary.line()}")
    for path in summary.written_paths[:20]:
        print(f"  wrote {path}")
    for path in summary.removed_paths[:20]:
        print(f"  removed {path}")
    sys.stdout.flush()


def run_watch(args) -> int:
    from generator.watch import watch  # the file watcher: loaded by the commands that watch

    paths = build_paths(args)
    rebuild_and_report(paths, args.now, {"(start)"})
    print(f"Watching {printable(paths.database)} and {paths.templates}; Ctrl-C stops.")
    watch(paths.database, paths.templates, lambda changed: rebuild_and_report(paths, args.now, changed),
          threading.Event())  # fmt: skip
    return 0


def run_serve(args) -> int:
    db = database_path(args.db)
    if args.demo and not site_exists(db):
        from .setup_commands import DEFAULT_ADMIN_EMAIL, run_init  # here: spares `build` bcrypt

        run_init(argparse.Namespace(db=args.db, demo=True, admin_email=DEFAULT_ADMIN_EMAIL))
    paths = build_paths(args)
    shown_host = "localhost" if args.host in ("127.0.0.1", "localhost") else args.host
    # The preview is built for the ports it serves; the stored settings are left as they are.
    addresses = {
        "site_url": f"http://{shown_host}:{args.port}",
        "capture_url": f"http://{shown_host}:{args.port + 1}",
    }
    try:
        summary = build_site(paths, args.now or utc_now(), addresses=addresses,
                             progress=progress_printer())  # fmt: skip
    except BuildError as error:
        return report_build_error(error)
    print(f"Built {paths.output}: {summary.line()}")
    from generator.serve import make_server  # the preview server: loaded by `serve` alone

    server = make_server(paths.output, args.host, args.port)
    catcher = start_mail(paths.database, args.host, args.port + 2)
    capture_server, config = start_capture(
        paths.database, paths.output, args.host, args.port + 1, addresses
    )
    stop = threading.Event()
    from .worker_commands import BuildWork, MailWork  # here: it reuses this module's clock parser

    mail = MailWork(paths.database, config)
    threading.Thread(target=mail.loop, args=(stop, 2.0), daemon=True).start()
    builds = BuildWork(paths, config, addresses)  # the studio's publish and schedule, built here
    threading.Thread(target=builds.loop, args=(stop, 2.0), daemon=True).start()
    if args.watch:
        from generator.watch import watch

        threading.Thread(
            target=watch,
            args=(
                paths.database,
                paths.templates,
                lambda changed: rebuild_and_report(paths, args.now, changed, addresses),
                stop,
            ),
            daemon=True,
        ).start()
    print(f"Serving {paths.output} at {addresses['site_url']}/\n"
          f"  capture service at {addresses['capture_url']}/ (forms post here)\n"
          f"  studio (staff sign-in) at {addresses['capture_url']}/admin/\n"
          f"  mail catcher at smtp://{args.host}:{args.port + 2} (read it at {addresses['capture_url']}/admin/mail)\n"
          "Ctrl-C stops.", flush=True)  # fmt: skip
    try:
        server.serve_forever()
    finally:
        stop.set()
        capture_server.shutdown()
        catcher.stop()
        server.server_close()
    return 0


def start_capture(
    database: Path | str, output: Path, host: str, port: int, addresses: dict[str, str]
):
    """The capture service and the studio in a background thread (Werkzeug's threaded server:
    local use only), and the settings they run with (the worker shares them: one secret)."""
    from werkzeug.serving import make_server as make_wsgi_server

    from service.config import Config

    from .apps import capture_with_studio

    os.environ.setdefault("MAGNETIQ_ENV", "development")
    os.environ["MAGNETIQ_DB"] = str(absolute(database))
    os.environ["MAGNETIQ_OUTPUT"] = str(output.resolve())  # the studio's Publish builds here
    config = Config.from_environment(**addresses)  # links and redirects name the preview's ports
    wsgi = make_wsgi_server(host, port, capture_with_studio(config), threaded=True)
    threading.Thread(target=wsgi.serve_forever, daemon=True).start()
    return wsgi, config


def start_mail(database: Path | str, host: str, port: int):
    """A local mail catcher (a real SMTP server keeping every message in a Maildir beside the
    database file, or in the working directory for a server) that the worker started here sends
    to; the studio shows what it caught."""
    from mailer.catcher import start_catcher

    beside = Path.cwd() if is_postgres_url(database) else database.resolve().parent
    folder = beside / "caught-mail"
    os.environ["MAGNETIQ_SMTP_URL"] = f"smtp://{host}:{port}"
    os.environ["MAGNETIQ_MAIL_CATCHER"] = str(folder)
    return start_catcher(folder, host, port)
