"""The story store: what a build keeps of each story so that the next one parses only what changed.

A `StoryStore` holds three layers, each read only as far as a build needs it:

- the file index: each story file's stamp (mtime, size, inode, device, change time) and the digest of
  its bytes, so an unchanged file is recognised by one `stat`, without reading it;
- entries: what the site-wide stages need of each story (a `StoryEntry`) and the
  problems its file has, for every story, in one index file;
- results: each story's rendered Markdown, pickled, read only when a page that shows
  the story is rendered. A build appends its new results to the folder as one pack file
  (thousands of small files cost more to write than the stories cost to render), and
  folds packs together when they are many or mostly unused, as git does with its packs.

The index is written whole only now and then: a build that changed a few stories appends
what changed to a log beside it (`stories.log`, one record per save, naming the index it
follows), so an edit at 10,000 stories writes a record, not the 7 MB index; once the log
outgrows a quarter of the index, the next save writes the index whole and starts a new log.
A record cut short by a kill is ignored with those after it; every record only states what
was true, so a lost one costs at most a story parsed again.

A story's key (content.py `story_key`) is the key of what its result is made from: its
file's absolute path and bytes, the `StoryShape` it is read with and briefgen's code and
libraries, so an entry or result is never stale, only unused; unused ones
are dropped when the store is saved. Where the build runs from is no part of it: its
diagnostics keep absolute paths, shown relative to the writer's folder when printed.
`serve` keeps one store for its whole life, starting from the folder a `build` left;
`build` uses a new one each time.

Nothing read from the folder can run code: the index, its log and the results are
pickles read by change/cache.py's unpickler, which builds only briefgen's own value
types. A file or entry that is missing, damaged, or written by other code is treated
as absent.
"""

from __future__ import annotations

import os
import secrets
import sys
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import briefgen.core.diagnostics
import briefgen.core.model
import briefgen.story.entry
import briefgen.story.markdown
import briefgen.story.render
from briefgen.change.cache import (append_record, apply_changes, changes_between, dump_values, load_values,
                                   make_cache_dir, note, read_records, read_values, value_types, write_values)
from briefgen.change.trace import FileStamp, is_racy
from briefgen.core.diagnostics import Diagnostic, display_path
from briefgen.story.entry import StoryEntry
from briefgen.story.render import RenderedStory

INDEX_FILE = "stories.pickle"
LOG_FILE = "stories.log"
PACKS_DIR = "packs"
MAX_PACKS = 8  # more, and a save folds all but the largest into its new pack


@dataclass(frozen=True)
class StoryResult:
    """One story file's outcome: its entry, its rendered text pickled (`dump_story`; None when the
    file has errors), and its problems. Pickled where it is made, in a worker process, so the
    main process only passes the bytes on to the pack file."""

    entry: StoryEntry | None
    data: bytes | None
    diagnostics: tuple[Diagnostic, ...]


@dataclass(frozen=True)
class Location:
    """Where a stored result lies: its pack file, and its bytes' offset and length in it."""

    pack: str
    offset: int
    length: int


@dataclass(frozen=True)
class Known:
    """What the store knows of a story file without its rendered text."""

    entry: StoryEntry | None
    diagnostics: tuple[Diagnostic, ...]


