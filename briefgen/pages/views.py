"""The values templates see (values.py), built from the site: a story's view, the site's,
a tag's and an outlet's, dates in the site's language, the source mix, ledes.

A story's view is built only for the pages being rendered, from its rendered text
read on demand (StoryViews), and kept under the key of what it is made from: the story's
rendered text (its key) and its `StorySetting`.
"""

from __future__ import annotations

import math
import re
import struct
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import timezone
from pathlib import Path

from babel import Locale, UnknownLocaleError
from babel.core import get_global
from markupsafe import Markup

from briefgen.change.keys import Keyed, KeyMemo, value_key
from briefgen.core import urls
from briefgen.core.model import Moment, Story
from briefgen.core.urls import Linker, OutputFile
from briefgen.pages.cards import HEIGHT, WIDTH, has_card
from briefgen.pages.coverage import concentration, coverage, fact_view, kind_name, outlet_name, source_mix
from briefgen.pages.json_ld import json_ld
from briefgen.pages.values import (BackrefView, Branding, CorrectionView, DateView, EditionView, ImageView,
                                   Link, NarrativeView, NoteView, OutletRef, OutletView, SiteView, SourceView,
                                   StoryView, TagView, TocEntry)
from briefgen.settings import i18n
from briefgen.settings.config import Labels, SiteConfig
from briefgen.settings.outlets import Outlet, Registry
from briefgen.site.assemble import OutletGroup, Site, Tag
from briefgen.site.editions import Edition
from briefgen.story.entry import StoryEntry, wants_card
from briefgen.story.markdown import Backref, citation_label, citation_name
from briefgen.story.render import RenderedStory


WORDS_PER_MINUTE = 230
DESCRIPTION_LENGTH = 160
TOC_MIN_WORDS = 500  # a story this long (over two minutes) gets a table of contents, if its body has headings
CARD = "card.png"  # the theme's link-preview card, for pages without an image of their own
LOGO = "logo.png"  # the publisher's logo in JSON-LD: search engines want a raster image


def date_view(moment: Moment, language: str = i18n.ENGLISH) -> DateView:
    day = moment.instant.date()
    utc = moment.instant.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    return DateView(moment.iso(), moment.html_value(), i18n.long_date(day, language), utc)


def site_view(config: SiteConfig, linker: Linker, outlets: bool = False, brand: Branding = Branding()) -> SiteView:
    return SiteView(config.title, config.description, config.language, config.base_url,
                    linker.link(urls.HOME), linker.link(urls.TAGS), linker.link(urls.FEED),
                    linker.link(urls.JSON_FEED), linker.link(urls.OUTLETS) if outlets else "",
                    linker.link(urls.EDITIONS) if config.editions else "", config.labels,
                    linker.link(urls.SEARCH) if config.search else "", og_locale(config.language),
                    config.twitter, brand.image)


def og_locale(language: str) -> str:
    """OpenGraph's language_TERRITORY ("en_US") for a language tag, the territory from CLDR's likely
    subtags when the tag names none ("en" is most likely "en_Latn_US")."""
    try:
        locale = Locale.parse(language.replace("_", "-"), sep="-")
    except (UnknownLocaleError, ValueError, TypeError):
        return language.replace("-", "_")
    territory = locale.territory if locale.territory and locale.territory.isalpha() else None
    likely = get_global("likely_subtags")
    for key in (f"{locale.language}_{locale.script}" if locale.script else "", locale.language):
        if territory is None and key in likely:
            territory = Locale.parse(likely[key]).territory
    return f"{locale.language}_{territory}" if territory else locale.language


def branding(config: SiteConfig, linker: Linker, assets: Mapping[str, OutputFile]) -> Branding:
    """`assets`: the theme's (and the site's), by name."""
    image = None
    if config.image:
        image = ImageView(_image_url(config.image, linker) or "", config.image_alt or config.title)
    elif CARD in assets:
        image = _asset_image(assets[CARD], config.image_alt or config.title, linker)
    logo = _asset_image(assets[LOGO], config.title, linker) if LOGO in assets else None
    return Branding(image, logo)


def _asset_image(asset: OutputFile, alt: str, linker: Linker) -> ImageView:
    width, height = _png_size(asset.data) or (None, None)
    return ImageView(linker.permalink(asset.path), alt, width, height)


def _png_size(data: bytes) -> tuple[int, int] | None:
    """A PNG's width and height, from its header; None for any other kind of file."""
    if not data.startswith(b"\x89PNG\r\n\x1a\n") or data[12:16] != b"IHDR":
        return None
    width, height = struct.unpack(">II", data[16:24])
    return int(width), int(height)


