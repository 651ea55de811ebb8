"""The build cache folder, and the one codec of what is kept in it.

Everything briefgen keeps between builds lives in `.briefgen-cache/` (tagged as a
cache folder, so backup tools skip it and `briefgen clean` knows it is ours),
written atomically and stamped with the format and the code version that wrote it
(anything else is refused, with a note). Every kept value (the story index and the
stories' rendered texts, the page plan, the record of the last build) is a pickle
(`write_values`, `dump_values`), read by an unpickler that builds only the value
types its caller names (`value_types`), so nothing read from the folder can run code.
A value an edit changes a small part of (the story index) keeps a log of changes
beside it (`changes_between`, `append_record`, `read_records`, `apply_changes`), so a
save writes what changed, not the whole value.
"""

from __future__ import annotations

import enum
import io
import os
import pickle
import shutil
import sys
from dataclasses import is_dataclass
from pathlib import Path
from types import ModuleType
from typing import Any, TypeVar

from briefgen.change.versions import code_version
from briefgen.core.diagnostics import display_path
from briefgen.core.filenames import interned_path

FORMAT = "briefgen-cache-5"
# https://bford.info/cachedir/: backup tools skip the folder, and `briefgen clean` knows it is ours.
TAG_FILE = "CACHEDIR.TAG"
TAG_TEXT = (b"Signature: 8a477f597d28d172789f06886806bc55\n"
            b"# This folder is briefgen's build cache; `briefgen clean` removes it.\n")


def _read_cache_file(path: Path, notes: list[str]) -> bytes | None:
    """A cache file's bytes; None if it is missing, or (with a note) cannot be read."""
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as error:
        note(notes, f"could not read the build cache in {display_path(path.parent)} ({error.strerror}); "
              "building without it")
        return None


def value_types(*modules: ModuleType) -> frozenset[tuple[str, str]]:
    """The types a kept value made of `modules`' values may hold: their dataclasses, named tuples and
    enums (all of them, so a new one cannot be forgotten) and the standard values they use."""
    ours = [value for module in modules for value in vars(module).values()
            if isinstance(value, type) and value.__module__ == module.__name__
            and (is_dataclass(value) or issubclass(value, enum.Enum)
                 or (issubclass(value, tuple) and hasattr(value, "_fields")))]
    return frozenset({(kind.__module__, kind.__name__) for kind in ours} | _STANDARD_TYPES)


_STANDARD_TYPES = {("pathlib", "PosixPath"), ("pathlib", "WindowsPath"), ("datetime", "datetime"),
                   ("datetime", "date"), ("datetime", "time"), ("datetime", "timezone"),
                   ("datetime", "timedelta"), ("markupsafe", "Markup")}


def dump_values(value: object) -> bytes:
    return pickle.dumps(value, pickle.HIGHEST_PROTOCOL)


def load_values(data: bytes, types: frozenset[tuple[str, str]]) -> Any:
    """The value `dump_values` made, built of `types` only; raises ValueError for anything else."""
    try:
        return _ValuesOnly(io.BytesIO(data), types).load()
    except Exception as error:  # noqa: BLE001 - a damaged or crafted file can fail in any way; never trusted
        raise ValueError(f"not a kept value: {error}") from error


class _ValuesOnly(pickle.Unpickler):
    """Builds the named value types and nothing else: a crafted file naming any other callable
    fails to load instead of running it."""

    def __init__(self, file: io.BytesIO, types: frozenset[tuple[str, str]]) -> None:
        super().__init__(file)
        self.types = types

    def find_class(self, module: str, name: str) -> Any:
        if (module, name) not in self.types:
            raise pickle.UnpicklingError(f"{module}.{name} is not a value briefgen keeps")
        if (module, name) == ("pathlib", "PosixPath"):
            return _kept_path
        return super().find_class(module, name)


