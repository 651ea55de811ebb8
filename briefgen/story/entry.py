"""What a story gives the site as a whole: a `StoryEntry`, small enough to keep for every story.

The site-wide stages (site/, pages/) work over entries alone; a story's rendered text
is read only for the pages that show it. The story store (store.py) keeps an entry
beside each rendered text, under the same key.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from urllib.parse import urlsplit

from briefgen.core.glyphs import drawable
from briefgen.core.model import Moment, Story
from briefgen.story.render import RenderedStory


@dataclass(frozen=True)
class StoryEntry:
    """What the site-wide stages need of one story: where it is listed, and under which key its
    rendered text is kept (see store.py)."""

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
    follows: str | None = None  # the slug of the story it follows up
    follows_line: int = 0
    cited: tuple[str, ...] = ()  # the outlets its sources name, each once, as written
    providers: tuple[str, ...] = ()  # the providers its narratives name, each once, as written
    cited_lines: tuple[int, ...] = ()  # where each of `cited` is first named
    provider_lines: tuple[int, ...] = ()  # where each of `providers` is first named
    links: tuple[tuple[str, int], ...] = ()  # links that may lead to a story of the site, with their lines
    wants_card: bool = False  # no image of its own, a title the share card's font can draw (pages/cards.py)

    @property
    def last_changed(self) -> Moment:
        return self.updated or self.date

    def placement(self) -> StoryEntry:
        """The entry as the site's plan reads it: without its key and what only the site-wide warnings read
        (links, the lines of its outlets), so an edit of its text alone leaves its placement as it was. A
        field added to the entry counts here unless it is left out by name."""
        return replace(self, key="", links=(), cited_lines=(), provider_lines=())


def entry_of(rendered: RenderedStory, key: str) -> StoryEntry:
    story = rendered.story
    cited = _first_lines((source.outlet, source.line) for source in story.sources)
    providers = _first_lines((n.provider, n.line) for n in story.narratives if n.provider)
    return StoryEntry(story.path, key, story.slug, story.date, story.updated, story.expires, story.draft,
                      story.tags, story.lines.get("slug", 1), story.lines.get("tags", 1), story.follows,
                      story.lines.get("follows", 0), tuple(cited), tuple(providers), tuple(cited.values()),
                      tuple(providers.values()), tuple(link for link in rendered.links if _may_name_a_story(link[0])),
                      wants_card(story))


def wants_card(story: Story) -> bool:
    """Whether the story's link previews want its share card: it names no image of its own, and the card's
    font can draw its title."""
    return not story.image and drawable(story.title)


def _first_lines(named: Iterable[tuple[str, int]]) -> dict[str, int]:
    first: dict[str, int] = {}
    for name, line in named:
        first.setdefault(name, line)
    return first


def _may_name_a_story(href: str) -> bool:
    """A path on this site, or a web address (it may be the site's own): not mail, not a fragment."""
    scheme = urlsplit(href).scheme
    return not href.startswith("#") and scheme in ("", "http", "https")
