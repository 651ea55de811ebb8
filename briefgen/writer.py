"""The only code that touches the output folder.

A build is written into a staging folder beside the output and swapped in at
the end, so a failed or interrupted build leaves the previous site exactly as
it was. A folder briefgen did not make is never replaced.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from briefgen.diagnostics import Diagnostics
from briefgen.templates import OutputFile

MARKER = ".briefgen-output"
MARKER_TEXT = b"This folder is made by `briefgen build`, which replaces all of it on every build.\n"
WRITER_FOLDERS = ("content", "templates", "static", "themes")


def check_output_dir(site_dir: Path, output_dir: Path, diagnostics: Diagnostics) -> bool:
    """Refuse an output folder whose replacement would delete something a writer made."""
    site, output = site_dir.resolve(), output_dir.resolve()
    protected = [Path("/"), Path.home().resolve(), site, *(site / name for name in WRITER_FOLDERS)]
    reason = ""
    if output in protected[:3]:
        reason = "is the site folder" if output == site else f"is {output}"
    elif any(output.is_relative_to(p) for p in protected[3:]):
        reason = "is inside a folder the writer keeps (content/, templates/, static/ or themes/)"
    elif site.is_relative_to(output):
        reason = "contains the site folder"
    elif output.is_dir() and any(output.iterdir()) and not (output / MARKER).is_file():
        reason = "already exists, holds files, and was not made by briefgen"
    if reason:
        diagnostics.error(output_dir, 0, f"refusing to write the site here: the output folder {reason}",
                          "every build replaces the whole output folder; choose an empty or new one "
                          "with `-o DIR` or `output_dir:` in briefgen.yaml")
        return False
    return True


def write_site(output_dir: Path, files: list[OutputFile]) -> None:
    """Write all files into a staging folder, then swap it in for the output folder."""
    output = output_dir.resolve()
    staging = output.parent / f".{output.name}.staging-{os.getpid()}"
    retired = output.parent / f".{output.name}.old-{os.getpid()}"
    shutil.rmtree(staging, ignore_errors=True)
    try:
        _write_all(staging, files)
        if output.exists():
            os.replace(output, retired)
        os.replace(staging, output)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        if retired.exists() and not output.exists():
            os.replace(retired, output)
        raise
    shutil.rmtree(retired, ignore_errors=True)


def _write_all(root: Path, files: list[OutputFile]) -> None:
    root.mkdir(parents=True)
    made: set[Path] = {root}
    for file in [*files, OutputFile(MARKER, MARKER_TEXT)]:
        target = root / file.path
        if target.parent not in made:
            target.parent.mkdir(parents=True, exist_ok=True)
            made.add(target.parent)
        target.write_bytes(file.data)
