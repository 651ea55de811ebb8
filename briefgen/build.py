"""The build: a chain of stages, ordered here and nowhere else.

    config → theme → discover → read stories (split, validate, render Markdown, a story's
    editorial warnings) → assemble the site → plan pages, and the site-wide editorial
    warnings → render templates → write

Each stage adds its problems to one Diagnostics; nothing is written unless
the whole chain succeeded.

Speed: a build's cost follows what changed. The per-story chain and the template
rendering run over all cores (`pool.py`). A story file whose stamp has not moved is
not even read, and a story the store knows is not parsed again (cache.py: in
`.briefgen-cache/` for `build`, the same folder and memory for `serve`). `build`
also records a fingerprint of every input: when a later build finds the same
fingerprint and the published files as it left them, there is nothing to do.

The site-wide stages run over small per-story entries; pages hold stories as refs
(keyed by what the story's view is made from: its file's key and its setting). The plan of the pages is kept
(pages/memory.py: in the cache for `build`, in memory for `serve`) and made anew only
when what decides which pages exist moved; after an edit of a story's text, only the
pages holding it are keyed again.
Every page has a key: a digest of every value in its context; the template stage
(theme/rendering.py) renders only pages whose key, with the templates', moved, and
only their stories' views are built, from their rendered text read on demand.
"""

from __future__ import annotations

import gc
import os
import time
from collections.abc import Callable, Collection, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from functools import partial
from pathlib import Path

from briefgen.change.record import BuildRecord, SearchPart, last_build, option_values, save_record
from briefgen.change.trace import is_folder, recording
from briefgen.core.diagnostics import Diagnostics
from briefgen.core.layout import CACHE_DIR
from briefgen.core.layout import CONTENT_DIR
from briefgen.core.progress import SILENT, Progress
from briefgen.core.urls import Linker, OutputFile, output_file
from briefgen.output.guard import check_output_dir
from briefgen.output.lock import one_build_at_a_time
from briefgen.output.writer import read_published, write_site
from briefgen.pages.memory import RenderMemory, keep_plan, kept_plan, plan_site
from briefgen.pages.plan import Page
from briefgen.pages.views import StoryRef, branding
from briefgen.search.pagefind import index_partitions, partition_key, partition_paths, partitions_file
from briefgen.settings.config import (CONFIG_FILE, SiteConfig, load_config, warn_default_base_url,
                                      warn_local_requirement)
from briefgen.settings.outlets import load_registry
from briefgen.core.model import HeldBack
from briefgen.site.assemble import Publishing, Site
from briefgen.story.content import StoryFile, read_stories, rendered_story, scan_content
from briefgen.story.editorial import site_warnings
from briefgen.story.entry import StoryEntry
from briefgen.story.store import StoryStore
from briefgen.theme.static import refuse_collisions, static_files, theme_files
from briefgen.theme.rendering import PageRenderer, render_stage
from briefgen.theme.templates import load_theme, template_fingerprint


# serve forgets the views of stories gone or edited since whenever it plans the site anew, or once it holds this
# many more views than the site has stories: not on every save, which would walk every page
STALE_VIEWS = 1000


@dataclass(frozen=True)
class BuildOptions:
    site_dir: Path = Path(".")
    output_dir: Path | None = None  # default: the config's output_dir, below the site
    base_url: str | None = None
    drafts: bool = False
    future: bool = False  # include stories dated after `now`
    strict: bool = False
    now: datetime | None = None  # what "future" and "expired" are judged against; default: the clock
    cache: bool = True  # `build` keeps stories and a record of the build in .briefgen-cache/
    jobs: int = 0  # processes for the per-story and per-page work; 0: the machine's cores, when worth it
    progress: Progress = SILENT

    def __post_init__(self) -> None:
        """Paths made absolute (not resolved: a writer's link keeps its name), so nothing a build keeps
        depends on the folder it ran from."""
        object.__setattr__(self, "site_dir", Path(os.path.abspath(self.site_dir)))
        if self.output_dir is not None:
            object.__setattr__(self, "output_dir", Path(os.path.abspath(self.output_dir)))

    def values(self) -> dict[str, str]:
        """What the output depends on besides the files a build reads (see change/record.py)."""
        return option_values(output_dir=self.output_dir, base_url=self.base_url, drafts=self.drafts,
                             future=self.future)


@dataclass(frozen=True)
class SearchIndex:
    """The search stage's outcome: new bundles, files of bundles kept as published, every partition."""

    files: list[OutputFile]
    kept: list[str]
    parts: dict[str, SearchPart]


