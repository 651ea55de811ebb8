"""The build cache folder, and the one codec of what is kept in it.

Everything briefgen keeps between builds lives in `.briefgen-cache/` (tagged as a
cache folder, so backup tools skip it and `briefgen clean` knows it is ours), as
JSON stamped with the format and the code version that wrote it (`read_json`
refuses anything else, with a note), written atomically. Diagnostics and moments,
which every kept value holds, are encoded here once.
"""

from __future__ import annotations

import json
import os
import shutil
from datetime import datetime
from pathlib import Path
from typing import Any

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
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as error:
        note(notes, f"could not read the build cache in {display_path(path.parent)} ({error.strerror}); "
              "building without it")
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


def write_json(folder: Path, name: str, value: dict[str, Any]) -> None:
    make_cache_dir(folder)
    write_atomically(folder / name, json.dumps({"format": FORMAT, "code": code_version(), **value}).encode())


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
