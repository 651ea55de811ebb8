"""Measure the search stage: one Pagefind run over the whole site (today) against partitions.

Usage:

    .venv/bin/python bench/search_probe.py [--sizes 1000 10000] [--work DIR] [--query WORD ...]

For each size N it makes a site (bench/make_site.py N, `search: false`), builds it with
`briefgen build`, reads its story pages and measures, each once, in a fresh process:

- whole: `python -m pagefind --site` over the built site, as the build ran it before partitions;
- one partition: `index_partition` over the largest partition's pages (what one edit costs);
- all partitions: `index_stories` (every partition, in parallel, and partitions.json);

its wall time and the peak resident memory of its largest Pagefind process (ru_maxrss of
the measuring process's children). The one partition's bytes are compared with the same
partition's in the full run (two processes: the index is deterministic if they are equal).
Then Chromium searches each query through the theme's search.js, once on the whole bundle
and once on the partitions, each in a fresh browser context: requests, bytes (as served,
uncompressed) and the time from typing to the results, and whether both find the same
number of stories.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from briefgen.core.diagnostics import Diagnostics  # noqa: E402
from briefgen.search.pagefind import (BUNDLE_DIR, EXCLUDE_SELECTORS, SearchPage, index_partition,  # noqa: E402
                                      index_stories, partition_paths, partitions_file)
from tests.browser import launch_chromium, serve_directory  # noqa: E402

WHOLE_DIR = "pagefind-whole"  # the whole-site bundle, as partition "0" of its own partitions.json
LANGUAGE = "en"
CONFIG_FILE = Path("briefgen.yaml")
HARNESS = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Search probe</title>
<script type="module" src="/probe-search.js"></script></head>
<body><form class="search" hidden data-bundle="/{bundle}/"><input type="search" name="q" aria-label="Search"></form>
<div id="search_results"><p class="search-status" role="status"></p><ol hidden></ol></div></body></html>
"""


# --- Measured in a fresh process ----------------------------------------------------------------


def story_pages(output: Path) -> list[SearchPage]:
    pages = []
    for page in sorted(output.rglob("index.html")):
        html = page.read_bytes()
        if b"data-pagefind-body" in html:
            pages.append((page.parent.relative_to(output).as_posix() + "/", html))
    return pages


def measure_whole(output: Path) -> dict[str, Any]:
    shutil.rmtree(output / WHOLE_DIR, ignore_errors=True)
    command = [sys.executable, "-m", "pagefind", "--site", str(output), "--output-path",
               str(output / WHOLE_DIR / "0"), "--exclude-selectors", *EXCLUDE_SELECTORS, "--silent"]
    start = time.perf_counter()
    subprocess.run(command, check=True)
    seconds = time.perf_counter() - start
    listing = partitions_file(["0"])
    (output / WHOLE_DIR / "partitions.json").write_bytes(listing.data)
    size = sum(path.stat().st_size for path in (output / WHOLE_DIR).rglob("*") if path.is_file())
    return {"seconds": seconds, "bytes": size}


def measure_partition(output: Path) -> dict[str, Any]:
    pages = dict(story_pages(output))
    name, paths = max(partition_paths(pages).items(), key=lambda item: len(item[1]))
    start = time.perf_counter()
    files = index_partition(name, [(path, pages[path]) for path in paths], LANGUAGE, Diagnostics(), CONFIG_FILE)
    seconds = time.perf_counter() - start
    assert files is not None
    return {"seconds": seconds, "name": name, "stories": len(paths), "digest": digest(files)}


def measure_all(output: Path) -> dict[str, Any]:
    pages = story_pages(output)
    start = time.perf_counter()
    files = index_stories(pages, LANGUAGE, Diagnostics(), CONFIG_FILE)
    seconds = time.perf_counter() - start
    assert files is not None
    shutil.rmtree(output / BUNDLE_DIR, ignore_errors=True)
    for file in files:
        (output / file.path).parent.mkdir(parents=True, exist_ok=True)
        (output / file.path).write_bytes(file.data)
    by_partition: dict[str, list[Any]] = {}
    for file in files:
        by_partition.setdefault(file.path.split("/")[1], []).append(file)
    return {"seconds": seconds, "bytes": sum(len(file.data) for file in files),
            "digests": {name: digest(members) for name, members in by_partition.items()},
            "partitions": len(by_partition) - 1}  # less partitions.json


def digest(files: list[Any]) -> str:
    hashed = hashlib.sha256()
    for file in sorted(files, key=lambda file: file.path):
        hashed.update(file.path.encode() + b"\0" + file.data)
    return hashed.hexdigest()[:16]


MEASURES = {"whole": measure_whole, "partition": measure_partition, "all": measure_all}


def measured(kind: str, output: Path) -> dict[str, Any]:
    """Run one measure in a fresh process, so its children's peak memory is its own."""
    done = subprocess.run([sys.executable, __file__, "--measure", kind, str(output)], check=True,
                          capture_output=True, text=True)
    return dict(json.loads(done.stdout))


