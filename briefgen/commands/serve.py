"""`briefgen serve`: a live preview, rebuilt in memory on every save and pushed to open pages.

A batch of changes runs the build's own stages (`generate`) with one long-lived
story cache: only changed stories are parsed and rendered again (none for a
template or most `briefgen.yaml` edits), while the cheap site-wide stages run in
full, so no page can miss a change. A page goes through its template only when a
browser first asks for it (preview_site.py), and again after a change only if a
browser was shown it and its key (its templates and everything it shows) moved;
else its bytes come from the render memory. So serve answers once the site is
planned, not rendered. A story file is read again only when the watcher reported
it or its stamp (mtime, size, inode) changed, and the templates stay compiled until
one changes. Editing a static file only copies it in. The last good site stays in memory and is served from there; a
request waits for the rebuild in flight, so no page is ever half-built or stale.
Open pages learn about new builds through server-sent events (one connection for
all tabs, see livereload.js); a failed rebuild puts an overlay listing its
problems on every page, over the last good site.
"""

from __future__ import annotations

import re
import secrets
import sys
import threading
import time
import traceback
import webbrowser
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from watchdog.observers.api import BaseObserver

from briefgen.build import (BuildOptions, BuildResult, generate, index_search, load_site_config, output_dir_for)
from briefgen.change.record import SearchPart
from briefgen.commands.livereload import (Change, Debouncer, FileEvent, SourceChange, classify, saved_since,
                                          start_watching)
from briefgen.commands.preview_http import (RELOAD, SWAP_STYLESHEETS, UPDATE, Snapshot, bind, say, site_url,
                                            unrenderable_page, warn_if_exposed)
from briefgen.commands.preview_site import SiteFiles, changed_paths
from briefgen.core.diagnostics import Diagnostic, Diagnostics, display_path, plural, tally
from briefgen.core.layout import CACHE_DIR
from briefgen.core.urls import Linker
from briefgen.pages.memory import RenderMemory
from briefgen.pages.plan import Page
from briefgen.search.pagefind import BUNDLE_DIR
from briefgen.settings.config import CONFIG_FILE
from briefgen.story.store import StoryStore
from briefgen.theme.templates import builtin_themes_dir, load_theme


MAX_LISTED_PAGES = 500  # more changed pages (a template or config edit) and every open page reloads
HEAD_TAG, MAIN_TAG = re.compile(rb"<head\b[^>]*>", re.IGNORECASE), re.compile(rb"<main\b[^>]*>", re.IGNORECASE)
REQUEST_WAIT = 30.0  # a request waits at most this long for a rebuild in flight
SEARCH_QUIET_SECONDS = 1.0  # search is indexed once saves pause this long, so a rebuild never waits on it


@dataclass(frozen=True)
class ServeOptions:
    site_dir: Path = Path(".")
    host: str = "127.0.0.1"
    port: int = 8000
    drafts: bool = True
    future: bool = False
    base_url: str | None = None  # the address pages link to, its port the server's if it names none
    poll: bool = False
    open_browser: bool = False


class _Superseded(Exception):
    """A newer build was shown while its predecessor's pages were being indexed for search."""


@dataclass
class SearchMemory:
    """The search index serve shows: its partitions and their files; one indexing at a time."""

    parts: dict[str, SearchPart] = field(default_factory=dict)
    files: dict[str, bytes] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)


