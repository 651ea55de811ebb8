"""`briefgen serve` without a browser: change classification, the debounce, safe paths, and the real server.

The helpers at the top (`ServeProcess`, `serving`, `site_for_serve`) are shared with
tests/test_serve_browser.py.
"""

from __future__ import annotations

import contextlib
import http.client
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import tomllib
from urllib.parse import urlsplit
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO

import pytest

import briefgen.commands.preview_http
import briefgen.commands.serve
import briefgen.story.content
from briefgen.build import BuildOptions, BuildResult, build, generate
from briefgen.commands.livereload import (Change, Debouncer, FileEvent, SourceChange, classify, file_events,
                                          saved_since, start_watching)
from briefgen.commands.preview_http import (RELOAD, SWAP_STYLESHEETS, UPDATE, HostNames, Snapshot, content_type, inject,
                                           is_loopback, overlay, resolve, warn_if_exposed)
from briefgen.commands.preview_site import SiteFiles, changed_paths
from briefgen.pages.plan import Origin, Page
from briefgen.commands.serve import LivePreview
from briefgen.core.diagnostics import Diagnostics
from tests.conftest import ROOT, make_site, story_text, words

WAIT = 20.0  # seconds: generous, for a loaded machine; tests wait for conditions, never for time


# --- Helpers shared with the browser tests -------------------------------------------------------

