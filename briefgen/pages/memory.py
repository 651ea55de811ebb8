"""What `serve` keeps between builds, and the plan it patches instead of making anew.

A rebuild after a save that changed only stories' texts needs no new plan: the pages
are the same, only those holding the changed stories are keyed again (Plan,
with_new_texts). `structure_key` tells the two cases apart: it digests everything
that decides which pages exist and which stories each lists.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace

import jinja2

from briefgen.change.trace import digest
from briefgen.core.diagnostics import Diagnostics
from briefgen.core.model import Moment
from briefgen.core.urls import Linker
from briefgen.pages.plan import Page, Plan, holders_of, plan_pages, with_new_texts
from briefgen.pages.values import Branding, StoryView
from briefgen.pages.views import StoryViews
from briefgen.settings.config import SiteConfig
from briefgen.settings.outlets import Registry
from briefgen.site.assemble import Publishing, Site, assemble
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


def plan_in_memory(memory: RenderMemory, config: SiteConfig, registry: Registry, entries: list[StoryEntry],
                    publishing: Publishing, linker: Linker, load: Callable[[StoryEntry], RenderedStory | None],
                    brand: Branding, diagnostics: Diagnostics) -> tuple[Site, StoryViews, list[Page]]:
    """Assemble and plan as a build does, unless only stories' texts changed since the plan `memory`
    keeps: then only the pages holding those stories are keyed again (see pages.Plan)."""
    structure = structure_key(config, registry, entries, publishing, brand)
    keys = {entry.path: entry.key for entry in entries}
    plan = memory.plan
    if plan is not None and plan.structure == structure:
        views = StoryViews(plan.site, linker, load, memory.views, brand)
        changed = [views.ref(entry) for entry in entries if plan.keys.get(entry.path) != entry.key]
        memory.plan = replace(plan, pages=with_new_texts(plan, changed), keys=keys)
        diagnostics.extend(list(plan.problems))
        return plan.site, views, memory.plan.pages
    before = len(diagnostics.items)
    site = assemble(config, entries, publishing, diagnostics, registry)
    views = StoryViews(site, linker, load, memory.views, brand)
    pages = plan_pages(site, views, diagnostics)
    memory.plan = Plan(structure, site, pages, holders_of(pages), tuple(diagnostics.items[before:]), keys)
    return site, views, pages


def structure_key(config: SiteConfig, registry: Registry, entries: list[StoryEntry], publishing: Publishing,
               brand: Branding) -> str:
    """A digest of all that decides which pages exist and which stories each lists: everything but
    the stories' texts (and the site's images, which every page's site view holds)."""
    lines = [repr(config), repr(brand), registry.digest]
    for entry in entries:
        tags, outlets = "\x1f".join(entry.tags), "\x1f".join((*entry.cited, "\x1e", *entry.providers))
        lines.append(f"{entry.path}\0{entry.slug}\0{_moment_text(entry.date)}\0{_moment_text(entry.updated)}\0"
                     f"{_moment_text(entry.expires)}\0{entry.draft}\0{tags}\0{entry.slug_line}\0{entry.tags_line}\0"
                     f"{publishing.publishes(entry)}\0{publishing.lists(entry)}\0{entry.follows}\0"
                     f"{entry.follows_line}\0{outlets}")
    return digest(*lines)


def _moment_text(moment: Moment | None) -> str:
    return "" if moment is None else f"{moment.instant.isoformat()}/{moment.has_time}"
