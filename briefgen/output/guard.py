"""The guard: an output folder briefgen refuses to replace.

Every build replaces the whole output folder, so it must never be the site, the
writer's own folders, the home folder or anything else briefgen did not make.
"""

from __future__ import annotations

from pathlib import Path

from briefgen.core.diagnostics import Diagnostics
from briefgen.output.folders import Folders, is_foreign
WRITER_FOLDERS = ("content", "templates", "static", "assets", "themes")
MAX_OUTPUT_NAME_BYTES = 255 - len("..briefgen-trash")  # the longest of the folders kept beside it


def check_output_dir(site_dir: Path, output_dir: Path, diagnostics: Diagnostics,
                     named_at: tuple[Path, int] | None = None) -> bool:
    """Refuse an output folder whose replacement would delete something a writer made.

    `named_at` is the file and line that chose the folder (briefgen.yaml's `output_dir:`), if one did.
    """
    if len(output_dir.name.encode("utf-8", "surrogateescape")) > MAX_OUTPUT_NAME_BYTES:
        where, line = named_at or (output_dir, 0)
        diagnostics.error(where, line, f"the output folder's name is longer than {MAX_OUTPUT_NAME_BYTES} bytes",
                          "briefgen keeps a spare folder beside it, named .NAME.briefgen-trash, and file "
                          "systems refuse names over 255 bytes; choose a shorter one", "output-dir")
        return False
    site, output = site_dir.resolve(), output_dir.resolve()
    protected = [Path("/"), Path.home().resolve(), site, *(site / name for name in WRITER_FOLDERS)]
    back = Folders.of(output).back
    reason = ""
    if output in protected[:3]:
        reason = "is the site folder" if output == site else f"is {output}"
    elif any(output.is_relative_to(p) for p in protected[3:]):
        reason = "is inside a folder the writer keeps (content/, templates/, static/, assets/ or themes/)"
    elif site.is_relative_to(output):
        reason = "contains the site folder"
    elif is_foreign(output):
        reason = "already exists, holds files, and was not made by briefgen"
    elif is_foreign(back):
        reason = f"has {back.name} beside it, which briefgen uses, holding files briefgen did not make"
    if reason:
        where, line = named_at or (output_dir, 0)
        diagnostics.error(where, line, f"refusing to write the site here: the output folder {reason}",
                          "every build replaces the whole output folder; choose an empty or new one "
                          "with `-o DIR` or `output_dir:` in briefgen.yaml", "output-dir")
        return False
    return True


