"""The only code that touches the output folder.

The output folder (the front, e.g. `public/`) always holds a whole site, the old
one or the new one. Beside it a hidden back folder (`.public.briefgen-back/`) holds
an earlier site. A build brings the back folder up to the new site in place,
touching only the files whose bytes differ, then swaps the two folders in one
atomic step (renameat2 with RENAME_EXCHANGE; three renames where the system
cannot, which the next build completes if a kill came between them). The cost of
a write thus follows the change, not the size of the site.

Front and back share inodes (hard links) for every file that is the same in both,
so no file is ever written in place: new bytes go to a temporary name in the same
folder, which then replaces the old name. A file whose bytes did not change keeps
its inode and mtime in the published folder, and hosts, rsync and browsers see
it unchanged.

Each folder's marker file names the site it holds by a digest of its paths and
their bytes' digests (so a warm build's output equals a cold build's, marker
included), and the state the caller keeps between builds (OutputState) holds each
folder's manifest with that digest. The back folder's marker is stripped of its
digest before the back is touched and given the new one when the back is
complete, so a build killed half-way never leaves a back folder a later build
would trust: an unknown back folder is rebuilt in full (the slow path: the first
two writes, and the one after a kill or a failed write). The front is trusted only
as far as the caller checked it with `output_unchanged`, which also notices a write
killed after its swap, before the caller saved the state it returned. A folder
briefgen did not make is never replaced.
"""

from __future__ import annotations

import ctypes
import errno
import hashlib
import itertools
import os
import shutil
import stat
import sys
from collections.abc import Callable, Collection, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from briefgen.core.diagnostics import Diagnostics
from briefgen.core.urls import OutputFile

MARKER = ".briefgen-output"
MARKER_TEXT = b"This folder is made by `briefgen build`, which replaces all of it on every build.\n"
SITE_LINE = b"site: "
TEMP_PREFIX = ".briefgen-tmp-"
STATE_VERSION = 1
WRITER_FOLDERS = ("content", "templates", "static", "assets", "themes")


@dataclass(frozen=True)
class FileStamp:
    """A file as the writer left it: if its stat still matches, it still holds `digest`."""

    size: int
    mtime_ns: int
    inode: int
    digest: str  # sha256 of the bytes


Manifest = dict[str, FileStamp]  # by path relative to the folder


@dataclass(frozen=True)
class OutputState:
    """What the writer knows of the two folders, saved by the caller between builds.

    A manifest holds for its folder only while the folder's marker names its site digest.
    """

    front: Manifest  # the published folder
    back: Manifest  # the folder beside it
    front_site: str  # the site digest (see _site_digest) the front's marker names
    back_site: str | None  # the back's; None: the back folder is absent or unknown

    def to_json(self) -> dict[str, object]:
        """Plain JSON values; the back is stored as its differences from the front, which are few."""
        changes = {path: _stamp_to_json(stamp) if stamp is not None else None
                   for path, stamp in _differences(self.front, self.back).items()}
        return {"version": STATE_VERSION, "front": {path: _stamp_to_json(s) for path, s in self.front.items()},
                "back_changes": changes, "front_site": self.front_site,
                "back_site": self.back_site}

    @classmethod
    def from_json(cls, data: object) -> OutputState | None:
        """The state `to_json` gave, or None for anything malformed."""
        if not isinstance(data, dict) or data.get("version") != STATE_VERSION:
            return None
        front, changes = _manifest_from_json(data.get("front")), data.get("back_changes")
        front_site, back_site = data.get("front_site"), data.get("back_site")
        if front is None or not isinstance(changes, dict) or not isinstance(front_site, str) \
                or not isinstance(back_site, (str, type(None))):
            return None
        back = dict(front)
        for path, value in changes.items():
            stamp = _stamp_from_json(value)
            if not isinstance(path, str) or (value is not None and stamp is None):
                return None
            if stamp is None:
                back.pop(path, None)
            else:
                back[path] = stamp
        return cls(front, back, front_site, back_site)


def _differences(front: Manifest, back: Manifest) -> dict[str, FileStamp | None]:
    """What turns `front` into `back`: a stamp for each path that differs, None for each path back lacks."""
    changed: dict[str, FileStamp | None] = {path: s for path, s in back.items() if front.get(path) != s}
    changed.update((path, None) for path in front if path not in back)
    return changed


