"""Characters no page or feed may hold never reach one, whatever a writer's text contains."""

from __future__ import annotations

import xml.etree.ElementTree as ElementTree
from pathlib import Path

from briefgen.build import BuildOptions, build
from tests.conftest import make_site, story_text

CONTROLS = "\x01\x08\x0b\x0c\x1f\ufffe"


def test_control_characters_are_dropped_and_every_feed_parses(tmp_path: Path) -> None:
    text = story_text("Placeholder", "2024-03-25", "World").replace(
        "title: Placeholder", 'title: "Talks\\fresume"').replace(
        "Background for Placeholder.", f"Background{CONTROLS} for the talks.")
    site = make_site(tmp_path / "site", {"talks.md": text}, 'title: "Site\\x01 title"\nsearch: false\n')
    result = build(BuildOptions(site_dir=site))
    assert result.written, [d.format() for d in result.diagnostics.items]
    public = site / "public"
    feeds = list(public.rglob("*.xml"))
    assert len(feeds) >= 3  # the site's feed, the tag's feed, the sitemap
    for feed in feeds:
        ElementTree.parse(feed)  # raises on a character XML forbids
    page = (public / "talks" / "index.html").read_text(encoding="utf-8")
    assert not set(page) & set(CONTROLS)
    assert "Talksresume" in page and "Background for the talks." in page
