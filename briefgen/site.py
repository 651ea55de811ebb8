"""Assemble the site: which stories are published, their order, their tags.

This is the cheap, site-wide stage; it runs in full on every build.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from briefgen.config import SiteConfig
from briefgen.diagnostics import Diagnostics
from briefgen.render import RenderedStory
from briefgen.slug import slugify


@dataclass(frozen=True)
class Tag:
    name: str
    slug: str
    stories: tuple[RenderedStory, ...]  # newest first


@dataclass(frozen=True)
class Site:
    config: SiteConfig
    stories: tuple[RenderedStory, ...]  # newest first
    tags: tuple[Tag, ...]  # by name

    def tags_of(self, story: RenderedStory) -> tuple[Tag, ...]:
        by_slug = {tag.slug: tag for tag in self.tags}
        return tuple(by_slug[slugify(name)] for name in story.story.tags if slugify(name) in by_slug)


def assemble(config: SiteConfig, stories: list[RenderedStory], include_drafts: bool,
             diagnostics: Diagnostics) -> Site:
    published = [story for story in stories if include_drafts or not story.story.draft]
    published.sort(key=lambda s: (s.story.date.instant, s.story.slug), reverse=True)
    return Site(config, tuple(published), _tags(published, diagnostics))


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
