"""One build of a site at a time: a lock beside its output folder.

Two builds writing one output folder, its spare folder and the cache at once would
interleave their swaps; the second `briefgen build` waits for the first, saying so,
then builds on what the first left. The lock is the kernel's (flock), so a build
that is killed lets go of it at once; the file stays, empty, beside the output.
"""

from __future__ import annotations

import fcntl
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from briefgen.core.diagnostics import display_path


def lock_path(output_dir: Path) -> Path:
    return output_dir.parent / f".{output_dir.name}.briefgen-lock"


@contextmanager
def one_build_at_a_time(output_dir: Path) -> Iterator[None]:
    """Hold the output folder's lock for the block; wait, with a word, while another build holds it.
    Where the lock cannot be made (no parent folder yet, a read-only one), the build goes on without it:
    the writer reports what it cannot write."""
    try:
        descriptor = os.open(lock_path(output_dir), os.O_RDWR | os.O_CREAT, 0o644)
    except OSError:
        yield
        return
    try:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            print(f"briefgen: another build of {display_path(output_dir)}/ is running; waiting for it to finish",
                  file=sys.stderr, flush=True)
            fcntl.flock(descriptor, fcntl.LOCK_EX)
        yield
    finally:
        os.close(descriptor)  # lets go of the lock