@dataclass
class StoryStore:
    """Story files' keys, entries and rendered results, in memory and, with a `folder`, on disk."""

    folder: Path | None = None
    notes: list[str] = field(default_factory=list)  # what was discarded and why; never fails a build
    _stamps: dict[str, tuple[FileStamp, str]] = field(default_factory=dict)  # path -> (stamp, digest of bytes)
    _known: dict[str, Known] = field(default_factory=dict)  # by key
    _results: dict[str, RenderedStory] = field(default_factory=dict)  # by key: those read so far
    _fresh: dict[str, bytes] = field(default_factory=dict)  # by key: results not on disk yet
    _stored: dict[str, Location] = field(default_factory=dict)  # by key: results on disk
    _packs: dict[str, int] = field(default_factory=dict)  # each pack file's name and size
    _loaded: bool = False
    _changed: bool = False
    _saved: _Saved | None = None  # what the index and its log hold, to append only what changed since

    def digest_if_unchanged(self, path: Path, stamp: FileStamp) -> str | None:
        """The digest of `path`'s bytes as last read, if its stamp has not moved since."""
        self._load()
        known = self._stamps.get(str(path))
        return known[1] if known is not None and known[0] == stamp else None

    def remember_file(self, path: Path, stamp: FileStamp | None, file_digest: str) -> None:
        """Note the digest of a file just read, by the stamp taken before reading it.

        A file whose stamp could not be taken, or that changed so recently that a save in the
        same tick of the file system's clock would keep its stamp, is read again next time.
        """
        self._load()
        name = str(path)
        if stamp is None or is_racy(stamp):
            self._changed |= self._stamps.pop(name, None) is not None
        elif self._stamps.get(name) != (stamp, file_digest):
            self._stamps[name], self._changed = (stamp, file_digest), True

    def forget_file(self, changed: Path) -> None:
        """Read again next time, whatever their stamps, the files at or below `changed` (an absolute,
        resolved path, as the watcher reports it)."""
        gone, below = str(changed), str(changed) + os.sep
        if gone in self._stamps:
            # A story file named as it resolves (no link above the site): nothing lies below it, and it has
            # no other name here, since discover enters no linked folder.
            del self._stamps[gone]
            return
        folders: dict[str, str] = {}  # each story folder resolved once: a site has few
        for name in list(self._stamps):
            parent, _, base = name.rpartition(os.sep)
            folder = folders.get(parent) or folders.setdefault(parent, str(Path(parent or ".").resolve()))
            resolved = f"{folder.rstrip(os.sep)}{os.sep}{base}"
            if resolved == gone or resolved.startswith(below):
                del self._stamps[name]

    def known(self, key: str) -> Known | None:
        self._load()
        return self._known.get(key)

    def put(self, key: str, result: StoryResult) -> None:
        self._known[key] = Known(result.entry, result.diagnostics)
        if result.data is not None:
            self._fresh[key] = result.data
        self._changed = True

    def rendered(self, key: str) -> RenderedStory | None:
        """A story's rendered text, from memory or its pack; None if neither has it."""
        found = self._results.get(key)
        if found is None:
            data = self._fresh.get(key)
            if data is None and self.folder is not None and key in self._stored:
                data = _read_stored(self.folder, self._stored[key])
            found = _load_story(data, self.folder, self.notes) if data is not None else None
            if found is not None:
                self._results[key] = found
        return found

    def keep_only(self, keys: set[str], paths: set[str]) -> None:
        """Forget every story whose key is not in `keys` (files deleted or changed since), and the
        stamps of files not among `paths`."""
        self._load()
        for gone in self._known.keys() - keys:
            del self._known[gone]
            self._results.pop(gone, None)
            self._fresh.pop(gone, None)
            self._stored.pop(gone, None)
            self._changed = True
        for path in self._stamps.keys() - paths:
            del self._stamps[path]
            self._changed = True

    def save(self) -> None:
        """Write new results and, if anything changed, the index; a failure only costs the next build time."""
        if self.folder is None or not self._changed:
            return
        try:
            make_cache_dir(self.folder)
            self._pack(self.folder)
            saved = self._saved
            if saved is not None and saved.log_size * 4 < saved.index_size:
                appended = append_record(self.folder / LOG_FILE, self._changes_since(saved))
                self._saved = _Saved.of(self, saved.generation, saved.index_size, saved.log_size + appended)
            else:
                generation, size = self._write_index(self.folder)
                self._saved = _Saved.of(self, generation, size, 0)
            _remove_packs_except(self.folder, set(self._packs))
        except OSError as error:
            note(self.notes, f"the build cache could not be saved in {display_path(self.folder)}: "
                              f"{error.strerror}")
        self._changed = False

    def _write_index(self, folder: Path) -> tuple[str, int]:
        """The whole index, under a new generation (returned, with its size); the old log is then dropped."""
        generation = secrets.token_hex(8)
        write_values(folder, INDEX_FILE, _Index(generation, self._stamps, self._known, self._packs, self._stored))
        (folder / LOG_FILE).unlink(missing_ok=True)
        return generation, index_size(folder)

    def _changes_since(self, saved: _Saved) -> _Changes:
        """One record of the log: the generation it follows, and every value set or (None) removed since."""
        return _Changes(saved.generation, changes_between(saved.stamps, self._stamps),
                        {key: self._known.get(key) for key in saved.known ^ self._known.keys()},
                        changes_between(saved.packs, self._packs), changes_between(saved.stored, self._stored))

    def _pack(self, folder: Path) -> None:
        """Write the new results, and those of the packs worth folding, into one new pack."""
        folded = self._packs_to_fold()
        moved = {key: location for key, location in self._stored.items() if location.pack in folded}
        if not self._fresh and not moved:
            return
        name = secrets.token_hex(8)
        locations: dict[str, Location] = {}
        path = folder / PACKS_DIR / name
        path.parent.mkdir(exist_ok=True)
        partial = path.with_name(f".{name}.tmp")
        try:
            with open(partial, "wb") as pack:
                for key, data in [*self._fresh.items(), *_read_moved(folder, moved)]:
                    locations[key] = Location(name, pack.tell(), len(data))
                    pack.write(data)
                size = pack.tell()
            os.replace(partial, path)
        finally:
            partial.unlink(missing_ok=True)
        self._stored = {key: where for key, where in self._stored.items() if key not in moved} | locations
        self._packs = {pack: size for pack, size in self._packs.items() if pack not in folded} | {name: size}
        self._fresh.clear()

    def _packs_to_fold(self) -> set[str]:
        """Packs mostly holding results no story uses any more; and when there are too many, all
        but the largest (an edit adds a small pack each build)."""
        live = Counter[str]()
        for location in self._stored.values():
            live[location.pack] += location.length
        folded = {pack for pack, size in self._packs.items() if live[pack] * 2 < size}
        kept = sorted((pack for pack in self._packs if pack not in folded), key=self._packs.__getitem__)
        if len(kept) >= MAX_PACKS:
            folded.update(kept[:-1])
        return folded

    def _load(self) -> None:
        if self._loaded:
            return
        self._loaded = True
        if self.folder is None:
            return
        index = read_values(self.folder / INDEX_FILE, _index_types(), self.notes)
        if not isinstance(index, _Index):
            return
        self._stamps, self._known, self._packs, self._stored = index.stamps, index.known, index.packs, index.stored
        records, log_size = read_records(self.folder / LOG_FILE, _index_types())
        for changes in records:
            if isinstance(changes, _Changes) and changes.generation == index.generation:
                apply_changes(self._stamps, changes.stamps)
                apply_changes(self._known, changes.known)
                apply_changes(self._packs, changes.packs)
                apply_changes(self._stored, changes.stored)
        self._stored = {key: where for key, where in self._stored.items()
                        if where.pack in self._packs and key in self._known}
        self._saved = _Saved.of(self, index.generation, index_size(self.folder), log_size)