def _kept_path(*parts: str) -> Path:
    """A kept PosixPath (pickled as its parts: `('/', 'site', 'x.md')`), as the one Path the process has
    for its name."""
    name = "/".join(parts) or "."
    return interned_path(name[1:] if name.startswith("//") else name)


def write_values(folder: Path, name: str, value: object) -> None:
    """Keep `value` in `folder/name`, stamped with the format and the code version."""
    make_cache_dir(folder)
    stamp = f"{FORMAT} {code_version()}\n".encode()
    write_atomically(folder / name, stamp + dump_values(value))


def read_values(path: Path, types: frozenset[tuple[str, str]], notes: list[str]) -> Any:
    """What `write_values` kept in `path` if briefgen's current code wrote it, else None (with a note
    unless it is missing)."""
    data = _read_cache_file(path, notes)
    if data is None:
        return None
    stamp, _, body = data.partition(b"\n")
    if stamp != f"{FORMAT} {code_version()}".encode():
        note(notes, f"discarded the build cache in {display_path(path.parent)}: "
              "it was written by another version of briefgen")
        return None
    try:
        return load_values(body, types)
    except ValueError:
        note(notes, f"discarded the build cache in {display_path(path.parent)}: it is damaged")
        return None


Value = TypeVar("Value")


def changes_between(before: dict[str, Value], now: dict[str, Value]) -> dict[str, Value | None]:
    """Each value set since `before`, and None for each one removed."""
    changes: dict[str, Value | None] = {name: value for name, value in now.items() if before.get(name) != value}
    changes.update((name, None) for name in before.keys() - now.keys())
    return changes


def apply_changes(target: dict[str, Value], changes: dict[str, Value | None]) -> None:
    """Set each value `changes` gives, remove each one it gives as None."""
    for name, value in changes.items():
        if value is None:
            target.pop(name, None)
        else:
            target[name] = value


RECORD_LENGTH = 8  # bytes before each record of a log, giving its length


def append_record(path: Path, value: object) -> int:
    """Append `value` to the log of changes kept beside a value; the number of bytes appended."""
    data = dump_values(value)
    record = len(data).to_bytes(RECORD_LENGTH, "little") + data
    with open(path, "ab") as log:
        log.write(record)
    return len(record)


def read_records(path: Path, types: frozenset[tuple[str, str]]) -> tuple[list[Any], int]:
    """A log's records, up to the first that cannot be read (one cut short by a kill), and the log's
    size; a log that cannot be read whole counts as too long to append to, so the next save writes
    what it logs anew."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return [], 0
    except OSError:
        return [], sys.maxsize
    records: list[Any] = []
    at = 0
    while at < len(data):
        start = at + RECORD_LENGTH
        stop = start + int.from_bytes(data[at:start], "little")
        if stop > len(data):
            return records, sys.maxsize
        try:
            records.append(load_values(data[start:stop], types))
        except ValueError:
            return records, sys.maxsize
        at = stop
    return records, len(data)


def note(notes: list[str], note: str) -> None:
    if note not in notes:
        notes.append(note)


# What earlier versions of briefgen kept in the folder and none reads now: removed when the folder is
# next written, so an upgraded site does not carry them for ever (nor Netlify's cache with it).
RETIRED = ("last-build.json", "stories.json", "stories")


def make_cache_dir(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    tag = folder / TAG_FILE
    if not tag.is_file():
        tag.write_bytes(TAG_TEXT)
        return
    for name in RETIRED:
        retired = folder / name
        if retired.is_dir() and not retired.is_symlink():
            shutil.rmtree(retired)
        elif os.path.lexists(retired):
            retired.unlink()


def write_atomically(path: Path, data: bytes) -> None:
    """Write beside, then rename: an interrupted save leaves the old file, never half of one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        partial.write_bytes(data)
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)


def clear_cache(folder: Path) -> bool:
    """Remove the cache folder if it is briefgen's (it carries the tag) and no link to one; True if it was removed."""
    if folder.is_symlink() or not (folder / TAG_FILE).is_file():
        return False
    shutil.rmtree(folder)
    return True