def tag_view(tag: Tag, linker: Linker) -> TagView:
    return TagView(tag.name, tag.slug, linker.link(urls.tag(tag.slug)), linker.link(urls.tag_feed(tag.slug)),
                   linker.link(urls.tag_json_feed(tag.slug)), len(tag.stories))


def edition_view(edition: Edition, linker: Linker, labels: Labels, language: str) -> EditionView:
    display = i18n.long_date(edition.day, language)
    path = urls.edition(edition.day)
    return EditionView(edition.day.isoformat(), display, i18n.fill(labels.edition_title, date=display),
                       linker.link(path), linker.permalink(path),
                       linker.permalink(urls.edition_email(edition.day, ".html")), len(edition.stories))


class StoryChanged(Exception):
    """A story's file no longer holds what the site was planned from: it changed during the build."""

    def __init__(self, path: Path) -> None:
        super().__init__(path)
        self.path = path


@dataclass(frozen=True)
class StoryRef(Keyed):
    """A story as a planned page holds it: the page's key needs only the ref's `key` (its view's), and
    the view is built (`StoryViews.view`) only for a page that is rendered."""

    entry: StoryEntry
    key: str  # value_key of the story's key and its setting: all its view is made from


@dataclass(frozen=True)
class StorySetting:
    """All a story's view reads besides the story's rendered text: the site's config and branding, the
    registry's entries for the outlets the story names, its tags as the site lists them, and whether
    it is shown before its date (-F)."""

    config: SiteConfig
    brand: Branding
    registry: Registry  # only the outlets the story names
    tags: tuple[TagView, ...]
    scheduled: bool


class StoryViews:
    """Each story's view for one site, built on demand from its rendered text (`load`).

    Views are kept in `memo` by their refs' keys; the caller may keep it between builds
    (serve keeps one for its whole life).
    """

    def __init__(self, site: Site, linker: Linker, load: Callable[[StoryEntry], RenderedStory | None],
                 memo: dict[str, StoryView] | None = None, brand: Branding = Branding()) -> None:
        self.site = site
        self.linker = linker
        self.load = load
        self.brand = brand
        self.memo: dict[str, StoryView] = {} if memo is None else memo
        self._keys = KeyMemo()
        self._tags: dict[tuple[str, ...], tuple[TagView, ...]] = {}
        self._tag_views_by_slug: dict[str, TagView] = {}
        self._registries: dict[tuple[str, ...], Registry] = {}

    def ref(self, entry: StoryEntry) -> StoryRef:
        return StoryRef(entry, value_key(entry.key, self.setting(entry), memo=self._keys))

    def setting(self, entry: StoryEntry) -> StorySetting:
        return StorySetting(self.site.config, self.brand, self._registry(entry.cited + entry.providers),
                            self._tag_views(entry.tags), entry.slug in self.site.scheduled)

    def _registry(self, names: tuple[str, ...]) -> Registry:
        """The registry's entries for the outlets a story names, once per set of names."""
        found = self._registries.get(names)
        if found is None:
            found = self._registries[names] = self.site.registry.only(names)
        return found

    def _tag_views(self, names: tuple[str, ...]) -> tuple[TagView, ...]:
        """The story's tags as the site lists them, once per set of tag names, each tag's view made once."""
        found = self._tags.get(names)
        if found is None:
            found = self._tags[names] = tuple(self._tag_view(tag) for tag in self.site.tags_of(names))
        return found

    def _tag_view(self, tag: Tag) -> TagView:
        found = self._tag_views_by_slug.get(tag.slug)
        if found is None:
            found = self._tag_views_by_slug[tag.slug] = tag_view(tag, self.linker)
        return found

    def view(self, ref: StoryRef) -> StoryView:
        found = self.memo.get(ref.key)
        if found is None:
            rendered = self.load(ref.entry)
            if rendered is None:
                raise StoryChanged(ref.entry.path)
            found = self.memo[ref.key] = story_view(rendered, self.setting(ref.entry), ref.key)
        return found

    def forget_except(self, kept: set[str]) -> None:
        """Drop the views of stories no longer in the site, so a long `serve` does not grow without end."""
        for key in set(self.memo) - kept:
            del self.memo[key]


