"""A small site made of story entries alone, planned as a build plans it (no story is read)."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from briefgen.change.trace import digest
from briefgen.core.diagnostics import Diagnostics
from briefgen.core.model import Moment
from briefgen.core.urls import Linker
from briefgen.pages.plan import Page, plan_pages
from briefgen.pages.views import StoryViews
from briefgen.settings.config import SiteConfig
from briefgen.site.assemble import Publishing, Site, assemble
from briefgen.story.content import StoryFile, story_result
from briefgen.story.entry import StoryEntry
from briefgen.story.render import RenderedStory
from briefgen.story.store import StoryStore, shape_key, story_key

NOW = datetime(2024, 4, 1, tzinfo=timezone.utc)
CONFIG = SiteConfig(title="Harbour News", base_url="https://example.org/news/", per_page=2, feed_limit=2)


def entry(slug: str, day: int, tags: tuple[str, ...] = ("World",), **fields: Any) -> StoryEntry:
    return StoryEntry(Path(f"/site/content/{slug}.md"), f"key-{slug}", slug,
                      Moment(datetime(2024, 3, day, tzinfo=timezone.utc)), None, None, False, tags, 2, 5, **fields)


def plan(entries: list[StoryEntry], config: SiteConfig = CONFIG) -> tuple[list[Page], Diagnostics, Site]:
    diagnostics = Diagnostics()
    site = assemble(config, entries, Publishing(NOW), diagnostics)
    views = StoryViews(site, Linker(config.base_url, config.base_path), lambda _: None)
    return plan_pages(site, views, diagnostics), diagnostics, site


def by_path(pages: list[Page]) -> dict[str, Page]:
    return {page.path: page for page in pages}


def rendered(path: Path, text: str) -> RenderedStory:
    """A story file's rendered text, through the per-story chain and the store, as a build reads it."""
    data = text.encode()
    key = story_key(shape_key(CONFIG), path, digest(data))
    store = StoryStore()
    store.put(key, story_result(StoryFile(path, key, data), CONFIG.labels, CONFIG.unsafe_html))
    found = store.rendered(key)
    assert found is not None, "the story is valid"
    return found
