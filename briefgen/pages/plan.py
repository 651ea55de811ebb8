"""Plan every page of the site: its URL, its template and what the template sees.

Two things that would write the same URL are an error naming both, checked
case-insensitively because hosts differ on case.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from briefgen.change.keys import KeyMemo, value_key
from briefgen.core import urls
from briefgen.core.diagnostics import Diagnostic, Diagnostics, display_path
from briefgen.core.urls import Linker
from briefgen.pages.cards import CARD, has_card
from briefgen.pages.values import PageMeta, Pagination, SiteView, StoryView, ThreadRun, ThreadView
from briefgen.pages.views import StoryRef, StoryViews, edition_view, outlet_view, site_view, tag_view
from briefgen.settings import i18n
from briefgen.settings.config import Labels, zone_of
from briefgen.site.assemble import Site, has_page
from briefgen.site.editions import editions_of
from briefgen.story.entry import StoryEntry


@dataclass(frozen=True)
class Origin:
    """Who asks for a page: a story file, or the site itself (or one of its tags)."""

    what: str  # "the site", "the tag 'Japan'"; for a story, its path says it
    path: Path | None = None
    line: int = 0

    @property
    def description(self) -> str:
        return f"the story {display_path(self.path)}" if self.path is not None else self.what


@dataclass(frozen=True)
class Page:
    path: str  # URL path below the base, e.g. "tags/japan/" or "feed.xml"
    template: str
    context: dict[str, Any] = field(hash=False)
    origin: Origin
    key: str = ""  # value_key of its path, template name and context: what rendering it reads


def plan_pages(site: Site, views: StoryViews, diagnostics: Diagnostics) -> list[Page]:
    """Every page, with stories as refs: planning and keying pages builds no story's view."""
    linker = views.linker
    common = site_view(site.config, linker, site.registry.present, views.brand)
    refs = {entry.slug: views.ref(entry) for entry in site.stories}
    planner = _Planner(common, linker)
    for entry in site.stories:
        origin = Origin("", entry.path, entry.slug_line)
        planner.add(urls.story(entry.slug), "story.html", origin, None, story=refs[entry.slug],
                    **_thread_context(site, entry, refs, linker),
                    earlier=refs.get(entry.follows) if entry.follows else None,
                    later=[refs[member.slug] for member in site.followers.get(entry.slug, ())],
                    related=[refs[member.slug] for member in site.related(entry)])
        if has_card(site.config, entry.wants_card):  # next to its page: drawn by the same worker
            planner.add(urls.story_card(entry.slug), CARD, origin, None, story=refs[entry.slug])
    _plan_threads(planner, site, refs, common)
    site_origin = Origin("the site")
    # Expired stories keep their page but leave the lists and feeds.
    ordered = [refs[entry.slug] for entry in site.listed]
    planner.paginated(ordered, urls.home, "home.html", site_origin, site.config.per_page,
                      _meta("home", common.title, common.description, "", common))
    planner.feeds(urls.FEED, urls.JSON_FEED, ordered[:site.config.feed_limit], common.title,
                  linker.permalink(urls.HOME), site_origin)
    tags = [tag_view(tag, linker) for tag in site.tags]
    planner.add(urls.TAGS, "tags.html", site_origin,
                _meta("tags", common.labels.tags, "", linker.permalink(urls.TAGS), common), tags=tags)
    for tag, view in zip(site.tags, tags):
        members = [refs[entry.slug] for entry in tag.stories]
        origin = Origin(f"the tag '{tag.name}'")
        planner.paginated(members, partial(urls.tag, tag.slug), "tag.html", origin, site.config.per_page,
                          _meta("tag", view.name, "", "", common, (view.feed_url, view.json_feed_url),
                                f"{common.title}: {view.name}"),
                          tag=view)
        planner.feeds(urls.tag_feed(tag.slug), urls.tag_json_feed(tag.slug), members[:site.config.feed_limit],
                      f"{common.title}: {tag.name}", linker.permalink(urls.tag(tag.slug)), origin)
    if site.registry.present:
        _plan_outlets(planner, site, refs, common)
    if site.config.editions:
        _plan_editions(planner, site, refs, common)
    planner.add(urls.NOT_FOUND, "404.html", site_origin, _meta("404", common.labels.not_found, "", "", common))
    planner.add(urls.SITEMAP, "sitemap.xml", site_origin, None, entries=_sitemap_entries(planner.pages, linker))
    planner.add(urls.ROBOTS, "robots.txt", site_origin, None, sitemap=linker.permalink(urls.SITEMAP))
    _report_collisions(planner.pages, diagnostics)
    return planner.pages


