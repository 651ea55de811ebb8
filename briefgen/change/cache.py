"""The build cache folder, and the codecs of what is kept in it.

Everything briefgen keeps between builds lives in `.briefgen-cache/` (tagged as a
cache folder, so backup tools skip it and `briefgen clean` knows it is ours),
written atomically and stamped with the format and the code version that wrote it
(anything else is refused, with a note). Values (a story's rendered text, the page
plan, the record of the last build) are pickles (`write_values`, `dump_values`), read
by an unpickler that builds only the value types its caller names (`value_types`),
so nothing read from the folder can run code. The story index, which an edit changes
a line of, is JSON (`read_json`, with diagnostics and moments encoded here once) with
a log of changes beside it (`changes_between`, `apply_changes`, `log_lines`), so a
save writes what changed, not the whole index.
"""

from __future__ import annotations

import enum
import io
import json
import os
import pickle
import shutil
import sys
from collections.abc import Callable
from dataclasses import is_dataclass
from datetime import datetime
from pathlib import Path
from types import ModuleType
from typing import Any, TypeVar

from briefgen.change.versions import code_version
from briefgen.core.diagnostics import Diagnostic, Severity, display_path
from briefgen.core.layout import CACHE_DIR
from briefgen.core.model import Moment

FORMAT = "briefgen-cache-5"
# https://bford.info/cachedir/: backup tools skip the folder, and `briefgen clean` knows it is ours.
TAG_FILE = "CACHEDIR.TAG"
TAG_TEXT = (b"Signature: 8a477f597d28d172789f06886806bc55\n"
            b"# This folder is briefgen's build cache; `briefgen clean` removes it.\n")


def read_json(path: Path, notes: list[str]) -> dict[str, Any] | None:
    """A cache file's JSON if briefgen's current code wrote it, else None (with a note unless it is missing)."""
    data = _read_cache_file(path, notes)
    if data is None:
        return None
    try:
        value = json.loads(data)
    except ValueError:
        note(notes, f"discarded the build cache in {display_path(path.parent)}: it is damaged")
        return None
    if not isinstance(value, dict) or not str(value.get("format")).startswith("briefgen-cache-"):
        note(notes, f"discarded the build cache in {display_path(path.parent)}: it was not written by briefgen")
        return None
    if value.get("format") != FORMAT or value.get("code") != code_version():
        note(notes, f"discarded the build cache in {display_path(path.parent)}: "
              "it was written by another version of briefgen")
        return None
    return value


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


def write_json(folder: Path, name: str, value: dict[str, Any]) -> None:
    make_cache_dir(folder)
    write_atomically(folder / name, json.dumps({"format": FORMAT, "code": code_version(), **value}).encode())


def value_types(*modules: ModuleType) -> frozenset[tuple[str, str]]:
    """The types a kept value made of `modules`' values may hold: their dataclasses and enums (all of
    them, so a new one cannot be forgotten) and the standard values they use."""
    ours = [value for module in modules for value in vars(module).values()
            if isinstance(value, type) and value.__module__ == module.__name__
            and (is_dataclass(value) or issubclass(value, enum.Enum))]
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
        return super().find_class(module, name)


def write_values(folder: Path, name: str, value: object) -> None:
    """Keep `value` in `folder/name`, stamped like a JSON record."""
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


def changes_between(before: dict[str, Value], now: dict[str, Value], to_json: Callable[[Value], Any]) -> dict[str, Any]:
    """Each value set since `before` as JSON, and None for each one removed."""
    changes: dict[str, Any] = {name: to_json(value) for name, value in now.items() if before.get(name) != value}
    changes.update((name, None) for name in before.keys() - now.keys())
    return changes


def apply_changes(target: dict[str, Value], changes: dict[str, Any], make: Callable[[str, Any], Value]) -> None:
    """Set each value `changes` gives (made by `make(name, json)`), remove each one it gives as None."""
    for name, value in changes.items():
        if value is None:
            target.pop(name, None)
        else:
            target[str(name)] = make(str(name), value)


def log_lines(path: Path, generation: str) -> tuple[list[dict[str, Any]], int]:
    """A log of changes beside a JSON index (each line names the `generation` of the index it follows):
    its lines for this generation, up to the first that cannot be read, and its size; a log that cannot
    be read whole counts as too long to append to, so the next save writes the index anew."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return [], 0
    except OSError:
        return [], sys.maxsize
    lines: list[dict[str, Any]] = []
    *complete, rest = data.split(b"\n")
    for raw in complete:
        try:
            line = json.loads(raw)
        except ValueError:
            return lines, sys.maxsize
        if not isinstance(line, dict):
            return lines, sys.maxsize
        if line.get("generation") == generation:
            lines.append(line)
    return lines, len(data) if not rest else sys.maxsize


def moment_to_json(moment: Moment | None) -> list[Any] | None:
    return None if moment is None else [moment.instant.isoformat(), moment.has_time]


def moment_from_json(value: list[Any] | None) -> Moment | None:
    if value is None:
        return None
    instant = datetime.fromisoformat(value[0])
    if instant.tzinfo is None:
        raise ValueError("a moment without a UTC offset")
    return Moment(instant, bool(value[1]))


def diagnostic_to_json(item: Diagnostic) -> list[Any]:
    return [item.path, item.line, item.severity.value, item.message, item.hint, item.code]


def diagnostic_from_json(value: list[Any]) -> Diagnostic:
    path, line, severity, message, hint, code = value
    return Diagnostic(str(path), int(line), Severity(severity), str(message), str(hint), str(code))


def note(notes: list[str], note: str) -> None:
    if note not in notes:
        notes.append(note)


def make_cache_dir(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    tag = folder / TAG_FILE
    if not tag.is_file():
        tag.write_bytes(TAG_TEXT)


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
