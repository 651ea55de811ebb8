"""The search index in partitions (briefgen/search/pagefind.py) and the search box that merges them (search.js).

Sites are built with `search: false` and indexed here from their story pages, so these tests
do not depend on how build.py calls the search stage.
"""

from __future__ import annotations

import json
import shutil
import stat
import threading
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import Page

from briefgen.build import BuildOptions, build
from briefgen.core.diagnostics import Diagnostics
from briefgen.core.urls import OutputFile
from briefgen.search.pagefind import (SearchPage, index_partition, index_stories, partition_count, partition_key,
                                      partition_of, partition_paths, partitions_file)
from tests.browser import expect, serve_directory
from tests.conftest import FIXTURES, make_site

CONFIG_FILE = Path("briefgen.yaml")
BASE_PATH = "/news/"
# One made-up word per story, each in one fact of that story only (none a prefix of another).
FACT_WORDS = {
    "harbour-dues": "quasicrystal",
    "ferry-strike": "marzipan",
    "canal-tolls": "ziggurat",
    "rail-tender": "obsidian",
    "bridge-survey": "kumquat",
    "port-census": "tarantella",
    "lock-keepers": "bergamot",
    "tram-depot": "zeppelin",
}
STORY = """\
---
title: {title}
date: 2024-03-{day:02d}
summary: What the council decided about {title}.
tags: [Transport]
sources:
  - id: wire
    outlet: The Wire
    url: https://wire.example/{slug}
facts:
  - text: The council met on Tuesday.
    sources: [wire]
  - text: Its report mentions the {word} for the first time.
    sources: [wire]
contra: Others see it differently.
---
Background for the story.
"""


def story_pages(output: Path) -> list[SearchPage]:
    """Every story page of a built site, as the search stage takes them: (site path, HTML)."""
    return [(page.parent.relative_to(output).as_posix() + "/", page.read_bytes())
            for page in sorted(output.rglob("index.html")) if b"data-pagefind-body" in page.read_bytes()]


def built_without_search(site: Path, output: Path) -> list[SearchPage]:
    with (site / "briefgen.yaml").open("a", encoding="utf-8") as config:
        config.write("\nsearch: false\n")
    result = build(BuildOptions(site_dir=site, output_dir=output, cache=False))
    assert result.written, [problem.format() for problem in result.diagnostics.items]
    return story_pages(output)


@pytest.fixture(scope="module")
def reader_pages(tmp_path_factory: pytest.TempPathFactory) -> list[SearchPage]:
    site = tmp_path_factory.mktemp("reader") / "site"
    shutil.copytree(FIXTURES / "reader-site", site)
    return built_without_search(site, site / "public")


# --- Partitions --------------------------------------------------------------------------------


def test_a_story_keeps_its_partition_and_splits_with_it_when_the_count_doubles() -> None:
    assert partition_of("tram-depot/", 4) == partition_of("tram-depot/", 4) == "3"  # not Python's hash()
    for number in range(2000):
        path = f"story-{number}/"
        assert int(partition_of(path, 16)) % 8 == int(partition_of(path, 8))


def test_partitions_are_balanced() -> None:
    paths = [f"2024-{number:05d}-a-story-about-something/" for number in range(10_000)]
    sizes = Counter(partition_of(path, partition_count(len(paths))) for path in paths)
    assert len(sizes) == 16
    assert max(sizes.values()) < 1.15 * 10_000 / 16 and min(sizes.values()) > 0.85 * 10_000 / 16


def test_the_partition_count_grows_in_coarse_steps() -> None:
    assert [partition_count(n) for n in (0, 1, 1000, 1001, 2000, 2001, 10_000, 100_000)] == [
        1, 1, 1, 2, 2, 4, 16, 128]


def test_partition_paths_lists_each_story_once_under_its_partition() -> None:
    paths = [f"story-{number}/" for number in range(3000)]
    partitions = partition_paths(reversed(paths))
    assert list(partitions) == ["0", "1", "2", "3"]
    assert sorted(path for members in partitions.values() for path in members) == sorted(paths)
    assert all(partition_of(path, 4) == name for name, members in partitions.items() for path in members)


def test_a_partition_key_changes_with_its_pages_only() -> None:
    pages = [("a/", "digest-a"), ("b/", "digest-b")]
    key = partition_key("0", pages, "en")
    assert partition_key("0", list(reversed(pages)), "en") == key
    assert partition_key("0", [("a/", "digest-a"), ("b/", "digest-B")], "en") != key
    assert partition_key("0", pages[:1], "en") != key
    assert partition_key("1", pages, "en") != key
    assert partition_key("0", pages, "fr") != key


# --- One partition's bundle ----------------------------------------------------------------------


def test_a_partition_is_a_pagefind_bundle_of_its_stories(reader_pages: list[SearchPage]) -> None:
    diagnostics = Diagnostics()
    files = index_partition("3", reader_pages, "en-GB", diagnostics, CONFIG_FILE)
    assert diagnostics.items == [] and files is not None
    by_path = {file.path: file.data for file in files}
    assert all(path.startswith("pagefind/3/") for path in by_path)
    assert b"export" in by_path["pagefind/3/pagefind.js"]
    entry = json.loads(by_path["pagefind/3/pagefind-entry.json"])
    assert [language["page_count"] for language in entry["languages"].values()] == [len(reader_pages)]
    assert not [path for path in by_path if "-ui" in path]  # Pagefind's own search UI is not shipped