def _thread_context(site: Site, entry: StoryEntry, refs: dict[str, StoryRef], linker: Linker) -> dict[str, Any]:
    """What a story page shows of its thread: `thread`, the stories of its window, oldest first;
    `thread_runs`, how they fall into runs with the stories left out before each; `whole_thread`,
    the thread's own page, when it is too long to show whole. Holds the window's stories only."""
    members = site.threads.get(entry.slug, ())
    shown: list[StoryRef] = []
    runs: list[ThreadRun] = []
    stop = 0  # where the run before ended
    for run in site.thread_window(entry):
        runs.append(ThreadRun(offset=len(shown), count=len(run), start=run.start + 1, skipped=run.start - stop))
        shown.extend(refs[members[index].slug] for index in run)
        stop = run.stop
    whole = ThreadView(linker.link(urls.thread(members[0].slug)), len(members)) if has_page(len(members)) else None
    return {"thread": shown, "thread_runs": tuple(runs), "whole_thread": whole}


def _plan_threads(planner: _Planner, site: Site, refs: dict[str, StoryRef], common: SiteView) -> None:
    """A page for each thread too long to show whole on its stories' pages, listing it oldest first.
    Its title is made from its first story's (`page_context`)."""
    for members in site.long_threads():
        path = urls.thread(members[0].slug)
        origin = Origin(f"the thread of {display_path(members[0].path)}")
        planner.add(path, "thread.html", origin, _meta("thread", "", "", "", common),
                    stories=[refs[member.slug] for member in members],
                    whole_thread=ThreadView(planner.linker.link(path), len(members)))


def _plan_outlets(planner: _Planner, site: Site, refs: dict[str, StoryRef], common: SiteView) -> None:
    """/outlets/, and a page for each registered outlet listing the stories that show it, newest first."""
    linker = planner.linker
    origin = Origin("the outlet registry")
    views = [outlet_view(group, linker, common.labels, common.language) for group in site.outlets]
    planner.add(urls.OUTLETS, "outlets.html", origin, _meta("outlets", common.labels.outlets, "", "", common),
                outlets=views)
    for group, view in zip(site.outlets, views):
        members = [refs[entry.slug] for entry in group.stories]
        planner.paginated(members, partial(urls.outlet, view.id), "outlet.html", origin, site.config.per_page,
                          _meta("outlet", view.name, view.about or "", "", common), outlet=view)


EDITIONS_PER_PAGE = 30  # days on a page of the editions' index: about a month


def _plan_editions(planner: _Planner, site: Site, refs: dict[str, StoryRef], common: SiteView) -> None:
    """/editions/ (the days, newest first), a page per day with its email twins, and a feed of the newest days."""
    config, linker = site.config, planner.linker
    editions = editions_of(site, zone_of(config.time_zone))
    views = [edition_view(edition, linker, common.labels, config.language) for edition in editions]
    origin = Origin("the editions")
    feeds = (linker.link(urls.EDITIONS_FEED), common.json_feed_url)
    feed_title = f"{common.title}: {common.labels.editions}"
    planner.paginated(views, urls.editions, "editions.html", origin, EDITIONS_PER_PAGE,
                      _meta("editions", common.labels.editions, "", "", common, feeds, feed_title), items="editions")
    for edition, view in zip(editions, views):
        stories = [refs[entry.slug] for entry in edition.stories]
        planner.add(urls.edition(edition.day), "edition.html", origin,
                    _meta("edition", view.title, "", "", common, feeds, feed_title), edition=view, stories=stories)
        for suffix in (".html", ".txt"):
            planner.add(urls.edition_email(edition.day, suffix), f"email{suffix}", origin, None, edition=view,
                        stories=stories)
    newest, starts = views[:config.feed_limit], [0]
    for view in newest:
        starts.append(starts[-1] + view.count)
    planner.add(urls.EDITIONS_FEED, "editions.xml", origin, None,
                editions=[replace(view, start=start) for view, start in zip(newest, starts)],
                stories=[refs[entry.slug] for edition in editions[:config.feed_limit] for entry in edition.stories],
                feed_title=feed_title, feed_url=linker.permalink(urls.EDITIONS_FEED),
                alternate_url=linker.permalink(urls.EDITIONS))


