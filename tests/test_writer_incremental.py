"""Writing only what changed: the cost follows the change, unchanged files keep their inode and mtime,
and a failed write changes nothing."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from briefgen.core.urls import OutputFile
from briefgen.output import folders, writer
from briefgen.output.folders import MARKER
from briefgen.output.state import OutputState
from briefgen.output.writer import TEMP_PREFIX, output_unchanged, write_site
from tests.conftest import tree_bytes

FIRST = [OutputFile("index.html", b"<p>home</p>"), OutputFile("a/index.html", b"<p>a</p>"),
         OutputFile("b/index.html", b"<p>b</p>")]
SECOND = [OutputFile("index.html", b"<p>home, again</p>"), OutputFile("a/index.html", b"<p>a</p>"),
          OutputFile("c/index.html", b"<p>c</p>")]


def stamps(folder: Path) -> dict[str, tuple[int, int]]:
    return {p.relative_to(folder).as_posix(): (p.stat().st_ino, p.stat().st_mtime_ns)
            for p in folder.rglob("*") if p.is_file() and p.name != MARKER}


def age(output: Path, files: list[OutputFile]) -> OutputState:
    """Push every published file's mtime into the past, so a rewrite could not go unnoticed; then write
    the same files without a state, which compares their bytes, links them all and records the old mtimes."""
    for path in output.rglob("*"):
        if path.is_file():
            os.utime(path, ns=(1_000_000_000, 1_000_000_000))
    return write_site(output, files)


def site_bytes(folder: Path) -> dict[str, bytes]:
    return {path: data for path, data in tree_bytes(folder).items() if path != MARKER}


def as_files(site: dict[str, bytes]) -> list[OutputFile]:
    return [OutputFile(path, data) for path, data in site.items()]


def build(output: Path, files: list[OutputFile], state: OutputState | None, kept: tuple[str, ...] = ()) -> OutputState:
    """Write as the build does: with the state only while the published folder is as it records."""
    known = state if state is not None and output_unchanged(output, state) else None
    return write_site(output, iter(files), kept if known is not None else (), known)


def assert_clean(output: Path, state: OutputState) -> None:
    """Nothing but the two folders, no temporary files or empty folders in them, and the state true of both."""
    back = output.parent / f".{output.name}.briefgen-back"
    assert {p.name for p in output.parent.iterdir()} <= {output.name, back.name}
    for folder in (output, back):
        if folder.exists():
            assert not [p for p in folder.rglob(f"{TEMP_PREFIX}*")]
            assert not [p for p in folder.rglob("*") if p.is_dir() and not any(p.iterdir())]
    assert output_unchanged(output, state)
    if state.back_site is not None:
        assert {path: (s.inode, s.mtime_ns) for path, s in state.back.items()} == stamps(back)


@pytest.mark.parametrize("with_state", [True, False])
def test_only_files_whose_bytes_changed_are_written(tmp_path: Path, with_state: bool) -> None:
    output = tmp_path / "public"
    write_site(output, FIRST)
    state = age(output, FIRST)
    before = stamps(output)
    state = write_site(output, SECOND, known=state if with_state else None)
    after = stamps(output)
    assert site_bytes(output) == {f.path: f.data for f in SECOND}
    assert after["a/index.html"] == before["a/index.html"]
    assert after["index.html"] != before["index.html"]
    assert_clean(output, state)


def test_unchanged_files_keep_their_inode_and_mtime_through_many_builds(tmp_path: Path) -> None:
    output, state = tmp_path / "public", None
    for round in range(5):
        files = [OutputFile("same/index.html", b"<p>same</p>"), OutputFile("index.html", f"<p>{round}</p>".encode()),
                 OutputFile(f"story-{round % 2}/index.html", b"<p>comes and goes</p>")]
        state = build(output, files, state)
        if round == 0:
            state = age(output, files)
            first = stamps(output)["same/index.html"]
        assert stamps(output)["same/index.html"] == first
        assert site_bytes(output) == {f.path: f.data for f in files}
        assert_clean(output, state)


class Calls:
    """Every file-system call the writer makes that changes a folder or reads a file's bytes, with the
    path it names (`reads` counts the calls that only look: stats and folder listings)."""

    CHANGES = ("link", "replace", "rename", "unlink", "rmdir", "mkdir", "open", "utime", "chmod")
    LOOKS = ("stat", "lstat", "listdir", "scandir")

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.paths: list[str] = []
        self.reads = 0
        for name in self.CHANGES:
            monkeypatch.setattr(os, name, self._recording(getattr(os, name)))
        for name in self.LOOKS:
            monkeypatch.setattr(os, name, self._counting(getattr(os, name)))
        monkeypatch.setattr(writer, "open", self._recording(open), raising=False)
        monkeypatch.setattr(Path, "read_bytes", self._recording(Path.read_bytes))
        monkeypatch.setattr(Path, "write_bytes", self._recording(Path.write_bytes))

    def _recording(self, real: Callable[..., Any]) -> Callable[..., Any]:
        def call(*args: Any, **kwargs: Any) -> Any:
            self.paths.append(os.fspath(args[0]) if args and isinstance(args[0], (str, Path)) else "")
            return real(*args, **kwargs)
        return call

    def _counting(self, real: Callable[..., Any]) -> Callable[..., Any]:
        def call(*args: Any, **kwargs: Any) -> Any:
            self.reads += 1
            return real(*args, **kwargs)
        return call

    def site_files_named(self, *folders: Path) -> set[str]:
        """The files and folders of the site (not the writer's own) that calls named, below `folders`."""
        named = set()
        for path in map(Path, self.paths):
            for folder in folders:
                if path.is_relative_to(folder) and path != folder and path.name != MARKER \
                        and not path.name.startswith(TEMP_PREFIX):
                    named.add(path.relative_to(folder).as_posix())
        return named


def big_site(edit: int) -> list[OutputFile]:
    pages = [OutputFile(f"story-{n}/index.html", f"<p>story {n}</p>".encode()) for n in range(300)]
    return [OutputFile("index.html", f"<p>home, edit {edit}</p>".encode()), *pages,
            OutputFile(f"story-{edit}/index.html", f"<p>story {edit}, edited</p>".encode())]


def test_a_one_edit_write_touches_only_the_changed_files_and_equals_a_fresh_write(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    output = tmp_path / "site" / "public"
    state = write_site(output, big_site(0))
    state = write_site(output, big_site(1), known=state)
    calls = Calls(monkeypatch)
    state = write_site(output, big_site(2), known=state)
    back = tmp_path / "site" / ".public.briefgen-back"
    # Only the files changed by this build or the last (the back folder is two builds behind) are written,
    # linked or read; the back folder is looked over (a listing per folder, a stat per file: a hand change
    # there is never published), the published one was by the caller.
    changed = {"index.html", *(f"story-{n}{file}" for n in range(3) for file in ("", "/index.html"))}
    assert calls.site_files_named(output, back) <= changed
    inside = [path for path in calls.paths if Path(path).is_relative_to(output.parent)]
    assert len(inside) < 60  # for 300 files: a write or a link per file would make hundreds
    assert calls.reads < 2 * 302 + 30
    monkeypatch.undo()
    fresh = tmp_path / "fresh" / "public"
    write_site(fresh, big_site(2))
    assert tree_bytes(output) == tree_bytes(fresh)  # the marker too
    assert_clean(output, state)


CHANGES = [
    {"index.html": b"home", "a": b"a file", "b/c/index.html": b"deep", "b/d.html": b"d", "e/f/g.html": b"g"},
    {"index.html": b"home", "a/index.html": b"a folder now", "b": b"b file now", "e/h.html": b"h"},
    {"index.html": b"home 2", "a": b"a file again", "b/c/index.html": b"deep again"},
    {"x/y/z.html": b"only this"},
    {"index.html": b"home", "a": b"a file", "b/c/index.html": b"deep", "b/d.html": b"d", "e/f/g.html": b"g"},
]


@pytest.mark.parametrize("exchange", [True, False], ids=["renameat2", "renames"])
def test_files_become_folders_and_back_and_removed_files_leave_no_empty_folder(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, exchange: bool) -> None:
    if not exchange:
        monkeypatch.setattr(folders, "_exchange", lambda first, second: False)
    output, state = tmp_path / "site" / "public", None
    for number, site in enumerate(CHANGES):
        state = build(output, as_files(site), state)
        fresh = tmp_path / f"fresh-{number}" / "public"
        write_site(fresh, as_files(site))
        assert tree_bytes(output) == tree_bytes(fresh) and site_bytes(output) == site, number
        assert_clean(output, state)


def test_a_kept_file_keeps_its_inode_and_wins_over_a_static_file_of_its_name(tmp_path: Path) -> None:
    output = tmp_path / "public"
    state = write_site(output, [OutputFile("about/index.html", b"<p>the page</p>"), *FIRST])
    state = write_site(output, FIRST, kept=["about/index.html"], known=state)
    state = age(output, [OutputFile("about/index.html", b"<p>the page</p>"), *FIRST])
    before = stamps(output)["about/index.html"]
    static = OutputFile("about/index.html", b"<p>a static file of the theme</p>")
    state = build(output, [static, *FIRST], state, kept=("about/index.html",))
    assert site_bytes(output) == {"about/index.html": b"<p>the page</p>", **{f.path: f.data for f in FIRST}}
    assert stamps(output)["about/index.html"] == before
    assert_clean(output, state)


def test_a_later_file_of_the_same_name_wins(tmp_path: Path) -> None:
    output = tmp_path / "public"
    state = write_site(output, FIRST)
    page = OutputFile("index.html", b"<p>the page over the static file</p>")
    state = build(output, [*SECOND, page], state)
    assert site_bytes(output)["index.html"] == page.data
    state = build(output, [OutputFile("index.html", b"<p>static</p>"), *FIRST], state)
    assert site_bytes(output) == {f.path: f.data for f in FIRST}
    assert_clean(output, state)


@pytest.mark.parametrize("in_place", [True, False])
def test_files_edited_by_hand_in_the_published_folder_are_written_again(tmp_path: Path, in_place: bool) -> None:
    output = tmp_path / "public"
    state = write_site(output, FIRST)
    state = write_site(output, SECOND, known=state)
    state = write_site(output, FIRST, known=state)
    if not in_place:  # a new file, a new inode
        (output / "a" / "index.html").unlink()
    (output / "a" / "index.html").write_bytes(b"<p>A</p>")  # same size
    assert not output_unchanged(output, state)
    for site in (FIRST, SECOND, FIRST, SECOND):
        state = build(output, site, state)
        assert site_bytes(output) == {f.path: f.data for f in site}
        assert_clean(output, state)


def failing_at_c(files: list[OutputFile], interruption: type[BaseException]) -> Iterator[OutputFile]:
    for file in files:
        if file.path.startswith("c/"):
            raise interruption()
        yield file


@pytest.mark.parametrize("interruption", [KeyboardInterrupt, OSError])
def test_an_interrupted_incremental_write_leaves_the_previous_site_byte_for_byte(
        tmp_path: Path, interruption: type[BaseException]) -> None:
    output = tmp_path / "public"
    state = write_site(output, FIRST)
    state = write_site(output, FIRST[1:], known=state)
    before, before_stamps = tree_bytes(output), stamps(output)
    with pytest.raises(interruption):
        write_site(output, failing_at_c(SECOND, interruption), known=state)
    assert tree_bytes(output) == before and stamps(output) == before_stamps
    assert output_unchanged(output, state)
    state = build(output, SECOND, state)
    assert site_bytes(output) == {f.path: f.data for f in SECOND}
    assert_clean(output, state)


def test_a_write_whose_state_was_lost_is_noticed_and_the_next_write_is_right(tmp_path: Path) -> None:
    output = tmp_path / "public"
    state = write_site(output, FIRST)
    state = write_site(output, SECOND, known=state)
    write_site(output, FIRST, known=state)  # as if killed before the caller saved the state it returned
    assert not output_unchanged(output, state)
    state = build(output, SECOND, state)
    assert site_bytes(output) == {f.path: f.data for f in SECOND}
    assert_clean(output, state)


@pytest.mark.parametrize("path", ["../escape.html", "/abs.html", "a//b.html", MARKER, f"a/{TEMP_PREFIX}1"])
def test_a_path_outside_the_folder_is_refused_and_nothing_is_published(tmp_path: Path, path: str) -> None:
    output = tmp_path / "public"
    write_site(output, FIRST)
    before = tree_bytes(output)
    with pytest.raises(ValueError):
        write_site(output, [*SECOND, OutputFile(path, b"x")])
    assert tree_bytes(output) == before and not (tmp_path / "escape.html").exists()


CONFLICTS = {"file, then a file in it": ([("x", b"file"), ("x/y.html", b"in it")], ()),
             "a file, then the folder it is in": ([("x/y.html", b"in it"), ("x", b"file")], ()),
             "a kept file, then the folder it is in": ([("about", b"file")], ("about/index.html",)),
             "a kept file, then a file in it": ([("feed.xml/index.html", b"in it")], ("feed.xml",))}


@pytest.mark.parametrize("case", CONFLICTS)
def test_a_path_both_file_and_folder_of_the_site_is_refused_and_nothing_is_published(
        tmp_path: Path, case: str) -> None:
    output = tmp_path / "public"
    published = [*FIRST, OutputFile("about/index.html", b"about"), OutputFile("feed.xml", b"<feed/>")]
    state = write_site(output, published, known=write_site(output, published))
    before = tree_bytes(output)
    added, kept = CONFLICTS[case]
    with pytest.raises(ValueError, match="both a file and a folder"):
        build(output, [*FIRST, *(OutputFile(path, data) for path, data in added)], state, kept)
    assert tree_bytes(output) == before
    state = build(output, SECOND, state)
    assert site_bytes(output) == {f.path: f.data for f in SECOND}
    assert_clean(output, state)
