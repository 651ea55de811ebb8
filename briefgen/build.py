"""The build: a chain of stages, ordered here and nowhere else.

    config → theme → discover → read stories (split, validate, render Markdown)
    → assemble the site → plan pages → render templates → write

Each stage adds its problems to one Diagnostics; nothing is written unless
the whole chain succeeded.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

from briefgen.cache import StoryCache
from briefgen.config import SiteConfig, load_config
from briefgen.content import CONTENT_DIR, discover, read_story
from briefgen.diagnostics import Diagnostics
from briefgen.markdown import make_parser
from briefgen.pages import plan_pages
from briefgen.site import assemble
from briefgen.templates import OutputFile, Theme, load_theme, make_environment, render_pages
from briefgen.urls import Linker
from briefgen.writer import check_output_dir, write_site


@dataclass(frozen=True)
class BuildOptions:
    site_dir: Path = Path(".")
    output_dir: Path | None = None  # default: the config's output_dir, below the site
    base_url: str | None = None
    drafts: bool = False
    strict: bool = False


@dataclass
class BuildResult:
    diagnostics: Diagnostics
    config: SiteConfig = field(default_factory=SiteConfig)
    stories: int = 0
    files: list[OutputFile] = field(default_factory=list)
    output_dir: Path | None = None
    timings: dict[str, float] = field(default_factory=dict)
    written: bool = False

    @property
    def failed(self) -> bool:
        return bool(self.diagnostics.errors)


class _Timer:
    def __init__(self, timings: dict[str, float]) -> None:
        self.timings = timings
        self.last = time.perf_counter()

    def lap(self, stage: str) -> None:
        now = time.perf_counter()
        self.timings[stage] = now - self.last
        self.last = now


def load_site_config(options: BuildOptions, diagnostics: Diagnostics) -> SiteConfig:
    config = load_config(options.site_dir, diagnostics)
    return config.with_base_url(options.base_url) if options.base_url else config


def output_dir_for(options: BuildOptions, config: SiteConfig) -> Path:
    return options.output_dir or options.site_dir / config.output_dir


def generate(options: BuildOptions, cache: StoryCache | None = None) -> BuildResult:
    """Every stage but the writer: the site as files in memory, or the problems found.

    With a cache, unchanged stories are not read again; the site-wide stages always run.
    """
    diagnostics = Diagnostics()
    result = BuildResult(diagnostics)
    timer = _Timer(result.timings)
    config = result.config = load_site_config(options, diagnostics)
    linker = Linker(config)
    theme = load_theme(options.site_dir, config.theme, linker, diagnostics)
    content_dir = options.site_dir / CONTENT_DIR
    if not content_dir.is_dir():
        diagnostics.error(content_dir, 0, "there is no content/ folder",
                          "run briefgen in the site's folder, or point to it with `-s DIR`; "
                          "`briefgen new \"Title\"` starts a first story")
        return result
    timer.lap("config")
    md = make_parser(config.unsafe_html)
    paths = discover(content_dir)
    stories = [story for path in paths
               if (story := read_story(path, md, config, diagnostics, cache)) is not None]
    if cache is not None:
        cache.forget_missing(set(paths))
    timer.lap("stories")
    site = assemble(config, stories, options.drafts, diagnostics)
    pages = plan_pages(site, diagnostics)
    timer.lap("assemble")
    if theme is None:
        return result
    result.files = _theme_files(theme) + render_pages(make_environment(theme), pages, theme.asset_urls,
                                                      diagnostics)
    result.stories = len(site.stories)
    timer.lap("templates")
    return result


def build(options: BuildOptions, cache: StoryCache | None = None) -> BuildResult:
    """Generate the site and, if nothing failed, swap it into the output folder."""
    result = generate(options, cache)
    diagnostics = result.diagnostics
    output_dir = output_dir_for(options, result.config)
    result.output_dir = output_dir
    ok = check_output_dir(options.site_dir, output_dir, diagnostics)
    if not ok or result.failed or (options.strict and diagnostics.warnings):
        return result
    start = time.perf_counter()
    write_site(output_dir, result.files)
    result.timings["write"] = time.perf_counter() - start
    result.written = True
    return result


def _theme_files(theme: Theme) -> list[OutputFile]:
    """Static files, theme first so the site's own files replace the theme's; then fingerprinted assets."""
    files: dict[str, OutputFile] = {}
    for folder in theme.static_dirs:
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            relative = path.relative_to(folder).as_posix()
            files[relative] = OutputFile(relative, path.read_bytes())
    return [*files.values(), *theme.assets]
