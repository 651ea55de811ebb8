"""Find the story files of a site and read each one into a RenderedStory.

`story_from_bytes` is the whole per-story chain (decode, split, validate,
render): it depends on nothing but the file's path and bytes and the settings
that shape rendering, so its result can be kept and it can run in parallel.
`scan_files` finds each file's key (by its stamp, when the store knows it), and
`read_stories` parses the files the store does not know, spread over the
machine's cores. `scan_content` does both the finding and the keying, and on
the watcher's word (serve) looks again only at the files it says were saved.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Collection
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path

from markdown_it import MarkdownIt

from briefgen.change.keys import digest, value_key
from briefgen.change.trace import file_stamp, folder_entries, note_file
from briefgen.change.versions import code_version
from briefgen.core.diagnostics import Diagnostic, Diagnostics
from briefgen.core.filenames import interned_path, is_utf8_name, report_non_utf8_name
from briefgen.core.frontmatter import split
from briefgen.core.links import leads_outside, report_outside_link
from briefgen.core.pool import parallel_map
from briefgen.core.progress import SILENT, Progress
from briefgen.settings.config import Labels, SiteConfig
from briefgen.story.editorial import story_warnings
from briefgen.story.entry import StoryEntry, entry_of
from briefgen.story.markdown import make_parser
from briefgen.story.render import RenderedStory, render_story
from briefgen.story.store import StoryResult, StoryStore, dump_story
from briefgen.story.validate import validate

# A story's file at most: a long briefing is some 50 KB; a 50 MB one took 150 s and 4.8 GB to build.
MAX_STORY_BYTES = 2**20


def discover(content_dir: Path, diagnostics: Diagnostics) -> list[Path]:
    """Every story file below ``content_dir``, in a stable order; hidden files and folders are skipped,
    and so are folders that are symbolic links (as `rglob` does); any other file is a warning. A linked
    file is read only if it lies inside the site (see links.py). Each folder's listing is recorded
    (change/trace.py), so a file added or removed anywhere below counts as a change, story or not."""
    found: list[str] = []
    folders = [str(content_dir)]
    while folders:
        for entry in folder_entries(Path(folders.pop())) or []:
            if entry.name.startswith("."):
                continue
            if not is_utf8_name(entry.name):
                report_non_utf8_name(entry.path, diagnostics)
                continue
            if entry.is_dir(follow_symlinks=False):
                folders.append(entry.path)
            elif entry.is_dir():
                continue  # a linked folder: not entered
            elif entry.name.endswith(".md"):  # read_bytes reports one that is no regular file
                if entry.is_symlink() and leads_outside(Path(entry.path), content_dir.parent):
                    report_outside_link(Path(entry.path), diagnostics)
                else:
                    found.append(entry.path)
            else:
                diagnostics.warning(entry.path, 0, "not a story: only .md files in content/ are read",
                                    "if it is a story, name it with .md; a file to publish goes in static/",
                                    "not-a-story")
    found.sort(key=lambda path: path.split(os.sep))  # as sorting the Paths would, without making them first
    return [interned_path(path) for path in found]


def read_bytes(path: Path, diagnostics: Diagnostics) -> bytes | None:
    """A regular file's bytes, at most MAX_STORY_BYTES. Anything else is an error, never a wait: a FIFO
    would block the build, a device such as /dev/zero would be read until memory ran out, and a socket
    cannot be opened at all. (Opened without blocking, and checked again, in case one is swapped in.)"""
    try:
        mode = os.stat(path).st_mode
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK) if stat.S_ISREG(mode) else None
    except OSError as error:
        diagnostics.error(path, 0, f"cannot read the file: {error.strerror}",
                          "check that the file exists and that you may read it", "unreadable-file")
        return None
    if descriptor is None:
        _not_regular(path, mode, diagnostics)
        return None
    with os.fdopen(descriptor, "rb") as file:
        status = os.fstat(descriptor)
        if not stat.S_ISREG(status.st_mode):
            _not_regular(path, status.st_mode, diagnostics)
            return None
        data = file.read(MAX_STORY_BYTES + 1)
    if len(data) > MAX_STORY_BYTES:
        diagnostics.error(path, 0, f"the file is {max(status.st_size, len(data)) / 2**20:.1f} MiB; a story may "
                          f"be at most {MAX_STORY_BYTES // 2**20} MiB", "split it into stories that follow each "
                          "other (`follows:`), or move data out of it into static/", "file-too-large")
        return None
    return data


def _not_regular(path: Path, mode: int, diagnostics: Diagnostics) -> None:
    diagnostics.error(path, 0, f"cannot read the file: it is {_kind_of(mode)}, not a regular file",
                      "a story is a text file; remove or replace this one", "unreadable-file")


def _kind_of(mode: int) -> str:
    return ("a folder" if stat.S_ISDIR(mode) else "a named pipe (FIFO)" if stat.S_ISFIFO(mode) else "a socket" if stat.S_ISSOCK(mode)
            else "a device" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode) else "a special file")


def decode(path: Path, data: bytes, diagnostics: Diagnostics) -> str | None:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        diagnostics.error(path, line, f"the file is not UTF-8 text (byte 0x{data[error.start]:02x})",
                          "save it as UTF-8 in your editor (\"Save with encoding\")", "not-utf8")
        return None


@dataclass(frozen=True)
class StoryFile:
    path: Path
    key: str  # of the path, the bytes and what shapes their rendering
    data: bytes | None  # None when the store knew the file by its stamp and has its entry


@dataclass(frozen=True)
class StoryScan:
    """The story files of content/ as one build found and keyed them, and the problems that reported."""

    shape: str  # shape_key of the story shape they were keyed for
    files: tuple[StoryFile, ...]  # without their bytes
    problems: tuple[Diagnostic, ...]


def scan_content(content_dir: Path, config: SiteConfig, store: StoryStore, diagnostics: Diagnostics,
                 last: StoryScan | None = None, saved: Collection[Path] | None = None,
                 ) -> tuple[list[StoryFile], StoryScan]:
    """Every story file below `content_dir`, keyed (`discover`, then `scan_files`), and the scan to
    start from next time.

    Given the `last` scan and `saved`, the files a watcher saw saved since (resolved paths), only those
    are looked at again, when they are all story files `last` holds and they read without a problem:
    one `stat` and read each, not a walk of the whole folder. Else the folder is walked anew.
    """
    shape = shape_key(story_shape(config))
    if last is not None and saved is not None and last.shape == shape:
        files = _rescanned(content_dir, last, saved, shape, store)
        if files is not None:
            diagnostics.extend(list(last.problems))
            return files, replace(last, files=tuple(_without_bytes(files)))
    before = len(diagnostics.items)
    files = scan_files(discover(content_dir, diagnostics), shape, store, diagnostics)
    return files, StoryScan(shape, tuple(_without_bytes(files)), tuple(diagnostics.items[before:]))


def _rescanned(content_dir: Path, last: StoryScan, saved: Collection[Path], shape: str,
               store: StoryStore) -> list[StoryFile] | None:
    """`last`'s files with the `saved` ones keyed again; None if one of them is not there or has a problem."""
    places = {file.path: index for index, file in enumerate(last.files)}
    files = list(last.files)
    resolved = content_dir.resolve()
    for path in saved:
        place = places.get(content_dir / path.relative_to(resolved)) if path.is_relative_to(resolved) else None
        if place is None:
            return None
        found = Diagnostics()
        again = scan_files([files[place].path], shape, store, found)
        if found.items or len(again) != 1:
            return None
        files[place] = again[0]
    return files


