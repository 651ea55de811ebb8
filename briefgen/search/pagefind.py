"""The search index: Pagefind bundles made from story pages held in memory, one per partition.

Pagefind reads a story page's HTML (only what the templates mark `data-pagefind-body`,
minus `data-pagefind-ignore` and EXCLUDE_SELECTORS). Stories are split into partitions by a
digest of their path, so a story always lands in the same one and one edit indexes one
partition again, and Pagefind's memory is bounded by a partition rather than the site. Each
partition is a bundle of its own in `pagefind/<name>/`; `pagefind/partitions.json` names them,
and search.js loads the first bundle's pagefind.js and merges the others' indexes into it
(Pagefind's `mergeIndex`), so one search box finds any story.

Pagefind runs as a service (`pagefind --service`): pages go in over its stdin and the
bundle's files come back over its stdout, so nothing is written to disk. This module speaks
that protocol itself rather than through `pagefind.index.PagefindIndex`, which reads at most
one reply every 100 ms (100 s for 1,000 pages) and hangs on a reply over 2 MiB (a bundle of
a few hundred stories is larger). No event loop is involved, so it runs from any thread.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import subprocess
import threading
from collections import deque
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from contextlib import closing, suppress
from pathlib import Path
from typing import IO, Any
from urllib.parse import quote

from briefgen.change.keys import value_key
from briefgen.change.versions import code_version
from briefgen.core.diagnostics import Diagnostics
from briefgen.core.pool import machine_workers
from briefgen.core.urls import SEARCH, OutputFile

SearchPage = tuple[str, bytes]  # a story's site path as urls.py gives it ("harbour-deal/") and its page's HTML

BUNDLE_DIR = SEARCH.rstrip("/")
PARTITIONS_FILE = f"{BUNDLE_DIR}/partitions.json"
STORIES_PER_PARTITION = 1000  # so a partition holds 500 to 1,000: under 10 s and 350 MB of Pagefind
# Citation marks ("Source 1: Forbes") are made by markdown.py, not a template: they would
# repeat outlet names through every excerpt.
EXCLUDE_SELECTORS = ("sup.cite",)
# Pagefind's ready-made search interfaces: the theme has its own (search.js).
UNUSED_FILES = ("pagefind-ui.", "pagefind-modular-ui.", "pagefind-component-ui.", "pagefind-highlight.js")
TIMEOUT_SECONDS = 300  # for one partition
READ_CHUNK = 1 << 20
STDERR_LINES = 20
REPLY_TYPES = {"NewIndex": "NewIndex", "AddFile": "IndexedFile", "GetFiles": "GetFiles"}
NOT_INSTALLED = "search is on, but the Pagefind binary is not installed"
INSTALL_HINT = ("install the search indexer with `pip install 'pagefind[bin]'`, "
                "or turn search off with `search: false` in briefgen.yaml")


def partition_count(stories: int) -> int:
    """How many partitions a site of `stories` has: a power of two, so it changes rarely."""
    count = 1
    while count * STORIES_PER_PARTITION < stories:
        count *= 2
    return count


def partition_of(path: str, count: int) -> str:
    """The partition a story's path belongs to among `count`; the same path always gets the same one."""
    number = int.from_bytes(hashlib.sha256(path.encode()).digest()[:8], "big") % count
    return f"{number:0{len(str(count - 1))}d}"


def partition_paths(paths: Iterable[str]) -> dict[str, list[str]]:
    """Story paths by partition name, sorted, the count following how many stories there are."""
    ordered = sorted(paths)
    count = partition_count(len(ordered))
    partitions: dict[str, list[str]] = {}
    for path in ordered:
        partitions.setdefault(partition_of(path, count), []).append(path)
    return dict(sorted(partitions.items()))


