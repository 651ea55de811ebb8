"""`briefgen serve`: a live preview, rebuilt in memory on every save and pushed to open pages.

A batch of changes runs the build's own stages (`generate`) with one long-lived
story cache: only changed stories are parsed and rendered again (none for a
template or most `briefgen.yaml` edits), while the cheap site-wide stages run in
full, so no page can miss a change; a page goes through its template again only
when its key (its templates and everything it shows) changed, else its bytes come
from the render memory. A story file is read again only when the watcher reported
it or its stamp (mtime, size, inode) changed, and the templates stay compiled until
one changes. Editing a static file only copies it in. The last good site stays in memory and is served from there; a
request waits for the rebuild in flight, so no page is ever half-built or stale.
Open pages learn about new builds through server-sent events (one connection for
all tabs, see livereload.js); a failed rebuild puts an overlay listing its
problems on every page, over the last good site.
"""

from __future__ import annotations

import errno
import html
import ipaddress
import json
import mimetypes
import os
import re
import secrets
import socket
import sys
import threading
import time
import traceback
import webbrowser
from collections.abc import Mapping
from contextlib import suppress
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from briefgen.build import (BuildOptions, BuildResult, RenderMemory, generate, index_search, load_site_config,
                            output_dir_for)
from briefgen.change.cache import CACHE_DIR
from briefgen.change.record import SearchPart
from briefgen.commands.livereload import (Change, Debouncer, FileEvent, SourceChange, classify,
                                 start_watching)
from briefgen.core.diagnostics import Diagnostic, Diagnostics, display_path
from briefgen.core.headers import SECURITY_HEADERS
from briefgen.core.urls import NOT_FOUND, Linker, output_file
from briefgen.search.pagefind import BUNDLE_DIR
from briefgen.settings.config import CONFIG_FILE
from briefgen.story.store import StoryStore
from briefgen.theme.templates import builtin_themes_dir, load_theme

INTERNAL = "/__briefgen/"  # the dev server's own files; never part of a built site
EVENTS = INTERNAL + "events"
CLIENT_FILES = {  # URL name -> (file beside this module, content type)
    "livereload.js": ("livereload.js", "text/javascript; charset=utf-8"),
    "livereload-worker.js": ("livereload-worker.js", "text/javascript; charset=utf-8"),
    "overlay.css": ("livereload.css", "text/css; charset=utf-8"),
}
RELOAD, SWAP_STYLESHEETS, UPDATE = "reload", "stylesheets", "update"
MAX_LISTED_PAGES = 500  # more changed pages (a template or config edit) and every open page reloads
HEAD_TAG, MAIN_TAG = re.compile(rb"<head\b[^>]*>", re.IGNORECASE), re.compile(rb"<main\b[^>]*>", re.IGNORECASE)
REQUEST_WAIT = 30.0  # a request waits at most this long for a rebuild in flight
IDLE_SECONDS = 30.0  # longer than KEEPALIVE, so an open event stream is never idle
KEEPALIVE = 15.0  # seconds between comments on an idle event stream, to notice closed tabs
PORT_TRIES = 10
CONTENT_TYPES = {
    ".html": "text/html", ".css": "text/css", ".js": "text/javascript", ".xml": "application/xml",
    ".json": "application/json", ".txt": "text/plain", ".svg": "image/svg+xml",
    ".webmanifest": "application/manifest+json", ".woff2": "font/woff2",
}
TEXT_TYPES = ("text/", "application/xml", "application/json", "application/manifest+json", "image/svg+xml")


@dataclass(frozen=True)
class ServeOptions:
    site_dir: Path = Path(".")
    host: str = "127.0.0.1"
    port: int = 8000
    drafts: bool = True
    future: bool = False
    poll: bool = False
    open_browser: bool = False