def _sitemap_entries(pages: list[Page], linker: Linker) -> list[tuple[str, str | None]]:
    """Each HTML page's address, and for a story page when it last changed (RFC 3339)."""
    entries: list[tuple[str, str | None]] = []
    for page in pages:
        if page.template in ("home.html", "story.html", "tag.html", "tags.html", "thread.html", "outlets.html",
                             "outlet.html", "editions.html", "edition.html"):
            story = page.context.get("story")
            entries.append((linker.permalink(page.path),
                            story.entry.last_changed.iso() if isinstance(story, StoryRef) else None))
    return entries


def page_context(page: Page, views: StoryViews) -> dict[str, Any]:
    """What the page's template sees: each story ref made its view, and a story page's meta made from it."""
    context = {name: _map_refs(value, views.view) for name, value in page.context.items()}
    story = context.get("story")
    if page.template == "story.html" and isinstance(story, StoryView):
        common: SiteView = context["site"]
        context["page"] = replace(_meta("story", story.title, story.description, story.permalink, common),
                                  image=story.preview)
    stories = context.get("stories")
    if page.template == "thread.html" and isinstance(stories, list) and stories:
        labels: Labels = context["site"].labels
        context["page"] = replace(context["page"], title=i18n.fill(labels.thread_page, title=stories[0].title))
    return context


def _map_refs(value: Any, change: Callable[[StoryRef], Any]) -> Any:
    """`value` with each story ref in it (a page holds them alone, or in a list) replaced by `change(ref)`."""
    if isinstance(value, StoryRef):
        return change(value)
    if isinstance(value, list) and value and isinstance(value[0], StoryRef):
        return [change(ref) for ref in value]
    return value


@dataclass(frozen=True)
class Plan:
    """A site's planned pages, kept between builds (pages/memory.py).

    When a build finds the same `structure` (the key of all the plan is made from but the
    stories' texts: the config, the registry, the site's images, each story's placement and
    publication state), only stories' texts changed: the pages that hold those stories are
    keyed again (`with_new_texts`) instead of planning the whole site.
    """

    structure: str
    site: Site
    pages: list[Page]
    holders: dict[Path, list[int]]  # a story file -> the indices of the pages whose context holds it
    problems: tuple[Diagnostic, ...]  # what assembling and planning reported
    placed: dict[Path, tuple[str, str]]  # each story file's key and its placement's, when last keyed


def holders_of(pages: list[Page]) -> dict[Path, list[int]]:
    holders: dict[Path, list[int]] = {}
    for index, page in enumerate(pages):
        for value in page.context.values():
            for ref in value if isinstance(value, list) else [value]:
                if isinstance(ref, StoryRef):
                    holders.setdefault(ref.entry.path, []).append(index)
    return holders


def with_new_texts(plan: Plan, changed: list[StoryRef]) -> list[Page]:
    """The plan's pages with the `changed` stories' refs put in, and those pages keyed again."""
    pages = list(plan.pages)
    new = {ref.entry.path: ref for ref in changed}
    memo = KeyMemo()
    for index in sorted({index for ref in changed for index in plan.holders.get(ref.entry.path, [])}):
        page = pages[index]
        context = {name: _map_refs(value, lambda ref: new.get(ref.entry.path, ref))
                   for name, value in page.context.items()}
        pages[index] = Page(page.path, page.template, context, page.origin,
                            value_key(page.path, page.template, context, memo=memo))
    return pages


