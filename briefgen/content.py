"""Find the story files of a site and read each one into a RenderedStory.

`story_from_bytes` is the whole per-story chain (decode, split, validate,
render): it depends on nothing but the file's bytes and the settings that shape
rendering, so its result can be cached and it can run in parallel.
`read_stories` does that for a whole site: files whose key is in the cache are
not parsed again, the others are spread over the machine's cores.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from markdown_it import MarkdownIt

from briefgen.cache import StoryCache, StoryResult, shape_key, story_key
from briefgen.config import Labels, SiteConfig
from briefgen.diagnostics import Diagnostics
from briefgen.frontmatter import split
from briefgen.markdown import make_parser
from briefgen.pool import parallel_map
from briefgen.progress import SILENT, Progress
from briefgen.render import RenderedStory, render_story
from briefgen.validate import validate

CONTENT_DIR = "content"


def discover(content_dir: Path) -> list[Path]:
    """Every story file below ``content_dir``, in a stable order; hidden files and folders are skipped,
    and so are folders that are symbolic links (as `rglob` does)."""
    found: list[Path] = []
    for folder, subfolders, names in os.walk(content_dir):
        subfolders[:] = [name for name in subfolders if not name.startswith(".")]
        found.extend(path for name in names if name.endswith(".md") and not name.startswith(".")
                     and (path := Path(folder, name)).is_file())
    return sorted(found)


def read_bytes(path: Path, diagnostics: Diagnostics) -> bytes | None:
    try:
        return path.read_bytes()
    except OSError as error:
        diagnostics.error(path, 0, f"cannot read the file: {error.strerror}",
                          "check that the file exists and that you may read it")
        return None


def decode(path: Path, data: bytes, diagnostics: Diagnostics) -> str | None:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        diagnostics.error(path, line, f"the file is not UTF-8 text (byte 0x{data[error.start]:02x})",
                          "save it as UTF-8 in your editor (\"Save with encoding\")")
        return None


@dataclass(frozen=True)
class StoryFile:
    path: Path
    data: bytes
    key: str  # of the bytes and of what shapes their rendering


FileStamp = tuple[int, int, int, int]  # st_mtime_ns, st_size, st_ino, st_dev


@dataclass(frozen=True)
class _Known:
    stamp: FileStamp | None  # taken before reading; None (never matches) when stat failed
    shape: str
    where: Path  # the path as the watcher names it: its folder resolved
    file: StoryFile


class KnownFiles:
    """Story files read by an earlier build, each with its stamp (mtime, size, inode) taken before reading.

    `serve` keeps one: a file not reported changed since and with the same stamp is not
    read and hashed again. The stamp alone is not trusted for a reported file: a save
    within the clock's granularity can keep it, so `forget` drops what the watcher reports.
    """

    def __init__(self) -> None:
        self._known: dict[Path, _Known] = {}

    def forget(self, changed: Path) -> None:
        """Read `changed` (an absolute, resolved path) again next time, and all below it if it is a folder."""
        for path, known in list(self._known.items()):
            if known.where.is_relative_to(changed):
                del self._known[path]

    def read(self, paths: list[Path], shape: str, diagnostics: Diagnostics) -> list[StoryFile]:
        """Like read_files; remembers exactly the files read now, so deleted ones are dropped."""
        kept: dict[Path, _Known] = {}
        for path in paths:
            stamp = file_stamp(path)
            known = self._known.get(path)
            if stamp is None or known is None or (known.stamp, known.shape) != (stamp, shape):
                file = read_file(path, shape, diagnostics)
                if file is None:
                    continue
                known = _Known(stamp, shape, path.parent.resolve() / path.name, file)
            kept[path] = known
        self._known = kept
        return [known.file for known in kept.values()]


def file_stamp(path: Path) -> FileStamp | None:
    try:
        status = path.stat()
    except OSError:
        return None
    return status.st_mtime_ns, status.st_size, status.st_ino, status.st_dev


def read_file(path: Path, shape: str, diagnostics: Diagnostics) -> StoryFile | None:
    data = read_bytes(path, diagnostics)
    return None if data is None else StoryFile(path, data, story_key(data, shape))


def read_files(paths: list[Path], config: SiteConfig, diagnostics: Diagnostics,
               known: KnownFiles | None = None) -> list[StoryFile]:
    """Every readable story file's bytes and cache key; an unreadable one is an error.

    With `known`, files unchanged since it last read them are taken from it.
    """
    shape = shape_key(config)
    if known is not None:
        return known.read(paths, shape, diagnostics)
    return [file for path in paths if (file := read_file(path, shape, diagnostics)) is not None]


def read_stories(files: list[StoryFile], config: SiteConfig, diagnostics: Diagnostics,
                 cache: StoryCache | None = None, jobs: int = 0,
                 progress: Progress = SILENT) -> list[RenderedStory]:
    """Each file's rendered story, in order: from the cache if there, else parsed (in parallel)."""
    cached = {file.path: result for file in files
              if cache is not None and (result := cache.get(file.path, file.key)) is not None}
    missing = [file for file in files if file.path not in cached]
    progress.start("stories", len(missing))
    fresh = parallel_map(partial(story_result, labels=config.labels, unsafe_html=config.unsafe_html),
                         missing, jobs, progress.advance)
    progress.finish()
    for file, result in zip(missing, fresh):
        cached[file.path] = result
        if cache is not None:
            cache.put(file.path, file.key, result)
    stories: list[RenderedStory] = []
    for file in files:
        result = cached[file.path]
        diagnostics.extend(list(result.diagnostics))
        if result.story is not None:
            stories.append(result.story)
    return stories


def story_result(file: StoryFile, labels: Labels, unsafe_html: bool) -> StoryResult:
    """One story's rendered result and problems, as a value to cache or send between processes."""
    found = Diagnostics()
    story = story_from_bytes(file.path, file.data, parser(unsafe_html), labels, found)
    return StoryResult(story, tuple(found.items))


_parsers: dict[bool, MarkdownIt] = {}


def parser(unsafe_html: bool) -> MarkdownIt:
    """The Markdown parser, built once per process and raw-HTML policy (building one per story is slow)."""
    if unsafe_html not in _parsers:
        _parsers[unsafe_html] = make_parser(unsafe_html)
    return _parsers[unsafe_html]


def story_from_bytes(path: Path, data: bytes, md: MarkdownIt, labels: Labels,
                     diagnostics: Diagnostics) -> RenderedStory | None:
    """The whole per-story chain: decode, split, validate, render."""
    text = decode(path, data, diagnostics)
    if text is None:
        return None
    front = split(path, text, diagnostics)
    if front is None:
        return None
    story = validate(path, path.stem, front, diagnostics)
    if story is None:
        return None
    return render_story(md, story, labels, diagnostics)
