"""`briefgen check --links`: every web address the stories link to, asked whether it still answers.

Off by default: it goes out to the network, and link rot is the web's, not the writer's,
mistake. A link that fails is a warning (`broken-link`) at its file and line, so `--strict`
fails on it and `ignore_warnings` can accept it. A few requests run at once (`AT_ONCE`), at
most `PER_HOST` to one host; an address that answered well is not asked again for a day
(`.briefgen-cache/links.pickle`), one that failed is asked every time, so a fix shows at once.
"""

from __future__ import annotations

import threading
import time
import urllib.error
import urllib.request
from collections import defaultdict
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from http import HTTPStatus
from pathlib import Path
from urllib.parse import urlsplit

from briefgen import __version__
from briefgen.change.cache import read_values, value_types, write_values
from briefgen.core.diagnostics import Diagnostics
from briefgen.settings.config import SiteConfig
from briefgen.site.assemble import Site
from briefgen.story.content import read_bytes, rendered_story
from briefgen.story.editorial import line_holding
from briefgen.story.store import StoryStore

AT_ONCE = 8  # requests in flight
PER_HOST = 2  # of them, to one host
TIMEOUT = 10.0  # seconds a request may take
KEPT_FOR = 24 * 3600.0  # seconds an answer that was fine is believed
CACHE_FILE = "links.pickle"
# Servers that refuse HEAD (or answer it wrongly) are asked again with GET.
HEAD_REFUSED = {HTTPStatus.METHOD_NOT_ALLOWED, HTTPStatus.NOT_IMPLEMENTED, HTTPStatus.FORBIDDEN,
                HTTPStatus.NOT_FOUND}


@dataclass(frozen=True)
class Link:
    url: str
    path: Path
    line: int


@dataclass(frozen=True)
class LinkReport:
    links: int  # distinct addresses
    asked: int  # of them, asked over the network (the rest answered well within KEPT_FOR)
    broken: int


def story_links(site: Site, store: StoryStore, config: SiteConfig) -> list[Link]:
    """The web addresses of every story: its sources', narratives' and authors' `url:` and the links of its
    text, except those to the site itself (the build checks those against its stories)."""
    links = []
    for entry in site.stories:
        rendered = rendered_story(entry, store, config)
        if rendered is None:
            continue
        story = rendered.story
        in_front_matter = [(source.url, source.line) for source in story.sources]
        in_front_matter += [(narrative.url, narrative.line) for narrative in story.narratives]
        in_front_matter += [(author.url, story.lines.get("authors", 1)) for author in story.authors]
        data = read_bytes(entry.path, Diagnostics()) if any(url for url, _ in in_front_matter) else None
        file_text = data.decode("utf-8", "replace") if data else ""  # gone since: items' own lines
        found = [(url, line_holding(url, file_text, line)) for url, line in in_front_matter if url]
        links += [Link(url, entry.path, line) for url, line in found + list(rendered.links) if _is_outside(url, config)]
    return links


def _is_outside(url: str, config: SiteConfig) -> bool:
    return urlsplit(url).scheme in ("http", "https") and not url.startswith(config.base_url)


def check_links(links: list[Link], cache_dir: Path | None, diagnostics: Diagnostics,
                now: float | None = None) -> LinkReport:
    """Ask each address once, however many stories link to it; warn at every place a failed one is."""
    now = time.time() if now is None else now
    kept = _kept_answers(cache_dir, now)
    addresses = sorted({link.url for link in links} - set(kept))
    problems = dict(zip(addresses, _ask_all(addresses)))  # None where the address answered well
    for link in links:
        problem = problems.get(link.url)
        if problem is not None:
            diagnostics.warning(link.path, link.line, f"the link {link.url} is broken: {problem}",
                                "correct or remove it (an archived copy, e.g. on web.archive.org, may stand in)",
                                "broken-link")
    if cache_dir is not None:
        kept.update({url: now for url, problem in problems.items() if problem is None})
        write_values(cache_dir, CACHE_FILE, kept)
    broken = sum(1 for problem in problems.values() if problem is not None)
    return LinkReport(len({link.url for link in links}), len(addresses), broken)


def _kept_answers(cache_dir: Path | None, now: float) -> dict[str, float]:
    if cache_dir is None:
        return {}
    kept = read_values(cache_dir / CACHE_FILE, value_types(), [])
    if not isinstance(kept, dict):
        return {}
    return {url: when for url, when in kept.items() if now - when < KEPT_FOR}


def _ask_all(addresses: list[str]) -> Iterator[str | None]:
    hosts: defaultdict[str, threading.BoundedSemaphore] = defaultdict(lambda: threading.BoundedSemaphore(PER_HOST))
    for address in addresses:  # made before the threads start: defaultdict is not safe to fill from many
        hosts[urlsplit(address).netloc.lower()]

    def ask_politely(address: str) -> str | None:
        with hosts[urlsplit(address).netloc.lower()]:
            return problem_of(address)

    with ThreadPoolExecutor(AT_ONCE) as pool:
        yield from pool.map(ask_politely, addresses)


def problem_of(address: str) -> str | None:
    """What is wrong with the address (None: it answered 2xx, after any redirects)."""
    try:
        return _ask(address, "HEAD")
    except _Refused:
        return _ask(address, "GET")


class _Refused(Exception):
    """The server would not answer HEAD: ask with GET."""


def _ask(address: str, method: str) -> str | None:
    request = urllib.request.Request(address, method=method,
                                     headers={"User-Agent": f"briefgen/{__version__} (link check)"})
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT):
            return None
    except urllib.error.HTTPError as error:
        if method == "HEAD" and error.code in HEAD_REFUSED:
            raise _Refused from error
        return f"{error.code} {error.reason}"
    except (urllib.error.URLError, OSError, ValueError) as error:
        reason = error.reason if isinstance(error, urllib.error.URLError) else error
        return f"no answer ({reason})"