class LivePreview:
    """The newest site in memory, rebuilt from each batch of source changes."""

    def __init__(self, options: BuildOptions, search_in_background: bool = False) -> None:
        self.options = options
        # Stories read from what `build` left, never saved; pages rendered as they are asked for.
        self.memory = RenderMemory(StoryStore(options.site_dir / CACHE_DIR), lazy=True)
        self.search_in_background = search_in_background
        self.search = SearchMemory()
        self.changes: Debouncer[SourceChange] = Debouncer(self._rebuild_after)
        self.config = load_site_config(options, Diagnostics())  # the last build's
        self.output_dir = output_dir_for(options, self.config)
        self.rebuilds = 0
        self.problems = ProblemLog()
        self._boot = secrets.token_hex(4)
        self._generation = 0
        self._builds_shown = 0  # builds passed to publish: a search index is shown only with its build
        self._condition = threading.Condition()
        self._rendering = threading.RLock()  # a build, or a page rendered as it is asked for: one at a time
        self._snapshot = Snapshot(SiteFiles({}), (), self._token(), self._token(), RELOAD)

    def receive(self, event: FileEvent) -> None:
        """A file event from the watcher: queue it if it matters to the site."""
        change = classify(event, self.options.site_dir.resolve(), self.output_dir.resolve(),
                          (builtin_themes_dir().resolve(),))
        if change is not None:
            self.changes.add(SourceChange(change, event.path))

    def build(self, saved: list[Path] | None = None) -> BuildResult:
        """Build the whole site (the first build, or after any change; `saved`: after saves of the
        story files it names and nothing else) and publish the outcome."""
        try:
            with self._rendering:
                result = generate(self.options, memory=self.memory, saved=saved)
        except Exception as error:  # noqa: BLE001 - a bug in briefgen must not stop the preview
            traceback.print_exc()
            result = BuildResult(crash_diagnostics(error))
        self.config = result.config
        self.output_dir = output_dir_for(self.options, result.config)
        return result

    def current(self) -> Snapshot:
        """The newest site, once the rebuild in flight (if any) is done."""
        self.changes.wait_idle(REQUEST_WAIT)
        with self._condition:
            return self._snapshot

    def next_snapshot(self, token: str, timeout: float) -> Snapshot | None:
        """The snapshot once it differs from `token`; None if nothing changed within `timeout`."""
        with self._condition:
            changed = self._condition.wait_for(lambda: self._snapshot.token != token, timeout)
            return self._snapshot if changed else None

    def publish(self, result: BuildResult, changes: list[SourceChange]) -> int:
        """Show a build's outcome; return how many output files changed.

        With search on, the last search index stays in the site until a background thread has
        indexed the new pages (the pages do not wait for it).
        """
        if result.failed:
            return self._show(None, tuple(result.diagnostics.sorted()), changes)
        search = self.search.files if result.config.search else {}
        with self._condition:  # a reentrant lock: _show takes it too
            self._builds_shown += 1
            shown = self._builds_shown
            changed = self._show(self._site_files(result).with_files(search), (), changes)
        if result.config.search and self.search_in_background:
            threading.Thread(target=self._index, args=(result, shown), daemon=True).start()
        return changed

    def _index(self, result: BuildResult, shown: int) -> None:
        """Index the pages of `result` for search, then put the index in the site unless a newer build
        was shown since (its own indexing follows).

        It waits for the saves to pause (SEARCH_QUIET_SECONDS) and gives up as soon as a newer build is
        shown: the pages it renders for the index share this process, and a save's rebuild must not
        share it with them."""
        if not self._quiet_after(shown):
            return
        with self.search.lock:
            before = len(result.diagnostics.items)
            site_files = self._site_files(result)

            def page(path: str) -> bytes | None:
                if self._builds_shown != shown or self.changes.busy():
                    raise _Superseded
                return site_files.get(path)
            try:
                index = index_search(result, self.search.parts, page, self.options.site_dir / CONFIG_FILE)
            except _Superseded:
                return
            if index is None:
                for diagnostic in result.diagnostics.items[before:]:
                    print(diagnostic.format(), file=sys.stderr, flush=True)
                return
            files = {path: self.search.files[path] for path in index.kept}
            files.update((file.path, file.data) for file in index.files)
            self.search.parts, self.search.files = index.parts, files
            with self._condition:
                if self._builds_shown != shown:
                    return
                self._show(self._snapshot.files.without(f"{BUNDLE_DIR}/").with_files(files), (), [])

    def _quiet_after(self, shown: int) -> bool:
        """Whether no newer build than `shown` came, nor a change to build, for SEARCH_QUIET_SECONDS."""
        with self._condition:
            newer = self._condition.wait_for(lambda: self._builds_shown != shown, SEARCH_QUIET_SECONDS)
        return not newer and not self.changes.busy()

    def _site_files(self, result: BuildResult) -> SiteFiles:
        """A build's files as the preview shows them: its pages left pending rendered when first asked for."""
        return SiteFiles({file.path: file.data for file in result.files}, result.pending, result.render_keys,
                         partial(self._render_pending, result), self.memory.shown.add)

    def _render_pending(self, result: BuildResult, path: str, page: Page) -> bytes:
        """A page `result` left pending, through its template now (or from memory, if the search index
        had it rendered).

        A build that came meanwhile may have replaced the snapshot the request began with: the page is
        still `result`'s, and the open page hears of the newer build as any page does."""
        with self._rendering:
            key = result.render_keys[path]
            known = self.memory.pages.get(path)
            if known is None or known[0] != key:
                assert result.renderer is not None, "a build with pending pages has their renderer"
                data, problems = result.renderer.render(page)
                for problem in problems:
                    print(problem.format(), file=sys.stderr, flush=True)
                if data is None:
                    return unrenderable_page(problems)
                known = self.memory.pages[path] = (key, data)
            return known[1]

    def _show(self, new_files: SiteFiles | None, problems: tuple[Diagnostic, ...],
              changes: list[SourceChange]) -> int:
        """Make these the files (None: keep the last good ones) and problems every request sees."""
        with self._condition:
            old = self._snapshot
            files = old.files if new_files is None else new_files
            changed = changed_paths(old.files, files)
            if not changed and problems == old.problems:
                return 0
            self._generation += 1
            action, pages = catch_up(old, files, changed, problems, changes)
            self._snapshot = Snapshot(files, problems, self._token(), old.token, action, pages)
            self._condition.notify_all()
            return len(changed)

    def _rebuild_after(self, changes: list[SourceChange]) -> None:
        start = time.perf_counter()
        copied = self._with_static_copied(changes)
        if copied is not None:
            self.rebuilds += 1
            changed = self._show(copied, (), changes)
            say(f"rebuild {self.rebuilds} ({describe_changes(changes)}): copied, {changed} files changed, "
                f"{time.perf_counter() - start:.2f} s")
            return
        for change in changes:
            self.memory.store.forget_file(change.path)
        stories_only = all(change.change is Change.STORY for change in changes)
        result = self.build([change.path for change in changes] if stories_only else None)
        self.rebuilds += 1
        if result.failed and self.changes.has_pending():
            # Likely a file read mid-save; the next rebuild, already due, decides what to show.
            say(f"rebuild {self.rebuilds} ({describe_changes(changes)}): failed, but newer changes follow")
            return
        changed = self.publish(result, changes)
        problems = self.problems.report(result)
        outcome = (f"failed ({tally(result.diagnostics.items)}); the last good pages stay up"
                   if result.failed else f"{changed} files changed")
        say(f"rebuild {self.rebuilds} ({describe_changes(changes)}): {outcome}, "
            f"{time.perf_counter() - start:.2f} s" + (f" ({problems})" if problems else ""))

    def _with_static_copied(self, changes: list[SourceChange]) -> SiteFiles | None:
        """The site with edited static files copied in, when that is all the changes need; else None.

        Only for edits of files already in the site, when the last build succeeded; a theme's
        `assets/` are fingerprinted, so pages name them and they take a build.
        """
        with self._condition:
            snapshot = self._snapshot
        if snapshot.problems or not all(c.change in (Change.STATIC, Change.STYLESHEET) for c in changes):
            return None
        linker = Linker(self.config.base_url, self.config.base_path)
        theme = load_theme(self.options.site_dir, self.config.theme, linker, Diagnostics())
        if theme is None:
            return None
        copied: dict[str, bytes] = {}
        for change in changes:
            name = static_output_name(change.path, theme.static_dirs)
            if name is None or name not in snapshot.files:
                return None
            try:
                copied[name] = change.path.read_bytes()
            except OSError:  # gone or unreadable: the build reports it
                return None
        return snapshot.files.with_files(copied)

    def _token(self) -> str:
        return f"{self._boot}-{self._generation}"


