"""The site's static files: copied as they are, the site's over the theme's, never over a page.

A file in `static/` (the theme's, then the site's) is published at its path, unless its
name is not UTF-8 or it links out of the site; one that would take a page's place is an
error naming it (see refuse_collisions).
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Collection
from pathlib import Path

from briefgen.change.trace import files_below, read_file
from briefgen.core.diagnostics import Diagnostics
from briefgen.core.filenames import is_utf8_name, report_non_utf8_name
from briefgen.core.links import leads_outside, report_outside_link
from briefgen.core.urls import OutputFile
from briefgen.theme.templates import Theme


def theme_files(theme: Theme, sources: dict[str, Path], diagnostics: Diagnostics) -> list[OutputFile]:
    """The static files (`sources`, from static_files), then the fingerprinted assets."""
    files: dict[str, OutputFile] = {}
    for relative, path in sources.items():
        if not is_utf8_name(relative):
            report_non_utf8_name(path, diagnostics)
        elif leads_outside(path, _path_root(path, theme)):
            report_outside_link(path, diagnostics)
        else:
            files[relative] = OutputFile(relative, read_file(path) or b"")
    return [*files.values(), *theme.assets.values()]


def static_files(theme: Theme) -> dict[str, Path]:
    """Each static file's address in the site and the file it comes from: the theme's first, so the
    site's own files replace them."""
    files: dict[str, Path] = {}
    for folder in theme.static_dirs:
        for path in files_below(folder):
            files[path.relative_to(folder).as_posix()] = path
    return files


def _path_root(path: Path, theme: Theme) -> Path:
    """The folder a static file belongs to: the site's or the theme's (the parent of its static/ folder)."""
    return next(folder.parent for folder in theme.static_dirs if path.is_relative_to(folder))


def refuse_collisions(sources: dict[str, Path], theme_files: list[OutputFile], pages: Collection[str],
                      diagnostics: Diagnostics) -> None:
    """A static file at a page's address, or a folder where a page is a file (`static/feed.xml/x.txt`),
    or the other way round, would replace part of the site: an error naming the static file.

    Works per static file (a few), not per page: the pages' names are only sorted, to find those
    below a static file's name."""
    ordered: list[str] | None = None
    for file in theme_files:
        source = sources.get(file.path)
        if source is None:
            continue  # a fingerprinted asset: its name holds a digest no page has
        ordered = sorted(pages) if ordered is None else ordered
        clash = (file.path if file.path in pages else f"{file.path}/" if _holds_pages(ordered, file.path)
                 else next((folder for folder in _parents(file.path) if folder in pages), None))
        if clash is not None:
            diagnostics.error(source, 0, f"the static file would take the place of the site's page /{clash}",
                              "rename it or move it; to change a page briefgen makes, give the site a "
                              "template of its name in templates/", "static-collision")


def _holds_pages(ordered: list[str], folder: str) -> bool:
    """Whether a page's name (in the sorted `ordered`) lies below `folder`."""
    below = folder + "/"
    place = bisect_left(ordered, below)
    return place < len(ordered) and ordered[place].startswith(below)


def _parents(path: str) -> list[str]:
    """"a/b/c.html" -> ["a", "a/b"]."""
    parts = path.split("/")
    return ["/".join(parts[:end]) for end in range(1, len(parts))]
