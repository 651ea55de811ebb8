"""The preview's web server: what `briefgen serve` answers, and to whom.

It serves one `Snapshot` of the site from memory (never a file from disk): a page
with the live-reload script and, after a failed rebuild, the overlay listing the
problems; server-sent events telling open pages of each new snapshot; the client's
own files under /__briefgen/. Only Host names of this machine are answered (see
HostNames), with the security headers the hosted site sends.
"""

from __future__ import annotations

import errno
import html
import ipaddress
import json
import mimetypes
import socket
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import unquote, urlsplit

from briefgen.commands.preview_site import SiteFiles
from briefgen.core.diagnostics import Diagnostic, tally
from briefgen.core.headers import SECURITY_HEADERS
from briefgen.core.urls import NOT_FOUND, output_file

RELOAD, SWAP_STYLESHEETS, UPDATE = "reload", "stylesheets", "update"  # how an open page catches up
INTERNAL = "/__briefgen/"  # the dev server's own files; never part of a built site
EVENTS = INTERNAL + "events"
CLIENT_FILES = {  # URL name -> (file beside this module, content type)
    "livereload.js": ("livereload.js", "text/javascript; charset=utf-8"),
    "livereload-worker.js": ("livereload-worker.js", "text/javascript; charset=utf-8"),
    "overlay.css": ("livereload.css", "text/css; charset=utf-8"),
}
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
class Snapshot:
    """What the server shows: the last good site, and the newest rebuild's problems if it failed."""

    files: SiteFiles
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


def say(line: str) -> None:
    print(line, flush=True)


def resolve(files: Mapping[str, bytes], url: str, base_path: str = "/") -> tuple[str | None, str | None]:
    """The output file a request URL names, and where to redirect instead (a folder without its '/').

    The site lives at `base_path` (serve --base-url with a path): a URL outside it names nothing.
    Only names present in the site in memory can match: `..`, `.`, encoded or not, a
    backslash or a NUL are refused outright, so nothing outside the output is reachable.
    """
    raw = urlsplit(url).path
    if raw + "/" == base_path:
        return None, base_path
    path = unquote(raw)
    if not path.startswith(base_path) or "\\" in path or "\0" in path:
        return None, None
    parts = path[len(base_path):].split("/")
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
    items = _problem_items(problems)
    count = tally(problems)
    return (f'<link rel="stylesheet" href="{INTERNAL}overlay.css">\n'
            f'<aside id="briefgen-overlay" role="alert" aria-labelledby="briefgen-overlay-title">\n'
            f'<h2 id="briefgen-overlay-title">briefgen: the last rebuild failed with {count}</h2>\n'
            f"<ol>\n{items}</ol>\n"
            f"<p>The page underneath is from the last good build. Save a fix and this goes away by itself.</p>\n"
            f"</aside>\n")
def unrenderable_page(problems: list[Diagnostic]) -> bytes:
    """What a page shows when its template failed as it was first asked for: the problems, as listed."""
    items = _problem_items(problems)
    return ("<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>briefgen: this page could not "
            "be built</title></head>\n<body><main><h1>This page could not be built</h1>\n"
            f"<ol>\n{items}</ol>\n<p>Save a fix and the page follows by itself.</p></main></body></html>\n").encode()


def _problem_items(problems: Iterable[Diagnostic]) -> str:
    return "".join(f"<li><code>{html.escape(problem.format().splitlines()[0])}</code>"
                   + (f"<p>hint: {html.escape(problem.hint)}</p>" if problem.hint else "") + "</li>\n"
                   for problem in problems)


NO_SITE_PAGE = (b"<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>briefgen</title></head>\n"
                b"<body><h1>No page here yet</h1></body></html>\n")


class Previewing(Protocol):
    """What the server asks of the preview (serve.py's LivePreview)."""

    def current(self) -> Snapshot:
        """The snapshot to serve, once any rebuild in flight is done."""

    def next_snapshot(self, token: str, timeout: float) -> Snapshot | None:
        """The first snapshot after the one of `token`, or None after `timeout` seconds."""


class _Server(ThreadingHTTPServer):
    daemon_threads = True  # open event streams must not hold up Ctrl-C
    request_queue_size = 256  # a page's burst of requests, several tabs and a reload at once all wait their turn
    preview: Previewing
    host_names: HostNames
    base_path: str = "/"  # where the site lives on this server: the path of serve's --base-url

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
        name, redirect = resolve(snapshot.files, self.path, self.server.base_path)
        if redirect is not None:
            self._send(HTTPStatus.MOVED_PERMANENTLY, "text/plain; charset=utf-8", b"", with_body,
                       location=redirect)
            return
        status = HTTPStatus.OK
        if name is None:
            status, name = HTTPStatus.NOT_FOUND, NOT_FOUND
        data = snapshot.files.shown(name)
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

    def with_name(self, name: str) -> HostNames:
        return replace(self, names=self.names | {name.lower()})

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
    return f"http://{_address(host, port)}/"


def _address(host: str, port: int) -> str:
    """`host:port`, an IPv6 address in brackets."""
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


def site_url(server: _Server, host: str, base_url: str | None) -> str:
    """The address the preview's pages link to, which the server answers: its host name, its path."""
    port = server.server_address[1]
    url = preview_url(base_url, port) if base_url else server_url(host, port)
    parts = urlsplit(url)
    server.base_path = parts.path
    server.host_names = server.host_names.with_name(parts.hostname or "")
    return url


def preview_url(base_url: str, port: int) -> str:
    """serve --base-url: its scheme, host and path, with the port the server listens on when it names
    none (as Hugo's server appends its port), so a phone on the network follows working links."""
    parts = urlsplit(base_url)
    path = parts.path if parts.path.endswith("/") else parts.path + "/"
    return f"{parts.scheme}://{_address(parts.hostname or '', parts.port or port)}{path}"


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