def _without_bytes(files: list[StoryFile]) -> list[StoryFile]:
    return [file if file.data is None else replace(file, data=None) for file in files]


def scan_files(paths: list[Path], shape: str, store: StoryStore, diagnostics: Diagnostics) -> list[StoryFile]:
    """Every readable story file's key (with `shape`, a shape_key): by its stamp when the store knows it,
    else read and digested.

    An unreadable file is an error. The stamp is taken before reading, so a save during the
    read shows as a changed stamp next time. Each file is recorded in the build's trace.
    """
    files: list[StoryFile] = []
    for path in paths:
        stamp = file_stamp(path)
        known = store.digest_if_unchanged(path, stamp) if stamp is not None else None
        if known is not None and store.known(key := story_key(shape, path, known)) is not None:
            note_file(path, stamp, known)
            files.append(StoryFile(path, key, None))
            continue
        data = read_bytes(path, diagnostics)
        if data is None:
            continue
        file_digest = digest(data)
        note_file(path, stamp, file_digest)
        store.remember_file(path, stamp, file_digest)
        files.append(StoryFile(path, story_key(shape, path, file_digest), data))
    return files


def read_stories(files: list[StoryFile], config: SiteConfig, diagnostics: Diagnostics, store: StoryStore,
                 jobs: int = 0, progress: Progress = SILENT) -> list[StoryEntry]:
    """Each story's entry, in order: known to the store, else parsed and rendered (in parallel) and put there.

    The store forgets every story not among `files`.
    """
    knowns = [store.known(file.key) for file in files]
    missing = [file for file, known in zip(files, knowns) if known is None]
    progress.start("stories", len(missing))
    fresh = parallel_map(partial(story_result, shape=story_shape(config)), missing, jobs, progress.advance)
    progress.finish()
    for file, result in zip(missing, fresh):
        store.put(file.key, result)
    store.keep_only({file.key for file in files}, {str(file.path) for file in files})
    entries: list[StoryEntry] = []
    for file, was_known in zip(files, knowns):
        known = was_known or store.known(file.key)  # a story just read was put there above
        assert known is not None, "every file was just put in the store"
        if known.diagnostics:
            diagnostics.extend(list(known.diagnostics))
        if known.entry is not None:
            entries.append(known.entry)
    return entries


