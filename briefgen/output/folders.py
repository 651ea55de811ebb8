"""The output folder and the folders the writer keeps beside it, and the atomic swap of two.

The front (e.g. `public/`) is what is published; the back (`.public.briefgen-back/`)
holds an earlier site; the swap and trash folders live only during a swap by renames
and the deletion of an unknown back folder. `publish` exchanges front and back in
one step with renameat2(RENAME_EXCHANGE) where the system has it, else by three
renames that the next build completes if it was cut short.
"""

from __future__ import annotations

import ctypes
import errno
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

MARKER = ".briefgen-output"  # in every folder briefgen made: only such a folder is ever replaced
MARKER_TEXT = b"This folder is made by `briefgen build`, which replaces all of it on every build.\n"


@dataclass(frozen=True)
class Folders:
    """The output folder and the writer's folders beside it."""

    front: Path
    back: Path
    swap: Path  # the front, during a swap by renames (see _swap_by_renames)
    trash: Path  # an unknown back folder, being deleted

    @classmethod
    def of(cls, output_dir: Path) -> Folders:
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


def publish(folders: Folders) -> None:
    """Swap the back folder with the front in one step (or make it the front, the first time)."""
    if not os.path.lexists(folders.front):
        os.rename(folders.back, folders.front)
    elif not _exchange(folders.back, folders.front):
        _swap_by_renames(folders)


def _swap_by_renames(folders: Folders) -> None:
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


def is_foreign(folder: Path) -> bool:
    """Whether replacing `folder` would lose something briefgen did not make: it is not empty and has no marker."""
    if not os.path.lexists(folder):
        return False
    if folder.is_symlink() or not folder.is_dir():
        return True
    return not (folder / MARKER).is_file() and any(folder.iterdir())
