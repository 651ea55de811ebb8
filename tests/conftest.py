"""Shared test helpers: the repo's paths, a site maker, the CLI in a subprocess, a browser."""

from __future__ import annotations

import contextlib
import io
import os
import re
import shutil
import subprocess
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

import briefgen.theme.rendering
import briefgen.cli
from briefgen.core.diagnostics import Diagnostics
from briefgen.core.urls import OutputFile
from briefgen.pages.plan import Page
from briefgen.theme.templates import render_pages

pytest_plugins = ["tests.browser"]  # the page and browser fixtures; Playwright loads only when one is used

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true",
                     help="rewrite golden files from the current output instead of comparing")


@pytest.fixture
def rendered(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The URL path of every page that goes through a template, in this process (jobs=1 keeps it here)."""
    paths: list[str] = []
    original = render_pages

    def counting(environment: Any, pages: list[Page], context_of: Any, asset_urls: dict[str, str],
                 diagnostics: Diagnostics) -> list[OutputFile]:
        paths.extend(page.path for page in pages)
        return original(environment, pages, context_of, asset_urls, diagnostics)

    monkeypatch.setattr(briefgen.theme.rendering, "render_pages", counting)
    return paths


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


@dataclass(frozen=True)
class Run:
    code: int
    out: str
    err: str


def run_briefgen(*args: str | Path, cwd: Path | None = None) -> Run:
    """`python -m briefgen ARGS` in a subprocess, as a user runs it."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "NO_COLOR": "1"}
    done = subprocess.run([sys.executable, "-m", "briefgen", *map(str, args)], cwd=cwd or ROOT,
                          stdin=subprocess.DEVNULL, capture_output=True, text=True, env=env, timeout=120)
    return Run(done.returncode, done.stdout, done.stderr)


def words(html: str | bytes) -> str:
    """A page's text with its tags dropped: what a reader reads in a row (a citation's markup stands
    between a word and the next)."""
    text = html.decode() if isinstance(html, bytes) else html
    return re.sub(r"<[^>]*>", "", text)


def check_here(*args: str | Path, cwd: Path) -> Run:
    """`briefgen check ARGS` run by the CLI's own entry point in this process: the same words and exit
    code as run_briefgen gives, without a new interpreter's start-up. Only for `check`, which writes
    nothing and keeps nothing between runs."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.chdir(cwd), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = briefgen.cli.main(["check", *map(str, args)])
        except SystemExit as stop:  # argparse's own exit, on a bad argument
            code = int(stop.code or 0)
    return Run(code, out.getvalue(), err.getvalue())


STORY = """\
---
title: {title}
date: {date}
summary: A one-paragraph summary of {title}.
tags: [{tags}]
sources:
  - id: wire
    outlet: The Wire
    url: https://wire.example/story
facts:
  - text: A fact about {title}.
    sources: [wire]
contra: The other side of {title}.
narratives:
  - label: One side
    provider: The Ministry
    text: The story of {title} as the ministry tells it.
  - label: The other side
    provider: The Opposition
    text: The story of {title} as the opposition tells it.
---
Background for {title}.
"""


def story_text(title: str = "A story", date: str = "2024-03-25", tags: str = "World") -> str:
    """A valid story file, to write as it is or to break on purpose."""
    return STORY.format(title=title, date=date, tags=tags)


SITE_ADDRESS = "base_url: https://example.org/\n"


def make_site(root: Path, stories: dict[str, str], config: str | None = SITE_ADDRESS) -> Path:
    """A site folder with `content/<name>` files (text dedented) and a briefgen.yaml (none if config
    is None). By default it sets only base_url, as a writer's site does: a site without one warns."""
    (root / "content").mkdir(parents=True, exist_ok=True)
    for name, text in stories.items():
        (root / "content" / name).write_text(textwrap.dedent(text), encoding="utf-8")
    if config is not None:
        (root / "briefgen.yaml").write_text(textwrap.dedent(config), encoding="utf-8")
    return root


def tree_bytes(folder: Path) -> dict[str, bytes]:
    """Every file below a folder, by relative path: to compare whole outputs."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def assert_matches_golden(built: Path, golden: Path, update: bool) -> None:
    """The built tree equals the golden one file by file (rewritten first with --update-golden)."""
    if update:
        shutil.rmtree(golden, ignore_errors=True)
        shutil.copytree(built, golden)
    actual, expected = tree_bytes(built), tree_bytes(golden)
    assert sorted(actual) == sorted(expected), "the set of files differs"
    for path in expected:
        if path.endswith(".png"):  # the theme's card and logo, and the stories' share cards
            assert actual[path] == expected[path], (
                f"{path}: other bytes. A share card is drawn by Pillow: after a Pillow upgrade, look at both "
                "and rewrite the golden tree with --update-golden if only the encoding moved")
        else:
            assert actual[path].decode() == expected[path].decode(), path
