"""File names a site may hold: UTF-8 only.

Python reads a name that is not UTF-8 (`bad\\xff.md`, made on another system or by a
tool that mangled it) with surrogates in place of the bad bytes; such a name cannot
be written into a page, a key or a message. It is an error naming the file as the
bytes allow, and the file is not read, wherever it lies in the site.
"""

from __future__ import annotations

from pathlib import Path

from briefgen.core.diagnostics import Diagnostics


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
