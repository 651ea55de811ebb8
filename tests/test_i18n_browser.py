"""The French fixture site in a real browser, on a phone: every word a reader sees is French."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page, ViewportSize

from tests.browser import expect, serve_directory
from tests.conftest import run_briefgen
from tests.test_i18n import SITE, english_in

PHONE: ViewportSize = {"width": 390, "height": 844}


@pytest.fixture(scope="module")
def site_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    output: Path = tmp_path_factory.mktemp("french") / "public"
    run = run_briefgen("build", "--no-cache", "-s", SITE, "-o", output, "--base-url", "http://127.0.0.1/")
    assert run.code == 0, run.err
    with serve_directory(output) as url:
        yield url


@pytest.fixture
def phone(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport=PHONE)
    try:
        yield context.new_page()
    finally:
        context.close()


def test_the_story_page_shows_no_english_word_and_a_french_date(phone: Page, site_url: str) -> None:
    phone.goto(site_url + "/sommet-climat/")
    expect(phone.locator("form.search")).to_be_visible()  # search.js has run: the page is as a reader has it
    text = phone.evaluate("document.body.innerText")
    assert english_in(text) == []
    assert "Publié le 25 mars 2024" in text
    assert "min de lecture" in text and "Faits" in text and "Récits" in text


def test_the_search_box_answers_in_french(phone: Page, site_url: str) -> None:
    phone.goto(site_url + "/")
    search = phone.get_by_role("searchbox", name="Rechercher")
    search.fill("cacao")
    expect(phone.locator(".search-status")).to_have_text("1 article correspond à «\u00a0cacao\u00a0».")
    search.fill("zzzyx")
    expect(phone.locator(".search-status")).to_have_text("Aucun article ne correspond à «\u00a0zzzyx\u00a0».")
