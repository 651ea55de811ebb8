"""What templates see: flat, ready-to-print values, and nothing else.

Templates never receive internal objects, so the model can change without breaking
a theme, and a theme cannot reach into the build. themes/default/README.md lists
what each template receives; views.py builds these values from the site.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup

from briefgen.settings import i18n
from briefgen.settings.config import Labels
from briefgen.story.render import Heading


@dataclass(frozen=True)
class DateView:
    iso: str  # RFC 3339, for feeds, sitemaps and metadata
    html: str  # for <time datetime>
    display: str  # "25 March 2024", "25 mars 2024": in the site's language, the same on every machine
    utc: str  # RFC 3339 in UTC: compares in time order, e.g. a feed's latest change


@dataclass(frozen=True)
class Link:
    text: str
    url: str


@dataclass(frozen=True)
class ImageView:
    """An image as link previews and JSON-LD show it."""

    url: str  # absolute
    alt: str
    width: int | None = None  # in pixels, when known
    height: int | None = None


@dataclass(frozen=True)
class Branding:
    """The site's images: the preview of a page without its own, and the publisher's logo."""

    image: ImageView | None = None  # the site's `image:`, else the theme's card.png
    logo: ImageView | None = None  # the theme's logo.png; a site's assets/logo.png replaces it


@dataclass(frozen=True)
class TagView:
    name: str
    slug: str
    url: str
    feed_url: str
    json_feed_url: str
    count: int


@dataclass(frozen=True)
class BackrefView:
    """One back-link, as a run of them reads: "Key Facts 2 3, Contra" (`lead`, then `shown`)."""

    href: str
    name: str  # accessible name, distinct for each back-link
    section: str  # where the citation stands: "Key Facts"
    shown: str  # the section's name for its first citation, then 2, 3...
    lead: str  # what comes before it: nothing, a space within a section, a comma before the next


@dataclass(frozen=True)
class OutletRef:
    """A registered outlet as a story shows it beside a source or a narrative."""

    name: str
    url: str  # its page on the site
    kind: str | None  # in words: "state media"
    country: str | None  # the country's name
    about: str | None


@dataclass(frozen=True)
class SourceView:
    number: int
    anchor: str
    outlet: str
    title: str | None
    url: str | None
    author: str | None
    date: DateView | None
    paywall: bool
    backrefs: tuple[BackrefView, ...]
    registered: OutletRef | None = None


@dataclass(frozen=True)
class FactView:
    html: Markup
    single_outlet: str | None  # the outlet's name, when every source the fact cites is from one outlet
    outlets: int = 0  # how many distinct outlets its sources are from


@dataclass(frozen=True)
class CoverageSegment:
    kind: str  # an outlet kind of the registry (outlets.KINDS), or "unknown": not in it, or without a kind
    label: str  # "2 wires"
    start: str  # where its part of the bar begins, in percent
    width: str  # its part: the share of the story's outlets of this kind, in percent


@dataclass(frozen=True)
class CoverageView:
    """Who reported it, at a glance: the story's outlets by kind as a bar, and the same in words."""

    summary: str  # "5 sources from 4 outlets in 3 countries"
    segments: tuple[CoverageSegment, ...]
    countries: str | None  # "Japan 2, China 1, United States 1", as far as the registry knows them


@dataclass(frozen=True)
class CorrectionView:
    date: DateView
    html: Markup


@dataclass(frozen=True)
class NoteView:
    number: int
    anchor: str
    html: Markup
    backrefs: tuple[BackrefView, ...]


@dataclass(frozen=True)
class TocEntry:
    text: str
    href: str
    level: int  # 2 for the page's sections and the body's h2, 3 and 4 below them


@dataclass(frozen=True)
class NarrativeView:
    label: str
    provider: str | None
    url: str | None
    html: Markup
    registered: OutletRef | None = None  # the provider, if the registry knows it