def _stamp_to_json(stamp: FileStamp) -> list[int | str]:
    return [stamp.size, stamp.mtime_ns, stamp.inode, stamp.digest]


def _stamp_from_json(value: object) -> FileStamp | None:
    if not isinstance(value, list) or len(value) != 4:
        return None
    size, mtime_ns, inode, digest = value
    if not all(type(number) is int for number in (size, mtime_ns, inode)) or not isinstance(digest, str):
        return None
    return FileStamp(size, mtime_ns, inode, digest)


def _manifest_from_json(value: object) -> Manifest | None:
    if not isinstance(value, dict):
        return None
    manifest = {path: _stamp_from_json(stamp) for path, stamp in value.items()}
    if not all(isinstance(path, str) and stamp is not None for path, stamp in manifest.items()):
        return None
    return {path: stamp for path, stamp in manifest.items() if stamp is not None}


@dataclass(frozen=True)
class _Folders:
    """The output folder and the writer's folders beside it."""

    front: Path
    back: Path
    swap: Path  # the front, during a swap by renames (see _swap_by_renames)
    trash: Path  # an unknown back folder, being deleted

    @classmethod
    def of(cls, output_dir: Path) -> _Folders:
        front = output_dir.resolve()
        return cls(front, *(front.parent / f".{front.name}.briefgen-{role}" for role in ("back", "swap", "trash")))

    def debris(self) -> list[Path]:
        """What killed builds left beside the output: the trash, and the staging folders of the previous writer."""
        try:
            names = os.listdir(self.front.parent)
        except OSError:
            return []
        stale = (f".{self.front.name}.staging-", f".{self.front.name}.old-", self.trash.name)
        return [self.front.parent / name for name in names if name.startswith(stale)]


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
    back = _Folders.of(output).back
    reason = ""
    if output in protected[:3]:
        reason = "is the site folder" if output == site else f"is {output}"
    elif any(output.is_relative_to(p) for p in protected[3:]):
        reason = "is inside a folder the writer keeps (content/, templates/, static/, assets/ or themes/)"
    elif site.is_relative_to(output):
        reason = "contains the site folder"
    elif _foreign(output):
        reason = "already exists, holds files, and was not made by briefgen"
    elif _foreign(back):
        reason = f"has {back.name} beside it, which briefgen uses, holding files briefgen did not make"
    if reason:
        where, line = named_at or (output_dir, 0)
        diagnostics.error(where, line, f"refusing to write the site here: the output folder {reason}",
                          "every build replaces the whole output folder; choose an empty or new one "
                          "with `-o DIR` or `output_dir:` in briefgen.yaml", "output-dir")
        return False
    return True


def _foreign(folder: Path) -> bool:
    """Whether replacing `folder` would lose something briefgen did not make: it is not empty and has no marker."""
    if not os.path.lexists(folder):
        return False
    if folder.is_symlink() or not folder.is_dir():
        return True
    return not (folder / MARKER).is_file() and any(folder.iterdir())


def write_site(output_dir: Path, files: Iterable[OutputFile], kept: Collection[str] = (),
               known: OutputState | None = None) -> OutputState:
    """Make the output folder hold the new site, in one atomic swap; the state to pass next time.

    `files` may be a generator: each file is written as it comes, not held. `kept` names
    files of `known.front` the new site holds unchanged; a kept file wins over one of
    `files` with its name, as a later file of `files` wins over an earlier one. `known` is
    the state the last write returned, if `output_unchanged` still holds for it, else
    None (each file is then compared with the published one byte for byte). If writing
    fails, the output folder is left exactly as it was.
    """
    folders = _Folders.of(output_dir)
    _recover(folders)
    for folder in (folders.front, folders.back):
        if _foreign(folder):
            raise ValueError(f"{folder} holds files briefgen did not make")
    trusted = known if known is not None and _site_named(folders.front) == known.front_site else None
    missing = [path for path in kept if trusted is None or path not in trusted.front]
    if missing:
        raise ValueError(f"files can be kept only from a published site on record, not {missing[0]}")
    update = _BackUpdate(folders, trusted.front if trusted else {}, trusted is not None, _open_back(folders, trusted),
                         os.path.lexists(folders.front))
    kept_paths = set(kept)
    update.keep(kept_paths)
    for file in files:
        if file.path not in kept_paths:
            update.put(file.path, file.data)
    update.remove_the_rest()
    site = _site_digest(update.site)
    _write_marker(folders.back, site)
    _publish(folders)
    if trusted is None:
        return OutputState(update.site, {}, site, None)
    return OutputState(update.site, trusted.front, site, trusted.front_site)


