"""Content as files, for Git and CI: `content export DIR` and `content import DIR`.

The layout is one a Hugo user recognises:

    DIR/config.yaml                          the site settings the build reads, the consent wording
    DIR/media.yaml                           the media library's rows (texts per language, folder, …)
    DIR/static/media/<file_path>             the media files themselves
    DIR/content/<lang>/<kind>/<slug>.md      one file per page, webinar or whitepaper and language

Each Markdown file has YAML front matter with every column of its row (the translatable ones in
its language, the rest repeated in each language's file) and a `translationKey` that links the
languages; the body is the long text (a page's body, a webinar's or whitepaper's description).
Not exported: soft-deleted rows, authors and uploaders (people), counters, a webinar's private
meeting link. Export is deterministic (sorted keys, sorted files), so it diffs well.

Import reads such a tree, or a Hugo `content/` folder (title, description, date, draft, slug;
languages by directory or by a `name.de.md` suffix), into pages. It creates and updates by slug
(media by path) in one transaction: an error names the file and line and imports nothing.
"""

import hashlib
import json
import re
import sqlite3
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

import yaml

from . import consent
from .errors import OperationError
from .media import write_file
from .snapshot import PERSONAL_SETTINGS
from .timestamps import to_sqlite, utc_now


@dataclass(frozen=True)
class Kind:
    table: str
    body: str  # the translatable column that is the file's body
    texts: tuple[str, ...]  # other translatable columns
    shared: tuple[str, ...]  # columns the same in every language
    media: dict = field(default_factory=dict)  # id column -> front matter key holding a media path
    lists: tuple[str, ...] = ()  # JSON arrays


KINDS = {
    "pages": Kind("pages", "content", ("title", "excerpt", "seo_title", "meta_description", "seo_keywords"),
                  ("id", "template", "status", "is_featured", "sort_order", "canonical_url", "published_at",
                   "created_at", "updated_at")),
    "webinars": Kind("webinars", "description", ("title", "presenter_bio"),
                     ("id", "scheduled_at", "duration_minutes", "timezone", "max_participants", "recording_url",
                      "status", "registration_enabled", "registration_deadline", "presenter_name", "created_at",
                      "updated_at"),
                     {"presenter_avatar_id": "presenter_avatar", "presentation_file_id": "presentation_file"}),
    "whitepapers": Kind("whitepapers", "description", ("title", "preview_content", "meta_title", "meta_description"),
                        ("id", "category", "tags", "industry", "requires_registration", "lead_magnet_active", "status",
                         "featured", "sort_order", "published_at", "created_at", "updated_at"),
                        {"file_id": "file", "thumbnail_id": "thumbnail"}, ("tags", "industry")),
}  # fmt: skip
MEDIA_COLUMNS = ("id", "original_filename", "mime_type", "file_hash", "image_metadata", "folder", "tags",
                 "created_at", "updated_at")  # fmt: skip
MEDIA_TEXTS = ("title", "alt_text", "description")
NOT_EXPORTED_SETTINGS = {"instance_id", consent.VERSION_SETTING, *PERSONAL_SETTINGS}
FRONT_MATTER = re.compile(r"\A---\n(.*?)\n---\n?(.*)\Z", re.S)


# libyaml's C parser and emitter when PyYAML has them (its wheels do), the same safe subset.
LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def dump(value) -> str:
    return yaml.dump(value, Dumper=DUMPER, sort_keys=True, allow_unicode=True, width=100,
                     default_flow_style=False)  # fmt: skip


def load(text: str):
    return yaml.load(text, Loader=LOADER)  # noqa: S506 (a safe loader)


def texts(raw: str | None) -> dict[str, str]:
    try:
        value = json.loads(raw or "{}")
    except json.JSONDecodeError:
        return {}
    return value if isinstance(value, dict) else {}


# --- export --------------------------------------------------------------------------------------


