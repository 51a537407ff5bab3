"""`search`: find pages in the database, drafts included, for editors."""

from database import connect
from database.search import search_pages

from .db_commands import existing_database


def register(commands) -> None:
    search = commands.add_parser(
        "search",
        help="find pages in the database (drafts included) by words",
        description="Full-text search over page titles, bodies and excerpts for editors; drafts "
        "and scheduled pages are included and marked. Every word must match; the last one also "
        "as a prefix. Any input is safe: operators and quotes are searched as plain words.",
    )
    search.add_argument("words", help="what to look for")
    search.add_argument("--lang", help="only this language, e.g. de")
    search.add_argument("--limit", type=int, default=20, help="at most this many hits (default 20)")
    search.set_defaults(handler=run_search)


def run_search(args) -> int:
    conn = connect(existing_database(args))
    try:
        hits = search_pages(conn, args.words, args.lang, args.limit)
    finally:
        conn.close()
    if not hits:
        print("No pages match.")
    for hit in hits:
        marker = "" if hit.status == "published" else f" [{hit.status}]"
        print(f"{hit.slug} ({hit.lang}){marker}  {hit.title}\n    {hit.snippet}")
    return 0
