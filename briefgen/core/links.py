"""Symbolic links inside a site: followed only to files inside the folder they belong to.

A link in `content/`, `static/` or a theme's `assets/` that leads out of the site (or
out of its theme) would publish whatever it points at (`static/key -> ~/.ssh/id_rsa`),
so it is an error naming the link; a link to another file of the site is read as
that file. Linked folders are not entered at all, as `rglob` does not enter them.
"""

from __future__ import annotations

import os
from pathlib import Path

from briefgen.core.diagnostics import Diagnostics


def leads_outside(path: Path, root: Path) -> bool:
    """Whether `path` is a symbolic link to something outside `root`."""
    if not os.path.islink(path):
        return False
    return not Path(os.path.realpath(path)).is_relative_to(os.path.realpath(root))


def report_outside_link(path: Path, diagnostics: Diagnostics) -> None:
    diagnostics.error(path, 0, f"the file is a link to {os.path.realpath(path)}, outside the site",
                      "copy the file into the site, or link only to files inside the site's folder",
                      "link-outside-site")
