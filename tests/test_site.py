"""Assembling the site: order, tags, pagination, and two things claiming one URL."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from briefgen.build import BuildOptions, generate
from tests.conftest import ROOT, make_site, story_text


def paths(site: Path) -> list[str]:
    result = generate(BuildOptions(site_dir=site))
    assert not result.failed, [d.format() for d in result.diagnostics.errors]
    return sorted(f.path for f in result.files)


def test_tags_spelled_differently_share_one_page_named_as_most_stories_spell_it(tmp_path: Path) -> None:
    make_site(tmp_path, {"a.md": story_text("A", tags="North Korea"), "b.md": story_text("B", tags="north korea"),
                         "c.md": story_text("C", tags="North Korea, C#")})
    result = generate(BuildOptions(site_dir=tmp_path))
    files = {f.path: f.data.decode() for f in result.files if not f.path.endswith(".png")}
    assert "tags/north-korea/index.html" in files and "tags/c-sharp/index.html" in files
    assert "<h1>North Korea</h1>" in files["tags/north-korea/index.html"]
    assert files["tags/index.html"].count('href="/tags/north-korea/"') == 1


def test_home_and_tag_pages_paginate_newest_first(tmp_path: Path) -> None:
    stories = {f"s{day}.md": story_text(f"Story {day}", date=f"2024-01-{day:02d}") for day in range(1, 6)}
    make_site(tmp_path, stories, "per_page: 2\n")
    files = paths(tmp_path)
    for page in ("index.html", "page/2/index.html", "page/3/index.html",
                 "tags/world/index.html", "tags/world/page/2/index.html", "tags/world/page/3/index.html"):
        assert page in files
    assert "page/4/index.html" not in files and "page/1/index.html" not in files
    result = generate(BuildOptions(site_dir=tmp_path))
    home = next(f.data.decode() for f in result.files if f.path == "index.html")
    assert home.index("Story 5") < home.index("Story 4")
    assert 'href="/page/2/" rel="next"' in home


@pytest.mark.parametrize(("slug", "url"), [("tags", "/tags/"), ("TAGS", "/tags/"), ("404.html", "/404.html"),
                                          ("feed.xml", "/feed.xml"), ("sitemap.xml", "/sitemap.xml")])
def test_a_story_taking_the_sites_own_url_is_an_error_naming_it(tmp_path: Path, slug: str, url: str,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    make_site(tmp_path, {"clash.md": story_text("Clash").replace("date:", f"slug: {slug}\ndate:", 1)})
    result = generate(BuildOptions(site_dir=tmp_path))
    assert [d.format().splitlines()[0] for d in result.diagnostics.errors] == [
        f"content/clash.md:3: error: the story content/clash.md and the site would both write {url}"]


def test_a_tag_without_letters_is_an_error(tmp_path: Path) -> None:
    make_site(tmp_path, {"a.md": story_text("A", tags="'!!!'")})
    result = generate(BuildOptions(site_dir=tmp_path))
    assert [d.message for d in result.diagnostics.errors] == [
        "the tag '!!!' has no letters or digits, so it cannot have a page"]


def test_a_thread_of_twenty_thousand_stories_is_assembled_in_linear_time() -> None:
    """Each story follows the one before: checking for circles and grouping the thread visit each story
    a bounded number of times (walking every chain to its start would take minutes, past the bound)."""
    probe = """
from datetime import datetime, timedelta, timezone
from pathlib import Path
from briefgen.core.diagnostics import Diagnostics
from briefgen.core.model import Moment
from briefgen.settings.config import SiteConfig
from briefgen.site.assemble import Publishing, StoryEntry, assemble
start = datetime(2020, 1, 1, tzinfo=timezone.utc)
entries = [StoryEntry(Path(f"s{n}.md"), str(n), f"s{n}", Moment(start + timedelta(hours=n), True), None, None,
                      False, (), 1, 1, f"s{n - 1}" if n else None, 2) for n in range(20_000)]
diagnostics = Diagnostics()
site = assemble(SiteConfig(), entries, Publishing(start + timedelta(days=10_000)), diagnostics)
assert not diagnostics.items and len(site.threads["s0"]) == 20_000 and site.followers["s0"][0].slug == "s1"
"""
    subprocess.run([sys.executable, "-c", probe], cwd=ROOT, check=True, timeout=60)


def test_a_sites_own_assets_replace_the_themes_file_by_file(tmp_path: Path) -> None:
    site = make_site(tmp_path, {"one.md": story_text("One")})
    (site / "assets").mkdir()
    (site / "assets" / "style.css").write_text("body { color: teal }\n")
    (site / "assets" / "extra.js").write_text("// the site's own\n")
    result = generate(BuildOptions(site_dir=site))
    assert not result.failed, [d.format() for d in result.diagnostics.items]
    files = {file.path: file.data for file in result.files}
    styles = [path for path in files if path.startswith("assets/style.")]
    assert len(styles) == 1 and files[styles[0]] == b"body { color: teal }\n"  # the theme's is not published
    assert any(path.startswith("assets/favicon.") for path in files)  # the theme's other assets stay
    assert any(path.startswith("assets/extra.") for path in files)
    assert f'href="/{styles[0]}"'.encode() in files["one/index.html"]
