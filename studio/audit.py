"""The audit trail: who did what to which row, and when (table audit_log, deviation D5)."""

import json
import sqlite3

from flask import g, request


def audit(conn: sqlite3.Connection, action: str, *, actor_id: int | None, actor_label: str,
          target_table: str | None = None, target_id: int | None = None, ip: str | None = None,
          **details) -> None:  # fmt: skip
    """Record an action; call inside the transaction that does it, so both commit or neither."""
    conn.execute(
        "INSERT INTO audit_log (actor_id, actor_label, action, target_table, target_id, details, ip_address) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        (actor_id, actor_label, action, target_table, target_id,
         json.dumps(details, ensure_ascii=False, sort_keys=True) if details else None, ip),
    )  # fmt: skip


def staff_audit(conn: sqlite3.Connection, action: str, **fields) -> None:
    """`audit` for the signed-in staff member of this request, from their address."""
    audit(
        conn,
        action,
        actor_id=g.staff.id,
        actor_label=g.staff.email,
        ip=request.remote_addr,
        **fields,
    )
