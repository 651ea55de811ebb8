"""The newsroom layer in a real browser: from a source to its outlet, and along a thread."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

from tests.browser import expect, serve_directory
from tests.conftest import run_briefgen
from tests.test_newsroom import SITE


@pytest.fixture(scope="module")
def site_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    output: Path = tmp_path_factory.mktemp("newsroom") / "public"
    run = run_briefgen("build", "--no-cache", "-s", SITE, "-o", output, "--base-url", "http://127.0.0.1/")
    assert run.code == 0, run.err
    with serve_directory(output) as url:
        yield url


def test_a_reader_follows_a_source_to_its_outlet_page_and_on_to_its_stories(page: Page, site_url: str) -> None:
    page.goto(site_url + "/talks-open/")
    source = page.locator("#source-gt")
    source.get_by_role("link", name="state media, China").click()
    expect(page).to_have_url(site_url + "/outlets/global-times/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Global Times")
    expect(page.get_by_text("Daily tabloid published by the People's Daily")).to_be_visible()
    page.get_by_role("link", name="Reactions to the pact").click()
    expect(page).to_have_url(site_url + "/pact-reactions/")


def test_a_reader_follows_a_thread_from_its_first_story_to_its_last(page: Page, site_url: str) -> None:
    page.goto(site_url + "/talks-open/")
    for title, slug in (("Security pact signed", "pact-signed"), ("Reactions to the pact", "pact-reactions")):
        thread = page.get_by_role("navigation", name="This story so far")
        thread.get_by_role("link", name=title).click()
        expect(page).to_have_url(site_url + f"/{slug}/")
        expect(page.get_by_role("heading", level=1)).to_have_text(title)
    current = page.get_by_role("navigation", name="This story so far").locator("[aria-current=page]")
    expect(current).to_have_text("Reactions to the pact")
    expect(page.locator(".later")).to_have_count(0)


def test_the_coverage_bar_shows_each_kind_in_proportion_on_a_phone(page: Page, site_url: str) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(site_url + "/talks-open/")
    bar = page.locator(".coverage-bar")
    expect(bar).to_be_visible()
    whole = bar.bounding_box()
    parts = [box for rect in bar.locator("rect").all() if (box := rect.bounding_box()) is not None]
    assert whole is not None and len(parts) == 3
    for part in parts:  # a third each, side by side, filling the bar
        assert abs(part["width"] - whole["width"] / 3) < 2
    assert abs(sum(part["width"] for part in parts) - whole["width"]) < 2
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    expect(page.locator(".coverage figcaption")).to_contain_text("1 outlet of unknown kind")


def test_a_citation_opens_its_source_in_a_card_where_the_reader_is(page: Page, site_url: str) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(site_url + "/talks-open/")
    page.mouse.wheel(0, 300)
    page.wait_for_function("scrollY > 0")
    before = page.evaluate("scrollY")
    citation = page.get_by_role("link", name="Source 2: Global Times")

    citation.click()

    card = page.get_by_role("dialog", name="Source 2: Global Times")
    expect(card).to_be_visible()
    expect(card).to_contain_text("2. Global Times (no link given) (state media, China)")
    expect(card.get_by_role("link", name="state media, China")).to_have_attribute("href", "/outlets/global-times/")
    assert page.url == site_url + "/talks-open/" and page.evaluate("scrollY") == before  # no jump
    page.keyboard.press("Escape")
    expect(card).to_be_hidden()
    assert page.evaluate("document.activeElement.getAttribute('aria-label')") == "Source 2: Global Times"


def test_the_source_card_closes_with_its_button_or_a_tap_elsewhere_and_leads_to_the_list(
        page: Page, site_url: str) -> None:
    page.goto(site_url + "/talks-open/")
    citation = page.get_by_role("link", name="Source 1: Reuters").first
    citation.click()
    page.get_by_role("button", name="Close").click()
    expect(page.get_by_role("dialog")).to_be_hidden()
    citation.click()
    page.locator("h1").click()
    expect(page.get_by_role("dialog")).to_be_hidden()
    citation.click()
    page.get_by_role("dialog").get_by_role("link", name="Sources").click()
    expect(page).to_have_url(site_url + "/talks-open/#source-wire")


def test_without_javascript_a_citation_jumps_to_its_source_in_the_list(browser: Browser, site_url: str) -> None:
    context = browser.new_context(java_script_enabled=False, viewport={"width": 390, "height": 844})
    try:
        page = context.new_page()
        page.goto(site_url + "/talks-open/")
        page.get_by_role("link", name="Source 2: Global Times").click()
        expect(page).to_have_url(site_url + "/talks-open/#source-gt")
        expect(page.get_by_role("dialog")).to_have_count(0)
    finally:
        context.close()
