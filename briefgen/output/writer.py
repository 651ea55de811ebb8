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

import errno
import hashlib
import itertools
import os
import shutil
import stat
from collections.abc import Callable, Collection, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from briefgen.core.urls import OutputFile
from briefgen.output.folders import MARKER, MARKER_TEXT, Folders, is_foreign, publish
from briefgen.output.lock import lock_path
from briefgen.output.state import FileStamp, Manifest, OutputState

SITE_LINE = b"site: "
TEMP_PREFIX = ".briefgen-tmp-"


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
    folders = Folders.of(output_dir)
    _recover(folders)
    for folder in (folders.front, folders.back):
        if is_foreign(folder):
            raise ValueError(f"{folder} holds files briefgen did not make")
    trusted = known if known is not None and _site_named(folders.front) == known.front_site else None
    missing = [path for path in kept if trusted is None or path not in trusted.front]
    if missing:
        raise ValueError(f"files can be kept only from a published site on record, not {missing[0]}")
    back, touched = _open_back(folders, trusted)
    update = _BackUpdate(folders, trusted.front if trusted else {}, trusted is not None, back,
                         os.path.lexists(folders.front), touched=touched)
    kept_paths = set(kept)
    update.keep(kept_paths)
    for file in files:
        if file.path not in kept_paths:
            update.put(file.path, file.data)
    update.remove_the_rest()
    site = _site_digest(update.site)
    _write_marker(folders.back, site)
    publish(folders)
    front = _restamped(folders.front, update.site, update.touched)
    if trusted is None:
        return OutputState(front, {}, site, None)
    return OutputState(front, _restamped(folders.back, trusted.front, update.touched), site, trusted.front_site)


def _recover(folders: Folders) -> None:
    """Undo what a killed build left: complete a swap by renames, delete the trash and old staging folders."""
    if folders.swap.exists():
        os.rename(folders.swap, folders.back if folders.front.exists() else folders.front)
    for path in folders.debris():
        shutil.rmtree(path)


def _open_back(folders: Folders, trusted: OutputState | None) -> tuple[Manifest, set[str]]:
    """Make the back folder's state unknown on disk, ready to change: what it holds (empty if it was not
    known), and the paths whose published file lost a link meanwhile (see _restamped)."""
    if trusted is not None and trusted.back_site is not None and _site_named(folders.back) == trusted.back_site:
        _write_marker(folders.back, None)
        return _repaired(folders.back, trusted.back)
    if os.path.lexists(folders.back):
        os.rename(folders.back, folders.trash)
        shutil.rmtree(folders.trash)
    folders.back.mkdir(parents=True)
    (folders.back / MARKER).write_bytes(MARKER_TEXT)  # first, so the folder is never without it but empty
    return {}, set(trusted.front) if trusted is not None else set()


def _restamped(folder: Path, manifest: Manifest, touched: Collection[str]) -> Manifest:
    """The manifest with the stamps of the `touched` paths taken again. Front and back share inodes, so
    linking, replacing or deleting a file in one folder moves the ctime of its twin in the other: a
    file whose ctime this write moved is stamped anew; one that is no longer the same file is dropped
    (the next write treats it as unknown)."""
    fresh = dict(manifest)
    for path in touched:
        known = fresh.get(path)
        if known is None:
            continue
        try:
            found = os.lstat(folder / path)
        except OSError:
            found = None
        if found is not None and _same_file(found, known):
            fresh[path] = _stamp(found, known.digest)
        else:
            del fresh[path]
    return fresh


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

    folders: Folders
    front: Manifest
    front_known: bool
    back: Manifest
    front_exists: bool = True
    site: Manifest = field(default_factory=dict)  # the new site, as far as it is written
    made: set[Path] = field(default_factory=set)  # folders known to exist in the back folder
    touched: set[str] = field(default_factory=set)  # paths linked, replaced or deleted: see _restamped
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
        self.touched.update(gone)
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
            same = _same_file(found, published)
        else:
            same = data is not None and stat.S_ISREG(found.st_mode) and found.st_size == len(data) \
                and source.read_bytes() == data
        if not same:
            return None
        return self._place(path, lambda temp: _link_or_copy(source, temp), digest)

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
        return _stamp(found, digest)

    def _place(self, path: str, make: Callable[[Path], None], digest: str) -> FileStamp:
        """Make a file under a temporary name beside `path`, then put it in place of whatever `path` was."""
        target = self.folders.back / path
        self._make_parent(target)
        self.touched.add(path)
        temp = target.parent / f"{TEMP_PREFIX}{next(self.temps)}"
        make(temp)
        try:
            os.replace(temp, target)
        except IsADirectoryError:  # a folder of the old site is a file of the new one
            self._refuse_conflict(path, any(name.startswith(f"{path}/") for name in self.site))
            self.touched.update(name for name in self.back if name.startswith(f"{path}/"))
            shutil.rmtree(target)
            os.replace(temp, target)
        return _stamp(os.lstat(target), digest)  # after the rename, which moves the ctime

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
                self.touched.add(folder)
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


