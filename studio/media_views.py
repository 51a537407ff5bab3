"""/admin/media: the media library. Editors upload images and documents (several at once, by a
plain file input or drag and drop), find them by search, folder and tag, give them a title, alt
text and description per language, see where each is used, replace a file (same id and path, so
every use shows the new bytes after the next build) and delete what nothing uses.

What a file is gets decided from its bytes (generator/images.py); the rows' rules live in
database/media.py. Files are served here only to signed-in staff; the site publishes images
through the build, and whitepaper files only through signed links.
"""

import json
import re

from flask import (
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)

from database import media
from database.numbers import whole_number
from database.timestamps import utc_now
from generator.images import LIMITS, MB, RASTER_LIMIT, RefusedFile, check_name, identify
from service.db import get_db, write

from . import bp
from .audit import staff_audit
from .building import languages, request_build, site
from .i18n import _
from .leads import MAX_PAGE
from .security import may, require
from .texts import as_json, read_texts

PER_PAGE = 48
TEXT_FIELDS = {"title": 200, "alt_text": 300, "description": 1000}
FOLDER = re.compile(r"^/(?:[a-z0-9][a-z0-9-]*(?:/[a-z0-9][a-z0-9-]*)*)?$")
ACCEPT = "image/jpeg,image/png,image/webp,image/avif,image/gif,image/svg+xml,application/pdf"


def folder_from(text: str) -> str | None:
    """`/` or a path of lowercase names such as `/products/2027`; None when it is not one."""
    folder = "/" + text.strip().strip("/").lower()
    return folder if FOLDER.match(folder) and len(folder) <= 200 else None


def folder_rule() -> str:
    return _("a folder such as /products/2027: lowercase letters, digits, hyphens")


def tags_from(text: str) -> list[str]:
    return sorted({tag.strip().lower()[:50] for tag in text.split(",") if tag.strip()})


def missing_alt(row, langs: list[str]) -> list[str]:
    """The languages an image has no alt text in (documents need none)."""
    if not row["mime_type"].startswith("image/"):
        return []
    texts = json.loads(row["alt_text"] or "{}")
    return [lang for lang in langs if not str(texts.get(lang, "")).strip()]


