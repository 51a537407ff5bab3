"""`init`: create the database, the first admin user and optionally the demo site."""

import os

from database import OperationError, database_path
from database.backends import is_postgres_url, printable
from database.setup import create_database, media_directory

from .passwords import obtain_password

DEFAULT_ADMIN_EMAIL = "admin@example.com"


def register(commands) -> None:
    init = commands.add_parser(
        "init",
        help="create a new database and its first admin user",
        description="Create the database (refuses if it exists) and the first admin user. "
        "The password comes from MAGNETIQ_ADMIN_PASSWORD, a prompt, or is generated and "
        "printed once.",
    )
    init.add_argument("--demo", action="store_true", help="also load the bilingual demo site")
    init.add_argument(
        "--admin-email",
        default=os.environ.get("MAGNETIQ_ADMIN_EMAIL", DEFAULT_ADMIN_EMAIL),
        help="the first admin's email (default: $MAGNETIQ_ADMIN_EMAIL, else admin@example.com)",
    )
    init.set_defaults(handler=run_init)


def run_init(args) -> int:
    path = database_path(args.db)
    if not is_postgres_url(path) and path.exists():
        raise OperationError(
            f"{path} already exists; init changed nothing (`db migrate` upgrades it)"
        )
    password, generated = obtain_password(args.admin_email, allow_generated=True)
    create_database(path, args.admin_email, password, demo=args.demo)
    print(f"Created {printable(path)}" + (" with the demo site" if args.demo else ""))
    if args.demo:
        print(f"Demo media files are in {media_directory(path)}")
    if generated:
        print(f"Admin {args.admin_email} password (shown once, store it now): {password}")
    else:
        print(f"Admin {args.admin_email} created")
    return 0
