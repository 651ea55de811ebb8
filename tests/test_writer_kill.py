"""A write SIGKILLed at any instant leaves the output folder a whole site, the old one or the new one,
and the next write gives exactly the new site and leaves no debris.

Each write runs in a forked child, killed either just before its Nth change to the file system
(every N, so between any two renames) or after a random short delay.
"""

from __future__ import annotations

import os
import random
import signal
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

import pytest

from briefgen.core.urls import OutputFile
from briefgen.output import folders
from briefgen.output.folders import MARKER
from briefgen.output.state import OutputState
from briefgen.output.writer import output_unchanged, write_site
from tests.conftest import tree_bytes
from tests.test_writer_incremental import assert_clean, site_bytes

pytestmark = pytest.mark.slow  # SIGKILL at random instants of real writes

COMMON = {f"story-{n}/index.html": f"<p>story {n}</p>".encode() for n in range(6)}
PREVIOUS = {**COMMON, "index.html": b"home 0", "old/a.html": b"old a", "x": b"x, a file", "tags/a/index.html": b"a0"}
OLD = {**COMMON, "index.html": b"home 1", "tags/a/index.html": b"a1", "tags/b/index.html": b"b1",
       "x/index.html": b"x, a folder", "y": b"y, a file", "gone/deep/1.html": b"1", "gone/deep/2.html": b"2",
       "same-size.html": b"aaaa"}
NEW = {**COMMON, "index.html": b"home 2", "tags/a/index.html": b"a0", "x": b"x, a file again",
       "y/index.html": b"y, a folder", "added/n/index.html": b"added", "same-size.html": b"bbbb"}
KEPT = tuple(f"story-{n}/index.html" for n in range(3))
CHANGES = ("replace", "rename", "link", "unlink", "rmdir", "mkdir")  # of the file system's names


@dataclass(frozen=True)
class Scenario:
    known: bool  # the caller has the state of the last write (else the first write over an old output)
    exchange: bool  # renameat2 works (else the swap is three renames)


SCENARIOS = {"state": Scenario(True, True), "no-state": Scenario(False, True), "renames": Scenario(True, False)}


def files_of(site: dict[str, bytes], kept: tuple[str, ...] = ()) -> Iterator[OutputFile]:
    return (OutputFile(path, data) for path, data in site.items() if path not in kept)


def publish_old(output: Path, scenario: Scenario) -> OutputState | None:
    """The output folder holding OLD: with a known back folder holding PREVIOUS, or as an older briefgen left it."""
    if not scenario.known:
        write_site(output, files_of(OLD))
        (output / MARKER).write_text("made by briefgen\n")
        return None
    return write_site(output, files_of(OLD), known=write_site(output, files_of(PREVIOUS)))


def write_new(output: Path, known: OutputState | None) -> OutputState:
    """The write under test, as the build makes it: the state and kept files only if the output is as recorded."""
    if known is not None and output_unchanged(output, known):
        return write_site(output, files_of(NEW, KEPT), KEPT, known)
    return write_site(output, files_of(NEW))


def in_child(work: Callable[[], object]) -> int:
    """Start `work` in a forked child; the child's process id."""
    pid = os.fork()
    if pid == 0:
        try:
            work()
        finally:
            os._exit(0)
    return pid


def killed_write(output: Path, known: OutputState | None, scenario: Scenario, kill_at: int) -> None:
    Changes(pytest.MonkeyPatch(), scenario.exchange, kill_at)
    write_new(output, known)


class Changes:
    """Counts this process's changes to the file system (the exchange included); SIGKILLs it just before the
    `kill_at`th, if given."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, exchange: bool, kill_at: int = 0) -> None:
        self.seen, self.kill_at = 0, kill_at
        for name in CHANGES:
            monkeypatch.setattr(os, name, self._counted(getattr(os, name)))
        monkeypatch.setattr(folders, "_exchange", self._counted(folders._exchange if exchange else refuse_exchange))

    def _counted(self, real: Callable[..., Any]) -> Callable[..., Any]:
        def call(*args: Any, **kwargs: Any) -> Any:
            self.seen += 1
            if self.seen == self.kill_at:
                os.kill(os.getpid(), signal.SIGKILL)
            return real(*args, **kwargs)
        return call


def refuse_exchange(first: Path, second: Path) -> bool:
    return False  # as where renameat2 is unsupported: EINVAL, ENOSYS, another system


def count_changes(tmp_path: Path, scenario: Scenario) -> int:
    output = tmp_path / "count" / "public"
    known = publish_old(output, scenario)
    with pytest.MonkeyPatch.context() as monkeypatch:
        changes = Changes(monkeypatch, scenario.exchange)
        write_new(output, known)
    return changes.seen


def written(folder: Path, site: dict[str, bytes]) -> dict[str, bytes]:
    """Every file of the site as a first write leaves it, the writer's marker included."""
    write_site(folder, files_of(site))
    return tree_bytes(folder)