def story_view(rendered: RenderedStory, setting: StorySetting, fingerprint: str = "") -> StoryView:
    story = rendered.story
    config, registry, brand = setting.config, setting.registry, setting.brand
    linker = Linker(config.base_url, config.base_path)
    image = _image_url(story.image, linker)
    path = urls.story(story.slug)
    labels, language = config.labels, config.language
    named = _registry_names(rendered, registry, labels)
    sources = tuple(
        SourceView(cited.number, f"source-{cited.source.id}", name, cited.source.title, cited.source.url,
                   cited.source.author, date_view(cited.source.date, language) if cited.source.date else None,
                   cited.source.paywall,
                   _backrefs(cited.backrefs, i18n.fill(labels.backref_source, number=cited.number, outlet=name),
                             labels),
                   _outlet_ref(registry.resolve(cited.source.outlet), linker, labels, language))
        for cited in rendered.sources for name in [outlet_name(cited.source.outlet, registry)])
    notes = tuple(NoteView(note.number, f"note-{note.label}", Markup(note.html),
                           _backrefs(note.backrefs, i18n.fill(labels.backref_note, number=note.number), labels))
                  for note in rendered.notes)
    outlet_of = {source.id: source.outlet for source in story.sources}
    facts = tuple(fact_view(named(html), [outlet_of[id_] for id_ in ids], registry)
                  for html, ids in zip(rendered.facts_html, rendered.facts_sources))
    facts_note = None
    if len(facts) > 1 and all(fact.single_outlet for fact in facts):  # a mark on every fact tells nothing apart
        facts, facts_note = tuple(replace(fact, single_outlet=None) for fact in facts), labels.facts_single_outlet
    view = StoryView(
        slug=story.slug, title=story.title, url=linker.link(path), permalink=linker.permalink(path),
        date=date_view(story.date, language),
        updated=date_view(story.updated, language) if story.updated else None,
        last_changed=date_view(story.last_changed, language), dateline=story.dateline,
        language=story.language if story.language and story.language.lower() != language.lower() else None,
        authors=tuple(Link(author.name, author.url or "") for author in story.authors),
        tags=setting.tags,
        kind=story.kind, kind_label=getattr(labels, f"kind_{story.kind}"),
        corrections=tuple(CorrectionView(date_view(correction.date, language), named(html))
                          for correction, html in zip(story.corrections, rendered.corrections_html)),
        summary_html=named(rendered.summary_html), summary_text=rendered.summary_text,
        description=_shorten(rendered.summary_text), lede=lede(rendered.summary_text), facts=facts,
        facts_note=facts_note,
        narratives=tuple(NarrativeView(n.label, outlet_name(n.provider, registry) if n.provider else None, n.url,
                                       named(html),
                                       _outlet_ref(registry.resolve(n.provider), linker, labels, language)
                                       if n.provider else None)
                         for n, html in zip(story.narratives, rendered.narratives_html)),
        contra_html=named(rendered.contra_html) if rendered.contra_html is not None else None,
        body_html=named(rendered.body_html), headings=rendered.headings,
        toc=_toc(rendered, labels), sources=sources,
        source_mix=source_mix([source.outlet for source in story.sources], registry, labels, language),
        concentration=concentration(rendered, registry, labels),
        coverage=coverage([source.outlet for source in story.sources], registry, labels, language), notes=notes,
        credit=story.credit, image=image,
        preview=_preview(image, story, config, linker, brand),
        reading_minutes=max(1, math.ceil(rendered.word_count / WORDS_PER_MINUTE)),
        draft=story.draft, scheduled=setting.scheduled, json_ld=Markup(""), fingerprint=fingerprint,
    )
    return replace(view, json_ld=Markup(json_ld(view, rendered, config, brand.logo)))


def _preview(image: str | None, story: Story, config: SiteConfig, linker: Linker, brand: Branding) -> ImageView | None:
    """What a link preview of the story shows: its own image, else the site's, else its share card, else the
    theme's card."""
    if image:
        return ImageView(image, story.image_alt or story.title)
    if has_card(config, wants_card(story)):
        return ImageView(linker.permalink(urls.story_card(story.slug)), story.title, WIDTH, HEIGHT)
    return brand.image


def _registry_names(rendered: RenderedStory, registry: Registry, labels: Labels) -> Callable[[str], Markup]:
    """Rendered HTML with each citation's accessible name saying the registry's name of its outlet: a
    story is rendered without the registry (so editing outlets.yaml renders no story again), its
    citations named as the story writes its outlets."""
    renames = {citation_label(citation_name(labels.cite_source, cited.number, written)):
               citation_label(citation_name(labels.cite_source, cited.number, name))
               for cited in rendered.sources
               if (name := outlet_name(written := cited.source.outlet, registry)) != written}

    def named(html: str) -> Markup:
        for written, shown in renames.items():
            html = html.replace(written, shown)
        return Markup(html)
    return named


