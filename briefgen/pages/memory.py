"""What `serve` keeps between builds, and the plan every build patches instead of making anew.

A build after an edit that changed only stories' texts needs no new plan: the pages
are the same, only those holding the changed stories are keyed again (Plan,
with_new_texts). `structure_key` tells the two cases apart: the key of all the plan is
made from but the stories' texts. `serve` keeps the last plan in its memory; `build`
keeps the plan it last made in the cache folder (`kept_plan`, `keep_plan`), so an edit
plans nothing (at 10,000 stories, 0.25 s to read instead of 2.2 s to plan).
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
from briefgen.change.keys import value_key
from briefgen.core.diagnostics import Diagnostics, display_path
from briefgen.core.urls import Linker
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
    placed = placements(entries, kept.placed if kept is not None else {})
    structure = structure_key(config, registry, brand, entries, placed, publishing)
    if kept is not None and kept.structure == structure:
        views = StoryViews(kept.site, linker, load, views_memo, brand)
        changed = [views.ref(entry) for entry in entries if kept.placed[entry.path][0] != entry.key]
        diagnostics.extend(list(kept.problems))
        return replace(kept, pages=with_new_texts(kept, changed), placed=placed), views, False
    before = len(diagnostics.items)
    site = assemble(config, entries, publishing, diagnostics, registry)
    views = StoryViews(site, linker, load, views_memo, brand)
    pages = plan_pages(site, views, diagnostics)
    return Plan(structure, site, pages, holders_of(pages), tuple(diagnostics.items[before:]), placed), views, True


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


def placements(entries: list[StoryEntry], known: dict[Path, tuple[str, str]]) -> dict[Path, tuple[str, str]]:
    """Each story file's key and the key of its entry's placement (StoryEntry.placement), taken from `known`
    where the story's key is the same (an entry is made from what its key covers): keyed anew only for
    the stories that changed."""
    found: dict[Path, tuple[str, str]] = {}
    for entry in entries:
        was = known.get(entry.path)
        found[entry.path] = was if was is not None and was[0] == entry.key else (
            entry.key, value_key(entry.placement()))
    return found


def structure_key(config: SiteConfig, registry: Registry, brand: Branding, entries: list[StoryEntry],
                  placed: dict[Path, tuple[str, str]], publishing: Publishing) -> str:
    """The key of all the plan is made from but the stories' texts: which pages exist and which stories
    each lists (the site's images count: every page's site view holds them)."""
    stories = "".join(f"{placed[entry.path][1]}{publishing.publishes(entry):d}{publishing.lists(entry):d}"
                      for entry in entries)  # keys of one length: joined, one part, not 10,000 walked
    return value_key(config, brand, registry, stories)