def static_output_name(path: Path, static_dirs: tuple[Path, ...]) -> str | None:
    """The output file a static source is copied to, unless it is not one or a later folder's file wins."""
    source = path.resolve()
    for index, folder in enumerate(static_dirs):
        if source.is_relative_to(folder.resolve()):
            name = source.relative_to(folder.resolve()).as_posix()
            overridden = any((later / name).exists() for later in static_dirs[index + 1:])
            return None if overridden else name
    return None


def catch_up(old: Snapshot, files: SiteFiles, changed: list[str], problems: tuple[Diagnostic, ...],
             changes: list[SourceChange]) -> tuple[str, dict[str, str]]:
    """How a page showing `old` catches up with `files`: the action, and with UPDATE what each changed page does."""
    if problems or old.problems:
        return RELOAD, {}  # the overlay comes and goes with the page
    kinds = {change.change for change in changes}
    if kinds == {Change.STYLESHEET}:
        return SWAP_STYLESHEETS, {}
    if kinds & {Change.STATIC, Change.STYLESHEET}:
        return RELOAD, {}  # a copied file keeps its name, so any page may show its old bytes
    pages = [path for path in changed if path.endswith(".html")]
    if len(pages) > MAX_LISTED_PAGES:
        return RELOAD, {}
    # A page pending in either build is in no open tab (a page shown is rendered on every build).
    return UPDATE, {path: UPDATE if same_frame(old.files.ready(path), files.ready(path)) else RELOAD
                    for path in pages}


def same_frame(old: bytes | None, new: bytes | None) -> bool:
    """Whether two versions of a page differ only inside <head> and <main>."""
    if old is None or new is None:
        return False
    old_frame = page_frame(old)
    return old_frame is not None and old_frame == page_frame(new)


def page_frame(page: bytes) -> tuple[bytes, bytes, bytes] | None:
    """A page without the contents of its <head> and <main>, which an open page can take in place.

    None when the page has no such parts (closing tags are looked for in lower case only).
    """
    head, head_end = HEAD_TAG.search(page), page.find(b"</head>")
    if head is None or head_end < head.end():
        return None
    main, main_end = MAIN_TAG.search(page, head_end), page.rfind(b"</main>")
    if main is None or main_end < main.end():
        return None
    return page[:head.end()], page[head_end:main.end()], page[main_end:]


