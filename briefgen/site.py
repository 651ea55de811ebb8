"""Assemble the site: which stories are published, their order, their tags.

A story is published unless it is a draft or dated after "now" (each can be
asked for); a published story is listed (home, tags, feeds) until it expires,
and keeps its page after. "Now" is given, never read here, so a build is
repeatable. This is the cheap, site-wide stage; it runs in full on every build.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from functools import cached_property
from datetime import datetime

from briefgen.config import SiteConfig
from briefgen.diagnostics import Diagnostics
from briefgen.model import Story
from briefgen.render import RenderedStory
from briefgen.slug import slugify


@dataclass(frozen=True)
class Tag:
    name: str
    slug: str
    stories: tuple[RenderedStory, ...]  # newest first


@dataclass(frozen=True)
class Publishing:
    """Which stories a build publishes, judged against one moment."""

    now: datetime  # timezone-aware
    drafts: bool = False
    future: bool = False

    def publishes(self, story: Story) -> bool:
        return (self.drafts or not story.draft) and (self.future or story.date.instant <= self.now)

    def lists(self, story: Story) -> bool:
        return story.expires is None or story.expires.instant > self.now


@dataclass(frozen=True)
class Site:
    config: SiteConfig
    stories: tuple[RenderedStory, ...]  # every story with a page, newest first
    tags: tuple[Tag, ...]  # by name
    listed: tuple[RenderedStory, ...]  # those on the home page, tag pages and feeds: not expired

    def tags_of(self, story: RenderedStory) -> tuple[Tag, ...]:
        slugs = (slugify(name) for name in story.story.tags)
        return tuple(self._tags_by_slug[slug] for slug in slugs if slug in self._tags_by_slug)

    @cached_property
    def _tags_by_slug(self) -> dict[str, Tag]:
        """Built once per site, not once per story page (which made page planning grow with tags x stories)."""
        return {tag.slug: tag for tag in self.tags}


def assemble(config: SiteConfig, stories: list[RenderedStory], publishing: Publishing,
             diagnostics: Diagnostics) -> Site:
    published = [story for story in stories if publishing.publishes(story.story)]
    published.sort(key=lambda s: (s.story.date.instant, s.story.slug), reverse=True)
    listed = [story for story in published if publishing.lists(story.story)]
    return Site(config, tuple(published), _tags(listed, diagnostics), tuple(listed))


def _tags(stories: list[RenderedStory], diagnostics: Diagnostics) -> tuple[Tag, ...]:
    """Group tags by slug, so `North Korea` and `north korea` are one tag page."""
    members: dict[str, list[RenderedStory]] = {}
    spellings: dict[str, Counter[str]] = {}
    for rendered in stories:
        for name in rendered.story.tags:
            slug = slugify(name)
            if not slug:
                diagnostics.error(rendered.story.path, rendered.story.lines.get("tags", 1),
                                  f"the tag '{name}' has no letters or digits, so it cannot have a page",
                                  "use a tag with at least one letter or digit")
                continue
            members.setdefault(slug, []).append(rendered)
            spellings.setdefault(slug, Counter())[name] += 1
    tags = [Tag(_most_used(spellings[slug]), slug, tuple(members[slug])) for slug in members]
    return tuple(sorted(tags, key=lambda tag: (tag.name.casefold(), tag.slug)))


def _most_used(spellings: Counter[str]) -> str:
    return min(spellings, key=lambda name: (-spellings[name], name))
