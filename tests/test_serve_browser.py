"""`briefgen serve` in real Chromium: saves show up in open pages by themselves.

One server, on a temporary site, for the whole module; each test edits its own story.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect

from tests.conftest import story_text
from tests.test_serve import WAIT, ServeProcess, save, serving, site_for_serve

WAIT_MS = WAIT * 1000


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServeProcess]:
    with serving(site_for_serve(tmp_path_factory.mktemp("live"))) as server:
        yield server


def test_an_edited_fact_shows_in_the_open_page(live: ServeProcess, page: Page) -> None:
    page.goto(live.url + "alpha/")
    expect(page.locator("main")).to_contain_text("A fact about Alpha.")
    text = story_text("Alpha", "2024-03-25", "World").replace("A fact about Alpha.", "Alpha, rewritten.")
    save(live.site / "content" / "alpha.md", text)
    expect(page.locator("main")).to_contain_text("Alpha, rewritten.", timeout=WAIT_MS)
    expect(page.locator("main")).not_to_contain_text("A fact about Alpha.")


def test_a_css_change_applies_without_reloading_the_page(live: ServeProcess, page: Page) -> None:
    page.goto(live.url + "beta/")
    page.evaluate("window.notReloaded = true")
    css = live.site / "themes" / "default" / "assets" / "style.css"
    save(css, css.read_text(encoding="utf-8") + "\n:root { --serve-test: 42px; }\n")
    page.wait_for_function(
        "getComputedStyle(document.documentElement).getPropertyValue('--serve-test').trim() === '42px'",
        timeout=WAIT_MS)
    assert page.evaluate("window.notReloaded === true")
    assert page.evaluate("document.querySelectorAll('link[rel=stylesheet]').length") == 1


def test_a_new_story_appears_on_the_home_page_and_its_tag_pages(live: ServeProcess, page: Page) -> None:
    page.goto(live.url)
    save(live.site / "content" / "delta.md", story_text("Delta arrives", "2024-03-26", "World, Science"))
    expect(page.locator("main")).to_contain_text("Delta arrives", timeout=WAIT_MS)
    for tag in ("world", "science"):
        page.goto(f"{live.url}tags/{tag}/")
        expect(page.locator("main")).to_contain_text("Delta arrives")


def test_broken_yaml_shows_an_overlay_with_file_and_line_until_fixed(live: ServeProcess, page: Page) -> None:
    story = live.site / "content" / "gamma.md"
    good = story_text("Gamma", "2024-03-23", "Economy")
    save(story, good)
    page.goto(live.url + "gamma/")
    expect(page.locator("main")).to_contain_text("A fact about Gamma.", timeout=WAIT_MS)
    save(story, good.replace("title: Gamma\n", "title: Gamma\n  oops: [\n"))
    overlay = page.locator("#briefgen-overlay")
    expect(overlay).to_contain_text("content/gamma.md:3: error:", timeout=WAIT_MS)
    expect(overlay).to_be_visible()
    expect(page.locator("main")).to_contain_text("A fact about Gamma.")  # the last good page, underneath
    assert any(line.startswith("content/gamma.md:3: error:") for line in live.err)  # the terminal too
    save(story, good)
    expect(overlay).to_have_count(0, timeout=WAIT_MS)


def test_many_open_tabs_all_follow_without_running_out_of_connections(live: ServeProcess, page: Page) -> None:
    """Chromium allows six connections per host; ten tabs share one event stream."""
    tabs = [page, *(page.context.new_page() for _ in range(9))]
    for tab in tabs:
        tab.goto(live.url + "beta/")
    text = story_text("Beta", "2024-03-24", "World, Economy").replace("A fact about Beta.", "Beta, for all tabs.")
    save(live.site / "content" / "beta.md", text)
    for tab in tabs:
        expect(tab.locator("main")).to_contain_text("Beta, for all tabs.", timeout=WAIT_MS)
