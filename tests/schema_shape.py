"""Describe a database's schema as comparable data, and name the differences between two."""

import re
import sqlite3


def normalise(sql: str | None) -> str:
    sql = re.sub(r"--[^\n]*", "", sql or "")
    return re.sub(r"\s+", " ", sql).strip()


def check_constraints(table_sql: str) -> set[str]:
    return {normalise(match) for match in re.findall(r"CHECK\s*\((.*?\))\)", table_sql)}


def describe(conn: sqlite3.Connection) -> dict[str, dict]:
    """Every schema object as `name -> comparable description`, names prefixed by kind."""
    shape = {}
    objects = conn.execute(
        "SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'"
    ).fetchall()
    for kind, name, table, sql in objects:
        if kind == "table" and name.startswith("pages_fts_"):
            continue  # FTS5 shadow tables follow from the virtual table's definition
        if kind == "table" and sql.startswith("CREATE VIRTUAL"):
            shape[f"table {name}"] = {"virtual": normalise(sql)}
        elif kind == "table":
            shape[f"table {name}"] = {"checks": check_constraints(sql)}
            for column in conn.execute(f"PRAGMA table_info({name})"):
                shape[f"column {name}.{column[1]}"] = {
                    "type": column[2], "notnull": column[3], "default": column[4], "pk": column[5],
                }  # fmt: skip
            for fk in conn.execute(f"PRAGMA foreign_key_list({name})"):
                key = f"column {name}.{fk[3]}"
                shape[key]["references"] = (fk[2], fk[4], fk[6])
            for index in conn.execute(f"PRAGMA index_list({name})"):
                if index[3] == "u":  # a UNIQUE column constraint's automatic index
                    columns = [row[2] for row in conn.execute(f"PRAGMA index_info({index[1]})")]
                    shape[f"column {name}.{columns[0]}"]["unique"] = tuple(columns)
        elif kind == "index":
            columns = tuple(row[2] for row in conn.execute(f"PRAGMA index_info({name})"))
            shape[f"index {name}"] = {"table": table, "columns": columns, "sql": normalise(sql)}
        else:
            shape[f"{kind} {name}"] = {"sql": normalise(sql)}
    for key, value in conn.execute("SELECT key, value FROM system_settings"):
        shape[f"setting {key}"] = {"value": value}
    return shape


def differences(spec: dict, ours: dict) -> dict[str, str]:
    """`kind name -> what changed` for every object added, removed or altered."""
    changed = {}
    for key in sorted(spec.keys() | ours.keys()):
        if key.startswith("column ") and whole_table_changed(key, spec, ours):
            continue
        if key not in ours:
            changed[key] = "removed"
        elif key not in spec:
            changed[key] = "added"
        elif spec[key] != ours[key]:
            changed[key] = f"changed: {spec[key]} -> {ours[key]}"
    return changed


def whole_table_changed(column_key: str, spec: dict, ours: dict) -> bool:
    """A column of a table that was added or removed as a whole is not a difference of its own."""
    table_key = "table " + column_key.split(" ", 1)[1].split(".")[0]
    return (table_key in spec) != (table_key in ours)