def test_the_same_pages_give_the_same_bytes_from_any_thread(reader_pages: list[SearchPage]) -> None:
    first = index_stories(reader_pages, "en-GB", Diagnostics(), CONFIG_FILE)
    again: list[list[OutputFile] | None] = []
    worker = threading.Thread(target=lambda: again.append(
        index_stories(list(reversed(reader_pages)), "en-GB", Diagnostics(), CONFIG_FILE)))  # as `serve` will
    worker.start()
    worker.join()
    assert first is not None and again == [first]


def test_the_partitions_file_names_the_bundles() -> None:
    listing = partitions_file(["1", "0"])
    assert listing.path == "pagefind/partitions.json"
    assert json.loads(listing.data) == {"partitions": ["0", "1"]}


# --- Failures a writer sees --------------------------------------------------------------------


def test_a_missing_pagefind_is_an_error_with_a_hint(reader_pages: list[SearchPage],
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("pagefind.service.get_executable", lambda: None)
    diagnostics = Diagnostics()
    assert index_stories(reader_pages, "en", diagnostics, CONFIG_FILE) is None
    [problem] = diagnostics.items
    assert problem.path == "briefgen.yaml" and "Pagefind binary is not installed" in problem.message
    assert "pip install 'pagefind[bin]'" in problem.hint and "search: false" in problem.hint


def test_a_pagefind_that_stops_is_an_error_with_its_reason(reader_pages: list[SearchPage], tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    broken = tmp_path / "pagefind"
    broken.write_text("#!/bin/sh\necho 'Error: out of memory' >&2\nexit 3\n")
    broken.chmod(broken.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(broken))
    diagnostics = Diagnostics()
    assert index_partition("0", reader_pages, "en", diagnostics, CONFIG_FILE) is None
    [problem] = diagnostics.items
    assert problem.message == "the search index could not be built: Pagefind stopped: Error: out of memory"


# --- In the browser ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Served:
    origin: str
    partitions: dict[str, list[str]]  # partition name -> story paths


@pytest.fixture(scope="module")
def partitioned_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """Eight stories in four partitions, the site served below /news/.

    Built with search on (for the search box and its script), its index then replaced by one
    made here, whatever build.py makes.
    """
    root = tmp_path_factory.mktemp("partitioned")
    stories = {f"{slug}.md": STORY.format(title=_title(slug), day=day, slug=slug, word=word)
               for day, (slug, word) in enumerate(FACT_WORDS.items(), start=1)}
    site = make_site(root / "site", stories, "title: Partitioned\nbase_url: https://example.org/news/\n")
    output = root / "served" / "news"
    result = build(BuildOptions(site_dir=site, output_dir=output, cache=False))
    assert result.written, [problem.format() for problem in result.diagnostics.items]
    pages = story_pages(output)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("briefgen.search.pagefind.STORIES_PER_PARTITION", 2)
        partitions = partition_paths(path for path, _ in pages)
        files = index_stories(pages, "en", Diagnostics(), CONFIG_FILE)
    assert files is not None
    shutil.rmtree(output / "pagefind", ignore_errors=True)
    for file in files:
        (output / file.path).parent.mkdir(parents=True, exist_ok=True)
        (output / file.path).write_bytes(file.data)
    with serve_directory(root / "served") as origin:
        yield Served(origin, partitions)


def _title(slug: str) -> str:
    return slug.replace("-", " ").capitalize()


def test_the_fixture_has_stories_in_every_partition(partitioned_site: Served) -> None:
    assert list(partitioned_site.partitions) == ["0", "1", "2", "3"]


@pytest.mark.parametrize("slug", list(FACT_WORDS))
def test_a_word_from_one_fact_finds_its_story_whichever_partition_it_is_in(
        page: Page, partitioned_site: Served, slug: str) -> None:
    problems: list[str] = []
    page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.goto(f"{partitioned_site.origin}{BASE_PATH}tags/")
    page.get_by_role("searchbox", name="Search").fill(FACT_WORDS[slug])
    results = page.locator("#search_results li")
    expect(results).to_have_count(1)
    link = results.get_by_role("link")
    assert link.get_attribute("href") == f"{BASE_PATH}{slug}/#facts-heading"  # the section the word is in
    expect(link).to_have_text(_title(slug))
    expect(results.locator(".search-section")).to_have_text(" · Facts")
    expect(results.locator("mark")).to_have_text(FACT_WORDS[slug])  # the excerpt, the word marked
    expect(page.get_by_role("status")).to_have_text(f"1 story matches “{FACT_WORDS[slug]}”.")
    assert problems == []


def test_a_word_every_story_has_finds_them_all_across_partitions(page: Page, partitioned_site: Served) -> None:
    page.goto(f"{partitioned_site.origin}{BASE_PATH}")
    page.get_by_role("searchbox", name="Search").fill("council")
    expect(page.get_by_role("status")).to_have_text(f"{len(FACT_WORDS)} stories match “council”.")
    expect(page.locator("#search_results li")).to_have_count(8)  # search.js shows eight at most
