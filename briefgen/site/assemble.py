"""Assemble the site: which stories are published, their order, their tags.

A story is published unless it is a draft or dated after "now" (each can be
asked for); a published story is listed (home, tags, feeds) until it expires,
and keeps its page after. "Now" is given, never read here, so a build is
repeatable. This is the cheap, site-wide stage; it runs in full on every build,
over `StoryEntry` values: what a story contributes to the site as a whole, small
enough to keep for every story, so that no story's rendered text is needed here.
"""

from __future__ import annotations

import heapq
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property

from briefgen.core.diagnostics import Diagnostics, display_path
from briefgen.core.model import HeldBack
from briefgen.core.slug import slugify
from briefgen.settings.config import SiteConfig, did_you_mean
from briefgen.settings.outlets import NO_REGISTRY, Outlet, Registry
from briefgen.story.entry import StoryEntry

RELATED = 3  # related stories shown on a story page
# A story page of a long thread shows a window of it: its first story, THREAD_AROUND stories on each
# side of this one, and its latest; the whole thread is on a page of its own (so a 5,000-story thread
# is not written 5,000 times over). A thread no longer than a window (THREAD_WHOLE) shows whole.
THREAD_AROUND = 3
THREAD_WHOLE = 2 * THREAD_AROUND + 3  # the first, 3 before, this one, 3 after, the latest: 9 stories
CANDIDATES_PER_TAG = 20  # of each shared tag's newest stories, the ones weighed as related: 0.08 ms a story


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

    def held_back(self, stories: list[StoryEntry]) -> HeldBack:
        """The stories this build leaves out, so that a writer is told why a story is missing."""
        drafts = sum(1 for story in stories if story.draft and not self.drafts)
        waiting = [story.date.instant for story in stories
                   if (self.drafts or not story.draft) and not self.future and story.date.instant > self.now]
        return HeldBack(drafts, len(waiting), min(waiting, default=None))


@dataclass(frozen=True)
class OutletGroup:
    """A registered outlet and the published stories that cite it or carry a narrative it provides."""

    outlet: Outlet
    citing: tuple[StoryEntry, ...]  # newest first
    providing: tuple[StoryEntry, ...]  # newest first

    @property
    def stories(self) -> tuple[StoryEntry, ...]:
        """Every story that shows the outlet, newest first, each once."""
        return tuple(_newest_first({story.path: story for story in (*self.citing, *self.providing)}.values()))