def rendered_story(entry: StoryEntry, store: StoryStore, config: SiteConfig) -> RenderedStory | None:
    """A story's rendered text: from the store, else (its cache file lost) parsed again from its
    file, if that still holds the bytes the entry was made from; else None."""
    found = store.rendered(entry.key)
    if found is not None:
        return found
    data = read_bytes(entry.path, Diagnostics())
    shape = story_shape(config)
    if data is None or story_key(shape_key(shape), entry.path, digest(data)) != entry.key:
        return None
    result = story_result(StoryFile(entry.path, entry.key, data), shape)
    if result.data is None:
        return None
    store.put(entry.key, result)
    return store.rendered(entry.key)


@dataclass(frozen=True)
class StoryShape:
    """All a story's reading (story_result) takes from the site: its labels and whether raw HTML passes."""

    labels: Labels = Labels()
    unsafe_html: bool = False


def story_shape(config: SiteConfig) -> StoryShape:
    return StoryShape(config.labels, config.unsafe_html)


def shape_key(shape: StoryShape) -> str:
    """What, besides a story's own file, its result is made from: the shape, and briefgen's code and libraries."""
    return value_key(code_version(), shape)


def story_key(shape: str, path: Path, file_digest: str) -> str:
    """The key of story_result's arguments: the file (its absolute path, its bytes' digest) and the shape
    (`shape_key`). Where the build runs from is no part of it."""
    return digest(shape, os.path.abspath(path), file_digest)


def story_result(file: StoryFile, shape: StoryShape) -> StoryResult:
    """One story's entry, rendered text and problems, as a value to keep or send between processes."""
    assert file.data is not None, "a file the store does not know was read"
    found = Diagnostics()
    story = story_from_bytes(file.path, file.data, parser(shape.unsafe_html), shape.labels, found)
    if story is None:
        return StoryResult(None, None, tuple(found.items))
    return StoryResult(entry_of(story, file.key), dump_story(story), tuple(found.items))


_parsers: dict[bool, MarkdownIt] = {}


def parser(unsafe_html: bool) -> MarkdownIt:
    """The Markdown parser, built once per process and raw-HTML policy (building one per story is slow)."""
    if unsafe_html not in _parsers:
        _parsers[unsafe_html] = make_parser(unsafe_html)
    return _parsers[unsafe_html]


def story_from_bytes(path: Path, data: bytes, md: MarkdownIt, labels: Labels,
                     diagnostics: Diagnostics) -> RenderedStory | None:
    """The whole per-story chain: decode, split, validate, render, an editor's warnings."""
    text = decode(path, data, diagnostics)
    if text is None:
        return None
    front = split(path, text, diagnostics)
    if front is None:
        return None
    story = validate(path, path.stem, front, diagnostics)
    if story is None:
        return None
    rendered = render_story(md, story, labels, diagnostics)
    if rendered is not None and not diagnostics.errors:  # an editor's advice waits until the story is sound
        story_warnings(rendered, diagnostics, text)
    return rendered
