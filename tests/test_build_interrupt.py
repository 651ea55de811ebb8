"""Ctrl-C during `briefgen build`, at any instant: a prompt, quiet stop that tells the truth.

A terminal sends SIGINT to the whole process group, the pool's workers included, so
each round signals the group, as a terminal does, at a random instant from start-up
to the end of writing. The build must end within seconds (no worker left holding it),
print no traceback, exit 130 (or die of the signal, silently, in the instants before
Python sets its handler or after it restores the default one as it exits; a shell shows
both as 130), and say what became of the output folder: untouched
(byte for byte the site before) or, if the interrupt came once the new site was in
place, that it was published.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from tests.conftest import ROOT, tree_bytes
from tests.test_build_kill import TITLES, set_title
from tests.test_parallel import synthetic_site

pytestmark = pytest.mark.slow  # Ctrl-C at random instants of real builds

ROUNDS = 8
INTERRUPTED = (130, -signal.SIGINT)  # a shell shows both as 130: Python at times ends by re-raising the signal
STORIES = 300  # enough for the per-story and per-page work to go to a pool of workers
LOADING = "briefgen: interrupted\n"  # before the command began
UNTOUCHED = "briefgen: interrupted; the previous output is untouched\n"
PUBLISHED = "briefgen: interrupted after the new site was published to public/\n"


def start(command: list[str], site: Path) -> subprocess.Popen[str]:
    """A process in its own group, so that the group can be signalled as a terminal signals it."""
    return subprocess.Popen(command, cwd=site, env={**os.environ, "PYTHONPATH": str(ROOT)}, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)


def briefgen_build(site: Path) -> subprocess.Popen[str]:
    return start([sys.executable, "-m", "briefgen", "build", "-q"], site)


def test_ctrl_c_at_any_instant_stops_the_build_quietly_and_truly(tmp_path: Path) -> None:
    site = synthetic_site(tmp_path / "site", STORIES)
    expected, durations = {}, []
    for title in TITLES:
        set_title(site, title)
        started = time.perf_counter()
        assert briefgen_build(site).wait(timeout=300) == 0
        durations.append(time.perf_counter() - started)
        expected[title] = tree_bytes(site / "public")
    rng = random.Random(11)
    outcomes: set[str] = set()
    for round_number in range(ROUNDS):
        before, after = TITLES[(round_number + 1) % 2], TITLES[round_number % 2]
        set_title(site, after)
        running = briefgen_build(site)
        time.sleep(rng.uniform(0.15, max(durations)))  # after Python's own start-up
        os.killpg(running.pid, signal.SIGINT)
        _, err = running.communicate(timeout=60)  # a hang fails here
        published = tree_bytes(site / "public")
        seen = f"round {round_number}: exit {running.returncode}, {err!r}"
        assert "Traceback" not in err, seen
        if err == "":  # finished first; or Python had no handler yet, or had restored the default as it exited
            assert running.returncode in (0, -signal.SIGINT), seen
            assert published in ((expected[after],) if running.returncode == 0 else expected.values()), seen
        else:
            assert running.returncode in INTERRUPTED and err in (LOADING, UNTOUCHED, PUBLISHED), seen
            outcomes.add(err)
            assert published == expected[after if err == PUBLISHED else before], seen
        finished = briefgen_build(site)
        assert finished.wait(timeout=300) == 0
        assert tree_bytes(site / "public") == expected[after], seen
    assert UNTOUCHED in outcomes, outcomes  # the rounds did interrupt builds mid-way


def test_ctrl_c_while_briefgen_loads_ends_it_quietly(tmp_path: Path) -> None:
    """The interrupt lands while `briefgen` imports its command line, before any command runs: an import
    hook holds that import until the signal comes, however slow or busy the machine."""
    launcher = textwrap.dedent("""\
        import sys, time
        class HoldTheCommandLine:
            def find_spec(self, name, path=None, target=None):
                if name == "briefgen.cli":
                    print("loading", flush=True)
                    time.sleep(60)
        sys.meta_path.insert(0, HoldTheCommandLine())
        import briefgen.__main__
        sys.argv[1:] = ["build"]
        sys.exit(briefgen.__main__.main())
        """)
    running = start([sys.executable, "-c", launcher], tmp_path)
    assert running.stdout is not None and running.stdout.readline() == "loading\n"
    os.killpg(running.pid, signal.SIGINT)
    _, err = running.communicate(timeout=30)
    assert running.returncode in INTERRUPTED and err == LOADING
    assert not (tmp_path / "public").exists()