@dataclass(frozen=True)
class Snapshot:
    """What the server shows: the last good site, and the newest rebuild's problems if it failed."""

    files: Mapping[str, bytes]
    problems: tuple[Diagnostic, ...]
    token: str  # changes whenever what a page shows changes
    previous: str  # the token before
    action: str  # how a page showing `previous` catches up: RELOAD, SWAP_STYLESHEETS or UPDATE
    # With UPDATE, each changed page (its output file) -> UPDATE (its <head> and <main> in place) or RELOAD;
    # a page not listed did not change.
    pages: Mapping[str, str] = field(default_factory=dict)

    def message(self) -> str:
        return json.dumps({"token": self.token, "previous": self.previous, "action": self.action,
                           "pages": dict(self.pages)})


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
        self.memory = RenderMemory(StoryStore(options.site_dir / CACHE_DIR))  # read what `build` left, never saved
        self.search_in_background = search_in_background
        self.search = SearchMemory()
        self.changes: Debouncer[SourceChange] = Debouncer(self._rebuild_after)
        self.config = load_site_config(options, Diagnostics())  # the last build's
        self.output_dir = output_dir_for(options, self.config)
        self.rebuilds = 0
        self._boot = secrets.token_hex(4)
        self._generation = 0
        self._builds_shown = 0  # builds passed to publish: a search index is shown only with its build
        self._condition = threading.Condition()
        self._snapshot = Snapshot({}, (), self._token(), self._token(), RELOAD)

    def receive(self, event: FileEvent) -> None:
        """A file event from the watcher: queue it if it matters to the site."""
        change = classify(event, self.options.site_dir.resolve(), self.output_dir.resolve(),
                          (builtin_themes_dir().resolve(),))
        if change is not None:
            self.changes.add(SourceChange(change, event.path))

    def build(self) -> BuildResult:
        """Build the whole site (the first build, or after any change) and publish the outcome."""
        try:
            result = generate(self.options, memory=self.memory)
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
            changed = self._show({**{file.path: file.data for file in result.files}, **search}, (), changes)
        if result.config.search and self.search_in_background:
            threading.Thread(target=self._index, args=(result, shown), daemon=True).start()
        return changed

    def _index(self, result: BuildResult, shown: int) -> None:
        """Index the pages of `result` for search, then put the index in the site unless a newer build
        was shown since (its own indexing follows)."""
        with self.search.lock:
            before = len(result.diagnostics.items)
            index = index_search(result, self.search.parts, None, self.options.site_dir / CONFIG_FILE)
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
                pages = {path: data for path, data in self._snapshot.files.items()
                         if not path.startswith(f"{BUNDLE_DIR}/")}
                self._show({**pages, **files}, (), [])

    def _show(self, new_files: Mapping[str, bytes] | None, problems: tuple[Diagnostic, ...],
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
        result = self.build()
        self.rebuilds += 1
        if result.failed and self.changes.has_pending():
            # Likely a file read mid-save; the next rebuild, already due, decides what to show.
            say(f"rebuild {self.rebuilds} ({describe_changes(changes)}): failed, but newer changes follow")
            return
        changed = self.publish(result, changes)
        report_diagnostics(result)
        outcome = (f"failed ({len(result.diagnostics.errors)} errors); the last good pages stay up"
                   if result.failed else f"{changed} files changed")
        say(f"rebuild {self.rebuilds} ({describe_changes(changes)}): {outcome}, "
            f"{time.perf_counter() - start:.2f} s")

    def _with_static_copied(self, changes: list[SourceChange]) -> dict[str, bytes] | None:
        """The site with edited static files copied in, when that is all the changes need; else None.

        Only for edits of files already in the site, when the last build succeeded; a theme's
        `assets/` are fingerprinted, so pages name them and they take a build.
        """
        with self._condition:
            snapshot = self._snapshot
        if snapshot.problems or not all(c.change in (Change.STATIC, Change.STYLESHEET) for c in changes):
            return None
        theme = load_theme(self.options.site_dir, self.config.theme, Linker(self.config.base_url, self.config.base_path), Diagnostics())
        if theme is None:
            return None
        files = dict(snapshot.files)
        for change in changes:
            name = static_output_name(change.path, theme.static_dirs)
            if name is None or name not in files:
                return None
            try:
                files[name] = change.path.read_bytes()
            except OSError:  # gone or unreadable: the build reports it
                return None
        return files

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


def changed_paths(old: Mapping[str, bytes], new: Mapping[str, bytes]) -> list[str]:
    """The output files added, removed or rewritten."""
    return [path for path in old.keys() | new.keys() if old.get(path) != new.get(path)]


def catch_up(old: Snapshot, files: Mapping[str, bytes], changed: list[str], problems: tuple[Diagnostic, ...],
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
    return UPDATE, {path: UPDATE if same_frame(old.files.get(path), files.get(path)) else RELOAD
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


def report_diagnostics(result: BuildResult) -> None:
    for diagnostic in result.diagnostics.sorted():
        print(diagnostic.format(), file=sys.stderr, flush=True)


def say(line: str) -> None:
    print(line, flush=True)


# --- Answering requests -------------------------------------------------------------------------

def resolve(files: Mapping[str, bytes], url: str) -> tuple[str | None, str | None]:
    """The output file a request URL names, and where to redirect instead (a folder without its '/').

    Only names present in the site in memory can match: `..`, `.`, encoded or not, a
    backslash or a NUL are refused outright, so nothing outside the output is reachable.
    """
    raw = urlsplit(url).path
    path = unquote(raw)
    if not path.startswith("/") or "\\" in path or "\0" in path:
        return None, None
    parts = path[1:].split("/")
    if any(part in (".", "..") for part in parts):
        return None, None
    name = output_file("/".join(parts))
    if name in files:
        return name, None
    if output_file(name + "/") in files:
        return None, raw + "/"
    return None, None


def content_type(name: str) -> str:
    suffix = Path(name).suffix.lower()
    kind = CONTENT_TYPES.get(suffix) or mimetypes.guess_type(name)[0] or "application/octet-stream"
    return f"{kind}; charset=utf-8" if kind.startswith(TEXT_TYPES) else kind


def inject(page: bytes, snapshot: Snapshot, name: str = "") -> bytes:
    """An HTML page as the preview serves it: with the reload script and, after a failed rebuild, the overlay.

    `name` is the output file the page is; without it (a 404 for a missing page) the page reloads
    after any change, since it cannot tell whether one brought its page.
    """
    text = page.decode("utf-8", errors="replace")
    page_name = f' data-page="{html.escape(name)}"' if name else ""
    script = (f'<script src="{INTERNAL}livereload.js" data-token="{html.escape(snapshot.token)}"{page_name} defer>'
              f"</script>\n")
    text = _insert_before(text, "</head>", script)
    if snapshot.problems:
        text = _insert_before(text, "</body>", overlay(snapshot.problems))
    return text.encode("utf-8")


def _insert_before(text: str, tag: str, snippet: str) -> str:
    at = text.lower().rfind(tag)
    return text + snippet if at < 0 else text[:at] + snippet + text[at:]


def overlay(problems: tuple[Diagnostic, ...]) -> str:
    """The problems of a failed rebuild, as `path:line: message` with hints; styled by overlay.css."""
    items = "".join(f"<li><code>{html.escape(problem.format().splitlines()[0])}</code>"
                    + (f"<p>hint: {html.escape(problem.hint)}</p>" if problem.hint else "") + "</li>\n"
                    for problem in problems)
    count = f"{len(problems)} problem{'' if len(problems) == 1 else 's'}"
    return (f'<link rel="stylesheet" href="{INTERNAL}overlay.css">\n'
            f'<aside id="briefgen-overlay" role="alert" aria-labelledby="briefgen-overlay-title">\n'
            f'<h2 id="briefgen-overlay-title">briefgen: the last rebuild failed with {count}</h2>\n'
            f"<ol>\n{items}</ol>\n"
            f"<p>The page underneath is from the last good build. Save a fix and this goes away by itself.</p>\n"
            f"</aside>\n")


NO_SITE_PAGE = (b"<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>briefgen</title></head>\n"
                b"<body><h1>No page here yet</h1></body></html>\n")


class _Server(ThreadingHTTPServer):
    daemon_threads = True  # open event streams must not hold up Ctrl-C
    request_queue_size = 256  # a page's burst of requests, several tabs and a reload at once all wait their turn
    preview: LivePreview
    host_names: HostNames

    def handle_error(self, request: object, client_address: Any) -> None:
        """A browser that closes a tab or stops a load mid-answer is normal: nothing to say. Anything
        else is one line on the terminal, not socketserver's traceback."""
        error = sys.exc_info()[1]
        if isinstance(error, (ConnectionError, TimeoutError)):
            return
        print(f"briefgen: a request from {client_address[0]} failed: {type(error).__name__}: {error}",
              file=sys.stderr, flush=True)


class _Server6(_Server):
    address_family = socket.AF_INET6


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    timeout = IDLE_SECONDS  # a connection silent this long is closed: each holds a thread

    def do_GET(self) -> None:
        self._answer(with_body=True)

    def do_HEAD(self) -> None:
        self._answer(with_body=False)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the terminal is for problems
        pass

    def _answer(self, with_body: bool) -> None:
        path = urlsplit(self.path).path
        host = self.headers.get("Host")
        if not self.server.host_names.answers(host):
            message = (f"briefgen serve answers requests for this machine only, not for Host: {host}; "
                       f"to preview under that name, serve with --bind {host_name(host or '')}\n")
            self._send(HTTPStatus.FORBIDDEN, "text/plain; charset=utf-8", message.encode(), with_body)
        elif path == EVENTS:
            self._stream_events()
        elif path.startswith(INTERNAL):
            self._send_client_file(path.removeprefix(INTERNAL), with_body)
        else:
            self._send_site_file(self.server.preview.current(), with_body)

    def _send_site_file(self, snapshot: Snapshot, with_body: bool) -> None:
        name, redirect = resolve(snapshot.files, self.path)
        if redirect is not None:
            self._send(HTTPStatus.MOVED_PERMANENTLY, "text/plain; charset=utf-8", b"", with_body,
                       location=redirect)
            return
        status = HTTPStatus.OK
        if name is None:
            status, name = HTTPStatus.NOT_FOUND, NOT_FOUND
        data = snapshot.files.get(name)
        if data is None:  # no good build yet, or a site without a 404 page
            status = HTTPStatus.INTERNAL_SERVER_ERROR if snapshot.problems else HTTPStatus.NOT_FOUND
            name, data = NOT_FOUND, NO_SITE_PAGE
        kind = content_type(name)
        if kind.startswith("text/html"):
            data = inject(data, snapshot, name if status is HTTPStatus.OK else "")
        self._send(status, kind, data, with_body)

    def _send_client_file(self, name: str, with_body: bool) -> None:
        if name not in CLIENT_FILES:
            self._send(HTTPStatus.NOT_FOUND, "text/plain; charset=utf-8", b"not found\n", with_body)
            return
        file_name, kind = CLIENT_FILES[name]
        self._send(HTTPStatus.OK, kind, (Path(__file__).parent / file_name).read_bytes(), with_body)

    def _send(self, status: HTTPStatus, kind: str, data: bytes, with_body: bool, location: str = "") -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")
        for name, value in SECURITY_HEADERS.items():
            self.send_header(name, value)
        if location:
            self.send_header("Location", location)
        self.end_headers()
        if with_body:
            self.wfile.write(data)

    def _stream_events(self) -> None:
        """Server-sent events: the current state at once, then each new one; comments keep it alive."""
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        preview, token = self.server.preview, ""
        try:
            while True:
                snapshot = preview.next_snapshot(token, KEEPALIVE)
                if snapshot is None:
                    self.wfile.write(b": still here\n\n")
                else:
                    token = snapshot.token
                    self.wfile.write(f"data: {snapshot.message()}\n\n".encode())
                self.wfile.flush()
        except OSError:  # the tab was closed
            return


# --- The command --------------------------------------------------------------------------------

def serve(options: ServeOptions) -> int:
    """Build, serve and watch until Ctrl-C. Returns the exit status."""
    server = bind(options.host, options.port)
    if server is None:
        return 1
    url = server_url(options.host, server.server_address[1])
    preview = LivePreview(BuildOptions(site_dir=options.site_dir, base_url=url, drafts=options.drafts,
                                       future=options.future), search_in_background=True)
    server.preview = preview
    watched = [options.site_dir, *([] if _inside(builtin_themes_dir(), options.site_dir)
                                   else [builtin_themes_dir()])]
    folders = [folder for folder in watched if folder.is_dir()]
    rebuilder = threading.Thread(target=preview.changes.run, name="briefgen-rebuild", daemon=True)
    observer = None
    try:
        started = time.time_ns()
        first_build(preview)  # before any thread starts, so it may fork workers over all cores
        observer = start_watching(folders, preview.receive, options.poll)
        for path in saved_since(folders, started):  # while the first build ran, unwatched
            preview.receive(FileEvent("modified", path))
        rebuilder.start()
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
        preview.changes.stop()
        if observer is not None:
            observer.stop()
        server.server_close()
    return 0


def saved_since(folders: list[Path], moment_ns: int) -> list[Path]:
    """Files below the folders whose mtime is at or after `moment_ns`."""
    found: list[Path] = []
    for folder in folders:
        for parent, _, names in os.walk(folder):
            for name in names:
                path = os.path.join(parent, name)
                with suppress(OSError):
                    if os.stat(path).st_mtime_ns >= moment_ns:
                        found.append(Path(path).resolve())
    return found


def first_build(preview: LivePreview) -> None:
    start = time.perf_counter()
    result = preview.build()
    preview.publish(result, [])
    report_diagnostics(result)
    if result.failed:
        say("the site has problems (above); the preview shows them and rebuilds on every save")
    else:
        stories = f"{result.stories} {'story' if result.stories == 1 else 'stories'}"
        say(f"built {stories}, {len(result.files)} files in {time.perf_counter() - start:.2f} s")


def bind(host: str, port: int) -> _Server | None:
    """A server on the port, or on the next free one (saying so); None with a message if none is free."""
    for candidate in range(port, port + PORT_TRIES) if port else [0]:
        try:
            server = _make_server(host, candidate)
        except OSError as error:
            if error.errno == errno.EADDRINUSE:
                continue
            print(f"briefgen: cannot serve on {host}:{candidate}: {error.strerror or error}", file=sys.stderr)
            return None
        if candidate != port:
            say(f"port {port} is in use; serving on port {candidate} instead")
        return server
    print(f"briefgen: ports {port} to {port + PORT_TRIES - 1} are all in use; "
          f"choose another with --port", file=sys.stderr)
    return None


def _make_server(host: str, port: int) -> _Server:
    server = (_Server6 if ":" in host else _Server)((host, port), _Handler)
    server.host_names = HostNames.bound_to(host)
    return server


LOOPBACK_NAMES = frozenset({"localhost", "127.0.0.1", "::1"})


@dataclass(frozen=True)
class HostNames:
    """The Host names a preview answers: this machine's loopback names and the name it is bound to.

    A page elsewhere can point a name of its own at 127.0.0.1 (DNS rebinding) and read the preview,
    drafts included, through the reader's browser; its requests carry that name, so they are refused.
    Bound to every address (0.0.0.0, ::), any IP address is answered too: rebinding needs a name.
    """

    names: frozenset[str]
    any_address: bool

    @classmethod
    def bound_to(cls, host: str) -> HostNames:
        return cls(LOOPBACK_NAMES | {host_name(host)}, _is_unspecified(host))

    def answers(self, header: str | None) -> bool:
        """Whether a request's Host header (None: it sent none, as no browser does) names this server."""
        if header is None:
            return True
        name = host_name(header)
        return name in self.names or (self.any_address and _is_ip(name))


def host_name(header: str) -> str:
    """`LocalHost:8000` -> `localhost`, `[::1]:8000` -> `::1`: the name of a Host header, without its port."""
    text = header.strip().lower()
    if text.startswith("["):
        return text[1:].partition("]")[0]
    name = text.rpartition(":")[0] if text.count(":") == 1 else text
    return name.rstrip(".")


def _is_ip(name: str) -> bool:
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True


def _is_unspecified(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_unspecified
    except ValueError:
        return False


def server_url(host: str, port: int) -> str:
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}/"


def warn_if_exposed(host: str) -> None:
    if not is_loopback(host):
        print(f"warning: serving on {host}, so other machines may see the preview, drafts included; "
              f"use --host 127.0.0.1 to keep it to this machine", file=sys.stderr, flush=True)


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _inside(path: Path, folder: Path) -> bool:
    return path.resolve().is_relative_to(folder.resolve())
