"""`briefgen build` killed at random instants: the published site is always whole, old or new.

Each round changes the site (its title, so every page changes and the write is long),
starts `briefgen build` as a writer runs it, SIGKILLs it after a random delay (from
start-up to the end of writing), and checks that `public/` is, byte for byte, the
site before or the site after. The next build must then give exactly the new site,
with nothing left beside it but the writer's spare folder, and a cache that is not
poisoned by the kill (its output equals a clean build's). The writer's own test
(test_writer_kill.py) stops it before every single file-system change.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from briefgen.build import BuildOptions, build
from tests.conftest import ROOT, tree_bytes
from tests.test_parallel import synthetic_site

pytestmark = pytest.mark.slow  # SIGKILL at random instants of real builds

ROUNDS = 8
TITLES = ("Synthetic Briefings", "Renamed Briefings")
SITE_ENTRIES = {".briefgen-cache", ".public.briefgen-back", ".public.briefgen-lock", "briefgen.yaml", "content",
                "public"}


def set_title(site: Path, title: str) -> None:
    config = site / "briefgen.yaml"
    lines = [line for line in config.read_text().splitlines() if not line.startswith("title:")]
    config.write_text("\n".join([f'title: "{title}"', *lines]) + "\n")


def clean_tree(site: Path, output: Path) -> dict[str, bytes]:
    result = build(BuildOptions(site_dir=site, output_dir=output, cache=False))
    assert result.written, [d.format() for d in result.diagnostics.items]
    return tree_bytes(output)


def briefgen_build(site: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-m", "briefgen", "build", "-q"], cwd=site,
                            env={**os.environ, "PYTHONPATH": str(ROOT)},
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def test_a_build_killed_at_any_instant_leaves_a_whole_site_and_no_debris(tmp_path: Path) -> None:
    site = synthetic_site(tmp_path / "site", 150)
    expected = {}
    for title in TITLES:
        set_title(site, title)
        expected[title] = clean_tree(site, tmp_path / f"clean-{len(expected)}")
    started = time.perf_counter()
    assert briefgen_build(site).wait(timeout=300) == 0
    full_build = time.perf_counter() - started
    assert tree_bytes(site / "public") == expected[TITLES[1]]
    rng = random.Random(9)
    for round_number in range(ROUNDS):
        before, after = TITLES[(round_number + 1) % 2], TITLES[round_number % 2]
        set_title(site, after)
        running = briefgen_build(site)
        time.sleep(rng.uniform(0.1, full_build))
        running.send_signal(signal.SIGKILL)
        running.wait(timeout=60)
        published = tree_bytes(site / "public")
        assert published in (expected[before], expected[after]), f"round {round_number}: a mixed or missing site"
        finished = briefgen_build(site)
        assert finished.wait(timeout=300) == 0, finished.stderr.read() if finished.stderr else ""
        assert tree_bytes(site / "public") == expected[after], f"round {round_number}"
        assert {entry.name for entry in site.iterdir()} == SITE_ENTRIES, f"round {round_number}: debris"