@dataclass
class BuildResult:
    diagnostics: Diagnostics
    config: SiteConfig = field(default_factory=SiteConfig)
    stories: int = 0
    story_files: int = 0  # found in content/, failed ones too
    files: list[OutputFile] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)  # published files still right, not rendered again (build only)
    render_keys: dict[str, str] = field(default_factory=dict)
    pending: dict[str, Page] = field(default_factory=dict)  # pages `serve` renders when asked for (PageRenderer)
    renderer: PageRenderer | None = None
    output_dir: Path | None = None
    timings: dict[str, float] = field(default_factory=dict)
    written: bool = False
    site: Site | None = None  # the assembled site, once the stories could be read
    store: StoryStore | None = None  # where the site's stories' rendered text is
    story_pages: list[str] = field(default_factory=list)  # URL paths of the story pages, for the search index
    search: dict[str, SearchPart] = field(default_factory=dict)
    valid_until: datetime | None = None  # the output is the same for any "now" from valid_from until then
    valid_from: datetime | None = None
    unchanged: bool = False  # the inputs match the last written build: nothing was rendered or written
    held_back: HeldBack = field(default_factory=HeldBack)  # drafts and stories dated later, left out
    pages: int = 0
    notes: list[str] = field(default_factory=list)  # about the build cache, not the site: never fail a build

    @property
    def failed(self) -> bool:
        return bool(self.diagnostics.errors)


class _Timer:
    def __init__(self, timings: dict[str, float]) -> None:
        self.timings = timings
        self.last = time.perf_counter()

    def lap(self, stage: str) -> None:
        now = time.perf_counter()
        self.timings[stage] = now - self.last
        self.last = now


def load_site_config(options: BuildOptions, diagnostics: Diagnostics) -> SiteConfig:
    config = load_config(options.site_dir, diagnostics)
    return config.with_base_url(options.base_url) if options.base_url else config


def output_dir_for(options: BuildOptions, config: SiteConfig) -> Path:
    return options.output_dir or options.site_dir / config.output_dir


def generate(options: BuildOptions, store: StoryStore | None = None, last: BuildRecord | None = None,
             memory: RenderMemory | None = None, saved: Collection[Path] | None = None) -> BuildResult:
    """Every stage but the writer: the site as files in memory, or the problems found.

    Stories the store knows are not parsed again (`memory`'s store, if given, else
    `store`, else a new one in memory); the site-wide stages always run. Pages whose
    key is unchanged are not rendered again: their bytes come from `memory`, or (listed
    in `kept`) their published file in `last`, the record of the published build, stays.
    `saved`, with a `memory`: the story files a watcher saw saved since its last build,
    and nothing else (see scan_content).
    """
    with _collector_paused():
        result = _generate(options, memory.store if memory is not None else store or StoryStore(), last, memory,
                           saved)
    result.diagnostics.drop_warnings(result.config.ignore_warnings)
    return result


