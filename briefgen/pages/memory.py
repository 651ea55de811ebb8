"""What `serve` keeps between builds, and the plan every build patches instead of making anew.

A build after an edit that changed only stories' texts needs no new plan: the pages
are the same, only those holding the changed stories are keyed again (Plan,
with_new_texts). `structure_key` tells the two cases apart: it digests everything
that decides which pages exist and which stories each lists. `serve` keeps the last
plan in its memory; `build` keeps the plan it last made in the cache folder
(`kept_plan`, `keep_plan`), so an edit plans nothing (at 10,000 stories, 0.25 s to
read instead of 2.2 s to plan).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

import jinja2

import briefgen.core.diagnostics
import briefgen.core.model
import briefgen.pages.plan
import briefgen.pages.values
import briefgen.pages.views
import briefgen.settings.config
import briefgen.settings.outlets
import briefgen.site.assemble
import briefgen.story.entry
from briefgen.change.cache import read_values, value_types, write_values
from briefgen.change.trace import digest
from briefgen.core.diagnostics import Diagnostics, display_path
from briefgen.core.model import Moment
from briefgen.core.urls import Linker
from briefgen.pages.cards import drawable
from briefgen.pages.plan import Plan, holders_of, plan_pages, with_new_texts
from briefgen.pages.values import Branding, StoryView
from briefgen.pages.views import StoryViews
from briefgen.settings.config import SiteConfig
from briefgen.settings.outlets import Registry
from briefgen.site.assemble import Publishing, assemble
from briefgen.story.content import StoryScan
from briefgen.story.entry import StoryEntry
from briefgen.story.render import RenderedStory
from briefgen.story.store import StoryStore


@dataclass
class RenderMemory:
    """What `serve` keeps between builds: its story store, story views by fingerprint, and pages'
    bytes by file with their key. A lazy memory renders a page only once it is asked for (theme/rendering.py)."""

    store: StoryStore = field(default_factory=StoryStore)
    views: dict[str, StoryView] = field(default_factory=dict)
    pages: dict[str, tuple[str, bytes]] = field(default_factory=dict)
    lazy: bool = False
    shown: set[str] = field(default_factory=set)  # output files a browser asked for: kept rendered on every build
    environment: tuple[str, jinja2.Environment] | None = None  # the compiled templates, by template_fingerprint
    plan: Plan | None = None  # the last build's pages, patched when only stories' texts changed
    scan: StoryScan | None = None  # the last build's story files, looked at again only where saved
    render_keys: tuple[str, dict[str, tuple[str, str]]] = ("", {})  # templates; page key -> (file, render key)


PLAN_FILE = "plan.pickle"
# What a kept plan may hold: the site, its pages and the values in their contexts.
_PLAN_TYPES = value_types(briefgen.core.diagnostics, briefgen.core.model, briefgen.pages.plan, briefgen.pages.values,
                          briefgen.pages.views, briefgen.settings.config, briefgen.settings.outlets,
                          briefgen.site.assemble, briefgen.story.entry)


def plan_site(kept: Plan | None, config: SiteConfig, registry: Registry, entries: list[StoryEntry],
              publishing: Publishing, linker: Linker, load: Callable[[StoryEntry], RenderedStory | None],
              brand: Branding, diagnostics: Diagnostics, views_memo: dict[str, StoryView] | None = None,
              ) -> tuple[Plan, StoryViews, bool]:
    """Assemble and plan as a build does, unless only stories' texts changed since the `kept` plan:
    then only the pages holding those stories are keyed again (see pages.Plan). Also says whether
    the plan was made anew."""
    structure = structure_key(config, registry, entries, publishing, brand)
    keys = {entry.path: entry.key for entry in entries}
    if kept is not None and kept.structure == structure:
        views = StoryViews(kept.site, linker, load, views_memo, brand)
        changed = [views.ref(entry) for entry in entries if kept.keys.get(entry.path) != entry.key]
        diagnostics.extend(list(kept.problems))
        return replace(kept, pages=with_new_texts(kept, changed), keys=keys), views, False
    before = len(diagnostics.items)
    site = assemble(config, entries, publishing, diagnostics, registry)
    views = StoryViews(site, linker, load, views_memo, brand)
    pages = plan_pages(site, views, diagnostics)
    return Plan(structure, site, pages, holders_of(pages), tuple(diagnostics.items[before:]), keys), views, True


def kept_plan(cache_dir: Path, notes: list[str]) -> Plan | None:
    """The plan the last build made, kept in the cache folder; None if there is none to trust."""
    plan = read_values(cache_dir / PLAN_FILE, _PLAN_TYPES, notes)
    return plan if isinstance(plan, Plan) else None


def keep_plan(cache_dir: Path, plan: Plan, notes: list[str]) -> None:
    """Keep a plan just made for the next build; a failure only costs that build time."""
    try:
        write_values(cache_dir, PLAN_FILE, plan)
    except OSError as error:
        notes.append(f"the page plan could not be saved in {display_path(cache_dir)}: {error.strerror}")


def structure_key(config: SiteConfig, registry: Registry, entries: list[StoryEntry], publishing: Publishing,
               brand: Branding) -> str:
    """A digest of all that decides which pages exist and which stories each lists: everything but
    the stories' texts (and the site's images, which every page's site view holds)."""
    lines = [repr(config), repr(brand), registry.digest]
    for entry in entries:
        lines.append(f"{_entry_part(entry)}\0{publishing.publishes(entry)}\0{publishing.lists(entry)}")
    return digest(*lines)


_entry_parts: dict[str, str] = {}  # by story key, which decides the entry: kept while serve runs
MAX_ENTRY_PARTS = 100_000


def _entry_part(entry: StoryEntry) -> str:
    """A story's own part of the structure, made once per story key in a process."""
    part = _entry_parts.get(entry.key)
    if part is None:
        if len(_entry_parts) >= MAX_ENTRY_PARTS:
            _entry_parts.clear()
        tags, outlets = "\x1f".join(entry.tags), "\x1f".join((*entry.cited, "\x1e", *entry.providers))
        part = _entry_parts[entry.key] = (
            f"{entry.path}\0{entry.slug}\0{_moment_text(entry.date)}\0{_moment_text(entry.updated)}\0"
            f"{_moment_text(entry.expires)}\0{entry.draft}\0{tags}\0{entry.slug_line}\0{entry.tags_line}\0"
            f"{entry.follows}\0{entry.follows_line}\0{outlets}\0{entry.has_image}\0{drawable(entry.title)}")
    return part


def _moment_text(moment: Moment | None) -> str:
    return "" if moment is None else f"{moment.instant.isoformat()}/{moment.has_time}"