@dataclass(frozen=True)
class _Index:
    """The store as kept on disk: a generation, which the log's records name, and its four maps."""

    generation: str
    stamps: dict[str, tuple[FileStamp, str]]
    known: dict[str, Known]
    packs: dict[str, int]
    stored: dict[str, Location]


@dataclass(frozen=True)
class _Changes:
    """One record of the log beside the index: the values set since, None for those removed."""

    generation: str
    stamps: dict[str, tuple[FileStamp, str] | None]
    known: dict[str, Known | None]
    packs: dict[str, int | None]
    stored: dict[str, Location | None]


@cache
def _index_types() -> frozenset[tuple[str, str]]:
    """What the index and its log may hold, for change/cache.py's values-only unpickler."""
    return value_types(sys.modules[__name__], briefgen.core.diagnostics, briefgen.core.model, briefgen.story.entry)


@dataclass(frozen=True)
class _Saved:
    """What the index and its log on disk hold, as of the last load or save: the state to append changes to."""

    generation: str
    index_size: int
    log_size: int
    stamps: dict[str, tuple[FileStamp, str]]
    known: frozenset[str]
    packs: dict[str, int]
    stored: dict[str, Location]

    @classmethod
    def of(cls, store: StoryStore, generation: str, index_size: int, log_size: int) -> _Saved:
        return cls(generation, index_size, log_size, dict(store._stamps), frozenset(store._known),
                   dict(store._packs), dict(store._stored))


def index_size(folder: Path) -> int:
    try:
        return (folder / INDEX_FILE).stat().st_size
    except OSError:
        return 0


# Results -------------------------------------------------------------------------------------------

# What a cached RenderedStory may hold: the model's and the renderer's values.
_RESULT_TYPES = value_types(briefgen.core.model, briefgen.story.render, briefgen.story.markdown)


def dump_story(story: RenderedStory) -> bytes:
    return dump_values(story)


def _load_story(data: bytes, folder: Path | None, notes: list[str]) -> RenderedStory | None:
    try:
        story = load_values(data, _RESULT_TYPES)
    except ValueError:
        story = None
    if not isinstance(story, RenderedStory):
        note(notes, f"discarded a damaged entry of the build cache in {display_path(folder) if folder else 'memory'}")
        return None
    return story


def _read_stored(folder: Path, where: Location) -> bytes | None:
    try:
        with open(folder / PACKS_DIR / where.pack, "rb") as pack:
            pack.seek(where.offset)
            data = pack.read(where.length)
    except (OSError, ValueError):
        return None
    return data if len(data) == where.length else None


def _read_moved(folder: Path, moved: dict[str, Location]) -> Iterator[tuple[str, bytes]]:
    """The stored results in `moved`, in pack order; those that cannot be read are left out."""
    for key, where in sorted(moved.items(), key=lambda item: (item[1].pack, item[1].offset)):
        data = _read_stored(folder, where)
        if data is not None:
            yield key, data


def _remove_packs_except(folder: Path, kept: set[str]) -> None:
    """Packs the index no longer names, and any left by an interrupted save."""
    try:
        names = os.listdir(folder / PACKS_DIR)
    except FileNotFoundError:
        return
    for name in names:
        if name not in kept:
            (folder / PACKS_DIR / name).unlink(missing_ok=True)