@dataclass(frozen=True)
class Site:
    config: SiteConfig
    stories: tuple[StoryEntry, ...]  # every story with a page, newest first
    tags: tuple[Tag, ...]  # by name
    listed: tuple[StoryEntry, ...]  # those on the home page, tag pages and feeds: not expired
    registry: Registry = NO_REGISTRY
    outlets: tuple[OutletGroup, ...] = ()  # the registry's outlets, in its order
    threads: dict[str, tuple[StoryEntry, ...]] = field(default_factory=dict)  # slug -> its thread, oldest first
    followers: dict[str, tuple[StoryEntry, ...]] = field(default_factory=dict)  # slug -> stories following it up
    scheduled: frozenset[str] = frozenset()  # slugs of the stories shown before their date (-F), marked so

    def related(self, story: StoryEntry) -> tuple[StoryEntry, ...]:
        """Up to three listed stories sharing the story's tags, each shared tag weighing 1 / its story
        count (rarer tags more); never one of its thread. Only each tag's newest CANDIDATES_PER_TAG
        stories are weighed, so a tag on thousands of stories costs no more than a rare one; the
        result is the same on every build."""
        tags = self.tags_of(story.tags)
        if not tags:
            return ()
        thread = self._thread_of(story.slug)
        scores: dict[str, float] = {}
        candidates: dict[str, tuple[StoryEntry, datetime]] = {}
        for tag in tags:
            weight, newest = self._candidates[tag.slug]
            for slug, candidate in newest:
                if slug != story.slug and (thread is None or self._thread_of(slug) != thread):
                    scores[slug] = scores.get(slug, 0.0) + weight
                    candidates[slug] = candidate
        # The highest scores; among equals, the order of every list: newest first, then by slug backwards.
        ranked = heapq.nlargest(RELATED, [(score, candidates[slug][1], slug) for slug, score in scores.items()])
        return tuple(candidates[slug][0] for _, _, slug in ranked)

    @cached_property
    def _candidates(self) -> dict[str, tuple[float, list[tuple[str, tuple[StoryEntry, datetime]]]]]:
        """Each tag's weight and newest CANDIDATES_PER_TAG stories (slug, story, instant): once per site,
        not once per story naming the tag."""
        return {tag.slug: (1 / len(tag.stories), [(entry.slug, (entry, entry.date.instant))
                                                  for entry in tag.stories[:CANDIDATES_PER_TAG]])
                for tag in self.tags}

    def thread_window(self, story: StoryEntry) -> tuple[range, ...]:
        """The runs of positions (oldest first) the story's page shows of its thread: see `window`."""
        thread = self.threads.get(story.slug, ())
        return window(len(thread), self._thread_positions.get(story.slug, 0)) if thread else ()

    def long_threads(self) -> list[tuple[StoryEntry, ...]]:
        """The threads too long to show whole on a story page, each once, by their first story's slug."""
        firsts = {thread[0].slug: thread for thread in self.threads.values() if has_page(len(thread))}
        return [firsts[slug] for slug in sorted(firsts)]

    def _thread_of(self, slug: str) -> str | None:
        """The slug of the first story of the story's thread; None if it is in none."""
        thread = self.threads.get(slug)
        return thread[0].slug if thread else None

    @cached_property
    def _thread_positions(self) -> dict[str, int]:
        """Each threaded story's place in its thread, found once per site (not once per story page)."""
        positions: dict[str, int] = {}
        for slug, thread in self.threads.items():
            if slug not in positions:
                positions.update((member.slug, index) for index, member in enumerate(thread))
        return positions

    def tags_of(self, names: tuple[str, ...]) -> tuple[Tag, ...]:
        """The tags a story names, as the site groups them (a tag of an unlisted story has none)."""
        slugs = (slugify(name) for name in names)
        return tuple(self._tags_by_slug[slug] for slug in slugs if slug in self._tags_by_slug)

    @cached_property
    def _tags_by_slug(self) -> dict[str, Tag]:
        """Built once per site, not once per story page (which made page planning grow with tags x stories)."""
        return {tag.slug: tag for tag in self.tags}


def assemble(config: SiteConfig, stories: list[StoryEntry], publishing: Publishing,
             diagnostics: Diagnostics, registry: Registry = NO_REGISTRY) -> Site:
    published = _newest_first(story for story in stories if publishing.publishes(story))
    listed = [story for story in published if publishing.lists(story)]
    _check_follows(stories, diagnostics)
    threads, followers = _threads(published)
    scheduled = frozenset(story.slug for story in published if story.date.instant > publishing.now)
    return Site(config, tuple(published), _tags(listed, diagnostics), tuple(listed), registry,
                _outlet_groups(registry, published), threads, followers, scheduled)


def _newest_first(stories: Iterable[StoryEntry]) -> list[StoryEntry]:
    """The order of every list of stories: newest first, then by slug backwards."""
    return sorted(stories, key=lambda story: (story.date.instant, story.slug), reverse=True)


def _check_follows(stories: list[StoryEntry], diagnostics: Diagnostics) -> None:
    """Each `follows:` must name a story (published or not), and following may not go round in a circle."""
    by_slug = {story.slug: story for story in stories}
    for story in stories:
        if story.follows is not None and story.follows not in by_slug:
            diagnostics.error(story.path, story.follows_line, f"'follows' names no story '{story.follows}'",
                              f"{did_you_mean(story.follows, sorted(by_slug), 'slugs')} "
                              "It takes the slug of the earlier story.", "unknown-follows")
    done: set[str] = set()  # slugs whose chain of `follows:` is known to end, or already reported
    for story in stories:
        chain: list[StoryEntry] = []
        on_chain: set[str] = set()
        current: StoryEntry | None = story
        while current is not None and current.slug not in done and current.slug not in on_chain:
            chain.append(current)
            on_chain.add(current.slug)
            current = by_slug.get(current.follows) if current.follows is not None else None
        done.update(on_chain)
        if current is not None and current.slug in on_chain:
            _report_circle(chain[chain.index(current):], diagnostics)