@bp.get("/media")
@require("viewer")
def media_library():
    args = request.args
    query, folder, tag = (
        args.get("q", "").strip()[:200],
        args.get("folder", ""),
        args.get("tag", ""),
    )
    page = whole_number(args.get("page", "1"), minimum=1, maximum=MAX_PAGE) or 1
    where, params = ["deleted_at IS NULL"], []
    if query:
        where.append(
            "(original_filename LIKE ? ESCAPE '\\' OR CAST(title AS TEXT) LIKE ? ESCAPE '\\' OR file_path LIKE ? ESCAPE '\\')"
        )
        params += [media.like_pattern(query)] * 3
    if folder:
        where.append("folder = ?")
        params.append(folder)
    if tag:
        where.append("CAST(tags AS TEXT) LIKE ? ESCAPE '\\'")
        params.append(media.like_pattern(json.dumps(tag, ensure_ascii=False)))
    conn = get_db()
    clause = " AND ".join(where)
    total = conn.execute(f"SELECT count(*) FROM media_files WHERE {clause}", params).fetchone()[0]
    rows = conn.execute(f"SELECT * FROM media_files WHERE {clause} ORDER BY id DESC LIMIT ? OFFSET ?",
                        (*params, PER_PAGE, (page - 1) * PER_PAGE)).fetchall()  # fmt: skip
    folders = [r[0] for r in conn.execute("SELECT DISTINCT folder FROM media_files WHERE deleted_at IS NULL ORDER BY folder")]  # fmt: skip
    langs = languages()
    return render_template("admin/media.html", rows=rows, total=total, page=page, per_page=PER_PAGE,
                           query=query, folder=folder, tag=tag, folders=folders, accept=ACCEPT,
                           missing={row["id"]: missing_alt(row, langs) for row in rows}, loads=json.loads,
                           limits={"raster": RASTER_LIMIT // MB, "svg": LIMITS["image/svg+xml"] // MB,
                                   "pdf": LIMITS["application/pdf"] // MB})  # fmt: skip


@bp.post("/media/upload")
@require("editor")
def upload_media():
    """Each file on its own: an accepted one is stored, a known one offered, a refused one
    named with the reason; one refusal does not cost the others."""
    folder = folder_from(request.form.get("folder", "/"))
    if folder is None:
        flash(_("Nothing was uploaded: %(problem)s.", problem=folder_rule()), "error")  # fmt: skip
        return redirect(url_for("admin.media_library"), 303)
    tags = tags_from(request.form.get("tags", ""))
    results = []
    for file in request.files.getlist("files"):
        if not file.filename:
            continue
        name = file.filename.rsplit("/", 1)[-1].rsplit("\\", 1)[-1][:255]
        try:
            found = identify(read_upload(file))
            check_name(name, found)
        except RefusedFile as reason:
            results.append({"name": name, "state": "refused", "reason": str(reason)})
            continue
        upload = media.Upload(found.data, found.mime_type, found.extension, name, found.metadata)
        with write() as conn:
            existing = media.same_bytes(conn, upload.file_hash)
            if existing is None:
                existing = media.add(conn, site_media(), upload, folder=folder, tags=tags,
                                     staff_id=g.staff.id, now=utc_now())  # fmt: skip
                staff_audit(conn, "media.upload", target_table="media_files", target_id=existing)
                results.append({"name": name, "state": "added", "id": existing})
            else:
                results.append({"name": name, "state": "known", "id": existing})
    if not results:
        flash(_("Choose at least one file."), "error")
        return redirect(url_for("admin.media_library"), 303)
    refused = any(result["state"] == "refused" for result in results)
    return render_template("admin/media_uploaded.html", results=results), 422 if refused else 200


def read_upload(file) -> bytes:
    """The file's bytes (one more than the largest limit, so an oversized one is seen as such)."""
    try:
        return file.read(LIMITS["application/pdf"] + 1)
    finally:
        file.close()


def site_media():
    return current_app.config["MAGNETIQ"].media


def media_row(media_id: int):
    row = (
        get_db()
        .execute("SELECT * FROM media_files WHERE id = ? AND deleted_at IS NULL", (media_id,))
        .fetchone()
    )
    if row is None:
        abort(404)
    return row


@bp.route("/media/<int:media_id>", methods=["GET", "POST"])
@require("viewer")
def media_item(media_id: int):
    row, langs = media_row(media_id), languages()
    errors: dict = {}
    texts = {name: json.loads(row[name] or "{}") for name in TEXT_FIELDS}
    form = {"folder": row["folder"] or "/", "tags": ", ".join(json.loads(row["tags"] or "[]"))}
    if request.method == "POST":
        if not may("editor"):
            abort(403)
        texts = read_texts(request.form, TEXT_FIELDS, langs, site().default_language, (), errors)
        form = {"folder": request.form.get("folder", "/"), "tags": request.form.get("tags", "")}
        folder = folder_from(form["folder"])
        if folder is None:
            errors["folder"] = folder_rule()
        if not errors:
            stored = as_json(texts)
            with write() as conn:
                conn.execute(
                    "UPDATE media_files SET title = ?, alt_text = ?, description = ?, folder = ?, tags = ? "
                    "WHERE id = ?",
                    (stored["title"], stored["alt_text"], stored["description"], folder,
                     json.dumps(tags_from(form["tags"]), ensure_ascii=False), media_id),
                )  # fmt: skip
                staff_audit(conn, "media.update", target_table="media_files", target_id=media_id)
            flash(_("Saved."), "ok")
            if media.where_used(get_db(), media_id):
                request_build()
            return redirect(url_for("admin.media_item", media_id=media_id), 303)
    uses = media.where_used(get_db(), media_id)
    return render_template("admin/media_item.html", row=row, texts=texts, form=form, errors=errors,
                           fields=TEXT_FIELDS, languages=langs, uses=uses, accept=ACCEPT,
                           metadata=json.loads(row["image_metadata"] or "null"),
                           missing=missing_alt(row, langs)), 422 if errors else 200  # fmt: skip


@bp.get("/media/<int:media_id>/file")
@require("viewer")
def media_file(media_id: int):
    """The stored file, for staff's eyes: never run as a page (sandboxed, type fixed)."""
    row = media_row(media_id)
    response = send_file(site_media() / row["file_path"], mimetype=row["mime_type"], max_age=0)
    response.headers["Content-Security-Policy"] = (
        "sandbox; default-src 'none'; style-src 'unsafe-inline'"
    )
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.post("/media/<int:media_id>/replace")
@require("editor")
def replace_media(media_id: int):
    row = media_row(media_id)
    file = request.files.get("file")
    try:
        found = identify(read_upload(file) if file else b"")
    except RefusedFile as reason:
        flash(_("Not replaced: %(reason)s.", reason=str(reason)), "error")
        return redirect(url_for("admin.media_item", media_id=media_id), 303)
    if found.mime_type != row["mime_type"]:
        flash(_("Not replaced: the new file is %(new)s, this item is %(old)s; upload it as a new item instead.",
                new=found.mime_type, old=row["mime_type"]), "error")  # fmt: skip
        return redirect(url_for("admin.media_item", media_id=media_id), 303)
    upload = media.Upload(
        found.data, found.mime_type, found.extension, file.filename or "", found.metadata
    )
    with write() as conn:
        media.replace(conn, site_media(), media_id, upload)
        staff_audit(conn, "media.replace", target_table="media_files", target_id=media_id)
    flash(_("Replaced: every page that shows it gets the new file with the next build."), "ok")
    request_build()
    return redirect(url_for("admin.media_item", media_id=media_id), 303)


@bp.post("/media/<int:media_id>/delete")
@require("editor")
def delete_media(media_id: int):
    media_row(media_id)
    with write() as conn:
        uses = media.delete(conn, media_id, utc_now())
        if not uses:
            staff_audit(conn, "media.delete", target_table="media_files", target_id=media_id)
    if uses:
        flash(_("Not deleted: still used by %(uses)s.", uses=", ".join(f"{use.table} {use.name}" for use in uses)), "error")  # fmt: skip
        return redirect(url_for("admin.media_item", media_id=media_id), 303)
    flash(_("Deleted."), "ok")
    return redirect(url_for("admin.media_library"), 303)
