"""`briefgen serve` in real Chromium: saves show up in open pages by themselves.

One server, on a temporary site, for the whole module; each test edits its own story.
The server sends the Content-Security-Policy of netlify.toml with every page (the
tests check it arrives), and any violation of it or any uncaught error in a page
fails the test.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import ConsoleMessage, Page

from tests.browser import expect
from tests.conftest import story_text
from tests.test_serve import WAIT, ServeProcess, save, serving, site_for_serve

WAIT_MS = WAIT * 1000
# In the page: a mark a reload would wipe, and a log of what changes in it, but for the reload
# script's own token; `window.fetches` counts the page's requests for itself.
WATCH_THE_PAGE = """() => {
  window.notReloaded = true;
  window.mutations = [];
  window.fetches = 0;
  const reloadScript = document.querySelector("script[data-token]");
  new MutationObserver((records) => window.mutations.push(
    ...records.filter((record) => record.target !== reloadScript).map((record) => record.type)
  )).observe(document.documentElement, { subtree: true, childList: true, attributes: true, characterData: true });
  const realFetch = window.fetch;
  window.fetch = (resource, ...rest) => {
    if (String(resource) === location.href) window.fetches += 1;
    return realFetch(resource, ...rest);
  };
}"""


def long_story(first_fact: str) -> str:
    """A story long enough to scroll through: eighty facts, the first of them `first_fact`."""
    facts = "".join(f"  - text: Fact {number} of a long story, in enough words to fill most of a line.\n"
                    f"    sources: [wire]\n" for number in range(2, 81))
    return story_text("Long", "2024-03-20", "World").replace(
        "  - text: A fact about Long.\n    sources: [wire]\n", f"  - text: {first_fact}\n    sources: [wire]\n{facts}")


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServeProcess]:
    site = site_for_serve(tmp_path_factory.mktemp("live"))
    save(site / "content" / "long.md", long_story("A fact about Long."))
    for name in ("epsilon", "zeta"):
        save(site / "content" / f"{name}.md", story_text(name.title(), "2024-03-22", "Science"))
    with serving(site) as server:
        yield server


@pytest.fixture
def problems() -> list[str]:
    """Policy violations and uncaught errors in the test's pages."""
    return []


@pytest.fixture
def tab(page: Page, problems: list[str]) -> Iterator[Page]:
    """A page that gathers policy violations and uncaught errors; the server sends the policy, as Netlify does."""
    def on_console(message: ConsoleMessage) -> None:
        if "Content Security Policy" in message.text:
            problems.append(message.text)

    page.context.on("console", on_console)
    page.context.on("weberror", lambda error: problems.append(str(error.error)))
    yield page
    assert problems == []


def test_pages_are_previewed_under_the_sites_policy(live: ServeProcess, tab: Page, problems: list[str]) -> None:
    tab.goto(live.url + "alpha/")
    ran = tab.evaluate("""() => {
      const inline = document.createElement("script");
      inline.textContent = "window.inlineRan = true";
      document.head.append(inline);
      return window.inlineRan === true;
    }""")
    assert not ran and len(problems) == 1 and "script-src" in problems[0]
    problems.clear()


def test_an_edited_fact_shows_in_the_open_page(live: ServeProcess, tab: Page) -> None:
    tab.goto(live.url + "alpha/")
    expect(tab.locator("main")).to_contain_text("A fact about Alpha.")
    text = story_text("Alpha", "2024-03-25", "World").replace("A fact about Alpha.", "Alpha, rewritten.")
    save(live.site / "content" / "alpha.md", text)
    expect(tab.locator("main")).to_contain_text("Alpha, rewritten.", timeout=WAIT_MS)
    expect(tab.locator("main")).not_to_contain_text("A fact about Alpha.")


