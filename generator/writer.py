"""Writing output/ so that visitors never see a half-built site.

Every changed file is first written beside its target, and only when all of them are on disk
are they moved into place (`os.replace` is atomic per file); a failure before that point
removes the temporary files and leaves output/ exactly as it was.
"""

import os
from pathlib import Path

MARKER = ".magnetiq-output"
MARKER_TEXT = (
    b"This folder is written by `magnetiq build`; files not produced by the build are removed.\n"
)
TEMP_SUFFIX = ".magnetiq-tmp"


def prepare_output_dir(output_dir: Path) -> None:
    """Refuse to take over a non-empty folder that a build did not create (it would be pruned)."""
    if output_dir.exists() and any(output_dir.iterdir()) and not (output_dir / MARKER).exists():
        from .errors import BuildError

        raise BuildError(
            [
                f"{output_dir} is not empty and was not created by magnetiq build; choose an empty folder"
            ],
            "refusing to write there",
        )
    output_dir.mkdir(parents=True, exist_ok=True)


def target(output_dir: Path, relative: str) -> Path:
    path = (output_dir / relative).resolve()
    if not path.is_relative_to(output_dir.resolve()):
        raise ValueError(f"output path {relative!r} leaves the output folder")
    return path


def write_files(output_dir: Path, files: dict[str, bytes]) -> None:
    staged = []
    try:
        for relative, data in sorted(files.items()):
            final = target(output_dir, relative)
            final.parent.mkdir(parents=True, exist_ok=True)
            temp = final.with_name(final.name + TEMP_SUFFIX)
            with open(temp, "wb") as handle:
                handle.write(data)
            staged.append((temp, final))
    except BaseException:
        for temp, _ in staged:
            temp.unlink(missing_ok=True)
        raise
    for temp, final in staged:
        os.replace(temp, final)


def remove_files(output_dir: Path, relatives: set[str]) -> None:
    for relative in sorted(relatives):
        path = target(output_dir, relative)
        path.unlink(missing_ok=True)
        parent = path.parent
        while parent != output_dir.resolve() and parent.exists() and not any(parent.iterdir()):
            parent.rmdir()
            parent = parent.parent


def existing_files(output_dir: Path) -> set[str]:
    found = set()
    for root, _, names in os.walk(output_dir):
        for name in names:
            found.add(os.path.relpath(os.path.join(root, name), output_dir))
    return found