def _recover(folders: _Folders) -> None:
    """Undo what a killed build left: complete a swap by renames, delete the trash and old staging folders."""
    if folders.swap.exists():
        os.rename(folders.swap, folders.back if folders.front.exists() else folders.front)
    for path in folders.debris():
        shutil.rmtree(path)


def _open_back(folders: _Folders, trusted: OutputState | None) -> Manifest:
    """Make the back folder's state unknown on disk, ready to change; what it holds (empty if it was not known)."""
    if trusted is not None and trusted.back_site is not None and _site_named(folders.back) == trusted.back_site:
        _write_marker(folders.back, None)
        return trusted.back
    if os.path.lexists(folders.back):
        os.rename(folders.back, folders.trash)
        shutil.rmtree(folders.trash)
    folders.back.mkdir(parents=True)
    (folders.back / MARKER).write_bytes(MARKER_TEXT)  # first, so the folder is never without it but empty
    return {}


def _site_digest(site: Manifest) -> str:
    """A digest of a site's paths and bytes: the same for the same site, however and whenever it was written.

    Only the bytes count, not the stamps: a folder trusted by it may hold a file as another inode than its
    manifest records, which costs a slower build (the stamp does not match) but never wrong bytes."""
    digest = hashlib.sha256()
    for path in sorted(site):
        digest.update(f"{path}\0{site[path].digest}\n".encode())
    return digest.hexdigest()


def published_site(output_dir: Path) -> str | None:
    """The digest of the site in the output folder, as its marker names it; None if none is on record."""
    return _site_named(output_dir)


def _site_named(folder: Path) -> str | None:
    """The site digest the folder's marker names; None if it names none (being updated) or there is no marker."""
    try:
        text = (folder / MARKER).read_bytes()
    except (OSError, ValueError):  # ValueError: a NUL in the name, refused later with an error of its own
        return None
    last = text.rstrip(b"\n").rpartition(b"\n")[2]
    return last[len(SITE_LINE):].decode("ascii", "replace") if last.startswith(SITE_LINE) else None


def _write_marker(folder: Path, site: str | None) -> None:
    """Replace the marker; its temporary name is fixed, so one a killed build left is overwritten, not kept.

    (That file is the only one written in place: no other folder links to it.)"""
    temp = folder / f"{TEMP_PREFIX}marker"
    temp.write_bytes(MARKER_TEXT + (SITE_LINE + site.encode() + b"\n" if site else b""))
    os.replace(temp, folder / MARKER)


