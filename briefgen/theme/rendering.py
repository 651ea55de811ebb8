"""The template stage: which pages go through their templates, over all cores, and which are reused.

Every page has a render key: a digest of the theme's templates (template_fingerprint) and
of the page's own key (pages/plan.py). A page whose render key is the one its bytes were
made for is not rendered again: `serve` keeps those bytes in its RenderMemory, `build`
keeps the published file (the build record holds each published page's key). A lazy
memory (serve) leaves the other pages pending too, but those a browser was shown and the
first page of each template, and a PageRenderer renders one when it is asked for.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

import jinja2

from briefgen.change.keys import digest
from briefgen.core.diagnostics import Diagnostic, Diagnostics
from briefgen.core.pool import parallel_map
from briefgen.core.progress import SILENT, Progress
from briefgen.core.urls import OutputFile, output_file
from briefgen.pages.cards import CARD
from briefgen.pages.memory import RenderMemory
from briefgen.pages.plan import Page, page_context
from briefgen.pages.views import StoryViews
from briefgen.theme.templates import Theme, forget_feed_content, make_environment, render_pages


@dataclass(frozen=True)
class Rendered:
    """The template stage's outcome: new bytes, files kept as published, and every page's render key."""

    files: list[OutputFile]
    kept: list[str]  # files of pages whose published bytes are still right
    keys: dict[str, str]
    pending: dict[str, Page]  # serve's pages left until asked for, by output file
    renderer: PageRenderer | None


@dataclass(frozen=True)
class PageRenderer:
    """One planned page through its template, later, as the build would have rendered it: how `serve`
    renders a page left pending when a browser first asks for it."""

    theme: Theme
    environment: jinja2.Environment
    views: StoryViews

    def render(self, page: Page) -> tuple[bytes | None, list[Diagnostic]]:
        found = Diagnostics()
        files = render_pages(self.environment, [page], partial(page_context, views=self.views),
                             self.theme.asset_urls, found)
        return (files[0].data if files else None), found.items


def render_stage(theme: Theme, templates: str, pages: list[Page], views: StoryViews, diagnostics: Diagnostics,
                 memory: RenderMemory | None, published: dict[str, str], jobs: int = 0,
                 progress: Progress = SILENT) -> Rendered:
    """Every page whose key changed through its template; the others reused from `memory` or `published`.

    `templates` is the theme's template_fingerprint. With a lazy memory (serve), only the changed pages
    a browser has been shown, and the first page of each template (so a broken template is reported at
    once), are rendered now; the others are left pending until asked for."""
    keyed = _render_keys(templates, pages, memory)  # in the pages' order
    keys = dict(keyed)
    remembered = memory.pages if memory is not None else {}
    reused = {path: data for path, (key, data) in remembered.items() if keys.get(path) == key}
    kept = [path for path, key in keyed if path not in reused and published.get(path) == key] if published else []
    skipped = reused.keys() | set(kept)
    stale = [(path, page) for (path, _), page in zip(keyed, pages) if path not in skipped]
    pending = _left_pending(stale, pages, memory)
    environment = _environment(theme, templates, memory)
    fresh = {file.path: file.data for file in _render_all(
        theme, environment, [page for path, page in stale if path not in pending], views, diagnostics,
        jobs, progress)}
    if memory is not None:
        memory.pages = {path: (keys[path], data) for path, data in (reused | fresh).items()}
    files = [OutputFile(path, data) for path in keys if (data := reused.get(path, fresh.get(path))) is not None]
    renderer = PageRenderer(theme, environment, views) if pending else None
    return Rendered(files, kept, keys, pending, renderer)


def _left_pending(stale: list[tuple[str, Page]], pages: list[Page], memory: RenderMemory | None,
                  ) -> dict[str, Page]:
    """The stale pages (by file) a lazy memory leaves until asked for: all but those a browser was shown
    and the first page of each template."""
    if memory is None or not memory.lazy:
        return {}
    firsts = {id(page) for page in {page.template: page for page in reversed(pages)}.values()}
    shown = memory.shown
    return {path: page for path, page in stale if path not in shown and id(page) not in firsts}


def _render_keys(templates: str, pages: list[Page], memory: RenderMemory | None) -> list[tuple[str, str]]:
    """Each page's file and render key: what its bytes are a function of, the templates (see
    template_fingerprint) and the page's key. `serve` remembers them by page key while the templates
    are the same, so a rebuild digests only the pages a save changed."""
    if memory is None:
        return [(output_file(page.path), digest(templates, page.key)) for page in pages]
    if memory.render_keys[0] != templates:
        memory.render_keys = (templates, {})
    known = memory.render_keys[1]
    found = []
    for page in pages:
        each = known.get(page.key)
        if each is None:
            each = known[page.key] = (output_file(page.path), digest(templates, page.key))
        found.append(each)
    if len(known) > 2 * len(pages):  # pages no longer planned: dropped now and then, not on every save
        memory.render_keys = (templates, {page.key: each for page, each in zip(pages, found)})
    return found


def _environment(theme: Theme, templates: str, memory: RenderMemory | None) -> jinja2.Environment:
    """The theme's templates; `serve` keeps them compiled between builds while no template changes."""
    if memory is None:
        return make_environment(theme)
    if memory.environment is None or memory.environment[0] != templates:
        memory.environment = (templates, make_environment(theme))
    environment = memory.environment[1]
    forget_feed_content(environment, theme)
    return environment


def _render_all(theme: Theme, environment: jinja2.Environment, pages: list[Page], views: StoryViews,
                diagnostics: Diagnostics, jobs: int, progress: Progress) -> list[OutputFile]:
    """Every page through its template, over all cores; the templates are compiled once, before the fork."""
    for name in sorted({page.template for page in pages} - {CARD}):  # a card is drawn, not a template
        try:
            environment.get_template(name)
        except Exception:  # noqa: BLE001 - render_pages reports a broken template with its page
            pass

    context_of = partial(page_context, views=views)

    def render_one(page: Page) -> tuple[list[OutputFile], list[Diagnostic]]:
        found = Diagnostics()
        return render_pages(environment, [page], context_of, theme.asset_urls, found), found.items

    progress.start("pages", len(pages))
    rendered = parallel_map(render_one, pages, jobs, progress.advance)
    progress.finish()
    files: list[OutputFile] = []
    seen: set[Diagnostic] = set(diagnostics.items)
    for outputs, found in rendered:
        files.extend(outputs)
        diagnostics.extend([item for item in found if item not in seen])
        seen.update(found)
    return files
