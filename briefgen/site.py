"""Assemble the site: which stories are published, their order, their tags.

A story is published unless it is a draft or dated after "now" (each can be
asked for); a published story is listed (home, tags, feeds) until it expires,
and keeps its page after. "Now" is given, never read here, so a build is
repeatable. This is the cheap, site-wide stage; it runs in full on every build,
over `StoryEntry` values: what a story contributes to the site as a whole, small
enough to keep for every story, so that no story's rendered text is needed here.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property
from pathlib import Path

from briefgen.config import SiteConfig
from briefgen.diagnostics import Diagnostics
from briefgen.model import Moment, Story
from briefgen.slug import slugify


@dataclass(frozen=True)
class StoryEntry:
    """What the site-wide stages need of one story: where it is listed, and under which key its
    rendered text is kept (see cache.py)."""

    path: Path
    key: str  # the story file's cache key
    slug: str
    date: Moment
    updated: Moment | None
    expires: Moment | None
    draft: bool
    tags: tuple[str, ...]
    slug_line: int  # where a URL collision is reported
    tags_line: int  # where a tag without letters is reported

    @property
    def last_changed(self) -> Moment:
        return self.updated or self.date


def entry_of(story: Story, key: str) -> StoryEntry:
    return StoryEntry(story.path, key, story.slug, story.date, story.updated, story.expires, story.draft,
                      story.tags, story.lines.get("slug", 1), story.lines.get("tags", 1))


@dataclass(frozen=True)
class Tag:
    name: str
    slug: str
    stories: tuple[StoryEntry, ...]  # newest first


@dataclass(frozen=True)
class Publishing:
    """Which stories a build publishes, judged against one moment."""

    now: datetime  # timezone-aware
    drafts: bool = False
    future: bool = False

    def publishes(self, story: StoryEntry) -> bool:
        return (self.drafts or not story.draft) and (self.future or story.date.instant <= self.now)

    def lists(self, story: StoryEntry) -> bool:
        return story.expires is None or story.expires.instant > self.now


@dataclass(frozen=True)
class Site:
    config: SiteConfig
    stories: tuple[StoryEntry, ...]  # every story with a page, newest first
    tags: tuple[Tag, ...]  # by name
    listed: tuple[StoryEntry, ...]  # those on the home page, tag pages and feeds: not expired

    def tags_of(self, names: tuple[str, ...]) -> tuple[Tag, ...]:
        """The tags a story names, as the site groups them (a tag of an unlisted story has none)."""
        slugs = (slugify(name) for name in names)
        return tuple(self._tags_by_slug[slug] for slug in slugs if slug in self._tags_by_slug)

    @cached_property
    def _tags_by_slug(self) -> dict[str, Tag]:
        """Built once per site, not once per story page (which made page planning grow with tags x stories)."""
        return {tag.slug: tag for tag in self.tags}


def assemble(config: SiteConfig, stories: list[StoryEntry], publishing: Publishing,
             diagnostics: Diagnostics) -> Site:
    published = [story for story in stories if publishing.publishes(story)]
    published.sort(key=lambda s: (s.date.instant, s.slug), reverse=True)
    listed = [story for story in published if publishing.lists(story)]
    return Site(config, tuple(published), _tags(listed, diagnostics), tuple(listed))


def _tags(stories: list[StoryEntry], diagnostics: Diagnostics) -> tuple[Tag, ...]:
    """Group tags by slug, so `North Korea` and `north korea` are one tag page."""
    members: dict[str, list[StoryEntry]] = {}
    spellings: dict[str, Counter[str]] = {}
    for story in stories:
        for name in story.tags:
            slug = slugify(name)
            if not slug:
                diagnostics.error(story.path, story.tags_line,
                                  f"the tag '{name}' has no letters or digits, so it cannot have a page",
                                  "use a tag with at least one letter or digit")
                continue
            members.setdefault(slug, []).append(story)
            spellings.setdefault(slug, Counter())[name] += 1
    tags = [Tag(_most_used(spellings[slug]), slug, tuple(members[slug])) for slug in members]
    return tuple(sorted(tags, key=lambda tag: (tag.name.casefold(), tag.slug)))


def _most_used(spellings: Counter[str]) -> str:
    return min(spellings, key=lambda name: (-spellings[name], name))
