"""The only code that touches the output folder.

A build is written into a staging folder beside the output and swapped in at
the end, so a failed or interrupted build leaves the previous site exactly as
it was. A folder briefgen did not make is never replaced.

A file whose bytes did not change is not written again: the staging folder gets
a hard link to the published file (same inode, so it keeps its mtime, and hosts,
rsync and browsers see it unchanged). Files are never changed in place, so the
published site is untouched until the swap. The returned manifest lets the
next build know what each published file holds without reading it; the build
may also name files to keep as published (`kept`: pages whose inputs did not
change), which are linked without being rendered, read or hashed again.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import stat
from collections.abc import Callable, Sequence
from dataclasses import dataclass
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


@dataclass(frozen=True)
class FileStamp:
    """A published file as the writer left it: if its stat still matches, it still holds `digest`."""

    size: int
    mtime_ns: int
    inode: int
    digest: str  # sha256 of the bytes


Manifest = dict[str, FileStamp]  # by path relative to the output folder


def write_site(output_dir: Path, files: list[OutputFile], finish: Callable[[Path], bool] | None = None,
               previous: Manifest | None = None, kept: Sequence[str] = ()) -> Manifest | None:
    """Write all files into a staging folder, then swap it in for the output folder.

    `finish` (the search index) runs on the complete staging folder before the
    swap; if it returns False, nothing is published, the output stays as it was
    and the result is None. `previous` is the manifest of the published site, if known;
    `kept` names published files, each in `previous`, that the new site holds unchanged.
    """
    output = output_dir.resolve()
    staging = output.parent / f".{output.name}.staging-{os.getpid()}"
    retired = output.parent / f".{output.name}.old-{os.getpid()}"
    shutil.rmtree(staging, ignore_errors=True)
    published = output if (output / MARKER).is_file() else None
    try:
        manifest = _write_all(staging, files, published, previous or {})
        manifest.update(_keep_all(staging, kept, published, previous or {}, set(manifest)))
        if finish is not None and not finish(staging):
            shutil.rmtree(staging, ignore_errors=True)
            return None
        if output.exists():
            os.replace(output, retired)
        os.replace(staging, output)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        if retired.exists() and not output.exists():
            os.replace(retired, output)
        raise
    shutil.rmtree(retired, ignore_errors=True)
    return manifest


def _write_all(root: Path, files: list[OutputFile], published: Path | None, previous: Manifest) -> Manifest:
    """Stage every file: a link to the published one if it holds the same bytes, else a new file."""
    root.mkdir(parents=True)
    made: set[Path] = {root}
    manifest: Manifest = {}
    for file in [*files, OutputFile(MARKER, MARKER_TEXT)]:
        target = root / file.path
        _make_parent(target, made)
        digest = hashlib.sha256(file.data).hexdigest()
        source = published / file.path if published is not None else None
        same = _unchanged(source, file.data, digest, previous.get(file.path)) if source is not None else None
        if source is not None and same is not None:
            _link_or_copy(source, target)
        else:
            target.write_bytes(file.data)
            same = os.lstat(target)
        manifest[file.path] = FileStamp(same.st_size, same.st_mtime_ns, same.st_ino, digest)
    return manifest


def _keep_all(root: Path, kept: Sequence[str], published: Path | None, previous: Manifest,
              written: set[str]) -> Manifest:
    """Link each kept file from the published site; its stamp is the one `previous` holds.

    A kept page replaces a `written` static file of the same name, as a later file in `files` would.
    """
    if not kept:
        return {}
    if published is None:
        raise ValueError("files can be kept only from a site briefgen published")
    made: set[Path] = set()
    manifest: Manifest = {}
    for path in kept:
        known, source, target = previous[path], published / path, root / path
        if not _matches(os.lstat(source), known):
            raise ValueError(f"the published file {path} changed since the last build")
        _make_parent(target, made)
        if path in written:
            target.unlink()
        _link_or_copy(source, target)
        manifest[path] = known
    return manifest


def _make_parent(target: Path, made: set[Path]) -> None:
    """Create `target`'s folder unless this write already did: thousands of files share few folders."""
    if target.parent not in made:
        target.parent.mkdir(parents=True, exist_ok=True)
        made.add(target.parent)


def _unchanged(published: Path, data: bytes, digest: str, known: FileStamp | None) -> os.stat_result | None:
    """The published file's stat if it already holds `data`: trusted from the manifest, else compared."""
    try:
        found = os.lstat(published)
    except OSError:
        return None
    if not stat.S_ISREG(found.st_mode) or found.st_size != len(data):
        return None
    if known is not None and _matches(found, known):
        return found if known.digest == digest else None
    return found if published.read_bytes() == data else None


def _matches(found: os.stat_result, known: FileStamp) -> bool:
    return (found.st_size, found.st_mtime_ns, found.st_ino) == (known.size, known.mtime_ns, known.inode)


def _link_or_copy(source: Path, target: Path) -> None:
    """A hard link (instant, keeps the inode and mtime); a copy with its mtime where links are not allowed."""
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def output_unchanged(output_dir: Path, manifest: Manifest) -> bool:
    """Whether the published site still holds exactly what the writer recorded in `manifest`."""
    output = output_dir.resolve()
    for path, known in manifest.items():
        try:
            found = os.lstat(output / path)
        except OSError:
            return False
        if not _matches(found, known):
            return False
    return MARKER in manifest


def remove_output(output_dir: Path) -> bool:
    """Delete the output folder if briefgen made it (it carries the marker); True if it was deleted."""
    if not (output_dir / MARKER).is_file():
        return False
    shutil.rmtree(output_dir)
    return True