# --- In Chromium -------------------------------------------------------------------------------


@dataclass(frozen=True)
class BrowserCost:
    requests: int
    kib: float
    milliseconds: float
    status: str
    top: list[str]


def browser_costs(output: Path, queries: list[str]) -> dict[tuple[str, str], BrowserCost]:
    shutil.copy(ROOT / "themes" / "default" / "assets" / "search.js", output / "probe-search.js")
    for bundle in (WHOLE_DIR, BUNDLE_DIR):
        (output / f"probe-{bundle}.html").write_text(HARNESS.format(bundle=bundle), encoding="utf-8")
    costs = {}
    with serve_directory(output) as origin, launch_chromium() as browser:
        for query in queries:
            for bundle in (WHOLE_DIR, BUNDLE_DIR):
                costs[bundle, query] = search_once(browser, f"{origin}/probe-{bundle}.html", query)
    return costs


def search_once(browser: Any, url: str, query: str) -> BrowserCost:
    """One query in a fresh context (a cold cache): what the search fetched, once the page had loaded."""
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(url)
        page.wait_for_load_state("networkidle")
        fetched: list[Any] = []
        context.on("requestfinished", lambda request: fetched.append(request))
        start = time.perf_counter()
        page.get_by_role("searchbox").fill(query)
        page.wait_for_function("document.querySelector('.search-status').textContent.includes('match')",
                               timeout=120_000)
        milliseconds = (time.perf_counter() - start) * 1000
        page.wait_for_load_state("networkidle")
        size = sum(request.sizes()["responseBodySize"] for request in fetched)
        status = page.locator(".search-status").inner_text()
        top = page.locator("#search_results li a").evaluate_all("links => links.map(l => l.getAttribute('href'))")
        return BrowserCost(len(fetched), size / 1024, milliseconds, status, top)
    finally:
        context.close()


# --- The report ----------------------------------------------------------------------------------


def make_site(count: int, work: Path) -> Path:
    """The site's built output (made and built once per work folder)."""
    site, output = work / f"site-{count}", work / f"site-{count}" / "public"
    if not (site / "content").is_dir():
        subprocess.run([sys.executable, str(ROOT / "bench" / "make_site.py"), str(count), str(site)], check=True,
                       stdout=subprocess.DEVNULL)
        with (site / "briefgen.yaml").open("a") as config:
            config.write("search: false\n")
    if not (output / "index.html").exists():
        subprocess.run([sys.executable, "-m", "briefgen", "build", "-q", "-s", str(site), "--no-cache"], check=True)
    return output


def report(count: int, output: Path, queries: list[str]) -> None:
    print(f"\n{count} stories")
    whole, one, every = measured("whole", output), measured("partition", output), measured("all", output)
    same = every["digests"].get(one["name"]) == one["digest"]
    print(f"  whole site, pagefind CLI        {whole['seconds']:7.2f} s   peak {whole['peak_mib']:6.0f} MiB"
          f"   {whole['bytes'] / 2**20:6.1f} MiB of files")
    print(f"  one partition ({one['stories']:>5} stories) {one['seconds']:7.2f} s   peak {one['peak_mib']:6.0f} MiB"
          f"   same bytes as in the full run: {'yes' if same else 'NO'}")
    print(f"  all {every['partitions']:>3} partitions         {every['seconds']:7.2f} s   peak {every['peak_mib']:6.0f}"
          f" MiB per process   {every['bytes'] / 2**20:6.1f} MiB of files")
    costs = browser_costs(output, queries)
    for query in queries:
        whole_cost, parts_cost = costs[WHOLE_DIR, query], costs[BUNDLE_DIR, query]
        for label, cost in (("whole", whole_cost), ("partitioned", parts_cost)):
            print(f"  search {query!r:<16} {label:<12} {cost.requests:4d} requests {cost.kib:8.0f} KiB"
                  f" {cost.milliseconds:7.0f} ms   {cost.status}")
        shared = len(set(whole_cost.top) & set(parts_cost.top))
        print(f"    same count: {'yes' if whole_cost.status == parts_cost.status else 'NO'};"
              f" {shared} of the first {len(whole_cost.top)} results in both")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--work", type=Path, default=None, help="keep sites here (default: a temporary folder)")
    parser.add_argument("--query", nargs="+", default=["harbour", "taiwan tariff"])
    parser.add_argument("--measure", nargs=2, metavar=("KIND", "OUTPUT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        kind, output = args.measure
        result = MEASURES[kind](Path(output))
        result["peak_mib"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        print(json.dumps(result))
        return
    work = args.work or Path(tempfile.mkdtemp(prefix="search-probe-"))
    for count in args.sizes:
        report(count, make_site(count, work), args.query)


if __name__ == "__main__":
    main()
