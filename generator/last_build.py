"""What the last build saw, so that a build with nothing to do costs next to nothing.

Planning every output again only to find each one unchanged was most of a build that changed
nothing (1.3 s at 10,000 pages). The last successful build leaves in the cache a fingerprint of
everything a build reads — the content's version (deviation D2: every content row moves its
`updated_at`; each webinar's registrations), the database and its schema, the templates and
media files (names, sizes, modification times), the build's own code (an upgrade may change
what the same content makes), the output folder, any address override — and
the moment until which that stays true: the next time at which time alone changes the site
(`database.builds.moments`). A build that finds the same fingerprint inside that window, with
every file the last one recorded still in output/, has nothing to do.
"""

import hashlib
import json
import os
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path

import database
from database import builds
from database.timestamps import from_sqlite, to_sqlite

from .manifest import Manifest
from .writer import missing_files

RECORD = "last-build.json"
CODE = (Path(__file__).parent, Path(database.__file__).parent)  # with the routes and settings


@dataclass(frozen=True)
class LastBuild:
    fingerprint: str
    built_at: str  # the build's clock (database time format)
    valid_until: str | None  # the next moment time alone changes the site; None: never
    planned: int
    next_publish: str | None

    def covers(self, now: datetime) -> bool:
        """Whether the site the last build made is still the site at `now`."""
        return from_sqlite(self.built_at) <= now and (
            self.valid_until is None or now < from_sqlite(self.valid_until)
        )


def fingerprint(conn, paths, addresses: dict | None, instance: str, schema: int) -> str:
    """`instance` and `schema`: the database's, as the build has read them already."""
    parts = (builds.content_version(conn), instance, schema, folder_state(paths.templates),
             folder_state(paths.media), *(folder_state(code, ".py") for code in CODE),
             str(paths.output.resolve()), json.dumps(addresses or {}, sort_keys=True))  # fmt: skip
    return hashlib.blake2b("\x1e".join(map(str, parts)).encode(), digest_size=16).hexdigest()


def folder_state(folder: Path, suffix: str = "") -> str:
    """Every file's (ending in `suffix`) name, size and modification time: what an edit or a
    copy changes."""
    entries = []
    for root, directories, files in os.walk(folder):
        directories.sort()
        for name in sorted(files):
            if not name.endswith(suffix):
                continue
            path = os.path.join(root, name)
            stat = os.stat(path)
            entries.append(
                f"{os.path.relpath(path, folder)}\x1f{stat.st_size}\x1f{stat.st_mtime_ns}"
            )
    return hashlib.blake2b("\x1e".join(entries).encode(), digest_size=16).hexdigest()


def unchanged(paths, now: datetime, state: str) -> LastBuild | None:
    """The last build's record when building at `now` from the state `state` would change
    nothing; else None."""
    try:
        record = LastBuild(**json.loads((paths.cache / RECORD).read_text()))
    except (OSError, ValueError, TypeError):
        return None
    if record.fingerprint != state or not record.covers(now):
        return None
    manifest = Manifest(paths.cache / "manifest.sqlite")
    try:
        if manifest.fresh or missing_files(paths.output, manifest.paths()):
            return None  # a file was removed behind the build's back: the build puts it back
    finally:
        manifest.close()
    return record


def remember(conn, paths, now: datetime, state: str, planned: int, next_publish) -> None:
    """Record a successful build (written last, atomically: a crash leaves the old record,
    whose fingerprint no longer matches)."""
    upcoming = builds.moments(conn, now)
    record = LastBuild(state, to_sqlite(now), to_sqlite(upcoming[0]) if upcoming else None,
                       planned, to_sqlite(next_publish) if next_publish else None)  # fmt: skip
    target = paths.cache / RECORD
    staged = target.with_suffix(".tmp")
    staged.write_text(json.dumps(asdict(record)))
    os.replace(staged, target)
