"""`db …`: the operator's tasks on the database file."""

import argparse
from pathlib import Path

from database import OperationError, connect, database_path, migrate, server_tasks
from database.backends import is_postgres_url, printable
from database.backup import backup_database, default_backup_path, restore_database, rotate_backups
from database.check import check_database
from database.connection import require_database
from database.copy import copy_database
from database.counters import purge_expired_counters
from database.export import export_database
from database.maintain import maintain
from database.migrations import SCHEMA_VERSION, pending_migrations
from database.snapshot import content_snapshot
from database.timestamps import utc_now


def register(commands) -> None:
    db = commands.add_parser("db", help="operator tasks: backup, restore, check, maintain, …",
                             description="Operator tasks on the database file.")  # fmt: skip
    tasks = db.add_subparsers(dest="task", required=True, metavar="TASK")

    backup = tasks.add_parser(
        "backup",
        help="consistent copy of the live database",
        description="Copy the live database with SQLite's online backup API (safe while it is "
        "in use). Default path: backups/magnetiq_backup_<UTC timestamp>.db beside the database.",
    )
    backup.add_argument("path", nargs="?", type=Path, help="where to write the backup")
    backup.add_argument("--gzip-dump", action="store_true", help="also write a gzipped SQL dump")
    backup.add_argument("--keep", type=int, metavar="N",
                        help="then delete all but the newest N timestamped backups")  # fmt: skip
    backup.set_defaults(handler=run_backup)

    restore = tasks.add_parser(
        "restore",
        help="replace the database with a verified backup",
        description="Verify a backup (integrity check, schema version), keep the current "
        "database aside as <db>.before-restore-<timestamp>, then restore the backup.",
    )
    restore.add_argument("path", type=Path, help="the backup file")
    restore.set_defaults(handler=run_restore)

    check = tasks.add_parser(
        "check",
        help="integrity, foreign keys, full-text index, SQLite version",
        description="Check the database; exits non-zero on any problem (--strict: on warnings too).",
    )
    check.add_argument("--strict", action="store_true", help="treat warnings as problems")
    check.set_defaults(handler=run_check)

    upkeep = tasks.add_parser(
        "maintain",
        help="ANALYZE, expired sessions, purge old soft-deleted rows",
        description="Routine upkeep, safe from cron on a live site: deletes expired sessions, "
        "purges rows soft-deleted more than N days ago that nothing references, runs ANALYZE.",
    )
    upkeep.add_argument("--purge-after-days", type=int, default=30, metavar="N",
                        help="purge rows soft-deleted more than N days ago (default 30)")  # fmt: skip
    upkeep.add_argument("--vacuum", action="store_true", help="also VACUUM (locks writers briefly)")
    upkeep.add_argument("--reindex", action="store_true", help="rebuild the pages full-text index")
    upkeep.set_defaults(handler=run_maintain)

    migrate_task = tasks.add_parser(
        "migrate",
        help="apply pending schema migrations",
        description="Apply pending migrations, one transaction each; adopts a database created "
        "from the v2 spec's SQL. Running it again does nothing.",
    )
    migrate_task.set_defaults(handler=run_migrate)

    export = tasks.add_parser(
        "export",
        help="every table as JSON, for Magnetiq v3",
        description="Write <table>.json for every table into DIR, with JSON columns decoded and "
        "timestamps in ISO 8601.",
    )
    export.add_argument("dir", type=Path, help="output directory")
    export.add_argument("--include-deleted", action="store_true", help="keep soft-deleted rows")
    export.set_defaults(handler=run_export)

    copy = tasks.add_parser(
        "copy",
        help="move a whole site between SQLite and PostgreSQL",
        description="Copy every row of every table from SOURCE to TARGET (a file path or a "
        "postgresql:// URL), ids kept, in one transaction, then compare row counts and a checksum "
        "per table. The source is only read. A non-empty target is refused unless --replace.",
    )
    copy.add_argument("source", help="the database to read: a file path or a postgresql:// URL")
    copy.add_argument("target", help="the database to fill: a file path or a postgresql:// URL")
    copy.add_argument("--replace", action="store_true",
                      help="empty a target that already holds rows (in the same transaction)")  # fmt: skip
    copy.set_defaults(handler=run_copy)

    snapshot = tasks.add_parser(
        "snapshot",
        help="a copy with the content but nothing about people, for CI",
        description="Copy the database (consistently, as backup does) keeping only what the build "
        "reads: no leads, consents, mail, users, sessions, audit log, revisions or analytics.",
    )
    snapshot.add_argument("path", type=Path, help="where to write the snapshot")
    snapshot.add_argument("--content-only", action="store_true", required=True,
                          help="required: say that this copy leaves out everything about people")  # fmt: skip
    snapshot.set_defaults(handler=run_snapshot)


