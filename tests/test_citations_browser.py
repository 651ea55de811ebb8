"""Source footnotes in a real browser: a reader follows a citation to its source and back."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import Page

from tests.browser import expect, serve_directory
from tests.conftest import ROOT, run_briefgen

STORY = "/us-japan-security-pact/"


@pytest.fixture(scope="module")
def site_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    site = tmp_path_factory.mktemp("site")
    shutil.copytree(ROOT / "content", site / "content")
    shutil.copy(ROOT / "briefgen.yaml", site / "briefgen.yaml")
    output = site / "public"
    run = run_briefgen("build", "-s", site, "-o", output)
    assert run.code == 0, run.err
    with serve_directory(output) as url:
        yield url


def test_a_citation_leads_to_its_source_and_its_back_link_returns(page: Page, site_url: str) -> None:
    page.goto(site_url + STORY)
    facts = page.get_by_role("region", name="Key Facts")
    facts.get_by_role("link", name="Source 4: The Japan Times").click()
    card = page.get_by_role("dialog", name="Source 4: The Japan Times")
    expect(card).to_contain_text("The Japan Times")
    card.get_by_role("link", name="Sources").click()
    expect(page).to_have_url(site_url + STORY + "#source-japan-times")
    source = page.locator("#source-japan-times")
    expect(source).to_contain_text("The Japan Times")
    expect(source).to_be_in_viewport()

    source.get_by_role("link", name="Back to citation of source 4, The Japan Times, in Key Facts").click()
    expect(page).to_have_url(site_url + STORY + "#cite-japan-times-1")
    expect(page.locator("#cite-japan-times-1")).to_be_in_viewport()


def test_every_citation_and_back_link_has_a_distinct_accessible_name(page: Page, site_url: str) -> None:
    page.goto(site_url + STORY)
    sources = page.get_by_role("region", name="Sources")
    back_links = sources.get_by_role("link", name="Back to citation")
    names = [back_links.nth(i).get_attribute("aria-label") for i in range(back_links.count())]
    assert len(names) == len(set(names)) == 14
    citations = page.locator("sup.cite a")
    shown = {citations.nth(i).inner_text() for i in range(citations.count())}
    assert shown == {"1", "2", "3", "4"}  # the reader sees the number; the name carries the outlet
    expect(page.get_by_role("link", name="Source 1: Forbes")).to_have_count(10)  # one source per article


def test_the_story_reads_in_order_without_css(page: Page, site_url: str) -> None:
    page.goto(site_url + STORY)
    page.evaluate("document.querySelectorAll('link[rel=stylesheet]').forEach(l => l.remove())")
    headings = page.locator("main").get_by_role("heading").all_inner_texts()
    order = ["Report: US, Japan to Sign Revamped Security Pact", "Key Facts", "Narratives",
             "Anti-China narrative", "Pro-China narrative", "Contra", "Key Background",
             "What Security Threats Are Japan And The U.s. Concerned About?", "Sources"]
    assert [h for h in headings if h in order] == order
    credit = page.get_by_text("This article was written by Zachary Folk")  # beside the text it licenses
    assert page.locator("#body").bounding_box()["y"] < credit.bounding_box()["y"]  # type: ignore[index]
    assert credit.bounding_box()["y"] < page.locator("#sources").bounding_box()["y"]  # type: ignore[index]
    back = page.locator("#source-forbes .cited-in").inner_text()
    assert back == ("↩ Cited in Key Facts 2 3 4 5 6 7, Contra, Key Background, "  # readable as plain text
                    "What Security Threats Are Japan And The U.s. Concerned About?")


# Each citation's top against the line of the last character before it: a citation that wrapped onto a line
# of its own starts below that character's line. Citations side by side count the first one only.
CITATIONS_ALONE = """() => {
  const alone = [];
  for (const sup of document.querySelectorAll("sup.cite")) {
    let before = sup.previousSibling;
    if (before && before.nodeType === Node.ELEMENT_NODE && before.matches("sup.cite")) continue;
    while (before && before.nodeType === Node.ELEMENT_NODE) before = before.lastChild;
    if (!before || before.nodeType !== Node.TEXT_NODE || !before.textContent.length) continue;
    const range = document.createRange();
    range.setStart(before, before.textContent.length - 1);
    range.setEnd(before, before.textContent.length);
    const word = range.getBoundingClientRect(), number = sup.getBoundingClientRect();
    if (number.top >= word.bottom - 1) alone.push(sup.textContent + " after " + before.textContent.slice(-12));
  }
  return alone;
}"""


def test_a_citation_never_wraps_onto_a_line_away_from_its_word(page: Page, site_url: str) -> None:
    """On a phone a citation number wrapped alone onto the next line ("…2024A”." / "¹"); at every width from
    a small phone to a large one, each stays on the line of the word it follows."""
    page.goto(site_url + STORY)
    alone: dict[int, list[str]] = {}
    for width in range(300, 480, 3):
        page.set_viewport_size({"width": width, "height": 800})
        found = page.evaluate(CITATIONS_ALONE)
        if found:
            alone[width] = found
    assert alone == {}