def _report_circle(circle: list[StoryEntry], diagnostics: Diagnostics) -> None:
    first = min(circle, key=lambda member: str(member.path))
    if len(circle) == 1:
        diagnostics.error(first.path, first.follows_line, "the story follows itself",
                          "`follows:` takes the slug of an earlier story", "follows-cycle")
        return
    names = " → ".join(display_path(member.path) for member in (*circle, circle[0]))
    diagnostics.error(first.path, first.follows_line, f"these stories follow each other in a circle: {names}",
                      "a thread needs a first story: remove `follows:` from the one that came first", "follows-cycle")


def _threads(published: list[StoryEntry]) -> tuple[dict[str, tuple[StoryEntry, ...]],
                                                     dict[str, tuple[StoryEntry, ...]]]:
    """Each published story's thread (every story linked to it by `follows:`, oldest first) and the
    stories that follow each one up directly."""
    by_slug = {story.slug: story for story in published}
    followers: dict[str, list[StoryEntry]] = {}
    root: dict[str, str] = {}

    def find(slug: str) -> str:
        top = slug
        while root.get(top, top) != top:
            top = root[top]
        while slug != top:  # every slug on the way now points at the top: later finds take one step
            root[slug], slug = top, root[slug]
        return top

    for story in published:
        if story.follows in by_slug and story.follows != story.slug:
            followers.setdefault(story.follows, []).append(story)
            a, b = find(story.slug), find(story.follows)
            if a != b:
                root[a] = b
    members: dict[str, list[StoryEntry]] = {}
    for story in published:
        members.setdefault(find(story.slug), []).append(story)
    threads: dict[str, tuple[StoryEntry, ...]] = {}
    for group in members.values():
        if len(group) > 1:
            ordered = tuple(reversed(_newest_first(group)))
            threads.update({story.slug: ordered for story in group})
    return threads, {slug: tuple(reversed(_newest_first(group))) for slug, group in followers.items()}


def has_page(length: int) -> bool:
    """Whether a thread of `length` stories has a page of its own: when it is too long to show whole."""
    return length > THREAD_WHOLE


def window(length: int, position: int) -> tuple[range, ...]:
    """The runs of positions a page shows of a thread `length` stories long, for the story at
    `position`: all of it if it is THREAD_WHOLE stories or fewer; else the first, THREAD_AROUND on
    each side of `position`, and the last. A single story between two runs is shown rather than left
    out, so every gap leaves out two stories or more. Costs the same however long the thread."""
    if not has_page(length):
        return (range(length),)
    near = range(max(0, position - THREAD_AROUND), min(length, position + THREAD_AROUND + 1))
    wanted = sorted({0, length - 1, *near})
    runs: list[range] = []
    for index in wanted:
        if runs and index - runs[-1].stop <= 1:
            runs[-1] = range(runs[-1].start, index + 1)
        else:
            runs.append(range(index, index + 1))
    return tuple(runs)


def _outlet_groups(registry: Registry, published: list[StoryEntry]) -> tuple[OutletGroup, ...]:
    citing: dict[str, list[StoryEntry]] = {}
    providing: dict[str, list[StoryEntry]] = {}
    for story in published:  # newest first
        for found in {outlet.id for outlet in map(registry.resolve, story.cited) if outlet is not None}:
            citing.setdefault(found, []).append(story)
        for found in {outlet.id for outlet in map(registry.resolve, story.providers) if outlet is not None}:
            providing.setdefault(found, []).append(story)
    return tuple(OutletGroup(outlet, tuple(citing.get(outlet.id, ())), tuple(providing.get(outlet.id, ())))
                 for outlet in registry.outlets)


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
                                  "use a tag with at least one letter or digit", "bad-value")
                continue
            members.setdefault(slug, []).append(story)
            spellings.setdefault(slug, Counter())[name] += 1
    tags = [Tag(_most_used(spellings[slug]), slug, tuple(members[slug])) for slug in members]
    return tuple(sorted(tags, key=lambda tag: (tag.name.casefold(), tag.slug)))


def _most_used(spellings: Counter[str]) -> str:
    return min(spellings, key=lambda name: (-spellings[name], name))