def export_content(conn: sqlite3.Connection, media_dir: Path, target: Path) -> dict[str, int]:
    """Write the tree into `target` (which must be empty or new); files written per kind."""
    if target.exists() and any(target.iterdir()):
        raise OperationError(f"{target} is not empty; export into a new folder")
    written: dict[str, int] = defaultdict(int)
    media_paths = {
        row["id"]: row["file_path"] for row in conn.execute("SELECT id, file_path FROM media_files")
    }
    for name, kind in KINDS.items():
        for row in conn.execute(
            f"SELECT * FROM {kind.table} WHERE deleted_at IS NULL ORDER BY slug"
        ):
            for lang, text in sorted(item_files(conn, name, kind, row, media_paths).items()):
                write_text(target / "content" / lang / name / f"{row['slug']}.md", text)
                written[name] += 1
    media = []
    for row in conn.execute("SELECT * FROM media_files WHERE deleted_at IS NULL ORDER BY id"):
        item = {column: row[column] for column in MEDIA_COLUMNS}
        item.update({"file_path": row["file_path"], "tags": json.loads(row["tags"] or "[]"),
                     "image_metadata": json.loads(row["image_metadata"] or "null")})  # fmt: skip
        item.update({column: texts(row[column]) for column in MEDIA_TEXTS})
        media.append(item)
        source = media_dir / row["file_path"]
        if source.is_file():
            write_file(target / "static" / "media" / row["file_path"], source.read_bytes())
            written["media files"] += 1
    write_text(target / "media.yaml", dump(media))
    wording = consent.current_wording(conn)
    settings = {key: value for key, value in conn.execute("SELECT key, value FROM system_settings")
                if key not in NOT_EXPORTED_SETTINGS}  # fmt: skip
    write_text(
        target / "config.yaml",
        dump({"settings": settings, "consent": wording.texts if wording else {}}),
    )
    return dict(written)


def item_files(conn, name: str, kind: Kind, row, media_paths: dict) -> dict[str, str]:
    """{language: the file's text} for each language the item has any text in."""
    translated = {column: texts(row[column]) for column in (kind.body, *kind.texts)}
    languages = sorted({lang for values in translated.values() for lang in values})
    shared = {column: row[column] for column in kind.shared}
    for column in kind.lists:
        shared[column] = json.loads(row[column] or "[]")
    for column, key in kind.media.items():
        shared[key] = media_paths.get(row[column]) if row[column] else None
    if name == "pages":
        shared["aliases"] = [r[0] for r in conn.execute(
            "SELECT old_slug FROM page_redirects WHERE page_id = ? ORDER BY old_slug", (row["id"],))]  # fmt: skip
    files = {}
    for lang in languages:
        front = {
            **shared,
            "slug": row["slug"],
            "translationKey": f"{name}/{row['slug']}",
            "language": lang,
        }
        front.update(
            {
                column: translated[column][lang]
                for column in kind.texts
                if lang in translated[column]
            }
        )
        files[lang] = f"---\n{dump(front)}---\n{translated[kind.body].get(lang, '')}"
    return files


def write_text(path: Path, text: str) -> None:
    write_file(path, text.encode("utf-8"))


# --- import --------------------------------------------------------------------------------------


@dataclass
class Report:
    created: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    updated: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    unchanged: dict[str, int] = field(default_factory=lambda: defaultdict(int))

    def lines(self) -> list[str]:
        kinds = sorted(set(self.created) | set(self.updated) | set(self.unchanged))
        return [f"{kind}: {self.created[kind]} to create, {self.updated[kind]} to update, "
                f"{self.unchanged[kind]} unchanged" for kind in kinds]  # fmt: skip


class ContentFileError(OperationError):
    """Problems in the tree, each naming its file and line; nothing was imported."""


@dataclass
class Item:
    name: str  # pages, webinars, whitepapers
    key: str
    shared: dict = field(default_factory=dict)
    translated: dict = field(default_factory=lambda: defaultdict(dict))
    origin: str = ""  # file:line, for errors about the item as a whole


