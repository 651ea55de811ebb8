"""File names a site may hold: UTF-8 only; and one Path for each name a process meets (`interned_path`).

Python reads a name that is not UTF-8 (`bad\\xff.md`, made on another system or by a
tool that mangled it) with surrogates in place of the bad bytes; such a name cannot
be written into a page, a key or a message. It is an error naming the file as the
bytes allow, and the file is not read, wherever it lies in the site.
"""

from __future__ import annotations

from pathlib import Path

from briefgen.core.diagnostics import Diagnostics


_PATHS: dict[str, Path] = {}


def interned_path(name: str) -> Path:
    """The one Path this process has for `name`. The walk of content/, the story index and the kept
    plan name the same files: made once each, not three times (a Path costs some 17 µs to parse, a
    third of a second of a one-edit build at 10,000 stories). Paths never change, so sharing is safe."""
    found = _PATHS.get(name)
    if found is None:
        found = _PATHS[name] = Path(name)
    return found


def is_utf8_name(name: str) -> bool:
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def report_non_utf8_name(path: Path | str, diagnostics: Diagnostics) -> None:
    diagnostics.error(path, 0, "the name is not UTF-8 text, so no page, link or message can carry it",
                      "rename it to a UTF-8 name (`ls -b` shows the bytes that are not)",
                      "not-utf8-name")
