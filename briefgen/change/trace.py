"""What a build read, recorded while it reads, and checked again before the next one.

Every stage reads the site through this module: a file (`read_file`), a folder's
listing (`folder_entries`, `is_folder`, `files_below`), a story file known by its
stamp (`note_file`). While a `Trace` is recording (`recording()`), each read adds
the input and what it was: a file by its stamp and the digest of its bytes, a
folder by the digest of its names. A later build asks the trace whether every
input is as it was (`Trace.unchanged`): a file by one `stat`, read and digested
again only when its stamp moved (so a `touch` or a save of the same bytes cuts off
there); a folder by listing it. What a build's output depends on is read here and
nowhere else: config and outlets, every story, every template (read for their
fingerprint before Jinja loads them), assets and static files; briefgen's own files
and its libraries count in versions.py.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from briefgen.change.keys import digest

# st_mtime_ns, st_size, st_ino, st_dev, st_ctime_ns: the change time too, which no tool can set back, so an
# edit that keeps a file's size and restores its mtime (`touch -r`) still shows.
FileStamp = tuple[int, int, int, int, int]
RACY_NANOSECONDS = 2_000_000_000  # a stamp younger than this is not trusted (as git treats "racy" files)
ABSENT = ""  # the digest of a file or folder that is not there


@dataclass
class Trace:
    """The inputs one build read: files by (stamp, digest), folders by the digest of their listing,
    and named values (its options, where it ran from) as text. Paths are absolute."""

    files: dict[str, tuple[FileStamp | None, str]] = field(default_factory=dict)
    folders: dict[str, str] = field(default_factory=dict)
    values: dict[str, str] = field(default_factory=dict)

    def unchanged(self, values: dict[str, str]) -> bool:
        """Whether every input still is what it was read as, and `values` are the recorded ones."""
        if values != self.values:
            return False
        for name, listing in self.folders.items():
            if _listing_digest(name) != listing:
                return False
        for name, (stamp, known) in self.files.items():
            now = file_stamp(name)
            if now is None:
                if known != ABSENT:
                    return False
            elif now != stamp or is_racy(now):
                data = _read_or_none(name)
                if (digest(data) if data is not None else ABSENT) != known:
                    return False
        return True


_recording: ContextVar[Trace | None] = ContextVar("briefgen_trace", default=None)


@contextmanager
def recording() -> Iterator[Trace]:
    """Record every read made through this module, in this thread, until the block ends."""
    trace = Trace()
    token = _recording.set(trace)
    try:
        yield trace
    finally:
        _recording.reset(token)


def read_file(path: Path) -> bytes | None:
    """A file's bytes, or None when there is no file there; other OSErrors are raised."""
    name = os.path.abspath(path)
    stamp = file_stamp(name)
    try:
        data = Path(name).read_bytes() if stamp is not None else None
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
        data = None
    note_file(path, stamp, digest(data) if data is not None else ABSENT)
    return data


def note_file(path: Path, stamp: FileStamp | None, known: str) -> None:
    """Record a file read elsewhere (or known by its stamp), as its stamp before reading and its digest."""
    trace = _recording.get()
    if trace is not None:
        trace.files[os.path.abspath(path)] = (stamp, known)


def is_folder(path: Path) -> bool:
    """Whether `path` is a folder; recorded with its listing, so a file added or removed there counts."""
    return folder_entries(path) is not None


def folder_entries(path: Path) -> list[os.DirEntry[str]] | None:
    """The entries of a folder, sorted by name; None if it is not one."""
    try:
        with os.scandir(path) as scan:
            entries = sorted(scan, key=lambda entry: entry.name)
    except (FileNotFoundError, NotADirectoryError):
        entries = None
    trace = _recording.get()
    if trace is not None:
        trace.folders[os.path.abspath(path)] = ABSENT if entries is None else _entries_digest(entries)
    return entries


def files_below(folder: Path) -> list[Path]:
    """Every file below `folder`, sorted as Paths sort, without entering linked folders (as `rglob`)."""
    found: list[Path] = []
    pending = [folder]
    while pending:
        for entry in folder_entries(pending.pop()) or []:
            if entry.is_dir(follow_symlinks=False):
                pending.append(Path(entry.path))
            elif entry.is_file():
                found.append(Path(entry.path))
    return sorted(found)


def file_stamp(path: Path | str) -> FileStamp | None:
    try:
        status = os.stat(path)
    except OSError:
        return None
    return status.st_mtime_ns, status.st_size, status.st_ino, status.st_dev, status.st_ctime_ns


def is_racy(stamp: FileStamp) -> bool:
    """Whether a save in the same tick of the file system's clock could keep this stamp."""
    return time.time_ns() - stamp[0] < RACY_NANOSECONDS


def _read_or_none(name: str) -> bytes | None:
    try:
        return Path(name).read_bytes()
    except OSError:
        return None


def _entries_digest(entries: list[os.DirEntry[str]]) -> str:
    return digest(*(f"{entry.name}/{_kind(entry)}" for entry in entries))


def _kind(entry: os.DirEntry[str]) -> str:
    try:
        return "link" if entry.is_symlink() else "folder" if entry.is_dir() else "file"
    except OSError:
        return "other"


def _listing_digest(name: str) -> str:
    try:
        with os.scandir(name) as scan:
            return _entries_digest(sorted(scan, key=lambda entry: entry.name))
    except (FileNotFoundError, NotADirectoryError):
        return ABSENT


def stamp_from_json(value: Any) -> FileStamp | None:
    if value is None:
        return None
    mtime, size, inode, device, changed = value
    return int(mtime), int(size), int(inode), int(device), int(changed)
