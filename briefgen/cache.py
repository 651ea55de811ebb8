"""Remember each story's rendered result, keyed by its bytes and by what shapes it.

A story's Markdown-to-HTML result depends only on its own file and on the
settings that shape rendering (labels, raw-HTML policy, briefgen's version), so
that is all its key holds. Everything site-wide is re-assembled on every build.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from briefgen import __version__
from briefgen.config import SiteConfig
from briefgen.diagnostics import Diagnostic
from briefgen.render import RenderedStory


@dataclass(frozen=True)
class StoryResult:
    story: RenderedStory | None  # None when the story has errors
    diagnostics: tuple[Diagnostic, ...]


def shape_key(config: SiteConfig) -> str:
    """What, besides a story's own bytes, decides its rendered result."""
    return f"{__version__}|{config.labels!r}|{config.unsafe_html}"


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
