"""Watch a site's sources for `briefgen serve`: which saves matter, what they mean, and when to act.

A save is classified by where the file lives (a story, a template, a stylesheet,
...); editor temp files and the output folder are ignored. A burst of saves (an
editor's write-rename-delete, a `git checkout`) is debounced into one batch.
"""

from __future__ import annotations

import os
import threading
import time
import traceback
from collections.abc import Callable, Collection
from contextlib import suppress
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Generic, TypeVar

from watchdog.events import (DirCreatedEvent, DirDeletedEvent, DirMovedEvent, FileClosedEvent, FileCreatedEvent,
                             FileDeletedEvent, FileModifiedEvent, FileMovedEvent, FileSystemEvent,
                             FileSystemEventHandler)
from watchdog.observers import Observer
from watchdog.observers.api import BaseObserver
from watchdog.observers.polling import PollingObserver

from briefgen.core.layout import CONTENT_DIR
from briefgen.settings.config import CONFIG_FILE
from briefgen.settings.outlets import OUTLETS_FILE
from briefgen.theme.templates import ASSETS, SITE_TEMPLATES, STATIC

QUIET_SECONDS = 0.03  # a save ends when no other event has come for this long (an editor's are ms apart)
# Saves that follow the last batch closely are a burst (a git checkout, a script, a save-on-type editor):
# it ends only when none has come for the longer spell.
BURST_GAP_SECONDS = 0.25
BURST_QUIET_SECONDS = 0.2

# Event kinds that mean a file's bytes or existence changed; opened/closed-without-write/attrib do not.
CREATED, MODIFIED, DELETED, MOVED, CLOSED = "created", "modified", "deleted", "moved", "closed"
CONTENT_EVENTS = {CREATED, MODIFIED, DELETED, MOVED, CLOSED}
# What the watcher asks the system for. Not "opened" or "closed without writing": every build reads
# every source, and a thousand such events per rebuild would keep the watcher thread busy and slow
# the build down (they compete for the interpreter).
WATCHED_EVENTS: list[type[FileSystemEvent]] = [
    FileCreatedEvent, DirCreatedEvent, FileModifiedEvent, FileDeletedEvent, DirDeletedEvent,
    FileMovedEvent, DirMovedEvent, FileClosedEvent]
EDITOR_TEMP_SUFFIXES = ("~", ".swp", ".swx", ".swo", ".tmp", "___jb_tmp___", "___jb_old___")


class Change(Enum):
    STORY = "story"  # a story's text: re-read that story
    STRUCTURE = "structure"  # a story added, renamed or deleted
    TEMPLATE = "template"
    STYLESHEET = "stylesheet"  # an open page swaps its stylesheets instead of reloading
    STATIC = "static"
    CONFIG = "config"


@dataclass(frozen=True)
class FileEvent:
    kind: str  # one of CONTENT_EVENTS
    path: Path
    is_directory: bool = False


@dataclass(frozen=True)
class SourceChange:
    change: Change
    path: Path


def is_editor_temp(name: str) -> bool:
    """Files editors write beside the real one while saving (vim, emacs, gedit, JetBrains)."""
    return (name.startswith((".#", ".goutputstream-")) or name.endswith(EDITOR_TEMP_SUFFIXES)
            or name == "4913" or (name.startswith("#") and name.endswith("#")))


def classify(event: FileEvent, site_dir: Path, output_dir: Path, theme_roots: tuple[Path, ...] = ()
             ) -> Change | None:
    """What a file event means for the site, or None when it does not matter.

    ``theme_roots`` are theme folders outside the site (the built-in themes);
    a file there counts as if it were in the site's own `themes/`.
    """
    if event.kind not in CONTENT_EVENTS or is_editor_temp(event.path.name):
        return None
    if event.is_directory and event.kind not in (DELETED, MOVED):
        return None  # files inside a new folder report themselves; a folder "modified" is noise
    parts = _site_parts(event.path, site_dir, output_dir, theme_roots)
    if not parts or any(part.startswith(".") for part in parts):
        return None
    if event.is_directory:
        return _folder_change(parts)
    return _file_change(parts, event.kind)


