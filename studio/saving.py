"""How the studio saves content, whatever its kind: the form's checks and a slug nobody else
uses, then the update over the version the editor started from (409 with both versions when
someone saved in between), a revision and an audit entry, all in one transaction."""

from collections.abc import Callable

from flask import g

from database.timestamps import utc_now
from service.db import write

from . import revisions
from .audit import staff_audit
from .i18n import _
from .labels import label
from .rows import Conflict


def save(table: str, row_id: int | None, form, *, slug_taken: Callable, insert: Callable,
         update: Callable, show: Callable, from_row: Callable, row=None):  # fmt: skip
    """(saved row id, None), or (None, the answer to send): the form again with 422 or 409."""
    kind = table.removesuffix("s")
    with write() as conn:
        if not form.errors and slug_taken(conn, form.slug, row_id):
            form.errors["slug"] = _(
                "another %(kind)s already uses %(slug)r", kind=label(kind), slug=form.slug
            )
        if form.errors:
            return None, (show(form, row), 422)
        if row_id is None:
            row_id = insert(conn, form)
        else:
            try:
                update(conn, row_id, form)
            except Conflict:
                current = conn.execute(f"SELECT * FROM {table} WHERE id = ?", (row_id,)).fetchone()
                return None, (show(form, current, theirs=from_row(current)), 409)
        revisions.record(conn, table, row_id, g.staff.id, g.staff.email, utc_now())
        staff_audit(conn, f"{kind}.{'update' if row is not None else 'create'}", target_table=table,
                    target_id=row_id, slug=form.slug)  # fmt: skip
    return row_id, None
