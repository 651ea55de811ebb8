"""What the writer knows of the folders it wrote: each file's stamp and digest, by folder.

The caller keeps an `OutputState` between builds (in the build record). A file whose
stat still matches its stamp still holds its digest, so a later build trusts it
without reading it.
"""

from __future__ import annotations

from dataclasses import dataclass
STATE_VERSION = 2


@dataclass(frozen=True)
class FileStamp:
    """A file as the writer left it: if its stat still matches, it still holds `digest`."""

    size: int
    mtime_ns: int
    inode: int
    ctime_ns: int  # moves with any write or link, and no one can set it back: a hand edit that keeps
    # the size and restores the mtime still shows
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
    return [stamp.size, stamp.mtime_ns, stamp.inode, stamp.ctime_ns, stamp.digest]


def _stamp_from_json(value: object) -> FileStamp | None:
    if not isinstance(value, list) or len(value) != 5:
        return None
    size, mtime_ns, inode, ctime_ns, digest = value
    if not all(type(number) is int for number in (size, mtime_ns, inode, ctime_ns)) or not isinstance(digest, str):
        return None
    return FileStamp(size, mtime_ns, inode, ctime_ns, digest)


def _manifest_from_json(value: object) -> Manifest | None:
    if not isinstance(value, dict):
        return None
    manifest = {path: _stamp_from_json(stamp) for path, stamp in value.items()}
    if not all(isinstance(path, str) and stamp is not None for path, stamp in manifest.items()):
        return None
    return {path: stamp for path, stamp in manifest.items() if stamp is not None}
