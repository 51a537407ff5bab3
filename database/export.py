"""`db export`: every table as JSON for the PostgreSQL-based v3.

JSON columns become objects, DATETIME columns ISO 8601 in UTC, BOOLEAN columns true/false.
"""

import json
import os
import sqlite3
from pathlib import Path

from .catalog import column_kinds, data_tables, primary_key
from .migrations import schema_version
from .timestamps import from_sqlite

JSON_COLUMNS = {
    "pages": {"title", "content", "excerpt", "meta_description", "seo_title", "seo_keywords"},
    "media_files": {"title", "alt_text", "description", "image_metadata", "tags"},
    "webinars": {"title", "description", "presenter_bio"},
    "whitepapers": {
        "title", "description", "preview_content", "tags", "industry", "meta_title",
        "meta_description",
    },
    "analytics_events": {"metadata"},
    "social_content": {"platform_config", "media_urls", "media_types", "initial_engagement"},
    "social_engagement": {"engagement_data", "audience_data"},
    "email_campaigns": {"recipient_config"},
    "email_templates": {"variables"},
    "audit_log": {"details"},
    "revisions": {"data"},
    "idempotency_keys": {"response"},
    "mail_outbox": {"payload"},
    "webhooks": {"events"},
    "webhook_deliveries": {"body"},
    "build_jobs": {"reasons", "summary", "errors"},
}  # fmt: skip

SETTING_DECODERS = {
    "json": json.loads,
    "boolean": lambda value: value.strip().lower() == "true",
    "integer": int,
}


def export_database(
    conn: sqlite3.Connection, directory: Path, *, include_deleted: bool = False
) -> dict[str, int]:
    """Write `<table>.json` for every table plus `manifest.json`; return rows written per table.

    The files hold leads and password hashes: like backups, they are readable by their owner only.
    """
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    counts = {}
    for table in data_tables(conn):
        rows = export_table(conn, table, include_deleted=include_deleted)
        write_json(directory / f"{table}.json", rows)
        counts[table] = len(rows)
    write_json(
        directory / "manifest.json",
        {
            "schema_version": schema_version(conn),
            "include_deleted": include_deleted,
            "tables": counts,
        },
    )
    return counts


def export_table(conn: sqlite3.Connection, table: str, *, include_deleted: bool) -> list[dict]:
    columns = column_kinds(conn, table)
    where = "" if include_deleted or "deleted_at" not in columns else " WHERE deleted_at IS NULL"
    json_columns = JSON_COLUMNS.get(table, set())
    order = ", ".join(primary_key(conn, table))
    exported = []
    for row in conn.execute(f"SELECT * FROM {table}{where} ORDER BY {order}"):
        record = {}
        for name, value in zip(row.keys(), row, strict=True):
            record[name] = convert(value, columns[name], name in json_columns)
        if table == "system_settings" and record["value"] is not None:
            decoder = SETTING_DECODERS.get(record["type"] or "string")
            record["value"] = decode(record["value"], decoder) if decoder else record["value"]
        exported.append(record)
    return exported


def convert(value, kind: str, is_json: bool):
    if value is None:
        return None
    if is_json:
        return decode(value, json.loads)
    if kind == "boolean":
        return bool(value)
    if kind == "time" and isinstance(value, str):
        try:
            return from_sqlite(value).isoformat().replace("+00:00", "Z")
        except ValueError:
            return value
    return value


def decode(value, decoder):
    """Decode a stored value, keeping the original text when it does not parse."""
    try:
        return decoder(value)
    except (ValueError, TypeError):
        return value


def write_json(path: Path, data) -> None:
    temp = path.with_name(f".{path.name}.partial")
    temp.unlink(missing_ok=True)
    with os.fdopen(
        os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "w", encoding="utf-8"
    ) as out:
        out.write(json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n")
    temp.replace(path)