def _site_parts(path: Path, site_dir: Path, output_dir: Path, theme_roots: tuple[Path, ...]
                ) -> tuple[str, ...]:
    if path.is_relative_to(output_dir):
        return ()
    if path.is_relative_to(site_dir):
        return path.relative_to(site_dir).parts
    for root in theme_roots:
        if path.is_relative_to(root):
            return ("themes", *path.relative_to(root).parts)
    return ()


def _file_change(parts: tuple[str, ...], kind: str) -> Change | None:
    area, name = parts[0], parts[-1]
    if parts in ((CONFIG_FILE,), (OUTLETS_FILE,)):
        return Change.CONFIG
    if area == CONTENT_DIR:
        if not name.endswith(".md"):
            return None
        return Change.STORY if kind in (MODIFIED, CLOSED) else Change.STRUCTURE
    if area == SITE_TEMPLATES or (area == "themes" and len(parts) > 3 and parts[2] == "templates"):
        return Change.TEMPLATE
    if area in (STATIC, ASSETS) or (area == "themes" and len(parts) > 3 and parts[2] in (ASSETS, STATIC)):
        return Change.STYLESHEET if name.endswith(".css") else Change.STATIC
    return None


def _folder_change(parts: tuple[str, ...]) -> Change | None:
    """A folder deleted or moved: whatever lived in it changed."""
    if parts[0] == CONTENT_DIR:
        return Change.STRUCTURE
    if parts[0] in (SITE_TEMPLATES, "themes"):
        return Change.TEMPLATE
    if parts[0] == STATIC:
        return Change.STATIC
    return None


def file_events(event: FileSystemEvent) -> list[FileEvent]:
    """A watchdog event as plain values; a move is a deletion of its source and a creation of its target.

    A temp file renamed onto a story (how many editors save) is that story modified.
    """
    source = Path(_text(event.src_path))
    if event.event_type != MOVED:
        return [FileEvent(event.event_type, source, event.is_directory)]
    target = Path(_text(event.dest_path))
    if is_editor_temp(source.name) and not event.is_directory:
        return [FileEvent(MODIFIED, target)]
    return [FileEvent(DELETED, source, event.is_directory), FileEvent(CREATED, target, event.is_directory)]


def _text(path: str | bytes) -> str:
    return path.decode() if isinstance(path, bytes) else path


class _Forward(FileSystemEventHandler):
    def __init__(self, receive: Callable[[FileEvent], None]) -> None:
        self.receive = receive

    def on_any_event(self, event: FileSystemEvent) -> None:
        for file_event in file_events(event):
            self.receive(file_event)


class _Root(_Forward):
    """A watched folder's own events; a folder made in it is watched from then on, and the files it
    already holds by then (a folder moved or copied in) are reported as created."""

    def __init__(self, receive: Callable[[FileEvent], None], observer: BaseObserver, handler: _Forward,
                 skip: Collection[Path]) -> None:
        super().__init__(receive)
        self.observer, self.handler, self.skip = observer, handler, skip

    def on_any_event(self, event: FileSystemEvent) -> None:
        super().on_any_event(event)
        if not event.is_directory or event.event_type not in (CREATED, MOVED):
            return
        folder = Path(_text(event.dest_path if event.event_type == MOVED else event.src_path))
        if folder.name.startswith(".") or folder in self.skip:
            return
        with suppress(OSError):
            self.observer.schedule(self.handler, str(folder), recursive=True, event_filter=WATCHED_EVENTS)
            for path in _files_below(folder):
                self.receive(FileEvent(CREATED, path))


def start_watching(folders: list[Path], receive: Callable[[FileEvent], None], poll: bool,
                   skip: Collection[Path] = ()) -> BaseObserver:
    """Watch the folders' sources, reporting absolute paths; `poll` for network and container mounts.

    Each folder is watched alone, and each folder in it recursively but hidden ones and `skip` (the
    output folder): a system allows a user a limited number of watches, and the output and its spare
    folder of a 10,000-story site hold 25,000 folders. A folder made in it later is watched from then on.
    """
    observer: BaseObserver = PollingObserver(timeout=0.25) if poll else Observer()
    handler = _Forward(receive)
    hidden = {path.resolve() for path in skip}
    for folder in folders:
        root = folder.resolve()
        observer.schedule(_Root(receive, observer, handler, hidden), str(root), recursive=False,
                          event_filter=WATCHED_EVENTS)
        for child in _source_folders(root, hidden):
            observer.schedule(handler, str(child), recursive=True, event_filter=WATCHED_EVENTS)
    observer.daemon = True
    observer.start()
    return observer