def import_content(
    conn: sqlite3.Connection, media_dir: Path, source: Path, *, dry_run: bool = False
) -> Report:
    """Create and update from `source` in one transaction (rolled back on `dry_run` or error)."""
    problems: list[str] = []
    items = read_items(source, problems, default_language(conn))
    report = Report()
    conn.execute("BEGIN IMMEDIATE")
    try:
        if (source / "config.yaml").exists():
            import_config(conn, source / "config.yaml", problems)
        media_ids = import_media(conn, media_dir if not dry_run else None, source, problems, report)
        for item in items:
            upsert_item(conn, item, media_ids, problems, report)
        if problems:
            raise ContentFileError("nothing was imported:\n  " + "\n  ".join(problems))
        conn.execute("ROLLBACK" if dry_run else "COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    return report


def default_language(conn) -> str:
    row = conn.execute(
        "SELECT value FROM system_settings WHERE key = 'default_language'"
    ).fetchone()
    return (row and row[0]) or "en"


def parse_file(path: Path, problems: list[str]) -> tuple[dict, str] | None:
    text = path.read_text(encoding="utf-8")
    found = FRONT_MATTER.match(text.replace("\r\n", "\n"))
    if not found:
        problems.append(f"{path}:1: no YAML front matter between --- lines")
        return None
    try:
        front = load(found[1]) or {}
    except yaml.YAMLError as error:
        # Where the broken construct began (an unclosed bracket), else where the parser stopped.
        mark = getattr(error, "context_mark", None) or getattr(error, "problem_mark", None)
        line = (mark.line if mark else 0) + 2  # the front matter starts on the file's line 2
        problems.append(
            f"{path}:{line}: front matter is not valid YAML ({getattr(error, 'problem', error)})"
        )
        return None
    if not isinstance(front, dict):
        problems.append(f"{path}:2: front matter must be a mapping of keys to values")
        return None
    return front, found[2]


def line_of(path: Path, start: str) -> int:
    """The first line of a YAML file that starts with `start` (after any indent or list dash),
    such as `title:`; 1 if none does."""
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if line.lstrip(" -").startswith(start):
            return number
    return 1


def read_items(source: Path, problems: list[str], default_lang: str) -> list[Item]:
    """Every item of the tree, its languages merged by translationKey (Magnetiq's layout) or by
    path (a Hugo content folder)."""
    content = source / "content"
    if not content.is_dir():
        raise ContentFileError(f"{source} has no content/ folder")
    items: dict[tuple[str, str], Item] = {}
    for path in sorted(content.rglob("*.md")):
        if path.name.startswith("_index"):
            continue  # a Hugo section's own page: no counterpart here
        relative = path.relative_to(content).parts
        lang, rest = (
            (relative[0], relative[1:])
            if re.fullmatch(r"[a-z]{2}(-[A-Z]{2})?", relative[0])
            else (None, relative)
        )
        stem, suffix_lang = split_language(rest[-1])
        lang = lang or suffix_lang or default_lang
        parsed = parse_file(path, problems)
        if parsed is None:
            continue
        front, body = parsed
        name = (
            rest[0] if len(rest) > 1 and rest[0] in KINDS and "translationKey" in front else "pages"
        )
        item_key = str(front.get("translationKey") or "/".join((*rest[:-1], stem)))
        item = items.setdefault((name, item_key), Item(name, item_key, origin=f"{path}:1"))
        if "translationKey" in front:
            read_magnetiq(item, front, body, lang, path, problems)
        else:
            read_hugo(item, front, body, lang, stem)
    return list(items.values())


def split_language(filename: str) -> tuple[str, str | None]:
    """`about.de.md` -> ("about", "de"); `about.md` -> ("about", None)."""
    parts = filename[:-3].rsplit(".", 1)
    if len(parts) == 2 and re.fullmatch(r"[a-z]{2}(-[A-Z]{2})?", parts[1]):
        return parts[0], parts[1]
    return parts[0] if len(parts) == 1 else filename[:-3], None


def read_magnetiq(
    item: Item, front: dict, body: str, lang: str, path: Path, problems: list[str]
) -> None:
    kind = KINDS[item.name]
    lang = str(front.get("language") or lang)
    item.translated[kind.body][lang] = body
    for column in kind.texts:
        if column in front:
            item.translated[column][lang] = str(front[column])
    for key, value in front.items():
        if key in (*kind.texts, "language", "translationKey"):
            continue
        if key in item.shared and item.shared[key] != value:
            problems.append(f"{path}:{line_of(path, key + ':')}: {key} differs from another language's file of "
                            f"{item.key} ({item.shared[key]!r} there)")  # fmt: skip
        item.shared[key] = value


def read_hugo(item: Item, front: dict, body: str, lang: str, stem: str) -> None:
    """Hugo's front matter as a page: title, description (the excerpt), date, draft, slug."""
    item.translated["content"][lang] = body
    if "title" in front:
        item.translated["title"][lang] = str(front["title"])
    if "description" in front:
        item.translated["excerpt"][lang] = str(front["description"])
    item.shared.setdefault("slug", str(front.get("slug") or stem).lower())
    if front.get("date"):
        item.shared.setdefault("published_at", to_sqlite(hugo_date(front["date"])))
    item.shared.setdefault("status", "draft" if front.get("draft") else "published")
    item.shared.setdefault("template", "default")


def hugo_date(value) -> datetime:
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day, tzinfo=UTC)
    return datetime.fromisoformat(str(value).replace("Z", "+00:00"))


def import_config(conn, path: Path, problems: list[str]) -> None:
    parsed = load(path.read_text(encoding="utf-8")) or {}
    settings = parsed.get("settings") or {}
    if not isinstance(settings, dict):
        problems.append(f"{path}:{line_of(path, 'settings:')}: settings must be a mapping")
        return
    conn.executemany(
        "INSERT INTO system_settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        [(str(key), None if value is None else str(value)) for key, value in sorted(settings.items())
         if key not in NOT_EXPORTED_SETTINGS],
    )  # fmt: skip
    consent.save_wording(
        conn, {str(k): str(v) for k, v in (parsed.get("consent") or {}).items()}, utc_now()
    )


