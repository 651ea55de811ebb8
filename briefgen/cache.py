"""Remember each story's rendered result, keyed by its bytes and by what shapes it.

A story's Markdown-to-HTML result depends only on its own file and on the
settings that shape rendering (labels, raw-HTML policy, briefgen's code, the
folder display paths are relative to), so that is all its key holds. Everything
site-wide is re-assembled on every build that changed anything.

`DiskStoryCache` keeps the same entries in `.briefgen-cache/` in the site
folder, in shards so that one edit rewrites one small file. It is loaded only
when a story actually has to be looked up: a build where nothing changed never
reads it. A shard that cannot be read, or was written by other code, is
discarded with a note, never trusted.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import shutil
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from briefgen import __version__
from briefgen.config import SiteConfig
from briefgen.diagnostics import Diagnostic
from briefgen.render import RenderedStory

CACHE_DIR = ".briefgen-cache"
FORMAT = "briefgen-cache-1"
SHARDS = 32
# https://bford.info/cachedir/: backup tools skip the folder, and `briefgen clean` knows it is ours.
TAG_FILE = "CACHEDIR.TAG"
TAG_TEXT = (b"Signature: 8a477f597d28d172789f06886806bc55\n"
            b"# This folder is briefgen's build cache; `briefgen clean` removes it.\n")


@dataclass(frozen=True)
class StoryResult:
    story: RenderedStory | None  # None when the story has errors
    diagnostics: tuple[Diagnostic, ...]


@cache
def code_version() -> str:
    """briefgen's version and a digest of its code, so an edited checkout never reuses old results."""
    digest = hashlib.sha256(__version__.encode())
    for path in sorted(Path(__file__).parent.glob("*.py")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return f"{__version__}+{digest.hexdigest()[:16]}"


def shape_key(config: SiteConfig) -> str:
    """What, besides a story's own bytes, decides its rendered result (and its diagnostics' paths)."""
    return f"{code_version()}|{os.getcwd()}|{config.labels!r}|{config.unsafe_html}"


def story_key(data: bytes, shape: str) -> str:
    return hashlib.sha256(shape.encode() + b"\0" + data).hexdigest()


@dataclass
class StoryCache:
    """In memory: one entry per story file, replaced when its key changes."""

    entries: dict[Path, tuple[str, StoryResult]] = field(default_factory=dict)

    def get(self, path: Path, key: str) -> StoryResult | None:
        entry = self.entries.get(path)
        return entry[1] if entry is not None and entry[0] == key else None

    def put(self, path: Path, key: str, result: StoryResult) -> None:
        self.entries[path] = (key, result)

    def forget_missing(self, present: set[Path]) -> None:
        for path in set(self.entries) - present:
            del self.entries[path]


class DiskStoryCache(StoryCache):
    """A StoryCache kept in a folder between builds; `notes` says what was discarded and why."""

    def __init__(self, folder: Path) -> None:
        super().__init__()
        self.folder = folder
        self.notes: list[str] = []
        self._loaded = False
        self._dirty: set[int] = set()

    def get(self, path: Path, key: str) -> StoryResult | None:
        self._load()
        return super().get(path, key)

    def put(self, path: Path, key: str, result: StoryResult) -> None:
        self._load()
        super().put(path, key, result)
        self._dirty.add(_shard_of(path))

    def forget_missing(self, present: set[Path]) -> None:
        if not self._loaded:
            return  # nothing was looked up, so nothing changed
        gone = set(self.entries) - present
        self._dirty.update(_shard_of(path) for path in gone)
        super().forget_missing(present)

    def save(self) -> None:
        """Write the shards that changed; a failure to write only costs the next build time."""
        if not self._dirty:
            return
        shards: dict[int, dict[Path, tuple[str, StoryResult]]] = {shard: {} for shard in self._dirty}
        for path, entry in self.entries.items():
            shard = _shard_of(path)
            if shard in shards:
                shards[shard][path] = entry
        try:
            for shard, entries in sorted(shards.items()):
                write_cache_file(self.folder, _shard_name(shard), entries)
        except OSError as error:
            self.notes.append(f"the build cache could not be saved in {self.folder}: {error.strerror}")
        self._dirty.clear()

    def _load(self) -> None:
        if self._loaded:
            return
        self._loaded = True
        for shard in range(SHARDS):
            path = self.folder / _shard_name(shard)
            entries = read_cache_file(path, dict, self.notes)
            if entries is None:
                continue
            if all(isinstance(p, Path) and _shard_of(p) == shard for p in entries):
                self.entries.update(entries)
            else:
                _note(self.notes, f"discarded the build cache in {self.folder}: it was not written by briefgen")
                self._dirty.add(shard)


def read_cache_file(path: Path, kind: type, notes: list[str]) -> Any:
    """What `path` holds if briefgen's current code wrote it, else None (with a note unless it is missing)."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as error:
        _note(notes, f"could not read the build cache in {path.parent} ({error.strerror}); building without it")
        return None
    try:
        tag, version, value = pickle.loads(data)
    except Exception:  # noqa: BLE001 - a damaged file can fail in any way; it is never trusted
        _note(notes, f"discarded the build cache in {path.parent}: it is damaged")
        return None
    if tag != FORMAT or not isinstance(value, kind):
        _note(notes, f"discarded the build cache in {path.parent}: it was not written by briefgen")
        return None
    if version != code_version():
        _note(notes, f"discarded the build cache in {path.parent}: it was written by another version of briefgen")
        return None
    return value


def _note(notes: list[str], note: str) -> None:
    if note not in notes:
        notes.append(note)


def write_cache_file(folder: Path, name: str, value: object) -> None:
    make_cache_dir(folder)
    write_atomically(folder / name, pickle.dumps((FORMAT, code_version(), value), pickle.HIGHEST_PROTOCOL))


def make_cache_dir(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    tag = folder / TAG_FILE
    if not tag.is_file():
        tag.write_bytes(TAG_TEXT)


def write_atomically(path: Path, data: bytes) -> None:
    """Write beside, then rename: an interrupted save leaves the old file, never half of one."""
    partial = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        partial.write_bytes(data)
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)


def clear_cache(folder: Path) -> bool:
    """Remove the cache folder if it is briefgen's (it carries the tag); True if it was removed."""
    if not (folder / TAG_FILE).is_file():
        return False
    shutil.rmtree(folder)
    return True


def _shard_of(path: Path) -> int:
    return hashlib.sha256(str(path).encode()).digest()[0] % SHARDS


def _shard_name(shard: int) -> str:
    return f"stories-{shard:02d}.pickle"
