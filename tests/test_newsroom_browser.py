"""The newsroom layer in a real browser: from a source to its outlet, and along a thread."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import Page

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
