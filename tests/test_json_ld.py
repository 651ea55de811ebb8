"""JSON-LD embedded in a page cannot end its <script> early or blank the page, whatever a writer types."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from playwright.sync_api import Page

from briefgen.build import BuildOptions, build
from tests.browser import expect, serve_directory
from tests.conftest import make_site, story_text

HOSTILE = "Talks <!--<script> & </script> resume\u2028now"
JSON_LD = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)


def hostile_site(root: Path) -> Path:
    text = story_text("Placeholder", "2024-03-25", "World").replace("title: Placeholder", f"title: '{HOSTILE}'")
    site = make_site(root, {"talks.md": text}, "title: Hostile\nsearch: false\n")
    assert build(BuildOptions(site_dir=site)).written
    return site


def test_json_ld_escapes_what_could_close_or_confuse_its_script(tmp_path: Path) -> None:
    html = (hostile_site(tmp_path / "site") / "public" / "talks" / "index.html").read_text(encoding="utf-8")
    [block] = JSON_LD.findall(html)
    assert not set(block) & {"<", ">", "&", "\u2028"}
    assert json.loads(block)["headline"] == HOSTILE


def test_a_hostile_title_still_leaves_the_page_readable_in_chromium(tmp_path: Path, page: Page) -> None:
    site = hostile_site(tmp_path / "site")
    with serve_directory(site / "public") as origin:
        page.goto(origin + "/talks/")
        expect(page.locator("main")).to_contain_text("A fact about")
        assert json.loads(page.locator('script[type="application/ld+json"]').text_content() or "")["headline"] \
            == HOSTILE