@dataclass(frozen=True)
class StoryView:
    slug: str
    title: str
    url: str
    permalink: str
    date: DateView
    updated: DateView | None
    last_changed: DateView
    dateline: str | None
    language: str | None  # the story's own language tag, when it is not the site's: its text's `lang`
    authors: tuple[Link, ...]
    tags: tuple[TagView, ...]
    kind: str  # news, analysis, opinion or explainer
    kind_label: str  # "Analysis"
    corrections: tuple[CorrectionView, ...]
    summary_html: Markup
    summary_text: str
    description: str
    lede: str  # the summary's first whole sentences, for lists
    facts: tuple[FactView, ...]
    facts_note: str | None  # said once, when every fact rests on a single outlet (the facts then say nothing)
    narratives: tuple[NarrativeView, ...]
    contra_html: Markup | None
    body_html: Markup
    headings: tuple[Heading, ...]
    toc: tuple[TocEntry, ...]  # empty for short stories
    sources: tuple[SourceView, ...]
    source_mix: str | None  # "5 sources from 4 outlets in 3 countries: 1 wire, 2 newspapers, 1 state media"
    concentration: str | None  # "10 of 14 citations are from Forbes", when one outlet has most of them
    coverage: CoverageView | None  # with an outlet registry: the story's outlets by kind and country
    notes: tuple[NoteView, ...]
    credit: str | None
    image: str | None  # absolute URL, for link previews
    preview: ImageView | None  # what link previews show: the story's image, else the site's
    reading_minutes: int
    draft: bool
    scheduled: bool  # shown before its date (-F)
    json_ld: Markup
    # Changes whenever any field above may change: see story_fingerprint. Pages are keyed by it.
    fingerprint: str = field(default="", compare=False)


@dataclass(frozen=True)
class ThreadRun:
    """Stories of a thread that a story page shows one after another: `thread[offset:offset + count]`,
    numbered from `start` (their place in the thread, from 1), after `skipped` stories left out."""

    offset: int
    count: int
    start: int
    skipped: int


@dataclass(frozen=True)
class ThreadView:
    """A thread with a page of its own: where it is, and how many stories it holds."""

    url: str
    count: int


@dataclass(frozen=True)
class PageMeta:
    kind: str  # home, story, tag, tags, thread, outlet, outlets, 404
    title: str
    description: str
    canonical: str
    feed_url: str
    json_feed_url: str
    feed_title: str
    image: ImageView | None = None  # for link previews


@dataclass(frozen=True)
class EditionView:
    """A day's edition, as its page, the list of editions and the editions' feed show it."""

    iso: str  # 2024-03-25
    display: str  # "25 March 2024", in the site's language
    title: str  # "Edition of 25 March 2024"
    url: str
    permalink: str
    email_url: str  # the email twin (email.html), absolute
    count: int  # stories in it
    start: int = 0  # in the editions' feed, where its stories begin in the feed's list of stories


@dataclass(frozen=True)
class Pagination:
    number: int
    total: int
    newer_url: str | None
    older_url: str | None


@dataclass(frozen=True)
class SiteView:
    title: str
    description: str
    language: str
    base_url: str
    home_url: str
    tags_url: str
    feed_url: str
    json_feed_url: str
    outlets_url: str  # empty when the site has no outlet registry
    editions_url: str  # empty unless `editions: true`
    labels: Labels
    search_bundle: str  # where Pagefind's files are, e.g. "/pagefind/"; empty when search is off
    locale: str  # for og:locale: "en_US"
    twitter: str  # the site's @handle; empty if none
    image: ImageView | None  # link previews of pages without their own image

    def text(self, key: str, **values: Any) -> Markup:
        """A label with its placeholders filled, for a page: `site.text("reading_time", minutes=4)`."""
        return i18n.fill_markup(getattr(self.labels, key), **values)

    def count(self, key: str, number: int, **values: Any) -> Markup:
        """`key_one` or `key_other` by the language's plural rule, with `{count}` filled:
        `site.count("story_count", 3)` is "3 stories"."""
        return self.text(i18n.plural_key(key, number, self.language), count=number, **values)


@dataclass(frozen=True)
class OutletView:
    id: str
    name: str
    url: str  # its page on the site
    website: str | None
    kind: str | None
    country: str | None
    about: str | None
    citing: int  # stories that cite it
    providing: int  # stories carrying a narrative it provides