def import_media(
    conn, media_dir: Path | None, source: Path, problems: list[str], report: Report
) -> dict[str, int]:
    """{file_path: id} of every live media row after the import (`media_dir` None: no files
    are written, as in a dry run)."""
    listed = source / "media.yaml"
    items = (load(listed.read_text(encoding="utf-8")) or []) if listed.exists() else []
    for item in items:
        path = str(item.get("file_path", ""))
        file = source / "static" / "media" / path
        if not path or ".." in path.split("/") or path.startswith("/") or not file.is_file():
            problems.append(
                f"{listed}:{line_of(listed, 'file_path: ' + path)}: media file {path!r} is missing under static/media/"
            )
            continue
        data = file.read_bytes()
        if hashlib.sha256(data).hexdigest() != item.get("file_hash"):
            problems.append(
                f"{listed}:{line_of(listed, 'file_path: ' + path)}: {path} does not match its file_hash"
            )
            continue
        values = {"file_path": path, "filename": Path(path).name, "original_filename": item.get("original_filename") or Path(path).name,
                  "file_size": len(data), "mime_type": item["mime_type"], "file_hash": item["file_hash"],
                  "image_metadata": json.dumps(item["image_metadata"]) if item.get("image_metadata") else None,
                  "folder": item.get("folder") or "/", "tags": json.dumps(item.get("tags") or [], ensure_ascii=False),
                  **{column: json.dumps(item.get(column) or {}, ensure_ascii=False, sort_keys=True) for column in MEDIA_TEXTS},
                  "created_at": item.get("created_at"), "updated_at": item.get("updated_at")}  # fmt: skip
        existing = conn.execute(
            "SELECT * FROM media_files WHERE file_path = ? AND deleted_at IS NULL", (path,)
        ).fetchone()
        upsert(conn, "media_files", existing, values, item.get("id"), report, "media")
        if media_dir is not None:
            write_file(media_dir / path, data)
    return {
        row[0]: row[1]
        for row in conn.execute("SELECT file_path, id FROM media_files WHERE deleted_at IS NULL")
    }


def upsert(conn, table: str, existing, values: dict, wanted_id, report: Report, label: str) -> int:
    """Insert (with the exported id when it is free) or update; counted in the report."""
    if existing is None:
        free = (
            isinstance(wanted_id, int)
            and not conn.execute(f"SELECT 1 FROM {table} WHERE id = ?", (wanted_id,)).fetchone()
        )
        columns = {**values, **({"id": wanted_id} if free else {})}
        report.created[label] += 1
        return conn.execute(
            f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))}) RETURNING id", list(columns.values())
        ).fetchone()[0]  # fmt: skip
    changed = {k: v for k, v in values.items() if existing[k] != v}
    if not changed or set(changed) <= {"updated_at"}:
        report.unchanged[label] += 1
        return existing["id"]
    report.updated[label] += 1
    conn.execute(
        f"UPDATE {table} SET {', '.join(f'{k} = ?' for k in values)} WHERE id = ?",
        [*values.values(), existing["id"]],
    )
    return existing["id"]


def upsert_item(
    conn, item: Item, media_ids: dict[str, int], problems: list[str], report: Report
) -> None:
    kind = KINDS[item.name]
    shared = dict(item.shared)
    slug = str(shared.pop("slug", "") or "")
    if not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", slug):
        problems.append(
            f"{item.origin}: slug {slug!r} must be lowercase letters, digits and hyphens"
        )
        return
    values: dict = {"slug": slug}
    for column in kind.shared:
        if column == "id" or column not in shared:
            continue
        value = shared[column]
        values[column] = json.dumps(value, ensure_ascii=False) if column in kind.lists else value
    for column, key in kind.media.items():
        path = shared.get(key)
        if path and path not in media_ids:
            problems.append(f"{item.origin}: {key} {path!r} is not in media.yaml or the library")
            continue
        if key in shared:
            values[column] = media_ids.get(path) if path else None
    for column in (kind.body, *kind.texts):
        if item.translated.get(column):
            values[column] = json.dumps(
                dict(sorted(item.translated[column].items())), ensure_ascii=False
            )
    if "title" not in values:
        problems.append(f"{item.origin}: {item.key} has no title in any language")
        return
    existing = conn.execute(
        f"SELECT * FROM {kind.table} WHERE slug = ? AND deleted_at IS NULL", (slug,)
    ).fetchone()
    try:
        row_id = upsert(conn, kind.table, existing, values, shared.get("id"), report, item.name)
    except sqlite3.IntegrityError as error:  # a required column missing, a value out of range, …
        problems.append(f"{item.origin}: {item.key}: {error}")
        return
    if item.name == "pages":
        for alias in shared.get("aliases") or []:
            conn.execute("INSERT INTO page_redirects (old_slug, page_id) VALUES (?, ?) ON CONFLICT (old_slug) DO UPDATE "
                         "SET page_id = excluded.page_id", (str(alias), row_id))  # fmt: skip
