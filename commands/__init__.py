"""The command line: `python build.py COMMAND` and `magnetiq COMMAND` are the same program.

Only the module of the command being run is imported (with nothing to do, a build is mostly
start-up); `--help` and a mistyped command load them all, to list every command.
"""

import argparse
import sys
from importlib import import_module

from database import OperationError

COMMAND_MODULES = {  # each command → the module that defines and runs it, in --help's order
    "init": "setup_commands",
    "build": "site_commands",
    "watch": "site_commands",
    "serve": "site_commands",
    "search": "search_commands",
    "capture": "capture_commands",
    "studio": "capture_commands",
    "admin": "admin_commands",
    "db": "db_commands",
    "content": "content_commands",
    "worker": "worker_commands",
}


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The parser of `command` alone, or of every command when it is None or unknown."""
    parser = argparse.ArgumentParser(
        prog="magnetiq",
        description="Magnetiq: a static multilingual marketing site and its lead capture service.",
    )
    parser.add_argument(
        "--db",
        help="database file or postgresql:// URL (default: $MAGNETIQ_DB, else magnetiq_dev.db)",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    if command in COMMAND_MODULES:
        modules = [COMMAND_MODULES[command]]
    else:
        modules = list(dict.fromkeys(COMMAND_MODULES.values()))
    for module in modules:
        import_module(f"{__name__}.{module}").register(commands)
    return parser


def command_named(argv: list[str]) -> str | None:
    """The command word in `argv`: its first argument that is neither an option nor --db's value."""
    arguments = iter(argv)
    for argument in arguments:
        if argument == "--db":
            next(arguments, None)
        elif not argument.startswith("-"):
            return argument
    return None


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    parser = build_parser(command_named(argv))
    args = parser.parse_args(argv)
    try:
        return args.handler(args) or 0
    except OperationError as error:
        print(f"magnetiq {args.command}: error: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(f"magnetiq {args.command}: interrupted", file=sys.stderr)
        return 130
