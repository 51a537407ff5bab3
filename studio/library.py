"""What editors pick from the media library in other forms: a whitepaper's file and thumbnail,
a webinar's presenter photo, an image for a page body (inserted as Markdown)."""

import sqlite3
from dataclasses import dataclass

from database.routes import media


@dataclass(frozen=True)
class MediaChoices:
    """The media rows a whitepaper may point at: any live file to download, images as thumbnails."""

    files: dict[int, str]
    images: dict[int, str]

    @classmethod
    def read(cls, conn: sqlite3.Connection) -> "MediaChoices":
        rows = conn.execute(
            "SELECT id, original_filename, mime_type FROM media_files WHERE deleted_at IS NULL ORDER BY original_filename, id"
        ).fetchall()
        files = {row["id"]: f"{row['original_filename']} ({row['mime_type']})" for row in rows}
        images = {
            row["id"]: files[row["id"]] for row in rows if row["mime_type"].startswith("image/")
        }
        return cls(files, images)

    def markdown(self, conn: sqlite3.Connection) -> list[tuple[str, str]]:
        """(label, Markdown) for each image: the build fills in its alt text per language."""
        rows = conn.execute(
            "SELECT id, file_path FROM media_files WHERE deleted_at IS NULL ORDER BY id DESC"
        ).fetchall()
        return [
            (self.images[row["id"]], f"![]({media(row['file_path'])})")
            for row in rows
            if row["id"] in self.images
        ]
