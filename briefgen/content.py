"""Find the story files of a site and read each one into a RenderedStory.

`read_story` is the whole per-story chain (read, split, validate, render): it
depends on nothing but the file and the parser, so it can be cached or run in
parallel.
"""

from __future__ import annotations

from pathlib import Path

from markdown_it import MarkdownIt

from briefgen.config import Labels
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


def read_text(path: Path, diagnostics: Diagnostics) -> str | None:
    try:
        data = path.read_bytes()
    except OSError as error:
        diagnostics.error(path, 0, f"cannot read the file: {error.strerror}")
        return None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        diagnostics.error(path, line, f"the file is not UTF-8 text (byte 0x{data[error.start]:02x})",
                          "save it as UTF-8 in your editor (\"Save with encoding\")")
        return None


def read_story(path: Path, md: MarkdownIt, labels: Labels, diagnostics: Diagnostics) -> RenderedStory | None:
    text = read_text(path, diagnostics)
    if text is None:
        return None
    front = split(path, text, diagnostics)
    if front is None:
        return None
    story = validate(path, path.stem, front, diagnostics)
    if story is None:
        return None
    return render_story(md, story, labels, diagnostics)