def test_an_edited_fact_shows_in_place_keeping_the_scroll_position_and_focus(live: ServeProcess, tab: Page) -> None:
    tab.goto(live.url + "long/")
    tab.locator("main a[href='https://wire.example/story']").last.focus()
    tab.evaluate("window.scrollTo(0, 1500); window.focused = document.activeElement")
    tab.evaluate(WATCH_THE_PAGE)
    longer = "The first fact, rewritten at length, " + "with many more words than it had before, " * 12
    save(live.site / "content" / "long.md", long_story(longer.strip().rstrip(",") + "."))
    expect(tab.locator("main")).to_contain_text("The first fact, rewritten at length", timeout=WAIT_MS)
    assert tab.evaluate("[window.notReloaded, window.scrollY, window.focused === document.activeElement]") == [
        True, 1500, True]
    assert tab.locator("main").count() == 1 and tab.locator("main li", has_text="Fact 80 of a long story").count() == 1


def test_a_title_edit_changes_the_documents_title_and_head_in_place(live: ServeProcess, tab: Page) -> None:
    tab.goto(live.url + "epsilon/")
    expect(tab).to_have_title(re.compile(r"^Epsilon · "))
    tab.evaluate("window.stylesheet = document.querySelector('link[rel=stylesheet]')")
    tab.evaluate(WATCH_THE_PAGE)
    save(live.site / "content" / "epsilon.md", story_text("Epsilon retitled", "2024-03-22", "Science"))
    expect(tab).to_have_title(re.compile(r"^Epsilon retitled · "), timeout=WAIT_MS)
    expect(tab.locator("main h1")).to_have_text("Epsilon retitled")
    assert tab.evaluate("window.notReloaded") is True
    head = tab.locator("head")
    assert [head.locator(selector).count() for selector in (
        "title", "link[rel=canonical]", "script[type='application/ld+json']", "link[rel=stylesheet]",
        "script[src*=search]", "script[data-token]")] == [1, 1, 1, 1, 1, 1]
    assert "Epsilon retitled" in (head.locator("script[type='application/ld+json']").text_content() or "")
    expect(head.locator("meta[property='og:title']")).to_have_attribute("content", "Epsilon retitled")
    assert tab.evaluate("window.stylesheet === document.querySelector('link[rel=stylesheet]')")
    tab.locator("#search_q").fill("epsilon")  # the header's search script still answers
    expect(tab.locator("#search_results .search-status")).not_to_be_empty()


def test_an_edit_to_another_story_leaves_the_open_page_untouched(live: ServeProcess, tab: Page) -> None:
    tab.goto(live.url + "alpha/")
    reload_script = tab.locator("script[data-token]")
    token = reload_script.get_attribute("data-token") or ""
    tab.evaluate(WATCH_THE_PAGE)
    text = story_text("Zeta", "2024-03-22", "Science").replace("A fact about Zeta.", "Zeta, rewritten.")
    save(live.site / "content" / "zeta.md", text)
    expect(reload_script).not_to_have_attribute("data-token", token, timeout=WAIT_MS)  # it heard of the rebuild
    assert tab.evaluate("[window.notReloaded, window.fetches, window.mutations]") == [True, 0, []]


def test_a_change_outside_main_reloads_the_page(live: ServeProcess, tab: Page) -> None:
    template = live.site / "themes" / "default" / "templates" / "base.html"
    original = template.read_text(encoding="utf-8")
    tab.goto(live.url + "alpha/")
    tab.evaluate(WATCH_THE_PAGE)
    save(template, original.replace(">{{ site.labels.latest }}</a>", ">Newest</a>"))
    try:
        expect(tab.locator("header nav")).to_contain_text("Newest", timeout=WAIT_MS)
        assert tab.evaluate("window.notReloaded") is None
    finally:
        save(template, original)


def test_a_missing_page_shows_its_story_once_written(live: ServeProcess, tab: Page) -> None:
    response = tab.goto(live.url + "theta/")
    assert response is not None and response.status == 404
    save(live.site / "content" / "theta.md", story_text("Theta", "2024-03-21", "World"))
    expect(tab.locator("main")).to_contain_text("A fact about Theta.", timeout=WAIT_MS)


