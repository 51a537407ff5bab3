"""The command line: `python build.py COMMAND` and `magnetiq COMMAND` are the same program."""

import argparse
import sys

from database import OperationError

from . import (
    admin_commands,
    capture_commands,
    content_commands,
    db_commands,
    search_commands,
    setup_commands,
    site_commands,
    worker_commands,
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="magnetiq",
        description="Magnetiq: a static multilingual marketing site and its lead capture service.",
    )
    parser.add_argument(
        "--db",
        help="database file or postgresql:// URL (default: $MAGNETIQ_DB, else magnetiq_dev.db)",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    setup_commands.register(commands)
    site_commands.register(commands)
    search_commands.register(commands)
    capture_commands.register(commands)
    admin_commands.register(commands)
    db_commands.register(commands)
    content_commands.register(commands)
    worker_commands.register(commands)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.handler(args) or 0
    except OperationError as error:
        print(f"magnetiq {args.command}: error: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(f"magnetiq {args.command}: interrupted", file=sys.stderr)
        return 130
