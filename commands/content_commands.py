"""`content export|import`: the site's content as Markdown files, for Git and CI
(database/content_files.py)."""

from pathlib import Path

from database import connect
from database.setup import media_directory

from .db_commands import existing_database


def register(commands) -> None:
    content = commands.add_parser("content", help="content as Markdown files: export, import",
                                  description="The pages, webinars, whitepapers and media as files "
                                  "a Hugo user recognises (content/<lang>/…/<slug>.md with front matter).")  # fmt: skip
    tasks = content.add_subparsers(dest="task", required=True, metavar="TASK")
    export = tasks.add_parser("export", help="write every item as one Markdown file per language",
                              description="Write config.yaml, media.yaml, static/media/ and content/<lang>/<kind>/<slug>.md "
                              "into DIR (new or empty); deterministic, so it diffs well.")  # fmt: skip
    export.add_argument("dir", type=Path)
    export.set_defaults(handler=run_content_export)
    load = tasks.add_parser("import", help="create and update from such a tree, or a Hugo content/ folder",
                            description="Create and update by slug (media by path) in one transaction; "
                            "an error names the file and line and imports nothing.")  # fmt: skip
    load.add_argument("dir", type=Path)
    load.add_argument(
        "--dry-run", action="store_true", help="say what would change, change nothing"
    )
    load.set_defaults(handler=run_content_import)


def run_content_export(args) -> int:
    from database.content_files import export_content  # YAML and media: loaded when used

    db_path = existing_database(args)
    conn = connect(db_path)
    try:
        written = export_content(conn, media_directory(db_path), args.dir)
    finally:
        conn.close()
    print(
        f"Exported to {args.dir}: "
        + ", ".join(f"{count} {kind}" for kind, count in sorted(written.items()))
    )
    return 0


def run_content_import(args) -> int:
    from database.content_files import import_content

    db_path = existing_database(args)
    conn = connect(db_path)
    try:
        report = import_content(conn, media_directory(db_path), args.dir, dry_run=args.dry_run)
    finally:
        conn.close()
    print("Would import (dry run, nothing changed):" if args.dry_run else "Imported:")
    for line in report.lines():
        print(f"  {line}")
    return 0
