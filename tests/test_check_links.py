"""`briefgen check --links`: the web addresses of the stories asked over the network, against a
server on this machine that answers as the web does (fine, gone, moved, refusing HEAD, slow)."""

from __future__ import annotations

import socket
import threading
import time
from collections import Counter
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from briefgen.commands.links import PER_HOST
from tests.conftest import make_site, run_briefgen


class Web(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Answer)
        self.asked: Counter[str] = Counter()
        self.in_flight = 0
        self.most_in_flight = 0
        self.lock = threading.Lock()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


class _Answer(BaseHTTPRequestHandler):
    server: Web

    def do_HEAD(self) -> None:
        self._answer(body=False)

    def do_GET(self) -> None:
        self._answer(body=True)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass

    def _answer(self, body: bool) -> None:
        web = self.server
        with web.lock:
            web.asked[self.path] += 1
            web.in_flight += 1
            web.most_in_flight = max(web.most_in_flight, web.in_flight)
        if self.path.startswith("/slow/"):  # held until a second request comes (or 2 s pass)
            deadline = time.monotonic() + 2
            while web.in_flight < PER_HOST and time.monotonic() < deadline:
                time.sleep(0.01)
            time.sleep(0.05)
        with web.lock:  # before the answer: once it is sent, the client may send the next request
            web.in_flight -= 1
        status, headers = {"/gone": (404, {}), "/moved": (301, {"Location": "/ok"}),
                           "/no-head": (200 if body else 405, {})}.get(self.path, (200, {}))
        self.send_response(status)
        for name, value in {**headers, "Content-Length": "0"}.items():
            self.send_header(name, value)
        self.end_headers()


@pytest.fixture
def web() -> Iterator[Web]:
    server = Web()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


STORY = """\
---
title: Links
date: 2024-03-25
summary: A story with links.
tags: [World]
sources:
  - id: wire
    outlet: The Wire
    url: {web}/ok
  - id: gone
    outlet: Gone Daily
    url: {web}/gone
facts:
  - text: A fact. [^wire] [^gone]
narratives:
  - label: One side
    provider: The Ministry
    url: {web}/no-head
    text: One account.
  - label: The other side
    provider: The Opposition
    url: http://127.0.0.1:{closed}/
    text: Another account.
contra: The other side.
---
See [the move]({web}/moved) and [our own story](https://example.org/links/).
"""


def _site(tmp_path: Path, web: Web) -> Path:
    return make_site(tmp_path, {"links.md": STORY.format(web=web.url, closed=_closed_port())})


def test_a_broken_link_is_a_warning_at_its_line_and_the_rest_pass(tmp_path: Path, web: Web) -> None:
    site = _site(tmp_path, web)

    run = run_briefgen("check", "--links", cwd=site)

    assert run.code == 0
    warnings = [line for line in run.out.splitlines() if ": warning: " in line]
    assert len(warnings) == 2
    assert warnings[0] == f"content/links.md:12: warning: the link {web.url}/gone is broken: 404 Not Found"
    assert warnings[1].startswith("content/links.md:22: warning: the link http://127.0.0.1:")
    assert "is broken: no answer" in warnings[1]
    assert run.out.endswith("checked 1 story and 5 links (5 asked, 0 fine within the day): 0 errors, 2 warnings\n")
    assert web.asked["/moved"] == 1 and web.asked["/ok"] >= 1 and web.asked["/no-head"] == 2  # HEAD, then GET
    assert run_briefgen("check", "--links", "--strict", cwd=site).code == 1


def test_an_address_that_answered_is_not_asked_again_within_the_day_and_a_broken_one_is(
        tmp_path: Path, web: Web) -> None:
    site = _site(tmp_path, web)
    run_briefgen("check", "--links", cwd=site)
    before = Counter(web.asked)

    again = run_briefgen("check", "--links", cwd=site)

    asked = web.asked - before
    assert asked == Counter({"/gone": 2})  # HEAD, then GET: some servers answer HEAD alone wrongly
    assert "checked 1 story and 5 links (2 asked, 3 fine within the day)" in again.out
    assert "/gone is broken: 404" in again.out


def test_a_site_can_accept_its_broken_links(tmp_path: Path, web: Web) -> None:
    site = _site(tmp_path, web)
    (site / "briefgen.yaml").write_text("base_url: https://example.org/\nignore_warnings: [broken-link]\n")

    run = run_briefgen("check", "--links", "--strict", cwd=site)

    assert run.code == 0 and "broken" not in run.out


def test_without_links_nothing_is_asked(tmp_path: Path, web: Web) -> None:
    site = _site(tmp_path, web)

    run = run_briefgen("check", cwd=site)

    assert run.code == 0 and sum(web.asked.values()) == 0 and "broken" not in run.out


def test_requests_to_one_host_are_bounded(tmp_path: Path, web: Web) -> None:
    sources = "".join(f"  - id: s{n}\n    outlet: Outlet {n}\n    url: {web.url}/slow/{n}\n" for n in range(10))
    facts = "".join(f"  - text: Fact {n}. [^s{n}]\n" for n in range(10))
    story = STORY.split("sources:\n")[0] + "sources:\n" + sources + "facts:\n" + facts + "contra: No.\n---\nBody.\n"
    site = make_site(tmp_path, {"slow.md": story})

    run = run_briefgen("check", "--links", "--format", "json", cwd=site)

    assert run.code == 0, run.out
    assert sum(count for path, count in web.asked.items() if path.startswith("/slow/")) == 10
    assert web.most_in_flight == PER_HOST, web.most_in_flight