def saved_since(folders: list[Path], moment_ns: int, skip: Collection[Path] = ()) -> list[Path]:
    """Files start_watching would watch whose mtime is at or after `moment_ns`."""
    hidden = {path.resolve() for path in skip}
    found: list[Path] = []
    for folder in folders:
        root = folder.resolve()
        for below in [[root / name for name in _names(root)], *map(_files_below, _source_folders(root, hidden))]:
            for path in below:
                with suppress(OSError):
                    if path.stat().st_mtime_ns >= moment_ns and path.is_file():
                        found.append(path)
    return found


def _source_folders(root: Path, skip: Collection[Path]) -> list[Path]:
    return [root / name for name in _names(root)
            if not name.startswith(".") and (root / name).is_dir() and (root / name) not in skip]


def _names(folder: Path) -> list[str]:
    try:
        return sorted(os.listdir(folder))
    except OSError:
        return []


def _files_below(folder: Path) -> list[Path]:
    return [Path(parent, name) for parent, _, names in os.walk(folder) for name in names]


T = TypeVar("T")


class Debouncer(Generic[T]):
    """Collects items until none has arrived for `quiet` seconds, then hands them to `handle` as one batch.

    Items that began coming while the last batch was handled, or within `BURST_GAP_SECONDS`
    after, wait for `burst_quiet` seconds without a new one instead: a lone save is handled
    quickly, a long run of saves still makes few batches.
    `run` is the loop, in a thread of its own; batches are handled one at a time,
    and items arriving meanwhile make the next batch.
    """

    def __init__(self, handle: Callable[[list[T]], None], quiet: float = QUIET_SECONDS,
                 burst_quiet: float = BURST_QUIET_SECONDS) -> None:
        self._handle = handle
        self._quiet = quiet
        self._burst_quiet = max(quiet, burst_quiet)
        self._items: list[T] = []
        self._first_added = 0.0  # of the items waiting
        self._last_added = 0.0
        self._last_handled = -BURST_GAP_SECONDS  # when the last batch was done with
        self._handling = False
        self._stopped = False
        self._condition = threading.Condition()

    def add(self, item: T) -> None:
        with self._condition:
            self._last_added = time.monotonic()
            if not self._items:
                self._first_added = self._last_added
            self._items.append(item)
            self._condition.notify_all()

    def stop(self) -> None:
        with self._condition:
            self._stopped = True
            self._condition.notify_all()

    def has_pending(self) -> bool:
        with self._condition:
            return bool(self._items)

    def busy(self) -> bool:
        """Whether items are queued or a batch is being handled."""
        with self._condition:
            return bool(self._items) or self._handling

    def wait_idle(self, timeout: float) -> bool:
        """Wait until nothing is queued or being handled; False if that took longer than `timeout`."""
        with self._condition:
            return self._condition.wait_for(lambda: not self._items and not self._handling, timeout)

    def run(self) -> None:
        while (batch := self._next_batch()) is not None:
            try:
                self._handle(batch)
            except Exception:  # noqa: BLE001 - one failed batch must not stop the watching
                traceback.print_exc()
            finally:
                with self._condition:
                    self._handling = False
                    self._last_handled = time.monotonic()
                    self._condition.notify_all()

    def _next_batch(self) -> list[T] | None:
        with self._condition:
            while not self._stopped:
                if not self._items:
                    self._condition.wait()
                    continue
                remaining = self._last_added + self._quiet_spell() - time.monotonic()
                if remaining > 0:
                    self._condition.wait(remaining)
                    continue
                batch, self._items = self._items, []
                self._handling = True
                return batch
            return None

    def _quiet_spell(self) -> float:
        """How long the waiting items must go without a new one: longer when they follow the last batch closely."""
        in_burst = self._first_added - self._last_handled < BURST_GAP_SECONDS
        return self._burst_quiet if in_burst else self._quiet