def _stamp(found: os.stat_result, digest: str) -> FileStamp:
    return FileStamp(found.st_size, found.st_mtime_ns, found.st_ino, found.st_ctime_ns, digest)


def _same_file(found: os.stat_result, known: FileStamp) -> bool:
    """The file the stamp was taken of, as far as a write of this build can tell (its own links move
    the ctime of files it then compares)."""
    return (found.st_size, found.st_mtime_ns, found.st_ino) == (known.size, known.mtime_ns, known.inode)


def output_unchanged(output_dir: Path, state: OutputState) -> bool:
    """Whether the published folder holds exactly what `state` records: every file as it was written
    (by its stat, ctime included) and nothing else, not even an empty folder."""
    front = Folders.of(output_dir).front
    if _site_named(front) != state.front_site:
        return False
    try:
        unknown, found = _compare(front, state.front)
    except OSError:
        return False
    return not unknown and len(found) == len(state.front)


def _repaired(folder: Path, manifest: Manifest) -> tuple[Manifest, set[str]]:
    """The manifest's files the folder still holds as recorded, and the paths deleted. Anything else in
    it (a file added, replaced or edited by hand, a temporary file a killed build left, a folder left
    empty) is deleted: a hand change to the spare folder is never published."""
    unknown, kept = _compare(folder, manifest)
    for path, is_folder in sorted(unknown, key=lambda item: item[0].count(os.sep), reverse=True):
        (os.rmdir if is_folder else os.unlink)(path)
    skip = len(str(folder)) + 1
    return kept, {path[skip:].replace(os.sep, "/") for path, is_folder in unknown if not is_folder}


def _compare(folder: Path, manifest: Manifest) -> tuple[list[tuple[str, bool]], Manifest]:
    """What the folder holds that the manifest does not record (paths, and whether each is a folder),
    and the manifest's files found as recorded. A folder counts as recorded while it holds a recorded
    file. A file is as recorded when nothing wrote to it since, not even keeping its size and setting
    its mtime back (that moves its ctime). This runs over every file of the site on every build."""
    unknown: list[tuple[str, bool]] = []
    kept: Manifest = {}
    occupied: set[str] = set()
    folders: list[str] = []
    stack = [(str(folder), "")]
    while stack:
        current, prefix = stack.pop()  # prefix: the folder's path in the manifest, with its "/"
        holds_kept = False
        with os.scandir(current) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    stack.append((entry.path, f"{prefix}{entry.name}/"))
                    folders.append(entry.path)
                    continue
                name = prefix + entry.name
                known = manifest.get(name)
                if known is not None:
                    found = entry.stat(follow_symlinks=False)
                    if (found.st_ino == known.inode and found.st_mtime_ns == known.mtime_ns
                            and found.st_size == known.size and found.st_ctime_ns == known.ctime_ns):
                        kept[name] = known
                        holds_kept = True
                        continue
                if name != MARKER:
                    unknown.append((entry.path, False))
        if holds_kept:
            occupied.add(current)
    for path in reversed(folders):  # deepest first: a folder holding an occupied one is occupied
        if path in occupied:
            occupied.add(os.path.dirname(path))
        else:
            unknown.append((path, True))
    return unknown, kept


def remove_output(output_dir: Path) -> bool:
    """Delete the output folder if briefgen made it (it carries the marker), with the writer's folders beside it.

    True if the output folder was deleted."""
    if os.path.islink(output_dir):
        return False  # Folders.of would resolve it, and delete what it leads to: another site's output
    folders = Folders.of(output_dir)
    if not (folders.front / MARKER).is_file():
        return False
    ours = [folders.front, *(f for f in (folders.back, folders.swap) if os.path.lexists(f) and not is_foreign(f))]
    for folder in [*ours, *folders.debris()]:
        shutil.rmtree(folder)
    lock_path(folders.front).unlink(missing_ok=True)
    return True


def read_published(output_dir: Path, state: OutputState, path: str) -> bytes | None:
    """A published file's bytes, if it still is as `state` records it (else None)."""
    known = state.front.get(path)
    if known is None:
        return None
    target = Folders.of(output_dir).front / path
    try:
        data = target.read_bytes()
        found = os.lstat(target)
    except OSError:
        return None
    return data if _same_file(found, known) and len(data) == known.size else None