class _Planner:
    def __init__(self, common: SiteView, linker: Linker) -> None:
        self.common = common
        self.linker = linker
        self.pages: list[Page] = []
        self.digested = KeyMemo()  # the site view and tag views are in many pages: walked once

    def add(self, path: str, template: str, origin: Origin, meta: PageMeta | None, **context: Any) -> None:
        if meta is not None and not meta.canonical:
            meta = replace(meta, canonical=self.linker.permalink(path))
        full = {"site": self.common, "page": meta, **context}
        self.pages.append(Page(path, template, full, origin, value_key(path, template, full, memo=self.digested)))

    def paginated(self, stories: list[Any], path_of: Callable[[int], str], template: str, origin: Origin,
                  per_page: int, meta: PageMeta, items: str = "stories", **context: Any) -> None:
        """Pages of `per_page` stories (or other `items`); `path_of(n)` is page n's path. Each page gets its own
        canonical URL."""
        chunks = [stories[start:start + per_page] for start in range(0, len(stories), per_page)] or [[]]
        for number, chunk in enumerate(chunks, start=1):
            pagination = Pagination(
                number, len(chunks),
                newer_url=self.linker.link(path_of(number - 1)) if number > 1 else None,
                older_url=self.linker.link(path_of(number + 1)) if number < len(chunks) else None)
            self.add(path_of(number), template, origin, meta, pagination=pagination, **{items: chunk}, **context)

    def feeds(self, atom_path: str, json_path: str, stories: list[StoryRef], title: str, alternate_url: str,
              origin: Origin) -> None:
        """The same entries as an Atom feed and as a JSON Feed."""
        for path, template in ((atom_path, "atom.xml"), (json_path, "feed.json")):
            self.add(path, template, origin, None, stories=stories, feed_title=title,
                     feed_url=self.linker.permalink(path), alternate_url=alternate_url)


def _meta(kind: str, title: str, description: str, canonical: str, common: SiteView,
          feeds: tuple[str, str] | None = None, feed_title: str | None = None) -> PageMeta:
    """`feeds`: the page's own Atom and JSON feeds, if not the site's."""
    atom, json_feed = feeds or (common.feed_url, common.json_feed_url)
    return PageMeta(kind, title, description or common.description, canonical, atom, json_feed,
                    feed_title or common.title, common.image)


def _report_collisions(pages: list[Page], diagnostics: Diagnostics) -> None:
    """A page's file, and the folders it needs, may be claimed by no other page."""
    files: dict[str, Page] = {}
    folders: dict[str, Page] = {}
    reported: set[tuple[Origin, Origin]] = set()  # a story's page and its card clash with the same rival
    for page in pages:
        file = urls.output_file(page.path).casefold()
        parents = ["/".join(file.split("/")[:depth]) for depth in range(1, file.count("/") + 1)]
        clash = files.get(file) or folders.get(file) or next((files[d] for d in parents if d in files), None)
        if clash is not None and (page.origin, clash.origin) not in reported:
            reported.add((page.origin, clash.origin))
            _report_clash(page, clash, diagnostics)
        files.setdefault(file, page)
        for folder in parents:
            folders.setdefault(folder, page)


def _report_clash(page: Page, other: Page, diagnostics: Diagnostics) -> None:
    culprit, rival = (page, other) if page.origin.path is not None else (other, page)
    message = f"{culprit.origin.description} and {rival.origin.description} would both write /{page.path}"
    if culprit.origin.path is None:
        diagnostics.error("content", 0, message, "rename one of them", "duplicate-slug")
    else:
        diagnostics.error(culprit.origin.path, culprit.origin.line, message,
                          "give one of them another slug (`slug: ...`); URLs are compared ignoring case",
                          "duplicate-slug")
