"""The parallel build: the same bytes and the same problems as a serial one."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from briefgen.build import BuildOptions, generate
from briefgen.core.pool import can_fork, parallel_map
from tests.conftest import ROOT, story_text


def synthetic_site(root: Path, stories: int) -> Path:
    """A site of briefing-shaped stories from the benchmark's generator, with search off."""
    subprocess.run([sys.executable, str(ROOT / "bench" / "make_site.py"), str(stories), str(root)],
                   check=True, capture_output=True)
    with (root / "briefgen.yaml").open("a") as config:
        config.write("search: false\n")
    return root


def in_fresh_process(call: str) -> None:
    """Run `tests.test_parallel.<call>` in a new interpreter: threads left by other tests would make the pool
    (rightly) fall back to serial work, and the comparison would prove nothing."""
    done = subprocess.run([sys.executable, "-c", f"import tests.test_parallel as t; t.{call}"], cwd=ROOT,
                          capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=300)
    assert done.returncode == 0, done.stderr


def test_the_pool_really_runs_elsewhere_and_keeps_order() -> None:
    in_fresh_process("pool_runs_elsewhere()")


def pool_runs_elsewhere() -> None:
    assert can_fork()
    assert parallel_map(lambda n: n * n, range(40), jobs=2)[7] == 49
    pids = set(parallel_map(lambda n: os.getpid(), range(40), jobs=2))
    assert os.getpid() not in pids


def test_a_parallel_build_is_byte_identical_to_a_serial_one(tmp_path: Path) -> None:
    site = synthetic_site(tmp_path / "site", 40)
    (site / "content" / "broken.md").write_text(story_text("Broken").replace("[wire]", "[nobody]"))
    (site / "content" / "no-contra.md").write_text(
        story_text("Loose").replace("contra: The other side of Loose.\n", ""))
    in_fresh_process(f"parallel_equals_serial({str(site)!r})")


def parallel_equals_serial(site_dir: str) -> None:
    site = Path(site_dir)
    assert can_fork()
    serial = generate(BuildOptions(site_dir=site, jobs=1))
    parallel = generate(BuildOptions(site_dir=site, jobs=2))
    assert [d.format() for d in parallel.diagnostics.sorted()] == [d.format() for d in serial.diagnostics.sorted()]
    assert serial.diagnostics.errors and serial.diagnostics.warnings
    (site / "content" / "broken.md").unlink()
    serial = generate(BuildOptions(site_dir=site, jobs=1))
    parallel = generate(BuildOptions(site_dir=site, jobs=2))
    assert len(serial.files) > 100
    assert parallel.files == serial.files