def _generate(options: BuildOptions, store: StoryStore, last: BuildRecord | None,
              memory: RenderMemory | None, saved: Collection[Path] | None) -> BuildResult:
    diagnostics = Diagnostics()
    result = BuildResult(diagnostics, store=store)
    timer = _Timer(result.timings)
    config = result.config = load_site_config(options, diagnostics)
    linker = Linker(config.base_url, config.base_path)
    theme = load_theme(options.site_dir, config.theme, linker, diagnostics, config.line("theme"))
    brand = branding(config, linker, theme.assets if theme is not None else {})
    content_dir = options.site_dir / CONTENT_DIR
    if not is_folder(content_dir):
        diagnostics.error(content_dir, 0, "there is no content/ folder",
                          "run briefgen in the site's folder, or point to it with `-s DIR`; "
                          "`briefgen new \"Title\"` starts a first story", "no-content-folder")
        return result
    errors_before = len(diagnostics.errors)
    registry = load_registry(options.site_dir, diagnostics)
    registry_sound = len(diagnostics.errors) == errors_before
    timer.lap("config")
    files, scan = scan_content(content_dir, config, store, diagnostics, memory.scan if memory else None, saved)
    if memory is not None:
        memory.scan = scan
    result.story_files = len(files)
    now = options.now or datetime.now(timezone.utc)
    templates = template_fingerprint(theme) if theme is not None else ""
    sources = static_files(theme) if theme is not None else {}
    static = theme_files(theme, sources, diagnostics) if theme is not None else []
    if options.base_url is None:
        warn_default_base_url(options.site_dir, config, diagnostics)
    warn_local_requirement(options.site_dir, diagnostics)
    entries = read_stories(files, config, diagnostics, store, options.jobs, options.progress)
    timer.lap("stories")
    publishing = Publishing(now, options.drafts, options.future)
    result.held_back = publishing.held_back(entries)
    load = partial(rendered_story, store=store, config=config)
    kept = memory.plan if memory is not None else None
    if kept is None and store.folder is not None:  # serve's first build starts from the plan build kept
        kept = kept_plan(store.folder, store.notes)
    plan, views, fresh = plan_site(kept, config, registry, entries, publishing, linker, load, brand, diagnostics,
                                   memory.views if memory is not None else None)
    if memory is not None:
        memory.plan = plan
    elif fresh and store.folder is not None:
        keep_plan(store.folder, plan, store.notes)
    site, pages = plan.site, plan.pages
    unread = _unread_slugs(files, entries) if len(entries) < len(files) else frozenset()
    site_warnings(config, registry if registry_sound else None, entries,
                  [entry for entry in entries if publishing.publishes(entry)], diagnostics, unread)
    result.site = site
    result.valid_from, result.valid_until = _changes_around(entries, now)
    if memory is not None and (fresh or len(views.memo) > len(site.stories) + STALE_VIEWS):
        views.forget_except({ref.key for page in pages
                             if isinstance(ref := page.context.get("story"), StoryRef)})
    timer.lap("assemble")
    if theme is None:
        return result
    rendered = render_stage(theme, templates, pages, views, diagnostics, memory,
                            last.render_keys if last is not None else {}, options.jobs, options.progress)
    refuse_collisions(sources, static, rendered.keys, diagnostics)
    result.files = static + rendered.files
    result.kept, result.render_keys = rendered.kept, rendered.keys
    result.pending, result.renderer = rendered.pending, rendered.renderer
    result.story_pages = [page.path for page in pages if page.template == "story.html"]
    result.stories = len(site.stories)
    result.pages = sum(1 for path in rendered.keys if path.endswith(".html"))
    timer.lap("templates")
    return result


def build(options: BuildOptions) -> BuildResult:
    """Generate the site and, if nothing failed, write it into the output folder, one build of a site
    at a time (output/lock.py).

    Unless `options.cache` is off, the build uses and updates the site's `.briefgen-cache/`:
    when the record of the last build still holds (change/record.py), nothing is generated
    or written and its diagnostics are reported as they were.
    """
    config = load_site_config(options, Diagnostics())
    output_dir = output_dir_for(options, config)
    if not check_output_dir(options.site_dir, output_dir, Diagnostics()):
        return _build(options, config)  # refused, and said so: no lock file beside a folder briefgen must not touch
    with one_build_at_a_time(output_dir), _collector_paused():  # the cache and the writer's work too
        return _build(options, config)


def _build(options: BuildOptions, config: SiteConfig) -> BuildResult:
    store = StoryStore(options.site_dir / CACHE_DIR if options.cache else None)
    output_dir = output_dir_for(options, config)
    last = last_build(store.folder, output_dir, store.notes) if store.folder is not None else None
    if last is not None and last.still_holds(options.values(), options.now or datetime.now(timezone.utc)):
        result = _unchanged(last, config)
    else:
        with recording() as trace:
            result = generate(options, store, last)
    diagnostics = result.diagnostics
    ok = check_destination(options, result)
    output_dir = output_dir_for(options, result.config)
    store.save()
    result.notes.extend(store.notes)
    if not ok or result.failed or (options.strict and diagnostics.warnings):
        return result
    if result.unchanged:
        result.written = True
        return result
    if result.config.search:
        start = time.perf_counter()
        published = partial(read_published, output_dir, last.written) if last is not None else None
        search = index_search(result, last.search if last is not None else {}, published,
                              options.site_dir / CONFIG_FILE, options.progress)
        result.timings["search"] = time.perf_counter() - start
        if search is None:
            return result
        result.files, result.kept, result.search = result.files + search.files, result.kept + search.kept, search.parts
    start = time.perf_counter()
    options.progress.start("writing", len(result.files))
    try:
        written = write_site(output_dir, _counted(result.files, options.progress), result.kept,
                             last.written if last is not None else None)
    except OSError as error:  # the disk full, a read-only folder, no permission: the old site stays published
        options.progress.finish()
        diagnostics.error(error.filename or output_dir, 0, f"cannot write the site: {error.strerror or error}",
                          "free some space or make the folder writable, then build again; the site published "
                          "before is as it was", "write-failed")
        return result
    options.progress.finish()
    result.timings["write"] = time.perf_counter() - start
    result.written = True
    if store.folder is not None:
        trace.values = options.values()
        record = BuildRecord(trace, result.valid_until, str(output_dir.resolve()), result.stories, result.pages,
                             tuple(result.diagnostics.items), written, result.render_keys, result.search,
                             result.held_back, result.valid_from)
        save_record(store.folder, record, result.notes)
    return result