def existing_database(args: argparse.Namespace) -> Path | str:
    return require_database(database_path(args.db))


def run_backup(args) -> int:
    db_path = existing_database(args)
    if is_postgres_url(db_path):
        return backup_with_pg_dump(args, db_path)
    target = args.path or default_backup_path(db_path, utc_now())
    for written in backup_database(db_path, target, gzip_dump=args.gzip_dump):
        print(f"Wrote {written}")
    if args.keep:
        for removed in rotate_backups(target.parent, args.keep):
            print(f"Removed old backup {removed}")
    return 0


def backup_with_pg_dump(args, url: str) -> int:
    if args.gzip_dump:
        raise OperationError("--gzip-dump is for SQLite: a PostgreSQL backup is pg_dump's already")
    target = args.path or server_tasks.default_backup_path(utc_now())
    print(f"Wrote {server_tasks.backup_server(url, target)}")
    if args.keep:
        for removed in rotate_backups(target.parent, args.keep):
            print(f"Removed old backup {removed}")
    return 0


def run_restore(args) -> int:
    db_path = database_path(args.db)
    if is_postgres_url(db_path):
        restored = server_tasks.restore_server(args.path, db_path, utc_now())
        print(f"Restored {args.path} into a new database: {printable(restored)}")
        print("The live database was not touched. To switch, point MAGNETIQ_DB at the new one "
              "and restart the capture service, the studio and the worker.")  # fmt: skip
        return 0
    kept = restore_database(args.path, db_path, utc_now())
    if kept:
        print(f"Kept the replaced database as {kept}")
    print(f"Restored {db_path} from {args.path}")
    return 0


def run_check(args) -> int:
    conn = connect(existing_database(args))
    try:
        report = check_database(conn)
    finally:
        conn.close()
    for fact in report.facts:
        print(f"ok: {fact}")
    for warning in report.warnings:
        print(f"warning: {warning}")
    for problem in report.problems:
        print(f"problem: {problem}")
    failed = report.problems or (args.strict and report.warnings)
    print("check failed" if failed else "check passed")
    return 1 if failed else 0


def run_maintain(args) -> int:
    conn = connect(existing_database(args))
    try:
        report = maintain(conn, utc_now(), purge_after_days=args.purge_after_days,
                          vacuum=args.vacuum, reindex=args.reindex)  # fmt: skip
    finally:
        conn.close()
    print(f"Deleted {report.expired_sessions} expired session(s)")
    print(
        f"Deleted {purge_expired_counters(existing_database(args))} expired rate-limit counter(s)"
    )
    for table, count in report.purged.items():
        print(f"Purged {count} soft-deleted row(s) from {table}")
    for table, count in report.kept_referenced.items():
        print(f"Kept {count} soft-deleted row(s) in {table}: other rows still refer to them")
    return 0


def run_migrate(args) -> int:
    conn = connect(database_path(args.db))
    try:
        pending = pending_migrations(conn)
        applied = migrate(conn)
    finally:
        conn.close()
    if not pending:
        print(f"Already at schema version {SCHEMA_VERSION}; nothing to do")
    for number in applied:
        print(f"Applied migration {number}")
    return 0


def run_copy(args) -> int:
    source = require_database(database_path(args.source))
    target = database_path(args.target)
    if source == target:
        raise OperationError("SOURCE and TARGET are the same database")
    copies = copy_database(source, target, replace=args.replace)
    rows = sum(copy.rows for copy in copies)
    print(f"Copied {rows} rows in {len(copies)} tables; counts and checksums match the source")
    return 0


def run_snapshot(args) -> int:
    counts = content_snapshot(existing_database(args), args.path)
    print(f"Wrote {args.path}: " + ", ".join(f"{count} {table}" for table, count in counts.items()))
    return 0


def run_export(args) -> int:
    conn = connect(existing_database(args))
    try:
        counts = export_database(conn, args.dir, include_deleted=args.include_deleted)
    finally:
        conn.close()
    print(f"Exported {sum(counts.values())} rows from {len(counts)} tables to {args.dir}")
    return 0
