"""Find the story files of a site and read each one into a RenderedStory.

`story_from_bytes` is the whole per-story chain (decode, split, validate,
render): it depends on nothing but the file's bytes and the settings that shape
rendering, so its result can be cached and it can run in parallel.
"""

from __future__ import annotations

from pathlib import Path

from markdown_it import MarkdownIt

from briefgen.cache import StoryCache, StoryResult, shape_key, story_key
from briefgen.config import Labels, SiteConfig
from briefgen.diagnostics import Diagnostics
from briefgen.frontmatter import split
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


def read_story(path: Path, md: MarkdownIt, config: SiteConfig, diagnostics: Diagnostics,
               cache: StoryCache | None = None) -> RenderedStory | None:
    """A story file's rendered result: from the cache when neither it nor its shaping settings changed."""
    data = read_bytes(path, diagnostics)
    if data is None:
        return None
    if cache is None:
        return story_from_bytes(path, data, md, config.labels, diagnostics)
    key = story_key(data, shape_key(config))
    result = cache.get(path, key)
    if result is None:
        found = Diagnostics()
        story = story_from_bytes(path, data, md, config.labels, found)
        result = StoryResult(story, tuple(found.items))
        cache.put(path, key, result)
    diagnostics.extend(list(result.diagnostics))
    return result.story


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
