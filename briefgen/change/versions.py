"""What every kept value was made with: briefgen's own files and its libraries' versions.

A result is a function of its inputs *and* of the code that made it: an edited
checkout, a new locale file or an upgraded Markdown or YAML library can change
every page. `code_version` digests all of it, and every key includes it.
"""

from __future__ import annotations

from functools import cache
from importlib import metadata
from pathlib import Path

from briefgen import __version__
from briefgen.change.keys import digest

PACKAGE = Path(__file__).resolve().parent.parent
# The libraries whose output reaches a page or a key: Markdown, YAML, templates, escaping, dates and
# plurals, the search index, the share cards.
LIBRARIES = ("markdown-it-py", "mdit-py-plugins", "PyYAML", "Jinja2", "MarkupSafe", "Babel", "pagefind", "pillow")


@cache
def code_version() -> str:
    """briefgen's version, a digest of every file of the package (code, locales, schemas, the theme
    shipped inside it) and the versions of LIBRARIES."""
    files = sorted(path for path in PACKAGE.rglob("*") if path.is_file() and "__pycache__" not in path.parts)
    parts = [part for path in files for part in (path.relative_to(PACKAGE).as_posix(), path.read_bytes())]
    return f"{__version__}+{digest(*library_versions(), *parts)[:16]}"


def library_versions() -> tuple[str, ...]:
    return tuple(f"{name}=={_version(name)}" for name in LIBRARIES)


def _version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "absent"