@dataclass
class _BackUpdate:
    """Brings the back folder from the site `back` describes to a new one, touching only what differs.

    `front` describes the published folder if `front_known`; otherwise a file is linked
    from it only after comparing its bytes.
    """

    folders: _Folders
    front: Manifest
    front_known: bool
    back: Manifest
    front_exists: bool = True
    site: Manifest = field(default_factory=dict)  # the new site, as far as it is written
    made: set[Path] = field(default_factory=set)  # folders known to exist in the back folder
    temps: Iterator[int] = field(default_factory=itertools.count)

    def keep(self, paths: Iterable[str]) -> None:
        """Make each of the back folder's `paths` the published file (which `front` must have).

        The kept files are most of a site, so this is the tight loop: nothing to do for a file the back
        folder shares with the front."""
        for path in paths:
            published = self.front[path]
            stamp = self.back.get(path)
            if stamp is not published and stamp != published:
                stamp = self._from_front(path, None, published.digest)
                if stamp is None:
                    raise ValueError(f"the published file {path} changed since the last build")
            self.site[path] = stamp

    def put(self, path: str, data: bytes) -> None:
        """Make the back folder's `path` hold `data`."""
        _check_path(path)
        digest = hashlib.sha256(data).hexdigest()
        self.site[path] = (self._from_front(path, data, digest) or self._already_in_back(path, digest)
                           or self._first_write(path, data, digest)
                           or self._place(path, lambda temp: _write_new(temp, data), digest))

    def remove_the_rest(self) -> None:
        """Delete the back folder's files that the new site does not have, and the folders that leaves empty."""
        gone = [path for path in self.back if path not in self.site]
        for path in gone:
            try:
                os.unlink(self.folders.back / path)
            except (FileNotFoundError, NotADirectoryError, IsADirectoryError):
                pass  # it went with a file that became a folder or a folder that became a file
        emptied = {folder for path in gone for folder in _folders_of(path)}
        for folder in sorted(emptied, key=lambda name: name.count("/"), reverse=True):
            try:
                os.rmdir(self.folders.back / folder)
            except OSError:
                pass  # it still holds files

    def _from_front(self, path: str, data: bytes | None, digest: str) -> FileStamp | None:
        """The published file, linked into the back folder, if it holds these bytes: as recorded, else compared."""
        published = self.front.get(path)
        if (self.front_known or not self.front_exists) and (published is None or published.digest != digest):
            return None
        if published is not None and self._in_back(path) == published:
            return published  # the back's file already is the published one
        source = self.folders.front / path
        try:
            found = os.lstat(source)
        except OSError:
            return None
        if published is not None:
            same = _matches(found, published)
        else:
            same = data is not None and stat.S_ISREG(found.st_mode) and found.st_size == len(data) \
                and source.read_bytes() == data
        if not same:
            return None
        stamp = self._place(path, lambda temp: _link_or_copy(source, temp), digest)
        return published if stamp == published else stamp  # the same object: `keep` compares by identity first

    def _already_in_back(self, path: str, digest: str) -> FileStamp | None:
        """The back's file, if it already holds these bytes (the site before the published one did)."""
        stamp = self._in_back(path)
        return stamp if stamp is not None and stamp.digest == digest else None

    def _in_back(self, path: str) -> FileStamp | None:
        return self.site[path] if path in self.site else self.back.get(path)

    def _first_write(self, path: str, data: bytes, digest: str) -> FileStamp | None:
        """Write straight into place where nothing can be there yet: a back folder that held no site
        (a first build's) and a path this update has not written. None where that does not hold."""
        if self.back or path in self.site:
            return None
        target = self.folders.back / path
        self._make_parent(target)
        try:
            with open(target, "xb") as file:
                file.write(data)
                file.flush()
                found = os.fstat(file.fileno())
        except OSError:
            return None  # e.g. a folder of the new site has this name: _place reports the conflict
        return FileStamp(found.st_size, found.st_mtime_ns, found.st_ino, digest)

    def _place(self, path: str, make: Callable[[Path], None], digest: str) -> FileStamp:
        """Make a file under a temporary name beside `path`, then put it in place of whatever `path` was."""
        target = self.folders.back / path
        self._make_parent(target)
        temp = target.parent / f"{TEMP_PREFIX}{next(self.temps)}"
        make(temp)
        found = os.lstat(temp)
        try:
            os.replace(temp, target)
        except IsADirectoryError:  # a folder of the old site is a file of the new one
            self._refuse_conflict(path, any(name.startswith(f"{path}/") for name in self.site))
            shutil.rmtree(target)
            os.replace(temp, target)
        return FileStamp(found.st_size, found.st_mtime_ns, found.st_ino, digest)

    def _make_parent(self, target: Path) -> None:
        """Create `target`'s folder unless this write already did: thousands of files share few folders."""
        parent = target.parent
        if parent in self.made:
            return
        try:
            parent.mkdir(parents=True, exist_ok=True)
        except (FileExistsError, NotADirectoryError):  # a file of the old site is a folder of the new one
            self._remove_file_above(target)
            parent.mkdir(parents=True, exist_ok=True)
        self.made.add(parent)

    def _remove_file_above(self, target: Path) -> None:
        for folder in _folders_of(target.relative_to(self.folders.back).as_posix()):
            place = self.folders.back / folder
            if not place.is_dir():
                self._refuse_conflict(folder, folder in self.site)
                place.unlink()
                return

    def _refuse_conflict(self, path: str, conflict: bool) -> None:
        """Refuse a path that is both a file and a folder of the new site: the two would show as a file
        replacing a folder of the old site or the other way round."""
        if conflict:
            raise ValueError(f"{path} would be both a file and a folder of the site")


