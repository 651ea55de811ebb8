"""Find the story files of a site and read each one into a RenderedStory.

`story_from_bytes` is the whole per-story chain (decode, split, validate,
render): it depends on nothing but the file's bytes and the settings that shape
rendering, so its result can be cached and it can run in parallel.
`read_stories` does that for a whole site: files whose key is in the cache are
not parsed again, the others are spread over the machine's cores.
"""

from __future__ import annotations

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
    """Every story file below ``content_dir``, in a stable order; hidden files are skipped."""
    return sorted(path for path in content_dir.rglob("*.md")
                  if path.is_file() and not any(part.startswith(".") for part in
                                                path.relative_to(content_dir).parts))


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


def read_files(paths: list[Path], config: SiteConfig, diagnostics: Diagnostics) -> list[StoryFile]:
    """Every readable story file's bytes and cache key; an unreadable one is an error."""
    shape = shape_key(config)
    return [StoryFile(path, data, story_key(data, shape)) for path in paths
            if (data := read_bytes(path, diagnostics)) is not None]


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


def read_story(path: Path, md: MarkdownIt, config: SiteConfig, diagnostics: Diagnostics) -> RenderedStory | None:
    """One story file's rendered result, read on its own."""
    data = read_bytes(path, diagnostics)
    return None if data is None else story_from_bytes(path, data, md, config.labels, diagnostics)


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