def partition_key(name: str, pages: Iterable[tuple[str, str]], language: str) -> str:
    """The key of what a partition's bundle is made from: its name, the language and its pages' (path,
    digest of the page's bytes), with briefgen's code and Pagefind's version (code_version).

    Equal keys give byte-identical files, so a caller may keep a partition's files and
    index again only the partitions whose key changed. Any digest that changes with the
    bytes will do (a render key, a sha256).
    """
    return value_key(code_version(), language, name, sorted(pages))


def index_stories(pages: Sequence[SearchPage], language: str, diagnostics: Diagnostics,
                  config_file: Path) -> list[OutputFile] | None:
    """The whole search index of these story pages: every partition's bundle and the partitions file.

    None (with an error against `config_file`) if Pagefind failed.
    """
    html = dict(pages)
    partitions = {name: [(path, html[path]) for path in paths] for name, paths in partition_paths(html).items()}
    bundles = index_partitions(partitions, language, diagnostics, config_file)
    if bundles is None:
        return None
    return [file for files in bundles.values() for file in files] + [partitions_file(list(bundles))]


def index_partitions(partitions: Mapping[str, Sequence[SearchPage]], language: str, diagnostics: Diagnostics,
                     config_file: Path, done: Callable[[int], None] | None = None,
                     ) -> dict[str, list[OutputFile]] | None:
    """Each partition's bundle, indexed in parallel (one Pagefind process per core).

    `done(1)` is called in this thread as each partition is finished."""
    if not partitions:
        return {}
    workers = min(machine_workers(), len(partitions))
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="pagefind") as pool:
        futures = {name: pool.submit(_bundle, name, pages, language) for name, pages in partitions.items()}
        for _ in as_completed(futures.values()):
            if done is not None:
                done(1)
    try:
        return {name: future.result() for name, future in futures.items()}
    except _PagefindFailed as failure:
        _report(failure, diagnostics, config_file)
        return None


def index_partition(name: str, pages: Sequence[SearchPage], language: str, diagnostics: Diagnostics,
                    config_file: Path) -> list[OutputFile] | None:
    """One partition's Pagefind bundle, its files under `pagefind/<name>/`; None if Pagefind failed."""
    try:
        return _bundle(name, pages, language)
    except _PagefindFailed as failure:
        _report(failure, diagnostics, config_file)
        return None


def partitions_file(names: Sequence[str]) -> OutputFile:
    """`pagefind/partitions.json`: the bundles search.js loads, the first one's pagefind.js searching them all."""
    return OutputFile(PARTITIONS_FILE, json.dumps({"partitions": sorted(names)}).encode() + b"\n")


class _PagefindFailed(Exception):
    """Pagefind could not start or did not finish; the message says why, in a writer's words."""

    def __init__(self, message: str, installed: bool = True) -> None:
        super().__init__(message)
        self.installed = installed


def _report(failure: _PagefindFailed, diagnostics: Diagnostics, config_file: Path) -> None:
    message = f"the search index could not be built: {failure}" if failure.installed else NOT_INSTALLED
    diagnostics.error(config_file, 0, message, INSTALL_HINT, "search-index")


def _bundle(name: str, pages: Sequence[SearchPage], language: str) -> list[OutputFile]:
    """The partition's files, in path order; pages are indexed in path order so equal input gives equal bytes."""
    # here, not above: it loads asyncio, which a build without search need not
    from pagefind.service import get_executable

    executable = get_executable()
    if executable is None:
        raise _PagefindFailed(NOT_INSTALLED, installed=False)
    config = {"force_language": language, "exclude_selectors": list(EXCLUDE_SELECTORS)}
    with closing(_PagefindService(executable)) as service:
        index = service.request({"type": "NewIndex", "config": config})["index_id"]
        for path, html in sorted(pages):
            service.request({"type": "AddFile", "index_id": index, "url": "/" + quote(path, safe="/#"),
                             "file_path": None, "file_contents": html.decode("utf-8", "replace")})
        files = service.request({"type": "GetFiles", "index_id": index})["files"]
    return sorted((OutputFile(f"{BUNDLE_DIR}/{name}/{file['path']}", base64.b64decode(file["content"]))
                   for file in files if not file["path"].startswith(UNUSED_FILES)), key=lambda file: file.path)