def test_a_css_change_applies_without_reloading_the_page(live: ServeProcess, tab: Page) -> None:
    tab.goto(live.url + "beta/")
    tab.evaluate("window.notReloaded = true")
    css = live.site / "themes" / "default" / "assets" / "style.css"
    save(css, css.read_text(encoding="utf-8") + "\n:root { --serve-test: 42px; }\n")
    expect(tab.locator("html")).to_have_css("--serve-test", re.compile(r"^\s*42px\s*$"), timeout=WAIT_MS)
    assert tab.evaluate("window.notReloaded === true")
    assert tab.evaluate("document.querySelectorAll('link[rel=stylesheet]').length") == 1


def test_a_new_story_appears_on_the_home_page_and_its_tag_pages(live: ServeProcess, tab: Page) -> None:
    tab.goto(live.url)
    save(live.site / "content" / "delta.md", story_text("Delta arrives", "2024-03-26", "World, Science"))
    expect(tab.locator("main")).to_contain_text("Delta arrives", timeout=WAIT_MS)
    for tag in ("world", "science"):
        tab.goto(f"{live.url}tags/{tag}/")
        expect(tab.locator("main")).to_contain_text("Delta arrives")


def test_broken_yaml_shows_an_overlay_with_file_and_line_until_fixed(live: ServeProcess, tab: Page) -> None:
    story = live.site / "content" / "gamma.md"
    good = story_text("Gamma", "2024-03-23", "Economy")
    save(story, good)
    tab.goto(live.url + "gamma/")
    expect(tab.locator("main")).to_contain_text("A fact about Gamma.", timeout=WAIT_MS)
    save(story, good.replace("title: Gamma\n", "title: Gamma\n  oops: [\n"))
    overlay = tab.locator("#briefgen-overlay")
    expect(overlay).to_contain_text("content/gamma.md:3: error:", timeout=WAIT_MS)
    expect(overlay).to_be_visible()
    expect(tab.locator("main")).to_contain_text("A fact about Gamma.")  # the last good page, underneath
    assert any(line.startswith("content/gamma.md:3: error:") for line in live.err)  # the terminal too
    save(story, good)
    expect(overlay).to_have_count(0, timeout=WAIT_MS)


def test_many_open_tabs_all_follow_without_running_out_of_connections(live: ServeProcess, tab: Page) -> None:
    """Chromium allows six connections per host; ten tabs share one event stream."""
    tabs = [tab, *(tab.context.new_page() for _ in range(9))]
    for each in tabs:
        each.goto(live.url + "beta/")
        each.evaluate(WATCH_THE_PAGE)
    text = story_text("Beta", "2024-03-24", "World, Economy").replace("A fact about Beta.", "Beta, for all tabs.")
    save(live.site / "content" / "beta.md", text)
    for each in tabs:
        expect(each.locator("main")).to_contain_text("Beta, for all tabs.", timeout=WAIT_MS)
        assert each.evaluate("window.notReloaded") is True


def test_search_finds_a_story_by_a_word_of_a_fact_saved_while_serving(live: ServeProcess, tab: Page) -> None:
    """serve indexes in the background after each rebuild: a new story is found once indexed."""
    save(live.site / "content" / "omega.md", story_text("Omega", "2024-03-21", "Science").replace(
        "A fact about Omega.", "Omega met the quixotic harbourmaster."))
    results = tab.locator("#search_results li a")
    deadline = time.monotonic() + WAIT
    while True:
        tab.goto(live.url + "alpha/")  # a fresh page loads the newest index
        tab.get_by_role("searchbox", name="Search").fill("harbourmaster")
        try:
            expect(results).to_have_count(1, timeout=1000)
            break
        except AssertionError:
            assert time.monotonic() < deadline, "the new story never reached the search index"
    assert results.get_attribute("href") == "/omega/#facts-heading"  # the section the word is in
