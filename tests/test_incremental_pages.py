"""Pages are rendered again only when what they show changed, and never left stale.

For every kind of change, a warm build (keeping the published pages whose key is
unchanged) and serve's in-memory rebuild give the same bytes as a cold build.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import briefgen.build
import briefgen.pages.memory
from briefgen.build import BuildOptions, BuildResult, build, generate
from briefgen.commands.serve import LivePreview
from briefgen.core.urls import output_file
from briefgen.story.store import StoryStore
from tests.conftest import story_text, tree_bytes
from tests.test_cache import NOW, append, replace, site_with_theme

CONFIG = "title: Cached\nsearch: false\nper_page: 2\ntheme: mine\n"


def paged_site(root: Path) -> Path:
    """Three stories sharing tags, two per list page, with a site-local copy of the default theme."""
    site = site_with_theme(root)
    (site / "briefgen.yaml").write_text(CONFIG)
    return site


def swap_dates(site: Path) -> None:
    replace(site / "content" / "one.md", "date: 2024-03-01", "date: 2024-03-09")


def add_story(site: Path, name: str, text: str) -> None:
    (site / "content" / name).write_text(text)


CHANGES: dict[str, Callable[[Path], None]] = {
    "fact": lambda site: replace(site / "content" / "one.md", "A fact about One.", "A new fact about One."),
    "title": lambda site: replace(site / "content" / "one.md", "title: One", "title: One, renamed"),
    "tags": lambda site: replace(site / "content" / "two.md", "tags: [World]", "tags: [Asia, Europe]"),
    "date order": swap_dates,
    "new story": lambda site: add_story(site, "four.md", story_text("Four", "2024-03-04", "Asia")),
    "deleted story": lambda site: (site / "content" / "three.md").unlink(),
    "template": lambda site: replace(site / "themes" / "mine" / "templates" / "story.html",
                                     "<h1", "<h1 class=\"changed\""),
    "partial": lambda site: append(site / "themes" / "mine" / "templates" / "partials" / "briefing.html",
                                   "<!-- changed -->\n"),
    "css": lambda site: append(site / "themes" / "mine" / "assets" / "style.css", "body { color: red }\n"),
    "config": lambda site: append(site / "briefgen.yaml", "labels: {facts: Key Facts}\n"),
    "config title": lambda site: replace(site / "briefgen.yaml", "title: Cached", "title: Renamed"),
}


def options(site: Path, **changes: Any) -> BuildOptions:
    return BuildOptions(site_dir=site, now=NOW, jobs=1, **changes)


def warm(site: Path, **changes: Any) -> BuildResult:
    result = build(options(site, **changes))
    assert result.written, [d.format() for d in result.diagnostics.items]
    return result


def cold_tree(site: Path, output: Path, **changes: Any) -> dict[str, bytes]:
    result = build(options(site, output_dir=output, cache=False, **changes))
    assert result.written, [d.format() for d in result.diagnostics.items]
    return tree_bytes(output)


@pytest.mark.parametrize("change", sorted(CHANGES))
def test_a_warm_build_after_a_change_equals_a_cold_build(tmp_path: Path, change: str) -> None:
    site = paged_site(tmp_path / "site")
    warm(site)
    CHANGES[change](site)
    result = warm(site)
    assert not result.unchanged
    assert tree_bytes(site / "public") == cold_tree(site, tmp_path / "cold")


def test_a_new_base_url_renders_every_page_again(tmp_path: Path, rendered: list[str]) -> None:
    site = paged_site(tmp_path / "site")
    warm(site)
    rendered.clear()
    result = warm(site, base_url="https://elsewhere.example/news/")
    assert result.kept == [] and sorted(map(output_file, rendered)) == sorted(result.render_keys)  # every page
    assert tree_bytes(site / "public") == cold_tree(site, tmp_path / "cold", base_url="https://elsewhere.example/news/")


def test_a_fact_edit_renders_only_the_pages_that_show_the_story(tmp_path: Path, rendered: list[str]) -> None:
    site = paged_site(tmp_path / "site")
    warm(site)
    rendered.clear()
    CHANGES["fact"](site)
    result = warm(site)
    # One (2024-03-01) is the oldest: on the home page's second page, and in its tags' lists and feeds
    # (Atom and JSON); Two and Three list it as related. The sitemap shows only its address and date.
    # Its share card is drawn again with it.
    assert sorted(rendered) == ["feed.json", "feed.xml", "one/", "one/card.png", "page/2/", "tags/asia/", "tags/asia/feed.json",
                                "tags/asia/feed.xml", "tags/world/", "tags/world/feed.json", "tags/world/feed.xml",
                                "three/", "two/"]
    assert {"index.html", "tags/index.html", "404.html"} <= set(result.kept)


def test_nothing_is_kept_when_the_published_site_was_changed_by_hand(tmp_path: Path, rendered: list[str]) -> None:
    site = paged_site(tmp_path / "site")
    warm(site)
    (site / "public" / "two" / "index.html").write_text("changed by hand")
    CHANGES["fact"](site)
    rendered.clear()
    result = warm(site)
    assert result.kept == [] and "two/" in rendered
    assert tree_bytes(site / "public") == cold_tree(site, tmp_path / "cold")


def served(preview: LivePreview) -> dict[str, bytes]:
    """Every file serve shows after a rebuild, its pending pages rendered as if a browser asked for each."""
    result = preview.build()
    assert not result.failed, [d.format() for d in result.diagnostics.items]
    preview.publish(result, [])
    return dict(preview.current().files)


def fresh(site: Path) -> dict[str, bytes]:
    return {file.path: file.data for file in generate(options(site)).files}


def test_serve_rebuilds_equal_a_fresh_generate_after_every_change(tmp_path: Path) -> None:
    site = paged_site(tmp_path / "site")
    preview = LivePreview(options(site))
    assert served(preview) == fresh(site)
    for change in sorted(CHANGES):
        CHANGES[change](site)
        assert served(preview) == fresh(site), change


def test_serve_renders_only_what_an_edit_touches(tmp_path: Path, rendered: list[str]) -> None:
    site = paged_site(tmp_path / "site")
    preview = LivePreview(options(site))
    served(preview)
    rendered.clear()
    served(preview)
    assert rendered == []
    CHANGES["title"](site)
    files = served(preview)
    assert "one/" in rendered and "tags/" not in rendered and "404.html" not in rendered
    assert b"One, renamed" in files["index.html"] or b"One, renamed" in files["page/2/index.html"]
    assert b"One, renamed" in files["two/index.html"]  # in its related stories
    assert files == fresh(site)


def test_views_of_stories_gone_from_the_site_are_forgotten(tmp_path: Path) -> None:
    site = paged_site(tmp_path / "site")
    preview = LivePreview(options(site))
    served(preview)
    assert len(preview.memory.views) == 3
    CHANGES["deleted story"](site)
    served(preview)
    assert len(preview.memory.views) == 2
    assert set(preview.memory.pages) == set(fresh(site)) - {path for path in fresh(site) if "assets/" in path}


def test_views_of_edited_stories_are_forgotten_before_they_outnumber_the_stories_by_the_bound(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A long serve does not grow with every save: text edits keep the plan, so the old views go once
    there are STALE_VIEWS more than stories, not on every save (which would walk every page)."""
    monkeypatch.setattr(briefgen.build, "STALE_VIEWS", 1)
    site = paged_site(tmp_path / "site")
    preview = LivePreview(options(site))
    served(preview)
    sizes = []
    for number in range(4):
        append(site / "content" / "one.md", f"Another line, {number}.\n")
        served(preview)
        sizes.append(len(preview.memory.views))
    assert sizes == [4, 5, 3, 4]  # 3 stories, the bound 1, and the view of the save just made


def test_every_page_has_a_key_and_story_pages_differ(tmp_path: Path) -> None:
    site = paged_site(tmp_path / "site")
    result = generate(options(site), StoryStore())
    keys = result.render_keys
    assert len(set(keys.values())) == len(keys)
    assert "one/index.html" in keys and "feed.xml" in keys


def test_serve_plans_the_site_again_only_when_more_than_texts_changed(tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    site = paged_site(tmp_path / "site")
    preview = LivePreview(options(site))
    planned: list[str] = []
    original = briefgen.pages.memory.plan_pages
    monkeypatch.setattr(briefgen.pages.memory, "plan_pages", lambda *args: planned.append("") or original(*args))

    def planned_by_serve(change: str) -> int:
        CHANGES[change](site)
        before = len(planned)
        files = served(preview)
        count = len(planned) - before
        assert files == fresh(site), change
        return count

    served(preview)
    assert planned_by_serve("fact") == planned_by_serve("title") == 0  # only the pages holding the story
    assert planned_by_serve("tags") == 1  # which stories a tag lists: the whole site is planned again
