"""The content model: a story as typed, immutable values.

These are what the validate stage produces from front matter; every later
stage reads them and none changes them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any

from briefgen.core.diagnostics import plural


@dataclass(frozen=True, order=True)
class Moment:
    """A publication time: a plain date, or a datetime with a UTC offset."""

    instant: datetime  # always timezone-aware; midnight UTC for a plain date
    has_time: bool = False

    @classmethod
    def from_date(cls, day: date) -> Moment:
        return cls(datetime(day.year, day.month, day.day, tzinfo=timezone.utc), False)

    @property
    def day(self) -> date:
        return self.instant.date()

    def iso(self) -> str:
        """RFC 3339, as Atom and sitemaps want it: a plain date at midnight UTC."""
        if not self.has_time:
            return self.instant.strftime("%Y-%m-%dT%H:%M:%SZ")
        return self.instant.isoformat()

    def html_value(self) -> str:
        """The value of a <time datetime> attribute."""
        return self.instant.isoformat() if self.has_time else self.day.isoformat()


@dataclass(frozen=True)
class Author:
    name: str
    url: str | None = None


@dataclass(frozen=True)
class Source:
    id: str
    outlet: str
    line: int
    title: str | None = None
    url: str | None = None
    author: str | None = None
    date: Moment | None = None
    paywall: bool = False


@dataclass(frozen=True)
class Fact:
    text: str  # inline Markdown; may carry its own [^id] references
    sources: tuple[str, ...]  # ids cited after the text
    line: int


@dataclass(frozen=True)
class Narrative:
    label: str
    provider: str | None
    url: str | None
    text: str  # Markdown
    line: int


@dataclass(frozen=True)
class Contra:
    text: str  # Markdown
    sources: tuple[str, ...]
    line: int


@dataclass(frozen=True)
class Correction:
    date: Moment
    text: str  # inline Markdown
    line: int


KINDS_OF_WORK = ("news", "analysis", "opinion", "explainer")  # the Trust Project's "type of work"


@dataclass(frozen=True)
class Story:
    path: Path
    slug: str
    title: str
    date: Moment
    summary: str  # inline Markdown
    facts: tuple[Fact, ...]
    body: str  # Markdown
    body_line: int  # the file's line on which the body starts
    updated: Moment | None = None
    expires: Moment | None = None  # from then on the story leaves lists and feeds; its page stays
    tags: tuple[str, ...] = ()
    authors: tuple[Author, ...] = ()
    dateline: str | None = None
    language: str | None = None  # the story's own language tag, when it is written in another than the site's
    draft: bool = False
    sources: tuple[Source, ...] = ()
    narratives: tuple[Narrative, ...] = ()
    contra: Contra | None = None
    credit: str | None = None
    image: str | None = None  # for link previews: an http(s) address, or a path on the site ("/img/a.jpg")
    image_alt: str | None = None  # what the image shows; the title stands in for it
    extra: dict[str, Any] = field(default_factory=dict)
    lines: dict[str, int] = field(default_factory=dict)  # top-level key -> line
    broken_sources: frozenset[str] = frozenset()  # ids of sources with errors already reported: citing one is fine
    corrections: tuple[Correction, ...] = ()  # oldest first
    follows: str | None = None  # the slug of the earlier story this one follows up
    kind: str = "news"  # one of KINDS_OF_WORK

    @property
    def last_changed(self) -> Moment:
        return self.updated or self.date


@dataclass(frozen=True)
class HeldBack:
    """The stories a build leaves out: drafts (without -D) and those dated later (without -F)."""

    drafts: int = 0
    future: int = 0
    next_date: datetime | None = None  # the earliest date among those dated later

    def notes(self) -> list[str]:
        """What to tell a writer of the stories left out, and how to include them."""
        said = []
        if self.drafts:
            said.append(f"{plural(self.drafts, 'draft is', 'drafts are')} left out: -D (--drafts) includes "
                        f"{'it' if self.drafts == 1 else 'them'}")
        if self.future:
            first = f"{self.next_date.astimezone(timezone.utc):%Y-%m-%d %H:%M} UTC" if self.next_date else ""
            when = f" ({'' if self.future == 1 else 'the first on '}{first})" if first else ""
            said.append(f"{plural(self.future, 'story is', 'stories are')} dated later{when} and left out until "
                        f"then: -F (--future) includes {'it' if self.future == 1 else 'them'}")
        return said