class _PagefindService:
    """One `pagefind --service` process. Each message, either way, is base64 JSON ended by a comma;
    a request is answered before the next is sent, so replies come in order."""

    def __init__(self, executable: Path) -> None:
        try:
            self._process = subprocess.Popen([str(executable), "--service"], stdin=subprocess.PIPE,
                                             stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        except OSError as error:
            raise _PagefindFailed(f"Pagefind could not start: {error}") from error
        self._stdin, self._stdout, stderr = _pipes(self._process)
        self._unread = bytearray()
        self._last_id = 0
        self._timed_out = threading.Event()
        self._watchdog = threading.Timer(TIMEOUT_SECONDS, self._time_out)
        self._watchdog.daemon = True
        self._watchdog.start()
        self._stderr: deque[str] = deque(maxlen=STDERR_LINES)  # drained as it comes, so Pagefind never blocks on it
        self._stderr_reader = threading.Thread(target=self._drain, args=(stderr,), daemon=True)
        self._stderr_reader.start()

    def request(self, payload: dict[str, Any]) -> dict[str, Any]:
        """Pagefind's answer to one request, checked to be the kind of answer it asked for."""
        self._last_id += 1
        message = json.dumps({"message_id": self._last_id, "payload": payload}).encode()
        try:
            self._stdin.write(base64.b64encode(message) + b",")
            self._stdin.flush()
        except OSError as error:
            raise self._stopped() from error
        answer = self._read_answer()
        if answer.get("type") == "Error":
            raise _PagefindFailed(f"Pagefind: {answer.get('message') or 'an unknown error'}")
        if answer.get("type") != REPLY_TYPES[payload["type"]]:
            raise _PagefindFailed(f"Pagefind answered {answer.get('type')!r} to {payload['type']!r}")
        return answer

    def close(self) -> None:
        self._watchdog.cancel()
        self._process.kill()
        self._process.wait()
        with suppress(OSError):  # a request may have left bytes Pagefind will never read
            self._stdin.close()
        self._stderr_reader.join()
        self._stdout.close()

    def _read_answer(self) -> dict[str, Any]:
        message = self._read_message()
        try:
            answer = json.loads(base64.b64decode(message, validate=True))["payload"]
        except (ValueError, KeyError, TypeError) as error:
            raise _PagefindFailed(f"Pagefind's answer could not be read ({error})") from error
        if not isinstance(answer, dict):
            raise _PagefindFailed("Pagefind's answer could not be read")
        return answer

    def _read_message(self) -> bytes:
        searched = 0
        while (end := self._unread.find(b",", searched)) < 0:
            searched = len(self._unread)
            chunk = os.read(self._stdout.fileno(), READ_CHUNK)
            if not chunk:
                raise self._stopped()
            self._unread += chunk
        message = bytes(self._unread[:end])
        del self._unread[:end + 1]
        return message

    def _stopped(self) -> _PagefindFailed:
        if self._timed_out.is_set():
            return _PagefindFailed(f"Pagefind did not finish within {TIMEOUT_SECONDS} s")
        self._process.kill()  # if it closed its output but lives on
        self._process.wait()
        self._stderr_reader.join()
        reason = self._stderr[-1] if self._stderr else f"exit status {self._process.returncode}"
        return _PagefindFailed(f"Pagefind stopped: {reason}")

    def _time_out(self) -> None:
        self._timed_out.set()
        self._process.kill()

    def _drain(self, stderr: IO[bytes]) -> None:
        with stderr:
            for line in stderr:
                if text := line.decode("utf-8", "replace").strip():
                    self._stderr.append(text)


def _pipes(process: subprocess.Popen[bytes]) -> tuple[IO[bytes], IO[bytes], IO[bytes]]:
    assert process.stdin is not None and process.stdout is not None and process.stderr is not None
    return process.stdin, process.stdout, process.stderr

