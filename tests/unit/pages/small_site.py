"""A small site made of story entries alone, planned as a build plans it (no story is read)."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from briefgen.change.keys import digest
from briefgen.core.diagnostics import Diagnostics
from briefgen.core.model import Moment
from briefgen.core.urls import Linker
from briefgen.pages.plan import Page, plan_pages
from briefgen.pages.views import StorySetting, StoryViews
from briefgen.settings.config import SiteConfig
from briefgen.site.assemble import Publishing, Site, assemble
from briefgen.story.content import StoryFile, shape_key, story_key, story_result, story_shape
from briefgen.story.entry import StoryEntry
from briefgen.story.render import RenderedStory
from briefgen.story.store import StoryStore

NOW = datetime(2024, 4, 1, tzinfo=timezone.utc)
CONFIG = SiteConfig(title="Harbour News", base_url="https://example.org/news/", per_page=2, feed_limit=2)


def entry(slug: str, day: int, tags: tuple[str, ...] = ("World",), **fields: Any) -> StoryEntry:
    """A story's entry as its file would give it; with no image, it wants a share card."""
    fields.setdefault("wants_card", True)
    return StoryEntry(Path(f"/site/content/{slug}.md"), f"key-{slug}", slug,
                      Moment(datetime(2024, 3, day, tzinfo=timezone.utc)), None, None, False, tags, 2, 5, **fields)


def plan(entries: list[StoryEntry], config: SiteConfig = CONFIG) -> tuple[list[Page], Diagnostics, Site]:
    diagnostics = Diagnostics()
    site = assemble(config, entries, Publishing(NOW), diagnostics)
    views = StoryViews(site, Linker(config.base_url, config.base_path), lambda _: None)
    return plan_pages(site, views, diagnostics), diagnostics, site


def setting_of(site: Site, slug: str) -> StorySetting:
    """What a story's view is made from besides its text, as a build gives it."""
    views = StoryViews(site, Linker(site.config.base_url, site.config.base_path), lambda _: None)
    return views.setting(next(story for story in site.stories if story.slug == slug))


def by_path(pages: list[Page]) -> dict[str, Page]:
    return {page.path: page for page in pages}


def rendered(path: Path, text: str) -> RenderedStory:
    """A story file's rendered text, through the per-story chain and the store, as a build reads it."""
    data = text.encode()
    key = story_key(shape_key(story_shape(CONFIG)), path, digest(data))
    store = StoryStore()
    store.put(key, story_result(StoryFile(path, key, data), story_shape(CONFIG)))
    found = store.rendered(key)
    assert found is not None, "the story is valid"
    return found
