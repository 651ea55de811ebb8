"""Save-to-repaint latency of `briefgen serve`, on synthetic sites (a benchmark, not a test).

Usage:

    .venv/bin/python bench/serve_latency.py [--sizes 100 1000] [--edits 20]

For each size: writes a site with bench/make_site.py, runs `briefgen serve` on it,
opens a story page in Chromium (/usr/bin/chromium), then edits that story's file
`--edits` times. Each latency runs from just before the write to the paint that
shows the new text, both read from the wall clock (the page's `performance.timeOrigin`
plus its clock), so the browser's polling does not blur it. A page updated in place
takes the end of the first frame after the text arrived (the task after that frame's
requestAnimationFrame); a reloaded page, its first contentful paint. Prints the median
and the worst; asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterable
from pathlib import Path
from typing import IO

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from playwright.sync_api import Page, expect  # noqa: E402

from tests.browser import launch_chromium  # noqa: E402

SETTLE = 0.4  # seconds between edits, so each one is its own rebuild
# Before each save: watch for the marker text, then note when the frame showing it is done.
WATCH_JS = """(marker) => {
  const probe = window.briefgenProbe = { painted: null };
  const observer = new MutationObserver(() => {
    if (!document.querySelector("main").textContent.includes(marker)) return;
    observer.disconnect();
    requestAnimationFrame(() => setTimeout(() => { probe.painted = performance.timeOrigin + performance.now(); }));
  });
  observer.observe(document, { subtree: true, childList: true, characterData: true });
}"""
PAINTED_JS = "() => !window.briefgenProbe || window.briefgenProbe.painted !== null"
REPAINT_JS = """() => {
  if (window.briefgenProbe) return window.briefgenProbe.painted;  // updated in place
  const paint = performance.getEntriesByName("first-contentful-paint")[0];
  const nav = performance.getEntriesByType("navigation")[0];
  return performance.timeOrigin + (paint ? paint.startTime : nav.domContentLoadedEventEnd);
}"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start_serve(site: Path, rebuild_seconds: list[float], env: dict[str, str] | None = None,
                stderr: IO[str] | int = subprocess.DEVNULL) -> tuple[subprocess.Popen[str], str]:
    """Run serve (briefgen from `env`, else this checkout); its rebuild times (the last figure of each
    `rebuild` line) go to `rebuild_seconds`."""
    env = {**(env or {**os.environ, "PYTHONPATH": str(ROOT)}), "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen([sys.executable, "-m", "briefgen", "serve", "-s", str(site),
                                "--port", str(free_port())], cwd=site, env=env, text=True,
                               stdout=subprocess.PIPE, stderr=stderr)
    assert process.stdout is not None
    for line in process.stdout:
        print(f"    serve: {line.rstrip()}")
        if line.startswith("serving "):
            threading.Thread(target=collect_rebuilds, args=(process.stdout, rebuild_seconds), daemon=True).start()
            return process, line.split()[1]
    raise SystemExit(f"briefgen serve stopped before serving (exit status {process.wait()})")


def collect_rebuilds(lines: Iterable[str], rebuild_seconds: list[float]) -> None:
    for line in lines:
        if line.startswith("rebuild ") and line.rstrip().endswith(" s"):
            rebuild_seconds.append(float(line.rsplit(" ", 2)[1]))


def measure(page: Page, story: Path, edits: int) -> list[float]:
    """Milliseconds from each write to the paint of the page showing it."""
    original = story.read_text(encoding="utf-8")
    latencies: list[float] = []
    for number in range(1, edits + 1):
        marker = f"Latency probe {number}."
        page.evaluate(WATCH_JS, marker)
        written = time.time() * 1000
        story.write_text(f"{original}\n{marker}\n", encoding="utf-8")
        expect(page.locator("main")).to_contain_text(marker, timeout=60_000)
        page.wait_for_function(PAINTED_JS)
        latencies.append(float(page.evaluate(REPAINT_JS)) - written)
        time.sleep(SETTLE)
    return latencies


def save_to_paint(url: str, story: Path, edits: int) -> list[float]:
    """Open the story's page in Chromium; milliseconds from each of `edits` saves to the new text's paint."""
    with launch_chromium() as browser:
        page = browser.new_page()
        page.goto(f"{url}{story.stem}/")
        return measure(page, story, edits)


def run(size: int, edits: int, workdir: Path) -> None:
    site = workdir / f"site-{size}"
    subprocess.run([sys.executable, str(ROOT / "bench" / "make_site.py"), str(size), str(site)], check=True,
                   stdout=subprocess.DEVNULL)
    stories = sorted((site / "content").glob("*.md"))
    story = stories[len(stories) // 2]
    print(f"{size} stories:")
    rebuild_seconds: list[float] = []
    process, url = start_serve(site, rebuild_seconds)
    try:
        latencies = save_to_paint(url, story, edits)
    finally:
        process.terminate()
        process.wait(timeout=30)
    print(f"  save-to-repaint over {edits} edits: median {statistics.median(latencies):.0f} ms, "
          f"worst {max(latencies):.0f} ms  (all: {', '.join(f'{ms:.0f}' for ms in latencies)})")
    if rebuild_seconds:
        print(f"  of which the rebuild in the server: median {statistics.median(rebuild_seconds) * 1000:.0f} ms, "
              f"worst {max(rebuild_seconds) * 1000:.0f} ms")


def main() -> int:
    parser = argparse.ArgumentParser(description="Measure briefgen serve's save-to-repaint latency.")
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000], help="site sizes, in stories")
    parser.add_argument("--edits", type=int, default=20, help="edits per site (default 20)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="briefgen-serve-bench-") as workdir:
        for size in args.sizes:
            run(size, args.edits, Path(workdir))
    return 0


if __name__ == "__main__":
    sys.exit(main())