def _unchanged(last: BuildRecord, config: SiteConfig) -> BuildResult:
    """The outcome of a build whose inputs are all as the last one read them: its diagnostics, alone."""
    return BuildResult(Diagnostics(list(last.diagnostics)), config, stories=last.stories, pages=last.pages,
                       unchanged=True, held_back=last.held_back)


def check_destination(options: BuildOptions, result: BuildResult) -> bool:
    """Whether the output folder may be replaced: else an error in the result, as `check` reports too."""
    result.output_dir = output_dir_for(options, result.config)
    return check_output_dir(options.site_dir, result.output_dir, result.diagnostics,
                            _output_dir_named_at(options, result.config))


def _output_dir_named_at(options: BuildOptions, config: SiteConfig) -> tuple[Path, int] | None:
    """Where briefgen.yaml chooses the output folder, unless `-o` chose it."""
    line = config.line("output_dir")
    return (options.site_dir / CONFIG_FILE, line) if options.output_dir is None and line else None


def _unread_slugs(files: list[StoryFile], entries: list[StoryEntry]) -> frozenset[str]:
    """The slugs, as far as their file names tell, of the story files that could not be read."""
    return frozenset(file.path.stem for file in files) - {entry.path.stem for entry in entries}


def _changes_around(entries: list[StoryEntry], now: datetime) -> tuple[datetime | None, datetime | None]:
    """The last moment at or before `now` and the first after it at which a story starts being published
    or listed, or stops being listed: between them, any "now" builds the same site."""
    moments = [moment.instant for entry in entries for moment in (entry.date, entry.expires) if moment is not None]
    return (max((moment for moment in moments if moment <= now), default=None),
            min((moment for moment in moments if moment > now), default=None))


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause Python's cycle collector for a build.

    A build makes millions of small objects that live until it ends; the
    collector would walk all of them again and again as they pile up (a third
    of a 10,000-story build's time, growing with the site; a third of a one-edit
    build's too, while it reads and saves the cache). It runs again after.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def index_search(result: BuildResult, published: dict[str, SearchPart],
                 read_published: Callable[[str], bytes | None] | None, config_file: Path,
                 progress: Progress = SILENT) -> SearchIndex | None:
    """The search index of the story pages: a partition whose pages' keys are those it was made
    from keeps its files (`published`); the others are indexed again, from the pages' bytes in
    `result.files` or, for pages kept as published, read back (`read_published`).
    None (with an error in the result's diagnostics) if Pagefind failed.
    """
    partitions = partition_paths(result.story_pages)
    keys = {name: partition_key(name, ((path, result.render_keys[output_file(path)]) for path in paths),
                                result.config.language)
            for name, paths in partitions.items()}
    kept = {name: published[name] for name, key in keys.items() if name in published and published[name].key == key}
    fresh = {file.path: file.data for file in result.files}
    stale: dict[str, list[tuple[str, bytes]]] = {}
    for name in keys.keys() - kept.keys():
        pages = [(path, _page_bytes(output_file(path), fresh, read_published)) for path in partitions[name]]
        stale[name] = [(path, data) for path, data in pages if data is not None]
        if len(stale[name]) < len(pages):
            result.diagnostics.error(config_file, 0, "a published story page changed while the site was built",
                                     "build again; if it happens again, `briefgen clean` and build",
                                     "changed-during-build")
            return None
    progress.start("search index", len(stale))
    bundles = index_partitions(stale, result.config.language, result.diagnostics, config_file, progress.advance)
    progress.finish()
    if bundles is None:
        return None
    parts = {**kept, **{name: SearchPart(keys[name], tuple(file.path for file in files))
                        for name, files in bundles.items()}}
    files = [file for bundle in bundles.values() for file in bundle] + [partitions_file(sorted(parts))]
    return SearchIndex(files, [path for part in kept.values() for path in part.files], parts)


def _counted(files: list[OutputFile], progress: Progress) -> Iterator[OutputFile]:
    for file in files:
        yield file
        progress.advance()


def _page_bytes(path: str, fresh: dict[str, bytes], read_published: Callable[[str], bytes | None] | None,
                ) -> bytes | None:
    if path in fresh:
        return fresh[path]
    return read_published(path) if read_published is not None else None