def _outlet_ref(outlet: Outlet | None, linker: Linker, labels: Labels, language: str) -> OutletRef | None:
    if outlet is None:
        return None
    return OutletRef(outlet.name, linker.link(urls.outlet(outlet.id)), kind_name(outlet.kind, labels),
                     i18n.country_name(outlet.country, language) if outlet.country else None,
                     outlet.about)


def outlet_view(group: OutletGroup, linker: Linker, labels: Labels, language: str) -> OutletView:
    outlet = group.outlet
    return OutletView(outlet.id, outlet.name, linker.link(urls.outlet(outlet.id)), outlet.url,
                      kind_name(outlet.kind, labels), i18n.country_name(outlet.country, language)
                      if outlet.country else None, outlet.about, len(group.citing), len(group.providing))


def _image_url(image: str | None, linker: Linker) -> str | None:
    """Link previews need an absolute address; a site path is made one under the base URL."""
    if image is None or not image.startswith("/"):
        return image
    return linker.permalink(image.lstrip("/"))


def _toc(rendered: RenderedStory, labels: Labels) -> tuple[TocEntry, ...]:
    """The page's sections with the body's headings in reading order; only for long stories."""
    if rendered.word_count < TOC_MIN_WORDS or not rendered.headings:
        return ()
    shown = {"facts": (labels.facts, True), "narratives": (labels.narratives, bool(rendered.narratives_html)),
             "contra": (labels.contra, rendered.contra_html is not None)}
    after = {"sources": (labels.sources, bool(rendered.sources)), "notes": (labels.notes, bool(rendered.notes))}
    body = [TocEntry(heading.text, f"#{heading.id}", heading.level) for heading in rendered.headings]
    return (*_sections(shown), *body, *_sections(after))


def _sections(sections: dict[str, tuple[str, bool]]) -> list[TocEntry]:
    return [TocEntry(label, f"#{anchor}", 2) for anchor, (label, present) in sections.items() if present]


def _backrefs(backrefs: tuple[Backref, ...], of: str, labels: Labels) -> tuple[BackrefView, ...]:
    """Names a screen reader can tell apart: "Back to citation 2 of source 1, Forbes, in Key Facts"."""
    label = labels.backref_numbered if len(backrefs) > 1 else labels.backref
    views: list[BackrefView] = []
    in_section = 0
    for index, ref in enumerate(backrefs, start=1):
        same = bool(views) and views[-1].section == ref.section
        in_section = in_section + 1 if same else 1
        views.append(BackrefView(f"#{ref.anchor}", i18n.fill(label, index=index, target=of, section=ref.section),
                                 ref.section, str(in_section) if same else ref.section,
                                 " " if same else ", " if views else ""))
    return tuple(views)


LEDE_LENGTH = 220  # about what a list's card shows before a reader stops reading it
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"'”’»)]*\s+(?=[\"'“‘«(]*[A-ZÀ-Þ0-9])")
_ABBREVIATION = re.compile(r"(?:\b[A-Za-z]|\b(?:Mr|Mrs|Ms|Dr|Prof|Pres|Gen|Sen|Rep|Gov|Lt|Col|Capt|Adm|St|Jr|Sr|No|vs|"
                           r"Inc|Ltd|Co|Corp|Jan|Feb|Mar|Apr|Aug|Sept?|Oct|Nov|Dec|approx|etc))\.$")


def lede(summary: str, limit: int = LEDE_LENGTH) -> str:
    """The summary's whole sentences that fit in `limit` characters, and at least the first: a list
    never cuts a sentence mid-phrase. "U.S." or "Pres." does not end a sentence."""
    sentences: list[str] = []
    start = 0
    for end in _SENTENCE_END.finditer(summary):
        if _ABBREVIATION.search(summary, 0, end.start()):
            continue
        sentences.append(summary[start:end.start()].strip())
        start = end.end()
    sentences.append(summary[start:].strip())
    kept = sentences[:1]
    for sentence in sentences[1:]:
        if len(" ".join([*kept, sentence])) > limit:
            break
        kept.append(sentence)
    return " ".join(kept)


def _shorten(text: str, limit: int = DESCRIPTION_LENGTH) -> str:
    if len(text) <= limit:
        return text
    cut = text[:limit - 1].rsplit(" ", 1)[0].rstrip(" ,;:.")
    return cut + "…"