def site_for_serve(root: Path) -> Path:
    """Three stories in two tags, and a copy of the default theme so its CSS can be edited."""
    site = make_site(root, {
        "alpha.md": story_text("Alpha", "2024-03-25", "World"),
        "beta.md": story_text("Beta", "2024-03-24", "World, Economy"),
        "gamma.md": story_text("Gamma", "2024-03-23", "Economy"),
    }, config="title: Serve test  # secret-config-marker\n")
    shutil.copytree(ROOT / "themes" / "default", site / "themes" / "default")
    return site


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class ServeProcess:
    """`python -m briefgen serve` in a subprocess, its output collected line by line as it comes."""

    def __init__(self, site: Path, *args: str) -> None:
        env = {**os.environ, "PYTHONPATH": str(ROOT), "NO_COLOR": "1", "PYTHONUNBUFFERED": "1"}
        self.site = site
        self.process = subprocess.Popen(
            [sys.executable, "-m", "briefgen", "serve", "-s", str(site), *args], cwd=site,
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
        self.out: list[str] = []
        self.err: list[str] = []
        self._readers = [threading.Thread(target=self._collect, args=(stream, lines), daemon=True)
                         for stream, lines in ((self.process.stdout, self.out), (self.process.stderr, self.err))]
        for reader in self._readers:
            reader.start()
        line = self.wait_for_line(lambda text: text.startswith("serving "))
        self.url = line.split()[1]

    @staticmethod
    def _collect(stream: IO[str], lines: list[str]) -> None:
        for line in stream:
            lines.append(line.rstrip("\n"))

    def wait_for_line(self, wanted: Callable[[str], bool], timeout: float = WAIT) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for line in list(self.out):
                if wanted(line):
                    return line
            if self.process.poll() is not None and not any(r.is_alive() for r in self._readers):
                break
            time.sleep(0.05)
        raise AssertionError(f"no such line from serve; stdout: {self.out}, stderr: {self.err}")

    def rebuilds(self) -> list[str]:
        return [line for line in self.out if line.startswith("rebuild ")]

    def get(self, raw_path: str, host_header: str | None = None) -> tuple[int, dict[str, str], bytes]:
        """A request with its path sent exactly as given (no client-side normalizing of `..`), and
        the server's own address as its Host header unless another is given."""
        address = urlsplit(self.url)
        connection = http.client.HTTPConnection(address.hostname or "", address.port, timeout=WAIT)
        try:
            connection.putrequest("GET", raw_path, skip_host=host_header is not None, skip_accept_encoding=True)
            if host_header is not None:
                connection.putheader("Host", host_header)
            connection.endheaders()
            response = connection.getresponse()
            return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
        finally:
            connection.close()

    def interrupt(self) -> int:
        """Ctrl-C, as a writer stops it; the exit status."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
        try:
            code = self.process.wait(timeout=WAIT)
        except subprocess.TimeoutExpired:
            self.process.kill()
            code = self.process.wait()
        for reader in self._readers:
            reader.join(timeout=5)
        return code


@contextlib.contextmanager
def serving(site: Path, *args: str) -> Iterator[ServeProcess]:
    server = ServeProcess(site, "--port", str(free_port()), *args)
    try:
        yield server
    finally:
        server.interrupt()


def save(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")


# --- Which changes matter, and what they mean -----------------------------------------------------

SITE = Path("/site")
OUTPUT = SITE / "public"
BUILTIN = Path("/pkg/themes")


@pytest.mark.parametrize(("kind", "path", "expected"), [
    ("modified", "content/a.md", Change.STORY),
    ("closed", "content/2024/a.md", Change.STORY),
    ("created", "content/a.md", Change.STRUCTURE),
    ("deleted", "content/a.md", Change.STRUCTURE),
    ("modified", "content/notes.txt", None),
    ("modified", "briefgen.yaml", Change.CONFIG),
    ("modified", "outlets.yaml", Change.CONFIG),
    ("modified", "templates/story.html", Change.TEMPLATE),
    ("modified", "themes/mine/templates/partials/x.html", Change.TEMPLATE),
    ("modified", "themes/mine/assets/style.css", Change.STYLESHEET),
    ("modified", "assets/style.css", Change.STYLESHEET),
    ("modified", "assets/logo.svg", Change.STATIC),
    ("modified", "static/extra.css", Change.STYLESHEET),
    ("created", "static/logo.png", Change.STATIC),
    ("modified", "themes/mine/static/font.woff2", Change.STATIC),
    ("modified", "public/index.html", None),
    ("modified", ".git/index", None),
    ("modified", "README.md", None),
    ("opened", "content/a.md", None),
    ("closed_no_write", "content/a.md", None),
    ("attrib", "content/a.md", None),
])
def test_a_change_is_classified_by_where_the_file_lives(kind: str, path: str, expected: Change | None) -> None:
    assert classify(FileEvent(kind, SITE / path), SITE, OUTPUT, (BUILTIN,)) is expected


@pytest.mark.parametrize("name", [".a.md.swp", "a.md.swx", "a.md~", ".#a.md", "#a.md#", "4913",
                                  ".goutputstream-XY12", "a.md___jb_tmp___"])
def test_editor_temp_files_are_ignored(name: str) -> None:
    for kind in ("created", "modified", "deleted"):
        assert classify(FileEvent(kind, SITE / "content" / name), SITE, OUTPUT) is None


def test_the_builtin_themes_count_as_themes() -> None:
    event = FileEvent("modified", BUILTIN / "default" / "templates" / "base.html")
    assert classify(event, SITE, OUTPUT, (BUILTIN,)) is Change.TEMPLATE
    assert classify(event, SITE, OUTPUT) is None


def test_folders_matter_only_when_deleted_or_moved() -> None:
    folder = SITE / "content" / "2024"
    assert classify(FileEvent("deleted", folder, is_directory=True), SITE, OUTPUT) is Change.STRUCTURE
    assert classify(FileEvent("modified", folder, is_directory=True), SITE, OUTPUT) is None
    assert classify(FileEvent("created", folder, is_directory=True), SITE, OUTPUT) is None


class _Moved:
    event_type = "moved"
    is_directory = False

    def __init__(self, source: Path, target: Path) -> None:
        self.src_path, self.dest_path = str(source), str(target)


def test_a_temp_file_renamed_onto_a_story_is_that_story_modified() -> None:
    story = SITE / "content" / "a.md"
    events = file_events(_Moved(SITE / "content" / ".goutputstream-AB", story))  # type: ignore[arg-type]
    assert events == [FileEvent("modified", story)]
    assert classify(events[0], SITE, OUTPUT) is Change.STORY


def test_a_story_renamed_is_one_deleted_and_one_created() -> None:
    old, new = SITE / "content" / "a.md", SITE / "content" / "b.md"
    events = file_events(_Moved(old, new))  # type: ignore[arg-type]
    assert events == [FileEvent("deleted", old), FileEvent("created", new)]
    assert {classify(event, SITE, OUTPUT) for event in events} == {Change.STRUCTURE}


def test_the_watcher_leaves_out_the_output_and_hidden_folders(tmp_path: Path) -> None:
    """A system allows a user a limited number of watches: a big site's output must not use them up."""
    site = make_site(tmp_path / "site", {"a.md": story_text("A")})
    for folder in ("public/a/b", ".public.briefgen-back/a", ".git/objects", "static/img"):
        (site / folder).mkdir(parents=True)
    observer = start_watching([site], lambda event: None, poll=False, skip=[site / "public"])
    try:
        watches = {(Path(emitter.watch.path).relative_to(site).as_posix(), emitter.watch.is_recursive)
                   for emitter in observer.emitters}
    finally:
        observer.stop()
    assert watches == {(".", False), ("content", True), ("static", True)}


def test_a_folder_made_after_the_watch_began_is_watched_with_what_it_holds(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site", {"a.md": story_text("A")})
    seen: list[FileEvent] = []
    observer = start_watching([site], seen.append, poll=False, skip=[site / "public"])
    try:
        held = tmp_path / "held"
        (held / "img").mkdir(parents=True)
        (held / "img" / "logo.svg").write_text("<svg/>")
        held.rename(site / "static")  # a folder moved in, with a file already inside
        time.sleep(0.3)
        (site / "static" / "later.txt").write_text("later")
        deadline = time.monotonic() + WAIT
        wanted = {site / "static" / "img" / "logo.svg", site / "static" / "later.txt"}
        while not wanted <= {event.path for event in seen} and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        observer.stop()
    assert wanted <= {event.path for event in seen if not event.is_directory}


def test_a_save_while_the_watcher_starts_is_found_by_its_time(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site", {"a.md": story_text("A")})
    (site / "public").mkdir()
    (site / "public" / "index.html").write_text("built")
    since = time.time_ns()
    (site / "content" / "a.md").write_text(story_text("A, saved"))
    assert saved_since([site], since, skip=[site / "public"]) == [site / "content" / "a.md"]


# --- The debounce ---------------------------------------------------------------------------------

@contextlib.contextmanager
def running(debouncer: Debouncer[int]) -> Iterator[Debouncer[int]]:
    thread = threading.Thread(target=debouncer.run, daemon=True)
    thread.start()
    try:
        yield debouncer
    finally:
        debouncer.stop()
        thread.join(timeout=WAIT)


def test_a_burst_of_changes_becomes_one_batch() -> None:
    batches: list[list[int]] = []
    with running(Debouncer(batches.append, quiet=0.5)) as debouncer:
        for number in range(30):
            debouncer.add(number)
            time.sleep(0.003)
        assert debouncer.wait_idle(WAIT)
    assert batches == [list(range(30))]


def test_changes_after_a_quiet_spell_make_a_second_batch() -> None:
    batches: list[list[int]] = []
    with running(Debouncer(batches.append, quiet=0.3)) as debouncer:
        debouncer.add(1)
        debouncer.add(2)
        assert debouncer.wait_idle(WAIT)
        debouncer.add(3)
        assert debouncer.wait_idle(WAIT)
    assert batches == [[1, 2], [3]]


def test_a_lone_change_is_handled_after_the_short_quiet_spell_and_a_burst_after_the_long_one() -> None:
    batches: list[tuple[list[int], float]] = []
    with running(Debouncer(lambda batch: batches.append((batch, time.monotonic())),
                           quiet=0.05, burst_quiet=2.0)) as debouncer:
        added = time.monotonic()
        debouncer.add(1)
        assert debouncer.wait_idle(WAIT)
        debouncer.add(2)  # right after the first batch: a burst, so it waits for the long spell
        burst_added = time.monotonic()
        assert debouncer.wait_idle(WAIT)
    (first, handled), (second, burst_handled) = batches
    assert (first, second) == ([1], [2])
    assert handled - added < 1.0 <= 2.0 <= burst_handled - burst_added


def test_changes_during_a_batch_wait_for_the_next_one() -> None:
    batches: list[list[int]] = []
    started, release = threading.Event(), threading.Event()

    def slow(batch: list[int]) -> None:
        batches.append(batch)
        started.set()
        release.wait(WAIT)

    with running(Debouncer(slow, quiet=0.01)) as debouncer:
        debouncer.add(1)
        assert started.wait(WAIT)
        debouncer.add(2)
        assert not debouncer.wait_idle(0.05)  # busy: a request would wait here
        release.set()
        assert debouncer.wait_idle(WAIT)
    assert batches == [[1], [2]]


def test_a_failing_batch_does_not_stop_the_next(capsys: pytest.CaptureFixture[str]) -> None:
    batches: list[list[int]] = []

    def fragile(batch: list[int]) -> None:
        batches.append(batch)
        if batch == [1]:
            raise RuntimeError("a bug")

    with running(Debouncer(fragile, quiet=0.01)) as debouncer:
        debouncer.add(1)
        assert debouncer.wait_idle(WAIT)
        debouncer.add(2)
        assert debouncer.wait_idle(WAIT)
    assert batches == [[1], [2]] and "RuntimeError: a bug" in capsys.readouterr().err


# --- The preview in memory -----------------------------------------------------------------------

def preview_of(site: Path) -> LivePreview:
    preview = LivePreview(BuildOptions(site_dir=site, base_url="http://127.0.0.1:9/", drafts=True))
    preview.publish(preview.build(), [])
    return preview


def page_text(snapshot: Snapshot, name: str) -> str:
    return words(snapshot.files[name])


def rebuild_now(preview: LivePreview, *changes: SourceChange) -> Snapshot:
    for change in changes:
        preview.changes.add(change)
    thread = threading.Thread(target=preview.changes.run, daemon=True)
    thread.start()
    try:
        return preview.current()
    finally:
        preview.changes.stop()


def test_a_saved_story_alone_is_looked_at_again_and_the_other_files_problems_stay(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """On the watcher's word that a story was saved, serve reads that story again, not the whole folder."""
    site = site_for_serve(tmp_path)
    (site / "content" / "todo.txt").write_text("a note\n")
    preview = preview_of(site)
    story = site / "content" / "alpha.md"
    save(story, story_text("Alpha", "2024-03-25", "World").replace("A fact about Alpha", "Rewritten fact"))

    def refused(*_: object) -> None:
        raise AssertionError("content/ was walked again")
    monkeypatch.setattr(briefgen.story.content, "folder_entries", refused)
    capsys.readouterr()
    snapshot = rebuild_now(preview, SourceChange(Change.STORY, story.resolve()))
    assert "Rewritten fact" in page_text(snapshot, "alpha/index.html")
    assert "content/todo.txt: warning: not a story" in capsys.readouterr().err


def test_a_saved_story_serve_has_not_seen_is_found_by_walking_the_folder(tmp_path: Path) -> None:
    site = site_for_serve(tmp_path)
    preview = preview_of(site)
    story = site / "content" / "delta.md"
    save(story, story_text("Delta", "2024-03-26", "World"))
    snapshot = rebuild_now(preview, SourceChange(Change.STORY, story.resolve()))  # some editors save so
    assert "Delta" in page_text(snapshot, "delta/index.html")


def test_a_rebuild_prints_only_the_problems_that_are_new_and_counts_the_rest(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    site = site_for_serve(tmp_path)
    gamma, alpha = site / "content" / "gamma.md", site / "content" / "alpha.md"
    without_contra = story_text("Gamma", "2024-03-23", "Economy").replace("contra: The other side of Gamma.\n", "")
    preview = preview_of(site)
    capsys.readouterr()
    save(gamma, without_contra)
    preview._rebuild_after([SourceChange(Change.STORY, gamma.resolve())])
    first = capsys.readouterr()
    assert "content/gamma.md:2: warning: the story has no contra section" in first.err
    save(alpha, story_text("Alpha, again", "2024-03-25", "World"))
    preview._rebuild_after([SourceChange(Change.STORY, alpha.resolve())])
    second = capsys.readouterr()
    assert "warning" not in second.err and "(1 problem as before)" in second.out
    save(gamma, story_text("Gamma", "2024-03-23", "Economy"))
    preview._rebuild_after([SourceChange(Change.STORY, gamma.resolve())])
    assert "(1 gone)" in capsys.readouterr().out


def test_serve_with_future_stories_marks_them_scheduled(tmp_path: Path) -> None:
    site = make_site(tmp_path, {"later.md": story_text("Later", date="2999-01-01")})
    preview = LivePreview(BuildOptions(site_dir=site, base_url="http://127.0.0.1:9/", future=True))
    preview.publish(preview.build(), [])

    assert "Scheduled" in page_text(preview.current(), "later/index.html")


def test_a_request_waits_for_the_rebuild_in_flight(tmp_path: Path) -> None:
    site = site_for_serve(tmp_path)
    preview = preview_of(site)
    story = site / "content" / "alpha.md"
    save(story, story_text("Alpha", "2024-03-25", "World").replace("A fact about Alpha", "Rewritten fact"))
    snapshot = rebuild_now(preview, SourceChange(Change.STORY, story))  # waits for the queued change's rebuild
    assert "Rewritten fact" in page_text(snapshot, "alpha/index.html")
    assert "Rewritten fact" not in page_text(snapshot, "beta/index.html")


def test_a_reported_edit_is_read_again_even_when_size_and_time_are_unchanged(tmp_path: Path) -> None:
    site = site_for_serve(tmp_path)
    preview = preview_of(site)
    story = site / "content" / "alpha.md"
    before = story.stat()
    text = story_text("Alpha", "2024-03-25", "World")
    edited = text.replace("A fact about Alpha.", "A fact about Alpha!")
    assert len(edited) == len(text)
    save(story, edited)  # in place, so the inode stays; the clock is put back, as a save within its tick
    os.utime(story, ns=(before.st_atime_ns, before.st_mtime_ns))
    snapshot = rebuild_now(preview, SourceChange(Change.STORY, story))
    assert "A fact about Alpha!" in page_text(snapshot, "alpha/index.html")


def test_unreported_files_are_read_again_only_when_their_stamp_changed(tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    site = site_for_serve(tmp_path)
    for story in (site / "content").glob("*.md"):  # saved long enough ago for its stamp to be trusted
        os.utime(story, ns=(1_000_000_000, 1_000_000_000))
    preview = preview_of(site)
    read: list[str] = []
    real_read_bytes = briefgen.story.content.read_bytes

    def counted(path: Path, diagnostics: Diagnostics) -> bytes | None:
        read.append(path.name)
        return real_read_bytes(path, diagnostics)

    monkeypatch.setattr(briefgen.story.content, "read_bytes", counted)
    preview.publish(preview.build(), [])
    assert read == [] and "A fact about Alpha." in page_text(preview.current(), "alpha/index.html")
    save(site / "content" / "beta.md", story_text("Beta", "2024-03-24", "World, Economy").replace(
        "A fact about Beta.", "Beta, changed behind the watcher's back."))
    preview.publish(preview.build(), [])
    assert read == ["beta.md"] and "behind the watcher" in page_text(preview.current(), "beta/index.html")


def test_a_reported_folder_forgets_every_story_below_it(tmp_path: Path) -> None:
    site = site_for_serve(tmp_path)
    (site / "content" / "2024").mkdir()
    story = site / "content" / "2024" / "delta.md"
    save(story, story_text("Delta", "2024-03-26", "World"))
    preview = preview_of(site)
    before = story.stat()
    text = story_text("Delta", "2024-03-26", "World")
    save(story, text.replace("A fact about Delta.", "A fact about Delta!"))
    os.utime(story, ns=(before.st_atime_ns, before.st_mtime_ns))
    snapshot = rebuild_now(preview, SourceChange(Change.STRUCTURE, site / "content" / "2024"))
    assert "A fact about Delta!" in page_text(snapshot, "delta/index.html")


def test_an_edited_static_file_is_copied_in_without_a_build(tmp_path: Path,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    site = site_for_serve(tmp_path)
    (site / "static").mkdir()
    save(site / "static" / "notes.txt", "first")
    preview = preview_of(site)
    save(site / "static" / "notes.txt", "second")
    snapshot = rebuild_now(preview, SourceChange(Change.STATIC, site / "static" / "notes.txt"))
    assert snapshot.files["notes.txt"] == b"second"
    assert "copied, 1 files changed" in capsys.readouterr().out


def test_a_stylesheet_only_change_swaps_stylesheets_and_a_story_edit_updates_its_pages(tmp_path: Path) -> None:
    site = site_for_serve(tmp_path)
    preview = preview_of(site)
    first = preview.current()
    for open_tab in ("index.html", "alpha/index.html", "beta/index.html"):
        first.files.shown(open_tab)
    css = site / "themes" / "default" / "assets" / "style.css"
    save(css, css.read_text() + "\n:root { --test: 1px; }\n")
    preview.publish(preview.build(), [SourceChange(Change.STYLESHEET, css)])
    second = preview.current()
    assert (second.action, second.previous) == (SWAP_STYLESHEETS, first.token)
    story = site / "content" / "alpha.md"
    save(story, story_text("Alpha, again"))
    preview.publish(preview.build(), [SourceChange(Change.STORY, story)])
    third = preview.current()
    assert third.action == UPDATE and third.pages["alpha/index.html"] == UPDATE
    assert third.pages["index.html"] == UPDATE and third.pages["beta/index.html"] == UPDATE  # related to Alpha
    assert "tags/index.html" not in third.pages and "404.html" not in third.pages


def test_a_header_edit_reloads_every_page_and_a_static_change_reloads_all(tmp_path: Path) -> None:
    site = site_for_serve(tmp_path)
    preview = preview_of(site)
    base = site / "themes" / "default" / "templates" / "base.html"
    save(base, base.read_text().replace("<header", "<header data-edited", 1))
    preview.publish(preview.build(), [SourceChange(Change.TEMPLATE, base)])
    snapshot = preview.current()
    assert snapshot.pages and set(snapshot.pages.values()) == {RELOAD}
    static = site / "static" / "note.txt"
    static.parent.mkdir(exist_ok=True)
    save(static, "a note\n")
    preview.publish(preview.build(), [SourceChange(Change.STATIC, static)])
    assert (preview.current().action, preview.current().pages) == (RELOAD, {})


def test_a_rebuild_that_changes_nothing_tells_no_page(tmp_path: Path) -> None:
    preview = preview_of(site_for_serve(tmp_path))
    before = preview.current()
    assert preview.publish(preview.build(), []) == 0
    assert preview.current() == before


def test_a_failed_rebuild_keeps_the_last_good_site_and_lists_its_problems(tmp_path: Path) -> None:
    site = site_for_serve(tmp_path)
    preview = preview_of(site)
    good = preview.current()
    save(site / "content" / "alpha.md", story_text("Alpha").replace("title: Alpha\n", "title: Alpha\n  oops: [\n"))
    preview.publish(preview.build(), [])
    failed = preview.current()
    assert failed.files == good.files and failed.token != good.token and failed.action == RELOAD
    assert [(Path(p.path).parts[-2:], p.line) for p in failed.problems] == [(("content", "alpha.md"), 3)]


def test_a_story_file_whose_name_is_not_utf8_shows_as_a_problem_not_a_crash(tmp_path: Path) -> None:
    site = site_for_serve(tmp_path)
    preview = preview_of(site)
    good = preview.current()
    bad = site / "content" / os.fsdecode(b"bad\xff.md")
    save(bad, story_text("Bad"))
    snapshot = rebuild_now(preview, SourceChange(Change.STORY, bad))
    assert snapshot.files == good.files
    assert [problem.code for problem in snapshot.problems] == ["not-utf8-name"]
    assert snapshot.problems[0].shown_path.endswith("content/bad\\xff.md")


# --- What a served page carries ------------------------------------------------------------------

def test_only_served_html_carries_the_reload_script_and_build_output_never_does(tmp_path: Path) -> None:
    site = site_for_serve(tmp_path)
    snapshot = Snapshot(SiteFiles({}), (), "t-1", "t-0", RELOAD)
    served = inject(b"<html><head><title>x</title></head><body>x</body></html>", snapshot).decode()
    assert '<script src="/__briefgen/livereload.js" data-token="t-1" defer></script>\n</head>' in served
    assert "briefgen-overlay" not in served
    result = build(BuildOptions(site_dir=site))
    assert result.written
    assert not [p for p in (site / "public").rglob("*") if p.is_file() and b"__briefgen" in p.read_bytes()]


def test_the_overlay_lists_each_problem_escaped() -> None:
    diagnostics = Diagnostics()
    diagnostics.error("content/a.md", 7, "bad value <script>alert(1)</script>", "write 'x' & 'y'", "bad-value")
    problems = tuple(diagnostics.sorted())
    served = inject(b"<html><head></head><body><p>page</p></body></html>",
                    Snapshot(SiteFiles({}), problems, "t-1", "t-0", RELOAD)).decode()
    assert "content/a.md:7: error: bad value &lt;script&gt;alert(1)&lt;/script&gt;" in served
    assert "<script>alert" not in served
    assert served.index("<p>page</p>") < served.index('id="briefgen-overlay"') < served.index("</body>")
    assert overlay(problems).count("<li>") == 1


def test_the_overlay_counts_errors_and_warnings_apart() -> None:
    diagnostics = Diagnostics()
    diagnostics.error("content/a.md", 7, "a bad value", "fix it", "bad-value")
    for line in (3, 4, 5):
        diagnostics.warning("content/a.md", line, "a fact without a source", "cite one", "fact-without-source")
    assert "the last rebuild failed with 1 error, 3 warnings</h2>" in overlay(tuple(diagnostics.sorted()))


@pytest.mark.parametrize("url", [
    "/../briefgen.yaml", "/%2e%2e/briefgen.yaml", "/%2E%2E%2Fbriefgen.yaml", "/tags/../../etc/passwd",
    "/..%2f..%2fetc%2fpasswd", "//etc/passwd", "/./index.html", "/%5c..%5cbriefgen.yaml", "/a%00.html",
    "http://evil.example/../etc/passwd",
])
def test_a_path_outside_the_site_resolves_to_nothing(url: str) -> None:
    assert resolve({"index.html": b"", "tags/index.html": b""}, url) == (None, None)


def test_paths_resolve_to_files_folders_and_redirects() -> None:
    files = {"index.html": b"", "tags/index.html": b"", "feed.xml": b""}
    assert resolve(files, "/") == ("index.html", None)
    assert resolve(files, "/tags/?q=1") == ("tags/index.html", None)
    assert resolve(files, "/feed.xml") == ("feed.xml", None)
    assert resolve(files, "/tags") == (None, "/tags/")
    assert resolve(files, "/missing/") == (None, None)


@pytest.mark.parametrize(("name", "expected"), [
    ("index.html", "text/html; charset=utf-8"), ("assets/style.1a.css", "text/css; charset=utf-8"),
    ("feed.xml", "application/xml; charset=utf-8"), ("robots.txt", "text/plain; charset=utf-8"),
    ("app.js", "text/javascript; charset=utf-8"), ("logo.png", "image/png"),
    ("font.woff2", "font/woff2"), ("blob", "application/octet-stream"),
])
def test_content_types(name: str, expected: str) -> None:
    assert content_type(name) == expected


def test_a_host_other_than_loopback_gets_a_warning(capsys: pytest.CaptureFixture[str]) -> None:
    assert is_loopback("127.0.0.1") and is_loopback("localhost") and is_loopback("::1")
    warn_if_exposed("127.0.0.1")
    assert capsys.readouterr().err == ""
    warn_if_exposed("0.0.0.0")
    assert "warning: serving on 0.0.0.0" in capsys.readouterr().err


@pytest.mark.parametrize("bound, header, answered", [
    ("127.0.0.1", "127.0.0.1:8000", True), ("127.0.0.1", "localhost:8000", True), ("127.0.0.1", "LOCALHOST", True),
    ("127.0.0.1", "[::1]:8000", True), ("127.0.0.1", "localhost.:8000", True), ("127.0.0.1", None, True),
    ("127.0.0.1", "evil.example:8000", False), ("127.0.0.1", "localhost.evil.example", False),
    ("127.0.0.1", "127.0.0.1.nip.io", False), ("127.0.0.1", "192.168.1.5:8000", False), ("127.0.0.1", "", False),
    ("::1", "[::1]:8000", True), ("::1", "evil.example", False),
    ("preview.lan", "preview.lan:8000", True), ("preview.lan", "other.lan:8000", False),
    ("0.0.0.0", "192.168.1.5:8000", True), ("0.0.0.0", "[fe80::1]:8000", True), ("0.0.0.0", "evil.example", False),
])
def test_the_preview_answers_only_host_names_of_this_machine(bound: str, header: str | None, answered: bool) -> None:
    assert HostNames.bound_to(bound).answers(header) is answered


# --- The real server, over HTTP -------------------------------------------------------------------

@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServeProcess]:
    site = site_for_serve(tmp_path_factory.mktemp("served"))
    (site / "public").mkdir()
    (site / "public" / "leak.txt").symlink_to(site / "briefgen.yaml")  # an old output, symlinked out
    with serving(site) as running_server:
        yield running_server


@pytest.mark.parametrize("raw_path", [
    "/../briefgen.yaml", "/%2e%2e/briefgen.yaml", "/%2e%2e%2fbriefgen.yaml", "/..%2F..%2F..%2Fetc%2Fpasswd",
    "/../../../../etc/passwd", "/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd", "//etc/passwd",
    "/content/alpha.md", "/public/leak.txt", "/leak.txt", "/..\\briefgen.yaml",
])
def test_path_traversal_is_refused_with_404_and_no_file_contents(server: ServeProcess, raw_path: str) -> None:
    status, _, body = server.get(raw_path)
    assert status == 404
    assert b"root:" not in body and b"secret-config-marker" not in body and b"id: wire" not in body


@pytest.mark.parametrize("path", ["/", "/alpha/", "/__briefgen/livereload.js", "/__briefgen/events"])
def test_a_request_for_another_host_name_is_refused_without_the_page(server: ServeProcess, path: str) -> None:
    """DNS rebinding: a page on evil.example, its name pointed at 127.0.0.1, must not read the preview."""
    port = server.url.rstrip("/").rsplit(":", 1)[1]
    status, _, body = server.get(path, host_header=f"evil.example:{port}")
    assert status == 403
    assert "A fact about Alpha" not in words(body) and b"Serve test" not in body and b"livereload" not in body
    assert b"--bind evil.example" in body
    assert server.get("/alpha/", host_header=f"localhost:{port}")[0] == 200


def test_serve_with_a_base_url_links_to_it_with_its_port_and_serves_the_site_under_its_path(tmp_path: Path) -> None:
    site = site_for_serve(tmp_path)
    with serving(site, "-b", "http://localhost/news") as server:
        port = urlsplit(server.url).port
        assert server.url == f"http://localhost:{port}/news/"

        status, _, page = server.get("/news/alpha/", host_header=f"localhost:{port}")
        assert status == 200 and "A fact about Alpha" in words(page)
        assert b'href="/news/beta/"' in server.get("/news/")[2]
        assert f'href="http://localhost:{port}/news/alpha/"'.encode() in page  # the canonical link
        status, headers, _ = server.get("/news")
        assert status == 301 and headers["location"] == "/news/"
        assert server.get("/alpha/")[0] == 404


def test_serve_answers_the_host_of_its_base_url(tmp_path: Path) -> None:
    site = site_for_serve(tmp_path)
    with serving(site, "--base-url", "http://briefgen.test:1234/") as server:
        assert server.url == "http://briefgen.test:1234/"
        # the name resolves nowhere: ask the port the server listens on, as a proxy in front of it would
        server.url = f"http://127.0.0.1:{server.process.args[server.process.args.index('--port') + 1]}/"
        assert server.get("/alpha/", host_header="briefgen.test:1234")[0] == 200
        assert server.get("/alpha/", host_header="evil.example:1234")[0] == 403


def test_every_answer_carries_the_security_headers_of_the_hosted_site(server: ServeProcess) -> None:
    hosted = next(rule["values"] for rule in tomllib.loads((ROOT / "netlify.toml").read_text())["headers"]
                  if rule["for"] == "/*")
    for path in ("/alpha/", "/no-such-story/", "/feed.xml", "/__briefgen/livereload.js"):
        headers = server.get(path)[1]
        assert {name: headers.get(name.lower()) for name in hosted} == hosted, path


def test_two_hundred_requests_at_once_are_all_answered(server: ServeProcess) -> None:
    host, port = server.url.removeprefix("http://").rstrip("/").rsplit(":", 1)
    sockets = [socket.create_connection((host, int(port)), timeout=WAIT) for _ in range(200)]
    try:
        for connection in sockets:
            connection.sendall(f"GET /alpha/ HTTP/1.1\r\nHost: {host}:{port}\r\nConnection: close\r\n\r\n".encode())
        answers = [_read_to_end(connection) for connection in sockets]
    finally:
        for connection in sockets:
            connection.close()
    assert sum(answer.startswith(b"HTTP/1.0 200") or answer.startswith(b"HTTP/1.1 200") for answer in answers) == 200


def _read_to_end(connection: socket.socket) -> bytes:
    chunks = []
    while chunk := connection.recv(65536):
        chunks.append(chunk)
    return b"".join(chunks)


def test_a_missing_page_is_the_sites_404_page_with_status_404(server: ServeProcess) -> None:
    status, headers, body = server.get("/no-such-story/")
    assert status == 404 and headers["content-type"] == "text/html; charset=utf-8"
    assert b"Page not found" in body and b"/__briefgen/livereload.js" in body


def test_pages_and_files_are_served_with_their_content_types(server: ServeProcess) -> None:
    status, headers, body = server.get("/alpha/")
    assert status == 200 and headers["content-type"] == "text/html; charset=utf-8" and "A fact about Alpha" in words(body)
    css = re.search(rb'href="(/assets/style\.[0-9a-f]+\.css)"', body)
    assert css is not None
    assert server.get(css.group(1).decode())[1]["content-type"] == "text/css; charset=utf-8"
    assert server.get("/feed.xml")[1]["content-type"] == "application/xml; charset=utf-8"
    assert server.get("/__briefgen/livereload.js")[1]["content-type"] == "text/javascript; charset=utf-8"
    status, headers, _ = server.get("/tags")
    assert status == 301 and headers["location"] == "/tags/"


def test_thirty_saves_in_one_second_make_at_most_two_rebuilds(server: ServeProcess) -> None:
    story = server.site / "content" / "gamma.md"
    before = len(server.rebuilds())
    for number in range(30):  # well within one second, so a stalled test process on a busy machine still is
        save(story, story_text(f"Gamma {number}", "2024-03-23", "Economy"))
        time.sleep(0.02)
    server.wait_for_line(lambda line: line.startswith("rebuild ") and len(server.rebuilds()) > before)
    status, _, body = server.get("/gamma/")  # waits for any rebuild still in flight
    assert status == 200 and b"Gamma 29" in body
    assert len(server.rebuilds()) - before <= 2, server.rebuilds()


def test_a_busy_port_means_the_next_free_one_said_plainly(tmp_path: Path) -> None:
    site = site_for_serve(tmp_path)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        server = ServeProcess(site, "--port", str(port))
        try:
            assert any(f"port {port} is in use; serving on port" in line for line in server.out)
            assert f":{port}/" not in server.url and server.get("/")[0] == 200
        finally:
            server.interrupt()


def test_ctrl_c_stops_the_server_cleanly(tmp_path: Path) -> None:
    server = ServeProcess(site_for_serve(tmp_path), "--port", str(free_port()))
    assert server.interrupt() == 0
    assert "stopped" in server.out and not any("Traceback" in line for line in server.err), server.err


def test_the_first_build_can_fail_and_a_fix_brings_the_site(tmp_path: Path) -> None:
    site = make_site(tmp_path, {"a.md": story_text("First").replace("title: First\n", "title: First\n  oops: [\n")})
    with serving(site) as served:
        status, _, body = served.get("/")
        assert status == 500 and b"briefgen-overlay" in body and b"content/a.md:3: error:" in body
        save(site / "content" / "a.md", story_text("First"))
        served.wait_for_line(lambda line: line.startswith("rebuild 1 "))
        status, _, body = served.get("/")
        assert status == 200 and b"First" in body and b"briefgen-overlay" not in body


def test_serve_renders_a_page_when_it_is_first_asked_for(tmp_path: Path, rendered: list[str]) -> None:
    """Serve answers once the site is planned: besides the first page of each template (so a broken
    template shows at once), a page goes through its template when a browser first asks for it."""
    site = site_for_serve(tmp_path)
    preview = preview_of(site)
    assert rendered.count("alpha/") == 1 and "beta/" not in rendered and "gamma/" not in rendered
    assert len(rendered) == len(set(rendered)) < 12
    before = len(rendered)
    snapshot = preview.current()
    beta = snapshot.files.shown("beta/index.html")
    assert rendered[before:] == ["beta/"] and beta is not None and "A fact about Beta." in words(beta)
    assert snapshot.files.shown("beta/index.html") == beta and rendered[before:] == ["beta/"]  # once
    expected = {file.path: file.data for file in generate(preview.options).files}
    assert beta == expected["beta/index.html"]


def test_a_page_a_browser_was_shown_is_rendered_with_the_rebuild(tmp_path: Path, rendered: list[str]) -> None:
    """An open page must learn what changed in it, so the rebuild renders it; a page no browser asked
    for waits for its request, whatever changed."""
    site = site_for_serve(tmp_path)
    preview = preview_of(site)
    preview.current().files.shown("beta/index.html")
    save(site / "content" / "beta.md", story_text("Beta, renamed", "2024-03-24", "World, Economy"))
    save(site / "content" / "gamma.md", story_text("Gamma, renamed", "2024-03-23", "Economy"))
    rendered.clear()
    preview.publish(preview.build(), [SourceChange(Change.STORY, site / "content" / "beta.md")])
    assert "beta/" in rendered and "gamma/" not in rendered
    assert b"Beta, renamed" in (preview.current().files.ready("beta/index.html") or b"")
    assert preview.current().pages["beta/index.html"] == UPDATE


def test_a_page_whose_template_fails_when_asked_for_shows_the_problem(tmp_path: Path,
                                                                      capsys: pytest.CaptureFixture[str]) -> None:
    site = site_for_serve(tmp_path)
    story = site / "themes" / "default" / "templates" / "story.html"
    story.write_text(story.read_text().replace("{% block head %}\n", "{% block head %}\n"
                                               '{% if story.title == "Gamma" %}{{ no_such_value }}{% endif %}\n', 1))
    preview = preview_of(site)
    snapshot = preview.current()
    assert not snapshot.problems and "A fact about Alpha." in words(snapshot.files.shown("alpha/index.html") or b"")
    page = (snapshot.files.shown("gamma/index.html") or b"").decode()
    assert "This page could not be built" in page and "themes/default/templates/story.html:" in page
    assert "no_such_value" in page and "no_such_value" in capsys.readouterr().err


def test_generate_is_what_serve_shows(tmp_path: Path) -> None:
    """The preview is the build's own output, plus only the injected script."""
    site = site_for_serve(tmp_path)
    options = BuildOptions(site_dir=site, base_url="http://127.0.0.1:9/", drafts=True)
    expected = {file.path: file.data for file in generate(options).files}
    assert preview_of(site).current().files == expected


def test_a_search_index_comes_into_the_site_with_its_build_never_over_a_newer_one(tmp_path: Path) -> None:
    site = site_for_serve(tmp_path)
    preview = preview_of(site)  # published build 1; its index is not made yet
    first = preview.build()
    save(site / "content" / "alpha.md", story_text("Alpha, newer"))
    preview.publish(preview.build(), [])
    preview._index(first, shown=1)  # the index of an older build finishes late
    snapshot = preview.current()
    assert "Alpha, newer" in page_text(snapshot, "alpha/index.html")
    assert not any(path.startswith("pagefind/") for path in snapshot.files)
    preview._index(preview.build(), shown=2)  # the newest build's index is shown
    snapshot = preview.current()
    assert "Alpha, newer" in page_text(snapshot, "alpha/index.html")
    assert "pagefind/partitions.json" in snapshot.files


def test_search_is_indexed_only_once_saves_pause_and_gives_up_for_a_newer_build(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The pages rendered for the index share the server's process: a save's rebuild must not wait on them."""
    monkeypatch.setattr(briefgen.commands.serve, "SEARCH_QUIET_SECONDS", 0.05)
    site = site_for_serve(tmp_path)
    preview = preview_of(site)
    result = preview.build()
    preview.publish(result, [])
    shown = preview._builds_shown

    def indexed() -> bool:
        return "pagefind/partitions.json" in preview._snapshot.files

    idle = preview.changes
    preview.changes = Debouncer(lambda _: None)  # never handled: a save waiting for its build
    preview.changes.add(SourceChange(Change.STORY, site / "content" / "alpha.md"))
    preview._index(result, shown)
    assert not indexed()
    preview.changes = idle
    asked: list[str] = []
    files_of = preview._site_files

    def newer_build_meanwhile(built: BuildResult) -> SiteFiles:
        files = files_of(built)
        preview._builds_shown += 1  # as if a save's build was shown once the index had begun
        asked.append("files")
        return files
    monkeypatch.setattr(preview, "_site_files", newer_build_meanwhile)
    preview._index(result, shown)
    assert asked and not indexed()
    monkeypatch.undo()
    preview._builds_shown = shown
    preview._index(result, shown)  # saves paused, and still the newest build: indexed
    assert indexed()


def test_the_files_a_rebuild_changed_are_told_by_render_keys_and_by_bytes_where_both_are_made() -> None:
    page = Page("a/", "story.html", {}, Origin("the site"))

    def render(path: str, _: Page) -> bytes:
        raise AssertionError(f"{path} was rendered to be compared")
    old = SiteFiles({"shown.html": b"<p>1", "same.html": b"x", "robots.txt": b"old", "gone.txt": b"-"},
                    {"kept.html": page, "moved.html": page, "removed.html": page},
                    {"shown.html": "k1", "same.html": "s1", "kept.html": "k", "moved.html": "m1", "removed.html": "r"},
                    render)
    new = SiteFiles({"shown.html": b"<p>2", "same.html": b"x", "robots.txt": b"new", "added.txt": b"+"},
                    {"kept.html": page, "moved.html": page},
                    {"shown.html": "k2", "same.html": "s2", "kept.html": "k", "moved.html": "m2"}, render)
    assert sorted(changed_paths(old, new)) == ["added.txt", "gone.txt", "moved.html", "removed.html", "robots.txt",
                                               "shown.html"]  # same.html: other keys, the same bytes


def test_a_client_gone_mid_answer_is_not_reported(capsys: pytest.CaptureFixture[str]) -> None:
    server = briefgen.commands.preview_http._make_server("127.0.0.1", 0)
    try:
        for gone in (BrokenPipeError(32, "Broken pipe"), ConnectionResetError(104, "Connection reset by peer")):
            try:
                raise gone
            except OSError:
                server.handle_error(None, ("127.0.0.1", 50000))
        try:
            raise ValueError("a bug")
        except ValueError:
            server.handle_error(None, ("127.0.0.1", 50000))
    finally:
        server.server_close()
    err = capsys.readouterr().err
    assert err == "briefgen: a request from 127.0.0.1 failed: ValueError: a bug\n"


def test_an_idle_connection_is_closed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(briefgen.commands.preview_http._Handler, "timeout", 0.3)
    server = briefgen.commands.preview_http._make_server("127.0.0.1", 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        with socket.create_connection(server.server_address[:2], timeout=WAIT) as client:
            client.sendall(b"GET / HTTP/1.1\r\n")  # and then nothing more
            started = time.monotonic()
            assert client.recv(1024) == b""  # closed by the server
            assert time.monotonic() - started < WAIT
    finally:
        server.shutdown()
        server.server_close()
