"""`admin create|passwd|disable`: staff accounts, for operators."""

from database import connect, database_path
from database.users import ROLES, create_admin_user, disable_user, set_password

from .passwords import obtain_password


def register(commands) -> None:
    admin = commands.add_parser("admin", help="staff accounts: create, passwd, disable",
                                description="Manage the staff accounts that sign in to /admin/.")  # fmt: skip
    tasks = admin.add_subparsers(dest="task", required=True, metavar="TASK")
    create = tasks.add_parser("create", help="add a staff account",
                              description="Add a staff account; the password comes from "
                              "MAGNETIQ_ADMIN_PASSWORD or a prompt.")  # fmt: skip
    create.add_argument("email")
    create.add_argument(
        "--role",
        choices=ROLES,
        default="viewer",
        help="viewer reads, editor changes leads, admin all",
    )
    create.add_argument("--first-name", default="Staff")
    create.add_argument("--last-name", default="Member")
    create.set_defaults(handler=run_create)
    passwd = tasks.add_parser("passwd", help="set a new password (ends all the user's sessions)",
                              description="Set a new password from MAGNETIQ_ADMIN_PASSWORD or a prompt; "
                              "every session of the user ends and a lockout is lifted.")  # fmt: skip
    passwd.add_argument("email")
    passwd.set_defaults(handler=run_passwd)
    disable = tasks.add_parser("disable", help="stop an account from signing in (ends its sessions)",
                               description="Deactivate a staff account and end all its sessions.")  # fmt: skip
    disable.add_argument("email")
    disable.set_defaults(handler=run_disable)


def run_create(args) -> int:
    password, _ = obtain_password(args.email, allow_generated=False)
    conn = connect(database_path(args.db))
    try:
        create_admin_user(conn, args.email, password, role=args.role, first_name=args.first_name,
                          last_name=args.last_name)  # fmt: skip
    finally:
        conn.close()
    print(f"Created {args.role} {args.email}")
    return 0


def run_passwd(args) -> int:
    password, _ = obtain_password(args.email, allow_generated=False)
    conn = connect(database_path(args.db))
    try:
        set_password(conn, args.email, password)
    finally:
        conn.close()
    print(f"New password set for {args.email}; its sessions were ended")
    return 0


def run_disable(args) -> int:
    conn = connect(database_path(args.db))
    try:
        disable_user(conn, args.email)
    finally:
        conn.close()
    print(f"Disabled {args.email}; its sessions were ended")
    return 0