def assert_whole_site_then_mended(output: Path, known: OutputState | None, scenario: Scenario,
                                  sites: dict[str, dict[str, bytes]], when: str) -> None:
    swap = output.parent / f".{output.name}.briefgen-swap"
    if output.exists():
        assert tree_bytes(output) in (sites["published"], sites["new"]), when
    else:  # only between the first two of the three renames, which the next write undoes
        assert not scenario.exchange and site_bytes(swap) == OLD, when
    state = write_new(output, known)
    assert tree_bytes(output) == sites["new"], when
    assert_clean(output, state)
    state = write_site(output, files_of(OLD), known=state)
    assert tree_bytes(output) == sites["old"], when
    assert_clean(output, state)


@pytest.mark.parametrize("name", SCENARIOS)
def test_a_write_killed_before_any_change_leaves_a_whole_site(tmp_path: Path, name: str,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    scenario = SCENARIOS[name]
    total = count_changes(tmp_path, scenario)
    sites = {name: written(tmp_path / name / "public", site) for name, site in (("old", OLD), ("new", NEW))}
    publish_old(tmp_path / "published" / "public", scenario)
    sites["published"] = tree_bytes(tmp_path / "published" / "public")  # as the write under test finds it
    assert total > len(NEW) // 2  # the count saw the changes
    if not scenario.exchange:
        monkeypatch.setattr(folders, "_exchange", refuse_exchange)  # for the writes that mend, too
    for number in range(1, total + 2):  # the last: killed after the write, before the caller kept the state
        output = tmp_path / str(number) / "public"
        known = publish_old(output, scenario)
        status = os.waitpid(in_child(partial(killed_write, output, known, scenario, number)), 0)[1]
        if number <= total:
            assert os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL, number
        else:
            assert os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0
        assert_whole_site_then_mended(output, known, scenario, sites, f"killed before change {number} of {total}")


def big(version: int) -> dict[str, bytes]:
    """Two hundred files; each version changes a third of them, and moves a folder."""
    pages = {f"story-{n}/index.html": f"<p>story {n}, version {version if n % 3 == 0 else 0}</p>".encode()
             for n in range(200)}
    return {**pages, f"v{version}/index.html": b"moved", "index.html": f"home {version}".encode()}


def timed_write(output: Path, known: bool) -> float:
    state = write_site(output, files_of(big(0)), known=write_site(output, files_of(big(-1))))
    start = time.perf_counter()
    write_site(output, files_of(big(1)), known=state if known else None)
    return time.perf_counter() - start


def test_a_write_killed_after_a_random_delay_leaves_a_whole_site(tmp_path: Path) -> None:
    chance = random.Random(20240325)
    seconds = {kind: timed_write(tmp_path / kind / "public", kind == "state") for kind in ("state", "no-state")}
    output = tmp_path / "site" / "public"
    state = write_site(output, files_of(big(0)), known=write_site(output, files_of(big(-1))))
    trees = {0: tree_bytes(output)}
    for run in range(9):  # each run's old site is the one the last run's mending write made
        new = big(run + 1)
        known = state if run % 3 != 2 else None  # else without a state: the slow path
        pid = in_child(partial(write_site, output, files_of(new), known=known))
        time.sleep(chance.uniform(0, 1.5 * seconds["state" if known else "no-state"]))
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        trees[run + 1] = written(tmp_path / f"fresh-{run + 1}" / "public", new)
        assert tree_bytes(output) in (trees[run], trees[run + 1]), run
        state = write_site(output, files_of(new), known=known if known and output_unchanged(output, known) else None)
        assert tree_bytes(output) == trees[run + 1], run
        assert_clean(output, state)