def _check_path(path: str) -> None:
    parts = path.split("/")
    if path == MARKER or parts[-1].startswith(TEMP_PREFIX) or any(part in ("", ".", "..") for part in parts):
        raise ValueError(f"not a file path the writer can use: {path!r}")


def _folders_of(path: str) -> list[str]:
    """The folders a relative path lies in: "a/b/c" -> ["a", "a/b"]."""
    parts = path.split("/")
    return ["/".join(parts[:end]) for end in range(1, len(parts))]


def _write_new(temp: Path, data: bytes) -> None:
    with open(temp, "xb") as file:
        file.write(data)


_NO_LINKS = {errno.EPERM, errno.EMLINK, errno.EXDEV, errno.EOPNOTSUPP, errno.ENOSYS}


def _link_or_copy(source: Path, target: Path) -> None:
    """A hard link (instant, keeps the inode and mtime); a copy with its mtime where links are not allowed."""
    try:
        os.link(source, target)
    except OSError as error:
        if error.errno not in _NO_LINKS:
            raise
        shutil.copy2(source, target)


def _matches(found: os.stat_result, known: FileStamp) -> bool:
    return (found.st_size, found.st_mtime_ns, found.st_ino) == (known.size, known.mtime_ns, known.inode)


def _publish(folders: _Folders) -> None:
    """Swap the back folder with the front in one step (or make it the front, the first time)."""
    if not os.path.lexists(folders.front):
        os.rename(folders.back, folders.front)
    elif not _exchange(folders.back, folders.front):
        _swap_by_renames(folders)


def _swap_by_renames(folders: _Folders) -> None:
    """Where the system cannot exchange: a build killed between these renames leaves the swap folder,
    which the next one puts back (see _recover); the output folder is missing only between the first two."""
    os.rename(folders.front, folders.swap)
    try:
        os.rename(folders.back, folders.front)
    except BaseException:
        os.rename(folders.swap, folders.front)
        raise
    os.rename(folders.swap, folders.back)


_AT_FDCWD = -100
_RENAME_EXCHANGE = 2
_EXCHANGE_UNSUPPORTED = {errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP}


def _load_renameat2() -> Callable[[int, bytes, int, bytes, int], int] | None:
    """Linux's renameat2 from the C library, or None where there is none."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        function = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):
        return None
    function.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    function.restype = ctypes.c_int
    renameat2: Callable[[int, bytes, int, bytes, int], int] = function
    return renameat2


_RENAMEAT2 = _load_renameat2()


def _exchange(first: Path, second: Path) -> bool:
    """Swap two folders' names atomically; False where the system or the file system cannot."""
    if _RENAMEAT2 is None:
        return False
    if _RENAMEAT2(_AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), _RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in _EXCHANGE_UNSUPPORTED:
        return False
    raise OSError(code, os.strerror(code), str(first), None, str(second))


def output_unchanged(output_dir: Path, state: OutputState) -> bool:
    """Whether the published folder still holds exactly what `state` records (it lstats every file)."""
    front = _Folders.of(output_dir).front
    if _site_named(front) != state.front_site:
        return False
    prefix = f"{front}{os.sep}"  # joined as text: a Path per file would cost more than its lstat
    for path, known in state.front.items():
        try:
            found = os.lstat(prefix + path)
        except OSError:
            return False
        if not _matches(found, known):
            return False
    return True


def remove_output(output_dir: Path) -> bool:
    """Delete the output folder if briefgen made it (it carries the marker), with the writer's folders beside it.

    True if the output folder was deleted."""
    folders = _Folders.of(output_dir)
    if not (folders.front / MARKER).is_file():
        return False
    ours = [folders.front, *(f for f in (folders.back, folders.swap) if os.path.lexists(f) and not _foreign(f))]
    for folder in [*ours, *folders.debris()]:
        shutil.rmtree(folder)
    return True


def read_published(output_dir: Path, state: OutputState, path: str) -> bytes | None:
    """A published file's bytes, if it still is as `state` records it (else None)."""
    known = state.front.get(path)
    if known is None:
        return None
    target = _Folders.of(output_dir).front / path
    try:
        data = target.read_bytes()
        found = os.lstat(target)
    except OSError:
        return None
    return data if _matches(found, known) and len(data) == known.size else None