def crash_diagnostics(error: Exception) -> Diagnostics:
    diagnostics = Diagnostics()
    diagnostics.error("briefgen", 0, f"internal error: {type(error).__name__}: {error}",
                      "this is a bug in briefgen, not in the site; the traceback is in the terminal", "internal-error")
    return diagnostics


def describe_changes(changes: list[SourceChange]) -> str:
    paths = sorted({display_path(change.path) for change in changes})
    if len(paths) <= 2:
        return ", ".join(paths)
    return f"{paths[0]} and {len(paths) - 1} more"


@dataclass
class ProblemLog:
    """What serve has printed of the site's problems: each rebuild prints only the new ones, and
    says how many are as before and how many went away, instead of every warning of every file."""

    printed: set[str] = field(default_factory=set)

    def report(self, result: BuildResult) -> str:
        """Print the problems not printed before; the words for the rebuild's line ("" if none)."""
        now = [diagnostic.format() for diagnostic in result.diagnostics.sorted()]
        for text in now:
            if text not in self.printed:
                print(text, file=sys.stderr, flush=True)
        before = sum(1 for text in now if text in self.printed)
        gone = len(self.printed - set(now))
        self.printed = set(now)
        said = [f"{plural(before, 'problem')} as before" if before else "", f"{gone} gone" if gone else ""]
        return ", ".join(part for part in said if part)


# --- Answering requests -------------------------------------------------------------------------


# --- The command --------------------------------------------------------------------------------

def serve(options: ServeOptions) -> int:
    """Build, serve and watch until Ctrl-C. Returns the exit status."""
    server = bind(options.host, options.port)
    if server is None:
        return 1
    url = site_url(server, options.host, options.base_url)
    preview = LivePreview(BuildOptions(site_dir=options.site_dir, base_url=url, drafts=options.drafts,
                                       future=options.future), search_in_background=True)
    server.preview = preview
    watched = [options.site_dir, *([] if _inside(builtin_themes_dir(), options.site_dir)
                                   else [builtin_themes_dir()])]
    folders = [folder for folder in watched if folder.is_dir()]
    watching = Watching(preview, folders, options.poll)
    try:
        first_build(preview)  # before any thread starts, so it may fork workers over all cores
        threading.Thread(target=watching.start, name="briefgen-watch", daemon=True).start()  # pages meanwhile
        warn_if_exposed(options.host)
        say(f"serving {url} ({'drafts shown' if options.drafts else 'drafts hidden'}"
            f"{', future stories shown' if options.future else ''}); "
            f"watching {display_path(options.site_dir)} for changes; Ctrl-C to stop")
        if options.open_browser:
            webbrowser.open(url)
        server.serve_forever()
    except KeyboardInterrupt:
        say("stopped")
    finally:
        watching.stop()
        server.server_close()
    return 0


@dataclass
class Watching:
    """The watcher and the rebuild loop, started once the first build is shown: setting up the watches
    of a large site takes a while, and pages are answered meanwhile. Saves made since the first build
    began are found by their mtime (saved_since), so none is missed."""

    preview: LivePreview
    folders: list[Path]
    poll: bool
    started_ns: int = field(default_factory=time.time_ns)
    observer: BaseObserver | None = None
    _stopping: threading.Event = field(default_factory=threading.Event)

    def start(self) -> None:
        skip = [self.preview.output_dir]  # the writer's folders beside it are hidden ones, skipped anyway
        observer = start_watching(self.folders, self.preview.receive, self.poll, skip)
        for path in saved_since(self.folders, self.started_ns, skip):
            self.preview.receive(FileEvent("modified", path))
        self.observer = observer
        if self._stopping.is_set():
            observer.stop()
            return
        self.preview.changes.run()

    def stop(self) -> None:
        self._stopping.set()
        self.preview.changes.stop()
        if self.observer is not None:
            self.observer.stop()


def first_build(preview: LivePreview) -> None:
    start = time.perf_counter()
    result = preview.build()
    preview.publish(result, [])
    preview.problems.report(result)
    if result.failed:
        say("the site has problems (above); the preview shows them and rebuilds on every save")
    else:
        stories = plural(result.stories, "story", "stories")
        say(f"built {stories}, {len(result.files) + len(result.pending)} files in {time.perf_counter() - start:.2f} s"
            + (f" ({len(result.pending)} pages rendered when first asked for)" if result.pending else ""))
    for note in result.held_back.notes():
        say(f"  {note}")


def _inside(path: Path, folder: Path) -> bool:
    return path.resolve().is_relative_to(folder.resolve())
